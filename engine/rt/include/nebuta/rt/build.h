// Building an immutable realtime state from trip updates and alerts.
//
// Propagation (GTFS-RT trip updates, https://gtfs.org/realtime/reference/#message-tripupdate):
// - A stop_time_update's time takes precedence over its delay. Its delay holds for every later
//   stop until the next stop_time_update; SKIPPED does not end it, SCHEDULED and NO_DATA do.
//   NO_DATA means the schedule from there on (until the next update with times). Before the
//   first stop_time_update, TripUpdate.delay holds when given, else the schedule.
// - An update with only a departure keeps the arrival propagated from upstream (the schedule
//   when none), moved back to the departure if it came after it; an update with only an arrival
//   departs with the arrival's delay, but not before the scheduled departure when early.
// - A propagated delay never makes a vehicle leave before its scheduled departure: with an
//   early (negative) delay the next stops are reached early, left on time, and the delay is 0
//   from there on. Only an explicit departure time may be earlier than the schedule.
// - Times never go backwards along a trip: times not given by an update are first lowered to the
//   next later time (an explicit time downstream shows the vehicle is earlier), then every time
//   is raised to the previous one (only conflicting explicit times change here; counted).
// - The service day is start_date, or else the day whose scheduled run of the trip is nearest
//   to the update's first absolute time (else its timestamp, else the feed's, else `now`).
//
// When several updates name one trip-day, explicit TripUpdates win over VehiclePosition
// estimates, then the newest timestamp, then the earlier source.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "nebuta/rt/context.h"
#include "nebuta/rt/state.h"
#include "nebuta/rt/updates.h"

namespace nebuta::rt {

struct build_options {
  // NO_SERVICE alerts close the stop times they cover on the service days from `now`'s local
  // date minus one to plus no_service_days_ahead (routing around them); beyond, alerts are
  // attached for display only.
  unsigned no_service_days_ahead{2};
  // A realtime time further than this from the schedule is not believed (bad_time).
  seconds_t max_deviation_s{6 * 3600};
};

struct build_input {
  struct update_ref {
    trip_update const* update{nullptr};
    std::uint16_t source{0};
    std::optional<unix_time> feed_time;  // the header timestamp of the message it came in
  };
  std::vector<update_ref> trip_updates;
  std::vector<alert const*> alerts;
  std::optional<unix_time> feed_time;  // newest header timestamp of all sources
  unix_time now{0};                    // reference instant when an update carries no time at all
};

std::shared_ptr<state const> build_state(context const& ctx, build_input const& in, build_options const& opt = {});

}  // namespace nebuta::rt
