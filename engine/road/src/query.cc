#include "nebuta/road/query.h"

#include <algorithm>
#include <cassert>

namespace nebuta::road {

road_query::road_query(road_graph const& g)
    : g_{&g},
      stamp_(g.n_nodes(), 0),
      target_stamp_(g.n_nodes(), 0),
      dist_(g.n_nodes(), node_cost::unreachable_ds),
      metres_(g.n_nodes(), 0.0F) {}

void road_query::next_round() {
  if (now_ == std::numeric_limits<std::uint32_t>::max()) {  // wrap: clear once every 2^32 queries
    std::fill(stamp_.begin(), stamp_.end(), 0);
    std::fill(target_stamp_.begin(), target_stamp_.end(), 0);
    now_ = 0;
  }
  ++now_;
  heap_.clear();
  n_settled_ = 0;
}

void road_query::one_to_many(road_node_idx source, std::span<road_node_idx const> targets, std::span<node_cost> out,
                             std::uint32_t max_ds) {
  assert(out.size() == targets.size());
  next_round();
  auto const n = static_cast<std::uint32_t>(g_->n_nodes());
  for (auto& o : out) o = node_cost{};
  if (source.v() >= n) return;

  std::size_t remaining = 0;
  for (auto const t : targets) {
    if (t.v() < n && target_stamp_[t.v()] != now_) {
      target_stamp_[t.v()] = now_;
      ++remaining;
    }
  }
  if (remaining == 0) return;

  auto const& g = g_->csr();
  auto const later = [](heap_item const& a, heap_item const& b) {
    return a.time_ds != b.time_ds ? a.time_ds > b.time_ds : a.metres > b.metres;
  };
  stamp_[source.v()] = now_;
  dist_[source.v()] = 0;
  metres_[source.v()] = 0.0F;
  heap_.push_back({0, 0.0F, source.v()});
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    auto const [d, m, v] = heap_.back();
    heap_.pop_back();
    if (d != dist_[v] || m != metres_[v]) continue;  // stale entry: v was settled with a lower cost
    if (d > max_ds) break;
    ++n_settled_;
    if (target_stamp_[v] == now_) {
      target_stamp_[v] = now_ - 1;
      if (--remaining == 0) break;
    }
    for (auto [it, end] = out_edges(v, g); it != end; ++it) {
      auto const& e = g[*it];
      auto const w = static_cast<std::uint32_t>(target(*it, g));
      auto const nd = d + e.time_ds;  // no overflow: edge times are < 2^31 and d <= max_ds < 2^32-1
      if (nd < d) continue;
      auto const nm = m + e.metres;
      if (stamp_[w] != now_ || nd < dist_[w] || (nd == dist_[w] && nm < metres_[w])) {
        stamp_[w] = now_;
        dist_[w] = nd;
        metres_[w] = nm;
        heap_.push_back({nd, nm, w});
        std::push_heap(heap_.begin(), heap_.end(), later);
      }
    }
  }

  for (std::size_t j = 0; j < targets.size(); ++j) {
    auto const t = targets[j].v();
    // A target is answered only when settled: settled targets had their mark moved to now_ - 1.
    if (t < n && stamp_[t] == now_ && target_stamp_[t] == now_ - 1 && dist_[t] <= max_ds) {
      out[j] = {dist_[t], metres_[t]};
    }
  }
}

}  // namespace nebuta::road
