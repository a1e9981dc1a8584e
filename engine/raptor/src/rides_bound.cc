#include "nebuta/raptor/rides_bound.h"

#include <algorithm>

#include "nebuta/raptor/index.h"

namespace nebuta::raptor {

void rides_bound::label(stop_idx s, std::uint8_t level) {
  if (rides_[s.v()] != unknown) return;
  rides_[s.v()] = level;
  next_.push_back(s);
}

void rides_bound::compute(index const& idx, bool to_seeds, std::span<stop_idx const> seeds, unsigned max_level) {
  auto const& tt = idx.tt();
  rides_.assign(tt.n_stops(), unknown);
  // reach_[r]: the ranks [0, reach_[r]) of route r are labelled, where ranks count the stops
  // one can ride from towards the seeds (to_seeds: the positions before; from_seeds: after).
  reach_.assign(tt.n_routes(), 0U);
  seated_done_.assign(tt.n_routes(), 0U);
  next_.clear();
  max_level = std::min(max_level, unsigned{unknown} - 1U);

  // Walking is free: whatever walks to (from) a labelled stop gets its level. Footpaths are
  // directed; walking links are symmetric.
  auto const close_on_foot = [&](std::size_t from, std::uint8_t level) {
    for (auto i = from; i < next_.size(); ++i) {
      auto const u = next_[i];
      if (to_seeds) {
        for (auto const& fp : idx.footpaths_into(u)) label(fp.target, level);
      } else {
        for (auto const& fp : tt.stop_footpaths[u]) label(fp.target, level);
      }
      for (auto const& l : tt.stop_walk_links[u]) label(l.target, level);
    }
  };

  for (auto const s : seeds) {
    if (s.v() < tt.n_stops()) label(s, 0U);
  }
  close_on_foot(0U, 0U);

  for (auto level = 0U; level < max_level && !next_.empty(); ++level) {
    frontier_.swap(next_);
    next_.clear();
    auto const up = static_cast<std::uint8_t>(level + 1U);
    for (auto const v : frontier_) {
      for (auto const [r, pos] : idx.occurrences(v)) {
        auto const stops = tt.route_stops[r];
        auto const n = static_cast<std::uint32_t>(stops.size());
        // One ride on r reaches v from every stop before it (to_seeds), or every stop after it.
        auto const rank = to_seeds ? pos : n - 1U - pos;
        for (auto i = reach_[r.v()]; i < rank; ++i) label(stops[to_seeds ? i : n - 1U - i], up);
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
        for (auto i = reach_[o.v()]; i < n; ++i) label(stops[to_seeds ? i : n - 1U - i], up);
        reach_[o.v()] = n;
        if (seated_done_[o.v()] == 0U && idx.route_seated(o, !to_seeds)) {
          seated_done_[o.v()] = 1U;
          seated_work_.push_back(o);
        }
      }
    }
    close_on_foot(0U, up);
  }
}

}  // namespace nebuta::raptor
