// Plain value types of the demand-responsive dispatcher: fleet, requests, rules and the answers
// the dispatcher gives. No I/O, no strings on the hot path.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "nebuta/core/geo.h"         // latlon
#include "nebuta/core/strong_idx.h"  // strong_idx, vecmap
#include "nebuta/core/time.h"        // seconds_t

namespace nebuta::dispatch {

using vehicle_idx = strong_idx<struct vehicle_tag>;
using request_idx = strong_idx<struct request_tag>;
using journey_idx = strong_idx<struct journey_tag>;

// A moment: seconds since the Unix epoch, UTC. The on-demand service converts at its edges through
// engine/core's time zones; the simulator counts from an epoch of its own (midnight of its first
// simulated day). Durations (rules, travel times, slack) stay seconds_t.
using instant = std::int64_t;
inline constexpr instant no_time = std::numeric_limits<instant>::max() / 4;  // "never"

// Rules of one service. Times in seconds, distances in metres.
struct rules {
  // Service area as rings (GeoJSON order: [lon, lat] is converted by the API into latlon). A point
  // is inside when it lies inside an odd number of rings (even-odd rule), which covers an outer
  // ring with holes and several disjoint polygons. Empty: no area restriction.
  std::vector<std::vector<latlon>> service_area;

  // Meeting points: when not empty, pickup and drop-off are moved to the nearest meeting point
  // within max_walk_m (haversine), or the request is rejected.
  std::vector<latlon> meeting_points;
  double max_walk_m{400.0};

  seconds_t max_wait{900};  // W: pickup no later than earliest pickup + W
  double ride_alpha{1.5};   // max ride time = alpha * direct + beta
  seconds_t ride_beta{600};
  seconds_t dwell{30};                      // per boarding or alighting stop
  seconds_t offer_ttl{60};                  // an offer expires this long after it was made
  seconds_t no_show_wait{180};              // wait at the pickup (after arrival and window start)
  seconds_t promise_slack{900};             // promised window end = min(earliest + W, eta + slack)
  seconds_t max_booking_ahead{2 * 86'400};  // pre-booking horizon
  std::uint16_t max_passengers{8};          // per request
  double passenger_weight{1.0};             // cost = added vehicle time + weight * added passenger time
};

// The earliest pickup from which this service's own promise for a ride of `direct_s` seconds
// (pickup within max_wait, a dwell, then at most ride_alpha * direct + ride_beta on board) ends
// by `limit`: what a first mile feeding a train asks for, so that the promise it gets, not only
// the vehicle's plan, is in time for the connection (docs/maas.md, "Offers").
inline instant pickup_to_end_by(rules const& r, double direct_s, instant limit) {
  auto const longest = static_cast<instant>(std::floor(r.ride_alpha * direct_s)) + r.ride_beta;
  return limit - r.max_wait - r.dwell - longest;
}

struct vehicle_spec {
  std::string name;  // the operator's id, only echoed back
  std::uint16_t seats{4};
  std::uint16_t wheelchairs{0};  // wheelchair spaces
  latlon depot{};
  instant shift_start{0};
  instant shift_end{seconds_per_day};
};

// A ride request. `passengers` counts everybody; `wheelchair_users` of them need a wheelchair
// space, the others a seat.
struct request_spec {
  latlon pickup{};
  latlon dropoff{};
  std::uint16_t passengers{1};
  std::uint16_t wheelchair_users{0};
  instant earliest_pickup{0};  // <= now: immediate (treated as now)
  // A hard limit on the drop-off (an on-demand leg that feeds a train: its departure less the
  // transfer buffer); no_time: none. The MaaS planner checks every offer's promised drop-off
  // against it; the dispatcher's insertion and re-planning honour it as a promise (issue 16).
  instant latest_dropoff{no_time};
};

enum class reject_reason : std::uint8_t {
  none,
  invalid_request,        // no passengers, more wheelchair users than passengers, same place, NaN
  too_many_passengers,    // above the rule's limit or no vehicle of the fleet could carry them
  too_far_ahead,          // earliest pickup beyond the pre-booking horizon
  outside_area,           // pickup or drop-off outside the service area
  no_meeting_point,       // no meeting point within walking distance
  unreachable,            // the travel model cannot reach a point
  no_vehicle_in_service,  // no vehicle's shift covers the pickup window
  no_feasible_insertion   // vehicles exist but none can take the ride without breaking a promise
};

enum class request_status : std::uint8_t {
  rejected,
  offered,   // offer given, not (yet) accepted; may have expired
  assigned,  // accepted, waiting for pickup
  on_board,
  completed,
  cancelled,
  no_show
};

enum class cancelled_by : std::uint8_t { rider, operator_ };

enum class stop_kind : std::uint8_t { pickup, dropoff };

enum class stop_event_kind : std::uint8_t { arrived, picked_up, dropped_off, no_show };

// What the rider is told.
struct offer {
  request_idx request;
  vehicle_idx vehicle;
  latlon pickup{};  // after meeting-point snapping
  latlon dropoff{};
  instant pickup_eta{0};
  instant window_start{0};  // promised pickup window
  instant window_end{0};
  instant dropoff_eta{0};
  instant latest_dropoff{0};  // promised
  instant expires{0};
  double cost{0.0};
};

struct offer_result {
  request_idx request;  // every offer command gets an index, also when rejected
  reject_reason reason{reject_reason::none};
  offer o{};  // valid when reason == none
  bool ok() const { return reason == reject_reason::none; }
};

enum class command_status : std::uint8_t {
  ok,
  unknown_vehicle,
  unknown_request,
  wrong_state,         // e.g. accepting a cancelled request, cancelling a finished ride
  expired,             // accept after the offer's expiry
  no_longer_feasible,  // accept: the fleet changed and the promise cannot be kept any more
  wrong_vehicle,       // stop event for a request that another vehicle serves
  too_early,           // no-show before the waiting time is over
  invalid_position,    // position update the travel model cannot snap
  // move: the moved connection cannot be kept without breaking another promise; the booking keeps
  // its old plan and promise and is marked `connection_lost` (the rider is told)
  connection_not_kept,
  unknown_journey
};

struct accept_result {
  command_status status{command_status::ok};
  vehicle_idx vehicle;  // may differ from the offer's vehicle when that one cannot keep it
  bool ok() const { return status == command_status::ok; }
};

// How an on-demand leg of a journey hangs on a transit ride (issue 16). The connection is a
// promise: a leg before a departure is dropped off by `scheduled - buffer`, a leg after an arrival
// is picked up from `scheduled + buffer` on. Trip and stop are the planner's ids, only kept.
struct connection {
  enum class kind : std::uint8_t { none, before_departure, after_arrival };
  kind k{kind::none};
  std::string trip_id, stop_id;
  instant scheduled{0};
  seconds_t buffer{300};
  bool operator==(connection const&) const = default;
};

struct journey_leg {
  request_idx request;
  connection link;
  bool operator==(journey_leg const&) const = default;
};

// A booked journey: legs accepted together by one command; cancelled together.
struct journey_state {
  std::vector<journey_leg> legs;
  instant booked_at{0};
  bool cancelled{false};
  instant cancelled_at{no_time};
};

struct journey_result {
  command_status status{command_status::ok};
  journey_idx journey;          // valid when ok
  std::uint32_t failed_leg{0};  // otherwise: the leg that could not be accepted
  bool ok() const { return status == command_status::ok; }
};

char const* to_string(reject_reason);
char const* to_string(request_status);
char const* to_string(command_status);

}  // namespace nebuta::dispatch
