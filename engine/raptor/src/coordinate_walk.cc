#include "nebuta/raptor/coordinate_walk.h"

#include <limits>

namespace nebuta::raptor {

double coordinate_walk_m(index const& idx, latlon c, double usual_m) {
  auto any_near = false;
  idx.stops_near(c, usual_m, [&](stop_idx, double) { any_near = true; });
  if (any_near || usual_m >= far_walk_cap_m) return usual_m;
  // Only now the wide band: in a city it holds thousands of stops.
  auto nearest = std::numeric_limits<double>::infinity();
  idx.stops_near(c, far_walk_cap_m, [&](stop_idx, double d) { nearest = std::min(nearest, d); });
  return nearest == std::numeric_limits<double>::infinity() ? usual_m : walk_beyond_nearest_m(nearest, usual_m);
}

options with_coordinate_walks(options opt, index const& idx, latlon from, latlon to) {
  auto const usual = opt.max_walk_m;
  opt.max_walk_m = std::max({usual, coordinate_walk_m(idx, from, usual), coordinate_walk_m(idx, to, usual)});
  return opt;
}

}  // namespace nebuta::raptor
