#include "nebuta/timetable/shapes.h"

#include <algorithm>
#include <limits>

namespace nebuta {

std::vector<latlon> shape_polyline(timetable const& tt, shape_idx s) {
  std::vector<latlon> out;
  auto const pts = tt.shape_points[s];
  out.reserve(pts.size());
  for (auto const p : pts) out.push_back(p.coord());
  return out;
}

std::vector<latlon> ride_geometry(timetable const& tt, trip_idx t, std::uint32_t from, std::uint32_t to) {
  auto const path = tt.path_of(t);
  if (!path.valid() || from >= to) return {};
  auto const at = tt.path_stop_along[path];
  if (to >= at.size()) return {};
  auto const pts = shape_polyline(tt, tt.path_shape[path]);
  auto const along = geo::cumulative_m(pts);
  double const s0 = at[from], s1 = at[to];
  // Vertices within a centimetre of an end are that end (positions are float, metres).
  constexpr double same_place_m = 0.01;
  std::vector<latlon> out{geo::point_at(pts, along, s0)};
  for (std::size_t i = 0; i < pts.size() && along[i] < s1 - same_place_m; ++i) {
    if (along[i] > s0 + same_place_m) out.push_back(pts[i]);
  }
  out.push_back(geo::point_at(pts, along, s1));
  return out;
}

std::vector<double> place_stops_on_polyline(std::span<latlon const> points, std::span<double const> along,
                                            std::span<std::optional<latlon> const> stops,
                                            std::span<std::optional<double> const> known) {
  auto const n = stops.size();
  std::vector<double> out(n, 0.0);
  if (points.size() < 2) return out;
  auto const length = along.back();
  // The feed's positions that can be trusted: on the shape, near the stop, in order.
  std::vector<std::optional<double>> fixed(n);
  double last_fixed = 0.0;
  std::size_t given = 0, trusted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= known.size() || !known[i] || !stops[i]) continue;
    ++given;
    auto const s = *known[i];
    if (!(s >= last_fixed && s <= length)) continue;
    if (haversine_m(*stops[i], geo::point_at(points, along, s)) > known_stop_offset_m) continue;
    fixed[i] = last_fixed = s;
    ++trusted;
  }
  // Mostly wrong (shifted, other units): the few that look right are right by chance.
  if (2 * trusted < given) std::fill(fixed.begin(), fixed.end(), std::nullopt);
  // The nearest place of p on the polyline within [lo, hi]: the first stretch nearly as close
  // as the nearest one.
  auto const project = [&](latlon p, double lo, double hi) {
    std::vector<std::pair<double, double>> cand;  // (along, distance)
    auto best = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k + 1 < points.size(); ++k) {
      if (along[k + 1] < lo || along[k] > hi) continue;
      auto const [f, d] = geo::nearest_on_segment(p, points[k], points[k + 1]);
      auto s = along[k] + f * (along[k + 1] - along[k]);
      auto dist = d;
      if (s < lo || s > hi) {
        s = std::clamp(s, lo, hi);
        dist = haversine_m(p, geo::point_at(points, along, s));
      }
      cand.emplace_back(s, dist);
      best = std::min(best, dist);
    }
    constexpr double nearly_as_close_m = 25.0;
    for (std::size_t c = 0; c < cand.size(); ++c) {
      if (cand[c].second > best + nearly_as_close_m) continue;
      // On to the nearest place of this pass: the stretches before a stop on a straight street
      // come nearly as close (their ends).
      while (c + 1 < cand.size() && cand[c + 1].second < cand[c].second) ++c;
      return cand[c].first;
    }
    return lo;
  };
  double lo = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!stops[i]) {
      out[i] = lo;
      continue;
    }
    double hi = length;
    if (fixed[i]) {
      // The feed's distance says which pass; the projection near it says where exactly (its
      // distances are often some tens of metres off).
      lo = std::max(lo, std::min(length, *fixed[i] - known_stop_window_m));
      hi = std::max(lo, std::min(length, *fixed[i] + known_stop_window_m));
    } else {
      for (auto k = i + 1; k < n; ++k) {
        if (fixed[k]) {
          hi = std::max(lo, std::min(length, *fixed[k] + known_stop_window_m));
          break;
        }
      }
    }
    out[i] = lo = std::max(lo, project(*stops[i], lo, hi));
  }
  return out;
}

}  // namespace nebuta
