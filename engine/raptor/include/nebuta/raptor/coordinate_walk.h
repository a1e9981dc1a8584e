// How far a journey may walk from or to a coordinate: one rule for the planner (api/service, a
// `lat,lon` end or a gazetteer place) and for the simulator's transit alternative (engine/sim),
// so that both answer a request the same way.
#pragma once

#include <algorithm>

#include "nebuta/core/geo.h"
#include "nebuta/raptor/index.h"
#include "nebuta/raptor/query.h"

namespace nebuta::raptor {

// A point far from every stop (a coast, a field) is walked to from its nearest stop, however far
// within reason: up to far_walk_cap_m, and far_walk_margin_m beyond the nearest stop so that the
// stops just past it (another line, the other side of the road) are candidates too.
inline constexpr double far_walk_cap_m = 2000.0;
inline constexpr double far_walk_margin_m = 300.0;

// The walk to the stops of a place whose nearest stop is nearest_m away: that and the margin,
// at least usual_m, at most the cap (or usual_m when that is longer).
inline double walk_beyond_nearest_m(double nearest_m, double usual_m) {
  return std::max(usual_m, std::min(nearest_m + far_walk_margin_m, far_walk_cap_m));
}

// The walk from or to coordinate c: usual_m (options::max_walk_m) when a stop with coordinates
// lies within it; else walk_beyond_nearest_m of the nearest stop within far_walk_cap_m; else
// usual_m (no stop is in reach, and the answer has no journey).
double coordinate_walk_m(index const& idx, latlon c, double usual_m);

// opt with max_walk_m widened for a query between two coordinates, as the planner widens it
// for its `lat,lon` ends (coordinate_walk_m of each, from opt's own max_walk_m).
options with_coordinate_walks(options opt, index const& idx, latlon from, latlon to);

}  // namespace nebuta::raptor
