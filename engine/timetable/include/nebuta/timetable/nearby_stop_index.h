// The stops within some metres of a point: the stops with coordinates sorted by latitude, and a
// scan of the band of latitudes the radius can reach, each candidate measured with haversine_m.
// The planner's index (raptor::index), the realtime context (rt::context) and, through the
// planner's index, the API service all look stops up with it.
//
// Built once from a timetable, then only read; it refers to the timetable's coordinates, so the
// timetable must outlive it. for_each_near neither allocates nor writes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "nebuta/core/geo.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta {

class nearby_stop_index {
 public:
  // Every stop with coordinates (stop_has_coords), whatever its location_type.
  explicit nearby_stop_index(timetable const& tt);

  // Calls f(stop, distance_m) for every stop within radius_m of c (haversine_m(c, stop) <=
  // radius_m), in order of (latitude, stop).
  template <typename F>
  void for_each_near(latlon c, double radius_m, F&& f) const {
    // A point d metres away is at most d / metres_per_degree degrees of latitude away on the
    // sphere haversine_m measures on; the margin (~1 cm) keeps the band conservative against
    // rounding in either computation.
    auto const dlat = radius_m / geo::metres_per_degree + 1e-7;
    auto it = std::lower_bound(by_lat_.begin(), by_lat_.end(), std::pair{c.lat - dlat, stop_idx{0U}});
    for (; it != by_lat_.end() && it->first <= c.lat + dlat; ++it) {
      auto const d = haversine_m(c, tt_.stop_coords[it->second]);
      if (d <= radius_m) f(it->second, d);
    }
  }

  std::size_t size() const { return by_lat_.size(); }
  // Bytes held (not counting the timetable).
  std::size_t memory_bytes() const { return by_lat_.capacity() * sizeof(by_lat_[0]); }

 private:
  timetable const& tt_;
  std::vector<std::pair<double, stop_idx>> by_lat_;  // (latitude, stop), sorted
};

}  // namespace nebuta
