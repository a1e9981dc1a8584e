// When a flex ride may be booked, from its booking rule (GTFS booking_rules.txt): the earliest
// and latest instants of the booking window for one ride. All instants are on the feed's local
// clock (a date and a time of day, no zone): the rule counts days and times of day locally.
#pragma once

#include <cstdint>
#include <optional>

#include "nebuta/core/time.h"
#include "nebuta/flex/model.h"

namespace nebuta::flex {

// Seconds since 1970-01-01 00:00 on the feed's local clock.
using local_seconds = std::int64_t;
local_seconds local_instant(date_t day, seconds_t time_of_day);

struct booking_window {
  std::optional<local_seconds> earliest, latest;  // none: unbounded on that side
  bool allows(local_seconds booked_at) const {
    return (!earliest || booked_at >= *earliest) && (!latest || booked_at <= *latest);
  }
};

// The window for a ride starting at `travel_time` of service day `day`:
// - real_time: up to the ride itself;
// - same_day: up to prior_notice_duration_min minutes before it, from prior_notice_duration_max
//   minutes before it or from prior_notice_start_time of prior_notice_start_day days before;
// - prior_days: up to prior_notice_last_time of prior_notice_last_day days before, from
//   prior_notice_start_time of prior_notice_start_day days before. Days are calendar days, or
//   the service days of prior_notice_service_id when the rule names one.
// nullopt when the rule cannot be evaluated (prior_days without a last day or time, or no such
// earlier service day within 1,000 days).
std::optional<booking_window> booking_window_for(model const& m, booking_rule const& r, date_t day,
                                                 seconds_t travel_time);

}  // namespace nebuta::flex
