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

// Trip t can be boarded (backward: left) where it starts (ends), at stop `at`: a rider there may
// take it by changing rather than staying seated (blocks.cc, seated.cc).
template <bool Fwd>
bool starts_boardable(timetable const& tt, trip_idx t, stop_idx at) {
  auto const r = tt.trip_route[t];
  auto const n = static_cast<std::uint32_t>(tt.route_stops[r].size());
  auto const pos = Fwd ? 0U : n - 1U;
  return tt.route_stops[r][pos] == at && (Fwd ? tt.can_board(r, pos) : tt.can_alight(r, pos));
}

}  // namespace nebuta::raptor::detail
