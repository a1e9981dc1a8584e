// Small helpers shared by the router's source files (not part of the public interface).
#pragma once

#include <cmath>
#include <cstdint>

#include "nebuta/timetable/timetable.h"

namespace nebuta::raptor::detail {

inline constexpr seconds_t inf = unreachable_time;

inline seconds_t sat_add(seconds_t a, std::int64_t d) { return a == inf ? inf : static_cast<seconds_t>(a + d); }

// A walk of distance_m lasts ceil(distance / speed) seconds.
inline std::uint32_t walk_seconds(double distance_m, double speed) {
  return static_cast<std::uint32_t>(std::ceil(distance_m / speed));
}

inline constexpr auto no_pickup = static_cast<std::uint8_t>(route_stop_flags::no_pickup);
inline constexpr auto no_dropoff = static_cast<std::uint8_t>(route_stop_flags::no_dropoff);

}  // namespace nebuta::raptor::detail
