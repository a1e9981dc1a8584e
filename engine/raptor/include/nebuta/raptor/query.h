// What a query asks for (places, options) and what the searches answer besides journeys.
#pragma once

#include <cstdint>
#include <span>

#include "nebuta/timetable/timetable.h"

namespace nebuta::rt {
class state;
}

namespace nebuta::raptor {

inline constexpr unsigned max_legs_limit = 32;  // rounds kept at most
inline constexpr unsigned max_extra_days = 6;

// A way between a query coordinate and a stop other than walking (an on-demand ride, a bike):
// from the place to `stop` for an origin, from `stop` to the place for a destination, lasting
// duration_s. Such edges compete with the walks on time; the journey shows them as legs of kind
// access with the edge's tag.
struct access_edge {
  stop_idx stop;
  seconds_t duration_s{0};
  float distance_m{0.0F};
  std::uint32_t tag{0};  // the caller's name for the edge, echoed in the leg
};

// Where a journey starts or ends: a stop, a set of stops, or a coordinate reached on foot
// (within options::max_walk_m) or over the extra edges given with it. The edges and the stops
// must stay alive until the journeys of the query are reconstructed.
//
// A set of stops (the poles of one stop name) is searched once: every stop of it is entered
// (origin) or reached (destination) at no cost, and the search answers the Pareto set of the
// place as a whole. A journey starts at the stop it boards at and ends at the stop it alights
// at, with no leg for entering the set; a walk between two stops of the set is shown only when
// the journey needs it (a footpath to another route's pole).
struct place {
  stop_idx stop{stop_idx::invalid()};  // a stop, or the first stop of a set
  std::span<stop_idx const> stops;     // a set of two or more stops, else empty
  latlon coord{};
  std::span<access_edge const> extra;
  static place at_stop(stop_idx s) {
    place p;
    p.stop = s;
    return p;
  }
  // A set of one stop is that stop. The set must not be empty.
  static place at_stops(std::span<stop_idx const> s) {
    place p;
    if (s.empty()) return p;
    p.stop = s.front();
    if (s.size() > 1) p.stops = s;
    return p;
  }
  static place at_coord(latlon c, std::span<access_edge const> extra = {}) {
    place p;
    p.coord = c;
    p.extra = extra;
    return p;
  }
  bool is_stop() const { return stop.valid(); }  // a stop or a set of stops
  // The stops of a stop place (one or several), empty for a coordinate. Views this object.
  std::span<stop_idx const> stop_set() const {
    if (!stops.empty()) return stops;
    if (stop.valid()) return {&stop, 1};
    return {};
  }
};

struct options {
  unsigned max_legs{8};  // vehicle legs (RAPTOR rounds), at most max_legs_limit

  // GTFS-literal comparison mode: trips of D-1 and D only; the change time at a stop is
  // transfer_slack_s (stop_min_change_s is ignored); footpaths are transfers.txt type 2 plus,
  // with walk_radius_m > 0, walking links.
  bool gtfs_literal{false};

  bool wheelchair{false};  // board/alight only at wheelchair_boarding=1 stops, wheelchair_accessible=1 trips
  // With wheelchair: also stops and trips whose accessibility is unknown (GTFS value 0 or
  // absent); only value 2 ("no") is excluded.
  bool wheelchair_unknown_ok{false};

  double walk_radius_m{400.0};  // walking links between stops (0 = none); capped at tt.walk_link_radius_m
  double walk_speed_mps{1.2};   // walking links last ceil(distance / speed) seconds
  double max_walk_m{400.0};     // walking from / to a coordinate (access, egress, direct walk)
  bool transfers_txt_footpaths{true};
  // A rider may stay on board where a trip runs on as another (GTFS block_id, transfers.txt
  // transfer_type 4): one boarding, no change time. False: every trip is boarded on its own.
  bool stay_seated{true};

  seconds_t transfer_slack_s{0};       // literal mode: change time between two vehicle legs
  seconds_t default_min_change_s{60};  // normal mode: where stop_min_change_s is unset

  // Normal mode: also trips of D+1 ... D+extra_days (earliest arrival), resp. D-2 ...
  // D-1-extra_days (latest departure), so that "the next bus is tomorrow at 06:40" is found.
  unsigned extra_days{1};

  // A realtime overlay to search with (engine/rt, docs/realtime.md), or null: the timetable.
  // Cancelled and moved trips are left out, changed routes read the overlay's times, extra
  // routes (overtaking, changed stop patterns, added trips) are ridden as well. The caller keeps
  // the state alive until the query's journeys are reconstructed.
  rt::state const* realtime{nullptr};
};

// One point of the Pareto set: with at most `legs` vehicle legs, the best time is `time`.
struct pareto_entry {
  unsigned legs{0};
  seconds_t time{0};
};

struct result {
  bool reachable{false};
  seconds_t time{unreachable_time};  // earliest arrival, or latest departure for arrive-by
  unsigned legs{0};                  // fewest vehicle legs among journeys with that time
  // Strictly improving times with increasing legs; the last entry is (legs, time) above.
  std::span<pareto_entry const> pareto;
};

// One journey of the Pareto set arrival time x vehicle legs x walking time.
struct walk_pareto_entry {
  unsigned legs{0};
  seconds_t arrival{0};
  seconds_t walk_s{0};  // access, egress, footpaths and walking links
};

struct range_entry {
  seconds_t departure{0}, arrival{0};
  unsigned legs{0};
};

}  // namespace nebuta::raptor
