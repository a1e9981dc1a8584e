// Small helpers shared by the service's source files (service.cc, format.cc, stop_search.cc,
// places.cc, plan.cc, schedule.cc); not part of the API.
#pragma once

#include <algorithm>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nebuta/api_service/service.h"
#include "nebuta/core/geo.h"

namespace nebuta::api_service::detail {

constexpr seconds_t day_s = seconds_per_day;

inline std::string fmt_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

inline bool is_station(timetable const& tt, stop_idx s) { return tt.stop_location_type[s] == 1; }

inline std::string str(std::string_view v) { return std::string{v}; }

// The stops within radius_m of c, nearest first, with their distances; by_lat is every stop by
// latitude (service::stops_by_lat_), so only a band of it is read.
inline std::vector<std::pair<double, stop_idx>> stops_within(timetable const& tt,
                                                             std::span<std::pair<double, stop_idx> const> by_lat,
                                                             latlon c, double radius_m) {
  std::vector<std::pair<double, stop_idx>> found;
  auto const dlat = radius_m / geo::metres_per_degree + 1e-7;
  auto it = std::lower_bound(by_lat.begin(), by_lat.end(), std::pair{c.lat - dlat, stop_idx{0U}});
  for (; it != by_lat.end() && it->first <= c.lat + dlat; ++it) {
    if (auto const d = haversine_m(c, tt.stop_coords[it->second]); d <= radius_m) found.emplace_back(d, it->second);
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace nebuta::api_service::detail
