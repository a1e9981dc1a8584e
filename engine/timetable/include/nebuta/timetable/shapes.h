// Reading the timetable's shapes (timetable.h, "shapes"): a trip's polyline, the part of it one
// ride covers, and the rule that places a trip's stops on its shape (the builder's, shared with
// realtime so that both put a stop at the same place).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta {

// The points of shape s.
std::vector<latlon> shape_polyline(timetable const& tt, shape_idx s);

// The part of trip t's shape between its route stops `from` and `to` (from < to), beginning and
// ending at the places of those stops on the shape. Empty when the trip has no shape (the caller
// draws stop to stop).
std::vector<latlon> ride_geometry(timetable const& tt, trip_idx t, std::uint32_t from, std::uint32_t to);

// The positions (metres along, non-decreasing) of a trip's stops on a polyline with cumulative
// distances `along` (geo::cumulative_m). known[i]: the position given by shape_dist_traveled,
// used when it lies within known_stop_offset_m of the stop and after the previous stop's
// position (else the feed's distances are wrong: Tampa's are 170 m off on some shapes), and
// when at least half of the trip's distances are; the stop is then projected within
// known_stop_window_m of it (feeds' distances are often some tens of metres off). Other stops
// are projected in order between their neighbours' positions: onto the nearest place of the
// first pass that comes nearly as close as the nearest one (within 25 m of it), so that a route
// passing a place twice takes the passes in order. A stop without coordinates takes its predecessor's position.
inline constexpr double known_stop_offset_m = 50.0;
inline constexpr double known_stop_window_m = 100.0;
std::vector<double> place_stops_on_polyline(std::span<latlon const> points, std::span<double const> along,
                                            std::span<std::optional<latlon> const> stops,
                                            std::span<std::optional<double> const> known);

}  // namespace nebuta
