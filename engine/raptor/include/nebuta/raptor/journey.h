// A journey as the planner returns it: legs on foot, by vehicle, or over an access edge of the
// origin or destination (see query.h), with times in seconds after midnight of the query date.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta::rt {
class state;
}

namespace nebuta::raptor {

enum class leg_kind : std::uint8_t {
  walk,
  ride,
  access,  // an extra access or egress edge of the query place (place::extra), not walking
};
enum class walk_kind : std::uint8_t {
  access,     // from the query coordinate to a stop
  egress,     // from a stop to the query coordinate
  direct,     // from the origin to the destination, no vehicle
  footpath,   // transfers.txt
  walk_link,  // generated walking link between nearby stops
};

// One leg of a journey. Times are seconds after midnight of the query date.
struct leg {
  leg_kind kind{leg_kind::walk};
  seconds_t start{0}, end{0};
  stop_idx from{stop_idx::invalid()}, to{stop_idx::invalid()};  // invalid: the query coordinate

  // walk legs
  walk_kind walk{walk_kind::footpath};
  double distance_m{0.0};  // 0 for a transfers.txt footpath between stops without coordinates

  // ride legs: trip `trip` = route_first_trip[route] + trip_in_route, running on the query date
  // shifted by day_offset days; from/to are the stops at board_pos/alight_pos of the route.
  trip_idx trip{trip_idx::invalid()};
  route_idx route{route_idx::invalid()};
  std::uint32_t trip_in_route{0};
  std::uint32_t board_pos{0}, alight_pos{0};
  std::int8_t day_offset{0};
  // The rider stayed on board from the previous ride leg (the vehicle runs on as this trip):
  // no boarding, not counted in journey::rides.
  bool stay_seated{false};

  // Realtime (options::realtime): the leg's times are the overlay's (the trip has realtime that
  // day). A ride on an extra route of the overlay (a trip that overtakes, changed its stops, or
  // was added) has extra_route set, its index in the state's extra_routes(); board_pos /
  // alight_pos then index that route's stops, route is invalid, and trip is the static trip it
  // runs (invalid for an added trip).
  static constexpr std::uint32_t no_extra_route = 0xFFFFFFFFU;
  bool realtime{false};
  std::uint32_t extra_route{no_extra_route};

  // access legs: the tag of the edge taken (access_edge::tag)
  std::uint32_t access_tag{0};
};

struct journey {
  seconds_t departure{0}, arrival{0};
  unsigned rides{0};  // vehicles boarded (a stay-seated continuation is not a boarding)
  std::vector<leg> legs;
};

struct stop_visit {
  stop_idx stop;
  std::uint32_t pos{0};
  seconds_t arrival{0}, departure{0};
  // With a realtime state (the overload below): the timetable's times and stop, and
  // rt::stop_flags (skipped, assigned, ...); without, the same as arrival / departure / stop.
  seconds_t sched_arrival{0}, sched_departure{0};
  stop_idx sched_stop{stop_idx::invalid()};
  std::uint8_t rt_flags{0};
};

// The stops a ride leg passes with their times (shifted by the leg's day offset), strictly
// between boarding and alighting, or including both when include_ends.
void ride_stops(timetable const& tt, leg const& ride, std::vector<stop_visit>& out, bool include_ends = false);
// The same with the realtime state the journey was planned with (null: as above): realtime and
// scheduled times, skipped stops (listed, flagged) and assigned stops, of the leg's service day
// (query date + day_offset).
void ride_stops(timetable const& tt, rt::state const* realtime, date_t date, leg const& ride,
                std::vector<stop_visit>& out, bool include_ends = false);

// The journey as text: departure, arrival and rides, then one line per leg with its times and
// external ids ("(place)" for a query coordinate); a golden form for tests and logs, e.g.
//   08:00-08:30, 2 rides
//     08:00-08:09 ride t4 Y -> X
//     08:09-08:10 walk footpath X -> B 1113 m
//     08:11-08:30 ride t2 B -> C
// Times are "HH:MM" (":SS" when not 0) with "+1d" / "-1d" for another day than the query date; a
// trip running on another service day than the query date shows it ("ride night@-1d").
std::string to_string(timetable const& tt, journey const& j);

}  // namespace nebuta::raptor
