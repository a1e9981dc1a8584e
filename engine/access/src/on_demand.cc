#include "nebuta/access/on_demand.h"

#include <optional>

#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::access {

bool on_demand_service::inside(latlon p) const { return area.empty() || dispatch::inside_area(area, p); }

on_demand_edges::on_demand_edges(raptor::index const& idx, on_demand_service svc, road::travel_model const& model)
    : idx_{idx}, svc_{std::move(svc)}, model_{model} {
  auto const& tt = idx.tt();
  for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] != 0U && svc_.inside(tt.stop_coords[s])) served_.push_back(s);
  }
}

void on_demand_edges::access(latlon origin, std::vector<raptor::access_edge>& out) const {
  out.clear();
  if (!svc_.inside(origin)) return;
  auto const from = model_.snap(origin);
  if (!from.valid) return;
  auto const& tt = idx_.tt();
  for (auto const s : served_) {
    if (haversine_m(origin, tt.stop_coords[s]) > svc_.max_ride_m) continue;
    auto const c = model_.cost(from, model_.snap(tt.stop_coords[s]));
    if (!c) continue;
    out.push_back({s, svc_.wait_s + c->seconds, static_cast<float>(c->metres), svc_.tag});
  }
}

std::vector<raptor::access_edge> on_demand_edges::egress(std::span<latlon const> points) const {
  std::vector<raptor::access_edge> out;
  auto const& tt = idx_.tt();
  for (auto const s : served_) {
    std::optional<raptor::access_edge> best;
    auto const from = model_.snap(tt.stop_coords[s]);
    if (!from.valid) continue;
    for (auto const& p : points) {
      if (!svc_.inside(p) || haversine_m(tt.stop_coords[s], p) > svc_.max_ride_m) continue;
      auto const c = model_.cost(from, model_.snap(p));
      if (!c) continue;
      auto const d = svc_.wait_s + c->seconds;
      if (!best || d < best->duration_s) best = raptor::access_edge{s, d, static_cast<float>(c->metres), svc_.tag};
    }
    if (best) out.push_back(*best);
  }
  return out;
}

seconds_t on_demand_edges::direct(latlon origin, std::span<latlon const> points) const {
  if (!svc_.inside(origin)) return -1;
  auto const from = model_.snap(origin);
  if (!from.valid) return -1;
  seconds_t best = -1;
  for (auto const& p : points) {
    if (!svc_.inside(p)) continue;
    auto const c = model_.cost(from, model_.snap(p));
    if (c && (best < 0 || svc_.wait_s + c->seconds < best)) best = svc_.wait_s + c->seconds;
  }
  return best;
}

}  // namespace nebuta::access
