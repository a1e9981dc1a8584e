// What realtime processing needs besides the compiled timetable, built once per timetable and
// then shared read-only by every thread:
// - schedule extras the timetable does not keep: the GTFS stop_sequence of every trip stop
//   (StopTimeUpdates and VehiclePositions name stops by it), block_id and direction_id
//   (feeds/gtfs_rt reads them; without them matching falls back to stop_id);
// - each agency's time zone and the POSIX instant of every service day's "noon minus 12 h", so
//   that GTFS-RT's absolute times convert to the timetable's service-day seconds and back;
// - every trip's path with the along-distance of each of its stops: the timetable's shape and
//   stop positions (timetable.h, "shapes"), else its stops as a polyline.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nebuta/core/time_zone.h"
#include "nebuta/rt/updates.h"
#include "nebuta/timetable/nearby_stop_index.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::rt {

inline constexpr std::uint32_t no_sequence = 0xFFFFFFFFU;
inline constexpr std::uint32_t none = 0xFFFFFFFFU;

struct schedule_extras {
  // Per trip: the stop_sequence of each stop of its RAPTOR route (no_sequence where unknown).
  // Empty (no offsets) when the feeds were not read, e.g. for a timetable from a snapshot.
  multimap<trip_idx, std::uint32_t> stop_sequences;
  std::vector<std::uint32_t> trip_block;    // per trip: block number, none without block_id
  std::vector<std::int8_t> trip_direction;  // per trip: direction_id, -1 unknown
  bool has_sequences() const { return stop_sequences.size() != 0; }
};

// Fills schedule_extras from GTFS records given per trip (several trip_idx may share one GTFS
// trip: frequencies expand it).
class schedule_extras_builder {
 public:
  explicit schedule_extras_builder(timetable const& tt);
  // rows: the trip's (stop_sequence, stop) pairs in stop_sequence order, including rows the
  // timetable dropped; they are aligned to the trip's route stops by stop.
  void set_trip(trip_idx t, std::string_view block_id, std::int8_t direction,
                std::span<std::pair<std::uint32_t, stop_idx> const> rows);
  schedule_extras finish();

 private:
  timetable const& tt_;
  std::vector<std::vector<std::uint32_t>> seqs_;
  std::vector<std::uint32_t> block_;
  std::vector<std::int8_t> direction_;
  std::vector<std::string> pending_block_;  // per trip
};

// A polyline with along-distances in metres.
struct path {
  std::vector<latlon> points;
  std::vector<double> along;    // per point, from the first
  std::vector<double> stop_at;  // per route stop of the trips using it
  bool from_shape{false};
  double length() const { return along.empty() ? 0.0 : along.back(); }
  latlon at(double s) const;
  struct projection {
    double along{0.0};
    double offset_m{0.0};  // distance of the point from the path
  };
  // The nearest point of the path to p with along-distance in [lo, hi].
  projection project(latlon p, double lo, double hi) const;
  // Local minima of the distance to p closer than max_offset_m, nearest first (a path that
  // passes a place twice has two).
  std::vector<projection> candidates(latlon p, double max_offset_m) const;
};

class context {
 public:
  explicit context(timetable const& tt, schedule_extras extras = {});

  timetable const& tt() const { return tt_; }
  schedule_extras const& extras() const { return extras_; }

  route_idx route_of(trip_idx t) const { return tt_.trip_route[t]; }
  std::uint32_t trip_in_route(trip_idx t) const { return t.v() - tt_.route_first_trip[tt_.trip_route[t]].v(); }
  std::span<stop_idx const> stops(trip_idx t) const { return tt_.route_stops[tt_.trip_route[t]]; }
  std::uint32_t n_stops(trip_idx t) const { return static_cast<std::uint32_t>(stops(t).size()); }
  seconds_t arrival(trip_idx t, std::uint32_t pos) const { return tt_.arrival(route_of(t), pos, trip_in_route(t)); }
  seconds_t departure(trip_idx t, std::uint32_t pos) const { return tt_.departure(route_of(t), pos, trip_in_route(t)); }

  // The instant of GTFS time 0 of service day d in the time zone of trip t's agency (of line l).
  unix_time day_base(trip_idx t, day_idx d) const { return day_base_of_zone(zone_of_trip_[t.v()], d); }
  unix_time day_base(line_idx l, day_idx d) const { return day_base_of_zone(zone_of_line(l), d); }
  std::uint32_t zone_of_line(line_idx l) const { return l.valid() ? zone_of_agency_[tt_.line_agency[l].v()] : 0U; }
  std::uint32_t zone_of(trip_idx t) const { return zone_of_trip_[t.v()]; }
  unix_time day_base_of_zone(std::uint32_t zone, day_idx d) const {
    return bases_[static_cast<std::size_t>(zone) * tt_.n_days + d.v()];
  }
  civil::time_zone const& zone(std::uint32_t z) const { return zones_[z]; }
  // The service day of the local calendar date at instant t, when the timetable has it.
  std::optional<day_idx> local_day(std::uint32_t zone, unix_time t) const;

  // The route position of GTFS stop_sequence `seq` of trip t, when known.
  std::optional<std::uint32_t> position_of_sequence(trip_idx t, std::uint32_t seq) const;
  std::uint32_t sequence_at(trip_idx t, std::uint32_t pos) const;  // no_sequence when unknown
  // The first position >= from serving s, or a stop of the same station as s.
  std::optional<std::uint32_t> position_of_stop(trip_idx t, stop_idx s, std::uint32_t from) const;
  bool same_station(stop_idx a, stop_idx b) const;

  path const& path_of(trip_idx t) const { return paths_[path_of_trip_[t.v()]]; }
  std::uint32_t block_of(trip_idx t) const { return extras_.trip_block.empty() ? none : extras_.trip_block[t.v()]; }
  std::int8_t direction_of(trip_idx t) const {
    return extras_.trip_direction.empty() ? -1 : extras_.trip_direction[t.v()];
  }
  // The trips of a block, by first departure.
  std::span<trip_idx const> block_trips(std::uint32_t block) const;
  // The trips of a line, by route then first departure.
  std::span<trip_idx const> line_trips(line_idx l) const;
  // Stops within radius_m of c (nearby_stop_index), in order of (latitude, stop).
  void stops_near(latlon c, double radius_m, std::vector<stop_idx>& out) const;

 private:
  timetable const& tt_;
  schedule_extras extras_;
  std::vector<civil::time_zone> zones_;
  std::vector<std::uint32_t> zone_of_agency_, zone_of_trip_;
  std::vector<unix_time> bases_;  // zone-major, n_days per zone
  std::vector<path> paths_;
  std::vector<std::uint32_t> path_of_trip_;
  std::vector<std::uint32_t> block_offsets_, line_offsets_;
  std::vector<trip_idx> block_trips_, line_trips_;
  nearby_stop_index nearby_stops_;
};

}  // namespace nebuta::rt
