#include "nebuta/core/geo.h"

#include <algorithm>
#include <cmath>

namespace nebuta {

double haversine_m(latlon a, latlon b) {
  constexpr double to_rad = geo::radians_per_degree;
  auto const dlat = (b.lat - a.lat) * to_rad;
  auto const dlon = (b.lon - a.lon) * to_rad;
  auto const s1 = std::sin(dlat / 2.0);
  auto const s2 = std::sin(dlon / 2.0);
  auto const h = s1 * s1 + std::cos(a.lat * to_rad) * std::cos(b.lat * to_rad) * s2 * s2;
  return 2.0 * geo::earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

namespace geo {

latlon offset_by_m(latlon from, double north_m, double east_m) {
  auto const dlat = north_m / earth_radius_m * 180.0 / std::numbers::pi;
  auto const dlon = east_m / (earth_radius_m * std::cos(from.lat * std::numbers::pi / 180.0)) * 180.0 / std::numbers::pi;
  return {from.lat + dlat, from.lon + dlon};
}

segment_projection nearest_on_segment(latlon p, latlon a, latlon b) {
  auto const kx = std::cos(p.lat * radians_per_degree) * metres_per_degree;
  auto const ax = (a.lon - p.lon) * kx, ay = (a.lat - p.lat) * metres_per_degree;
  auto const bx = (b.lon - p.lon) * kx, by = (b.lat - p.lat) * metres_per_degree;
  auto const dx = bx - ax, dy = by - ay;
  auto const len2 = dx * dx + dy * dy;
  auto const f = std::clamp(len2 > 0.0 ? -(ax * dx + ay * dy) / len2 : 0.0, 0.0, 1.0);
  auto const x = ax + f * dx, y = ay + f * dy;
  return {f, std::sqrt(x * x + y * y)};
}

std::vector<double> cumulative_m(std::span<latlon const> points) {
  std::vector<double> along(points.size(), 0.0);
  for (std::size_t i = 1; i < points.size(); ++i) along[i] = along[i - 1] + haversine_m(points[i - 1], points[i]);
  return along;
}

latlon point_at(std::span<latlon const> points, std::span<double const> along, double along_m) {
  if (points.empty()) return {};
  if (along_m <= 0.0 || points.size() == 1) return points.front();
  if (along_m >= along.back()) return points.back();
  auto const i = static_cast<std::size_t>(std::upper_bound(along.begin(), along.end(), along_m) - along.begin());
  auto const a = points[i - 1], b = points[i];
  auto const seg = along[i] - along[i - 1];
  auto const f = seg > 0.0 ? (along_m - along[i - 1]) / seg : 0.0;
  return {a.lat + f * (b.lat - a.lat), a.lon + f * (b.lon - a.lon)};
}

}  // namespace geo
}  // namespace nebuta
