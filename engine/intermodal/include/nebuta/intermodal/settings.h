// The settings of intermodal search for one on-demand service (the "intermodal" object of the
// service's rules JSON, api/drt_config; docs/maas.md): which stops an on-demand leg may serve,
// how long such a leg is assumed to take, and when an on-demand journey is worth showing.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "nebuta/core/time.h"

namespace nebuta::intermodal {

// When an on-demand journey is shown beside the transit-only ones (mixer.h). Each test names a
// reason; a journey is shown for the first that holds.
struct mixer_rules {
  // only_way: shown when no transit-only journey exists.
  bool show_only_way{true};
  // earlier: arrives (arrive-by: departs) at least this much earlier (later) than the best
  // transit-only journey.
  seconds_t min_time_saving_s{600};
  // fewer_legs: at least this many rides fewer than every transit-only journey that arrives no
  // more than legs_slack_s earlier (0 turns the test off).
  unsigned min_rides_saved{1};
  seconds_t legs_slack_s{300};
  // less_walk: every transit-only journey that arrives no more than walk_slack_s earlier walks at
  // least long_walk_m, and this one walks less than half of the least of theirs (0 turns it off).
  double long_walk_m{1000.0};
  seconds_t walk_slack_s{300};
};

struct settings {
  bool enabled{true};                // false: /v1/plan never offers this service
  unsigned max_stops_per_side{6};    // candidate stops for a first or last mile
  double search_radius_m{20'000.0};  // straight-line pre-filter of candidate stops
  seconds_t max_road_s{2'700};       // a candidate farther by road is not used
  seconds_t expected_wait_s{600};    // assumed wait for the vehicle, added to the road time
  seconds_t transfer_buffer_s{300};  // between the vehicle and the train (both ways), by default
  // Per stop: a stop id, or a station's id for all its platforms, as the API names them ("feed:id"
  // with several feeds) → its buffer (a stop's own entry wins over its station's).
  std::map<std::string, seconds_t, std::less<>> stop_buffers_s;
  // Transfer hubs: stops of a station (location_type 1 parent) or served by this many routes;
  // other stops inside the service area serve only when they are a meeting point.
  unsigned hub_min_routes{3};
  bool door_to_door{true};              // a direct on-demand ride is a candidate too
  seconds_t max_door_to_door_s{3'600};  // road time of a direct ride at most
  unsigned max_offers{3};               // on-demand variants for which the dispatcher is asked
  mixer_rules mixer{};
};

}  // namespace nebuta::intermodal
