#include "nebuta/intermodal/candidates.h"

#include <algorithm>
#include <cmath>

#include "nebuta/dispatch/dispatcher.h"  // inside_area: the dispatcher's own reading of the rings

namespace nebuta::intermodal {

namespace {

// Meeting points sorted by latitude, searched in the band of latitudes within `radius_m`.
bool near_any(std::span<latlon const> by_lat, latlon p, double radius_m) {
  auto const dlat = radius_m / 111'000.0;
  auto it = std::lower_bound(by_lat.begin(), by_lat.end(), p.lat - dlat,
                             [](latlon const& a, double lat) { return a.lat < lat; });
  for (; it != by_lat.end() && it->lat <= p.lat + dlat; ++it) {
    if (haversine_m(*it, p) <= radius_m) return true;
  }
  return false;
}

}  // namespace

stop_catalog::stop_catalog(timetable const& tt, road::travel_model const& model,
                           std::span<std::vector<latlon> const> area, std::span<latlon const> meeting_points,
                           settings const& s, double meeting_point_m)
    : area_{area.begin(), area.end()}, default_buffer_{s.transfer_buffer_s} {
  if (!s.stop_buffers_s.empty()) {
    for (std::uint32_t i = 0; i < tt.n_stops(); ++i) {
      stop_idx const st{i};
      auto it = s.stop_buffers_s.find(tt.external_stop_id(st));
      auto const parent = tt.stop_parent[st];
      if (it == s.stop_buffers_s.end() && parent.valid()) it = s.stop_buffers_s.find(tt.external_stop_id(parent));
      if (it != s.stop_buffers_s.end()) buffers_.emplace_back(st, it->second);
    }
  }
  std::vector<latlon> by_lat{meeting_points.begin(), meeting_points.end()};
  std::sort(by_lat.begin(), by_lat.end(), [](latlon const& a, latlon const& b) { return a.lat < b.lat; });
  for (std::uint32_t i = 0; i < tt.n_stops(); ++i) {
    stop_idx const st{i};
    if (tt.stop_has_coords[st] == 0U || tt.stop_routes[st].empty()) continue;
    auto const c = tt.stop_coords[st];
    if (!inside(c)) continue;
    auto const parent = tt.stop_parent[st];
    auto const hub = (parent.valid() && tt.stop_location_type[parent] == 1U) ||
                     tt.stop_routes[st].size() >= std::max(1U, s.hub_min_routes);
    if (!hub && !near_any(by_lat, c, meeting_point_m)) continue;
    auto const snapped = model.snap(c);
    if (!snapped.valid) continue;
    stops_.push_back(st);
    snapped_.push_back(snapped);
    coords_.push_back(c);
  }
}

bool stop_catalog::inside(latlon p) const { return area_.empty() || dispatch::inside_area(area_, p); }

seconds_t stop_catalog::buffer_at(stop_idx st) const {
  auto const it = std::lower_bound(buffers_.begin(), buffers_.end(), st,
                                   [](std::pair<stop_idx, seconds_t> const& b, stop_idx x) { return b.first < x; });
  return it != buffers_.end() && it->first == st ? it->second : default_buffer_;
}

void find_candidates(stop_catalog const& catalog, road::travel_model const& model, latlon place, side which,
                     settings const& s, candidate_scratch& scratch, std::vector<candidate>& out) {
  out.clear();
  if (s.max_stops_per_side == 0U || catalog.size() == 0U || !catalog.inside(place)) return;
  auto const here = model.snap(place);
  if (!here.valid) return;
  // Straight line first (cheap), then road times for a few times as many stops as are kept: a
  // river or a motorway makes the nearest stop by air a poor one by road.
  scratch.near.clear();
  auto const coords = catalog.coords();
  for (std::uint32_t i = 0; i < coords.size(); ++i) {
    auto const d = haversine_m(place, coords[i]);
    if (d <= s.search_radius_m) scratch.near.emplace_back(d, i);
  }
  auto const n_road = std::min<std::size_t>(scratch.near.size(), std::size_t{4} * s.max_stops_per_side);
  std::partial_sort(scratch.near.begin(), scratch.near.begin() + static_cast<std::ptrdiff_t>(n_road), scratch.near.end());
  scratch.near.resize(n_road);
  scratch.points.clear();
  for (auto const& [d, i] : scratch.near) scratch.points.push_back(catalog.snapped()[i]);
  scratch.costs.assign(n_road, std::nullopt);
  if (which == side::first_mile) {
    model.many_to_many(std::span{&here, 1}, scratch.points, scratch.costs);
  } else {
    model.many_to_many(scratch.points, std::span{&here, 1}, scratch.costs);
  }
  for (std::size_t k = 0; k < n_road; ++k) {
    auto const& c = scratch.costs[k];
    if (!c || c->seconds > s.max_road_s) continue;
    auto const st = catalog.stops()[scratch.near[k].second];
    out.push_back({st, c->seconds, static_cast<float>(c->metres), catalog.buffer_at(st)});
  }
  std::sort(out.begin(), out.end(), [](candidate const& a, candidate const& b) {
    return a.road_s != b.road_s ? a.road_s < b.road_s : a.stop < b.stop;
  });
  if (out.size() > s.max_stops_per_side) out.resize(s.max_stops_per_side);
}

}  // namespace nebuta::intermodal
