// The fixed-route alternative of each request: the same origin, destination and departure time
// planned on the timetable with the journey planner (engine/raptor), walking to and from stops
// exactly as `nebuta plan` does for two coordinates (raptor::tight_journeys from place::at_coord
// to place::at_coord). Plain values; the caller loads the timetable and builds the index.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "nebuta/core/time.h"
#include "nebuta/raptor/query.h"

namespace nebuta::raptor {
class index;
class router;
struct journey;
}  // namespace nebuta::raptor

namespace nebuta::sim {

struct transit_settings {
  date_t first_date{};               // the simulated day 1; day d plans on first_date + d - 1
  raptor::options planner;           // as `nebuta plan` with its defaults
  seconds_t max_duration_s{10'800};  // longer door-to-door times do not count as an option
};

// The journey `nebuta plan` lists first among those arriving earliest (fewest rides, then the
// latest departure, on ties). duration_s = arrival - the requested time (door to door,
// including the wait at home).
struct transit_alternative {
  bool found{false};      // any journey (possibly on a later day)
  bool same_day{false};   // found, and every ride runs on the request's service day
  bool reachable{false};  // same_day and duration_s <= max_duration_s
  seconds_t arrival{0};   // seconds after midnight of the first simulated day
  seconds_t duration_s{0};
  unsigned rides{0};
  double walk_m{0.0};  // access, egress, walking links and direct walk
};

// Plans one request on `router` (whose scratch is reused); `scratch` holds the journeys.
transit_alternative plan_transit(raptor::router& router, latlon from, latlon to, seconds_t depart,
                                 transit_settings const& s, std::vector<raptor::journey>& scratch);

}  // namespace nebuta::sim
