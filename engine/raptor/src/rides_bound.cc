#include "nebuta/raptor/rides_bound.h"

#include <algorithm>

#include "nebuta/raptor/index.h"

namespace nebuta::raptor {

void rides_bound::compute(index const& idx, bool to_seeds, std::span<stop_idx const> foot_seeds,
                          std::span<stop_idx const> ride_seeds, unsigned max_level, bool footpaths, double walk_radius_m) {
  auto const& tt = idx.tt();
  auto const n_stops = tt.n_stops();
  ride_.assign(n_stops, unknown);
  foot_.assign(n_stops, unknown);
  // reach_[r]: the ranks [0, reach_[r]) of route r have their foot value, where ranks count the
  // stops one rides from towards the target (to_seeds: the positions before; else after).
  reach_.assign(tt.n_routes(), 0U);
  seated_done_.assign(tt.n_routes(), 0U);
  ride_frontier_.clear();
  foot_new_.clear();
  max_level = std::min(max_level, unsigned{unknown} - 1U);

  auto const set_ride = [&](stop_idx s, std::uint8_t level) {
    if (s.v() >= n_stops || ride_[s.v()] != unknown) return;
    ride_[s.v()] = level;
    ride_frontier_.push_back(s);
  };
  auto const set_foot = [&](stop_idx s, std::uint8_t level) {
    if (s.v() >= n_stops || foot_[s.v()] != unknown) return;
    foot_[s.v()] = level;
    foot_new_.push_back(s);
  };
  // A label by vehicle may walk once before riding on: it needs what the stops it walks to
  // need on foot (footpaths are directed; walking links are symmetric).
  auto const walk_back = [&](std::uint8_t level) {
    for (auto const u : foot_new_) {
      set_ride(u, level);
      if (footpaths) {
        if (to_seeds) {
          for (auto const& fp : idx.footpaths_into(u)) set_ride(fp.target, level);
        } else {
          for (auto const& fp : tt.stop_footpaths[u]) set_ride(fp.target, level);
        }
      }
      if (walk_radius_m <= 0.0 || u.v() >= tt.stop_walk_links.size()) continue;
      for (auto const& l : tt.stop_walk_links[u]) {  // nearest first
        if (l.distance_m > walk_radius_m + 1.0) break;
        set_ride(l.target, level);
      }
    }
    foot_new_.clear();
  };

  for (auto const s : foot_seeds) set_foot(s, 0U);
  for (auto const s : ride_seeds) set_ride(s, 0U);
  walk_back(0U);  // by vehicle to a stop walking to the target: there

  std::vector<stop_idx> frontier;
  for (auto level = 0U; level < max_level && !ride_frontier_.empty(); ++level) {
    frontier.swap(ride_frontier_);
    ride_frontier_.clear();
    auto const up = static_cast<std::uint8_t>(level + 1U);
    for (auto const v : frontier) {
      for (auto const [r, pos] : idx.occurrences(v)) {
        auto const stops = tt.route_stops[r];
        auto const n = static_cast<std::uint32_t>(stops.size());
        // One ride on r reaches v from every stop before it (to_seeds), or every stop after it.
        auto const rank = to_seeds ? pos : n - 1U - pos;
        for (auto i = reach_[r.v()]; i < rank; ++i) set_foot(stops[to_seeds ? i : n - 1U - i], up);
        reach_[r.v()] = std::max(reach_[r.v()], rank);
        // Staying seated, the same ride reaches every stop of r from every stop of the routes
        // whose trips run on as r's (to_seeds), or of those r's trips run on as; and so on.
        if (seated_done_[r.v()] == 0U && idx.route_seated(r, !to_seeds)) {
          seated_done_[r.v()] = 1U;
          seated_work_.push_back(r);
        }
      }
    }
    while (!seated_work_.empty()) {
      auto const r = seated_work_.back();
      seated_work_.pop_back();
      for (auto const o : idx.seated_routes(r, !to_seeds)) {
        auto const stops = tt.route_stops[o];
        auto const n = static_cast<std::uint32_t>(stops.size());
        for (auto i = reach_[o.v()]; i < n; ++i) set_foot(stops[to_seeds ? i : n - 1U - i], up);
        reach_[o.v()] = n;
        if (seated_done_[o.v()] == 0U && idx.route_seated(o, !to_seeds)) {
          seated_done_[o.v()] = 1U;
          seated_work_.push_back(o);
        }
      }
    }
    walk_back(up);
  }
}

}  // namespace nebuta::raptor
