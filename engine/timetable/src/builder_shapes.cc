// shapes.txt → staged shapes; after the RAPTOR routes, each (route, shape) a path: the shape
// stored once, and where the route's stops lie on it (shape_dist_traveled, else projected).
#include "builder_internal.h"

#include <algorithm>
#include <cmath>

#include "nebuta/timetable/shapes.h"

namespace nebuta::build::detail {

void compiler::load_shapes(feed_state& fs) {
  auto const& f = fs.f;
  view_map<std::vector<shape_point const*>> rows;
  for (auto const& p : f.shapes) {
    auto const c = p.coord;
    if (!std::isfinite(c.lat) || !std::isfinite(c.lon) || std::abs(c.lat) > 90.0 || std::abs(c.lon) > 180.0) {
      problem("shapes.txt", p.file_line, "bad_coordinate", "shape point outside the earth's coordinates; row skipped");
      continue;
    }
    rows[p.shape_id].push_back(&p);
  }
  // In file order of the shapes' first rows, so that equal feeds give equal timetables.
  std::vector<std::pair<std::uint32_t, std::string_view>> order;
  for (auto const& [id, pts] : rows) order.emplace_back(pts.front()->file_line, id);
  std::sort(order.begin(), order.end());
  for (auto const& [first_line, id] : order) {
    auto& pts = rows[id];
    std::stable_sort(pts.begin(), pts.end(), [](auto const* a, auto const* b) { return a->sequence < b->sequence; });
    staged_shape s;
    auto dist_ok = true;
    std::optional<std::uint32_t> last_sequence;
    for (auto const* p : pts) {
      if (last_sequence && *last_sequence == p->sequence) {
        problem("shapes.txt", p->file_line, "duplicate_shape_sequence",
                "duplicate shape_pt_sequence " + std::to_string(p->sequence) + " in shape '" + std::string{id} +
                    "'; row skipped");
        continue;
      }
      last_sequence = p->sequence;
      if (!p->dist || (!s.dist.empty() && *p->dist < s.dist.back())) dist_ok = false;
      if (dist_ok) s.dist.push_back(*p->dist);
      s.points.push_back(nebuta::shape_point::of(p->coord).coord());
    }
    if (!dist_ok) s.dist.clear();
    if (s.points.size() < 2) {
      problem("shapes.txt", first_line, "short_shape",
              "shape '" + std::string{id} + "' has fewer than two points; its trips are drawn stop to stop");
      fs.shapes.emplace(id, no_shape);
      continue;
    }
    s.along = geo::cumulative_m(s.points);
    fs.shapes.emplace(id, static_cast<std::uint32_t>(shapes_.size()));
    shapes_.push_back(std::move(s));
  }
}

path_idx compiler::add_path(std::uint32_t shape, std::span<stop_idx const> stops,
                            std::span<std::optional<double> const> shape_dist) {
  auto& s = shapes_[shape];
  if (!s.stored.valid()) {
    std::vector<nebuta::shape_point> pts;
    pts.reserve(s.points.size());
    for (auto const c : s.points) pts.push_back(nebuta::shape_point::of(c));
    s.stored = shape_idx{static_cast<std::uint32_t>(tt_.shape_points.size())};
    tt_.shape_points.emplace_back(pts);
  }
  // shape_dist_traveled → metres along, linear between the shape's points.
  std::vector<std::optional<double>> known(stops.size());
  if (!s.dist.empty()) {
    for (std::size_t i = 0; i < stops.size() && i < shape_dist.size(); ++i) {
      if (!shape_dist[i]) continue;
      auto const d = *shape_dist[i];
      if (!(d >= s.dist.front() && d <= s.dist.back())) continue;
      auto const k = static_cast<std::size_t>(std::lower_bound(s.dist.begin(), s.dist.end(), d) - s.dist.begin());
      if (k == 0 || s.dist[k] == s.dist[k - 1]) {
        known[i] = s.along[k];
      } else {
        auto const f = (d - s.dist[k - 1]) / (s.dist[k] - s.dist[k - 1]);
        known[i] = s.along[k - 1] + f * (s.along[k] - s.along[k - 1]);
      }
    }
  }
  std::vector<std::optional<latlon>> coords(stops.size());
  for (std::size_t i = 0; i < stops.size(); ++i) {
    if (tt_.stop_has_coords[stops[i]] != 0U) coords[i] = tt_.stop_coords[stops[i]];
  }
  auto const at = place_stops_on_polyline(s.points, s.along, coords, known);
  std::vector<float> stored(at.begin(), at.end());
  tt_.path_stop_along.emplace_back(stored);
  return tt_.path_shape.push_back(s.stored);
}

}  // namespace nebuta::build::detail
