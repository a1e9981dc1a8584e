// The engine's clock units: calendar dates and seconds of a service day.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

namespace nebuta {

using date_t = std::chrono::sys_days;  // a calendar date

// Seconds relative to midnight of a service day (local time of the feed). May be negative (a trip
// of the previous day seen from today) or above 86,400 (past midnight).
using seconds_t = std::int32_t;
inline constexpr seconds_t seconds_per_day = 86'400;
inline constexpr seconds_t unreachable_time = std::numeric_limits<seconds_t>::max();

}  // namespace nebuta
