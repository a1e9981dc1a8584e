#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>

#include "ch_key.h"
#include "nebuta/road/ch.h"

namespace nebuta::road {

using namespace ch_detail;

namespace {


// Lanes of one sweep: beyond this a sweep's distances (n x lanes x 8 bytes) stop fitting the cache
// and a lane costs more than a separate sweep would.
constexpr std::size_t max_lanes = 4;

}  // namespace

ch_query::ch_query(contraction_hierarchy const& ch)
    : ch_{&ch},
      stamp_(ch.n_nodes(), 0),
      dist_(ch.n_nodes(), inf_key),
      meet_stamp_(ch.n_nodes(), 0),
      meet_dist_(ch.n_nodes(), inf_key),
      bucket_stamp_(ch.n_nodes(), 0),
      bucket_head_(ch.n_nodes(), 0) {}

void ch_query::next_round() {
  if (now_ == std::numeric_limits<std::uint32_t>::max()) {  // wrap: clear once every 2^32 searches
    std::fill(stamp_.begin(), stamp_.end(), 0);
    std::fill(meet_stamp_.begin(), meet_stamp_.end(), 0);
    now_ = 0;
  }
  ++now_;
  heap_.clear();
  space_.clear();
}

// Dijkstra from `root` (a rank) over the upward arcs: `up` from a source (Up), `down` backwards
// from a target (!Up). Stall-on-demand: a vertex reached more cheaply through a higher vertex's
// arc in the other direction is not on a shortest up-down path, so it neither relaxes its arcs
// nor enters space_.
template <bool Up>
void ch_query::upward_search(std::uint32_t root) {
  next_round();
  auto const& ch = *ch_;
  auto const& first_out = Up ? ch.up_first_out_ : ch.down_first_out_;
  auto const& head = Up ? ch.up_head_ : ch.down_head_;
  auto const& weight = Up ? ch.up_weight_ : ch.down_weight_;
  auto const& stall_first_out = Up ? ch.down_first_out_ : ch.up_first_out_;
  auto const& stall_head = Up ? ch.down_head_ : ch.up_head_;
  auto const& stall_weight = Up ? ch.down_weight_ : ch.up_weight_;
  auto const cmp = std::greater<>{};

  stamp_[root] = now_;
  dist_[root] = 0;
  heap_.emplace_back(0, root);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), cmp);
    auto const [d, v] = heap_.back();
    heap_.pop_back();
    if (d != dist_[v]) continue;
    ++n_settled_;
    bool stalled = false;
    for (auto a = stall_first_out[v]; a < stall_first_out[v + 1]; ++a) {
      auto const w = stall_head[a];
      if (stamp_[w] == now_ && dist_[w] + stall_weight[a] < d) {
        stalled = true;
        break;
      }
    }
    if (stalled) continue;
    space_.emplace_back(v, d);
    for (auto a = first_out[v]; a < first_out[v + 1]; ++a) {
      auto const w = head[a];
      auto const nd = d + weight[a];
      if (stamp_[w] != now_ || nd < dist_[w]) {
        stamp_[w] = now_;
        dist_[w] = nd;
        heap_.emplace_back(nd, w);
        std::push_heap(heap_.begin(), heap_.end(), cmp);
      }
    }
  }
}

node_cost ch_query::point_to_point(road_node_idx source, road_node_idx target) {
  n_settled_ = 0;
  auto const n = ch_->n_nodes();
  if (source.v() >= n || target.v() >= n) return {};
  upward_search<true>(ch_->rank(source));
  auto const forward_round = now_;
  for (auto const& [r, k] : space_) {
    meet_stamp_[r] = forward_round;
    meet_dist_[r] = k;
  }
  upward_search<false>(ch_->rank(target));
  key_t best = inf_key;
  for (auto const& [r, k] : space_) {
    if (meet_stamp_[r] == forward_round) best = std::min(best, meet_dist_[r] + k);
  }
  return to_cost(best, ch_->metres_per_unit());
}

matrix_strategy ch_query::choose(std::size_t n_from, std::size_t n_to) const {
  auto const& st = ch_->stats();
  auto const small = static_cast<double>(std::min(n_from, n_to));
  auto const large = static_cast<double>(std::max(n_from, n_to));
  // Work units of one settled vertex's arc visit in an upward search (heap and stall checks
  // included). A sweep step per vertex or down arc costs a small fraction of that: about 0.01 per
  // batch plus 0.02 per lane, as measured on Porto Alegre (bench_road --strategies).
  auto const arcs_per_node =
      st.n_nodes == 0 ? 0.0 : static_cast<double>(st.n_up_arcs + st.n_down_arcs) / static_cast<double>(st.n_nodes);
  auto const search = st.mean_upward_settled * (1.0 + arcs_per_node);
  auto const sweep_elements = static_cast<double>(st.n_nodes + st.n_down_arcs);
  auto const batches = std::ceil(small / static_cast<double>(max_lanes));
  auto const sweeps = batches * sweep_elements * 0.01 + small * sweep_elements * 0.02 + small * search;
  auto const buckets = (small + large) * search + small * large;
  return sweeps < buckets ? matrix_strategy::sweeps : matrix_strategy::buckets;
}

void ch_query::many_to_many(std::span<road_node_idx const> from, std::span<road_node_idx const> to,
                            std::span<node_cost> out, matrix_strategy strategy) {
  assert(out.size() == from.size() * to.size());
  n_settled_ = 0;
  std::fill(out.begin(), out.end(), node_cost{});
  if (from.empty() || to.empty() || ch_->n_nodes() == 0) return;
  if (strategy == matrix_strategy::automatic) strategy = choose(from.size(), to.size());
  if (strategy == matrix_strategy::sweeps) {
    matrix_by_sweeps(from, to, out);
  } else {
    matrix_by_buckets(from, to, out);
  }
}

void ch_query::matrix_by_buckets(std::span<road_node_idx const> from, std::span<road_node_idx const> to,
                                 std::span<node_cost> out) {
  auto const n = ch_->n_nodes();
  auto const cols = to.size();
  // The smaller side fills the buckets; the other side's searches scan them.
  auto const bucket_targets = to.size() <= from.size();
  auto const bucket_side = bucket_targets ? to : from;
  auto const scan_side = bucket_targets ? from : to;

  buckets_.clear();
  matrix_.assign(from.size() * to.size(), inf_key);
  if (++bucket_now_ == 0) {  // wrap: clear once every 2^32 calls
    std::fill(bucket_stamp_.begin(), bucket_stamp_.end(), 0);
    bucket_now_ = 1;
  }
  constexpr auto end_of_chain = ~std::uint32_t{0};
  for (std::size_t j = 0; j < bucket_side.size(); ++j) {
    if (bucket_side[j].v() >= n) continue;
    if (bucket_targets) {
      upward_search<false>(ch_->rank(bucket_side[j]));
    } else {
      upward_search<true>(ch_->rank(bucket_side[j]));
    }
    for (auto const& [r, k] : space_) {
      auto const next = bucket_stamp_[r] == bucket_now_ ? bucket_head_[r] : end_of_chain;
      buckets_.push_back({static_cast<std::uint32_t>(j), next, k});
      bucket_stamp_[r] = bucket_now_;
      bucket_head_[r] = static_cast<std::uint32_t>(buckets_.size() - 1);
    }
  }
  if (buckets_.empty()) return;

  for (std::size_t i = 0; i < scan_side.size(); ++i) {
    if (scan_side[i].v() >= n) continue;
    if (bucket_targets) {
      upward_search<true>(ch_->rank(scan_side[i]));
    } else {
      upward_search<false>(ch_->rank(scan_side[i]));
    }
    for (auto const& [r, k] : space_) {
      if (bucket_stamp_[r] != bucket_now_) continue;
      for (auto e = bucket_head_[r]; e != end_of_chain; e = buckets_[e].next) {
        auto const& b = buckets_[e];
        auto& cell = matrix_[bucket_targets ? i * cols + b.column : b.column * cols + i];
        cell = std::min(cell, k + b.key);
      }
    }
  }
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = to_cost(matrix_[k], ch_->metres_per_unit());
}

template <bool Forward>
void ch_query::sweep(std::span<std::uint32_t const> roots) {
  auto const& ch = *ch_;
  auto const n = ch.n_nodes();
  auto const lanes = roots.size();
  lanes_ = lanes;
  if (lane_dist_.size() < n * lanes) lane_dist_.resize(n * lanes);
  std::fill(lane_dist_.begin(), lane_dist_.begin() + static_cast<std::ptrdiff_t>(n * lanes), inf_key);
  for (std::size_t l = 0; l < lanes; ++l) {
    if (roots[l] >= n) continue;  // an invalid vertex: its lane stays unreachable
    upward_search<Forward>(roots[l]);
    for (auto const& [r, k] : space_) lane_dist_[r * lanes + l] = k;
  }
  // Forward (distances from the roots): v is reached from higher w over w -> v, the `down` arcs
  // stored at v. Backward (distances to the roots): v reaches higher w over v -> w, `up` at v.
  auto const& first_out = Forward ? ch.down_first_out_ : ch.up_first_out_;
  auto const& head = Forward ? ch.down_head_ : ch.up_head_;
  auto const& weight = Forward ? ch.down_weight_ : ch.up_weight_;
  auto* const dist = lane_dist_.data();
  for (auto r = n; r-- > 0;) {
    auto* const mine = dist + r * lanes;
    for (auto a = first_out[r]; a < first_out[r + 1]; ++a) {
      auto const* const theirs = dist + static_cast<std::size_t>(head[a]) * lanes;
      auto const w = weight[a];
      for (std::size_t l = 0; l < lanes; ++l) {
        mine[l] = std::min(mine[l], theirs[l] + w);
      }
    }
  }
}

void ch_query::matrix_by_sweeps(std::span<road_node_idx const> from, std::span<road_node_idx const> to,
                                std::span<node_cost> out) {
  auto const n = ch_->n_nodes();
  auto const cols = to.size();
  // One sweep per batch of the smaller side; the larger side reads its row or column off.
  auto const sweep_targets = to.size() <= from.size();
  auto const sweep_side = sweep_targets ? to : from;
  auto const read_side = sweep_targets ? from : to;
  for (std::size_t first = 0; first < sweep_side.size(); first += max_lanes) {
    auto const last = std::min(sweep_side.size(), first + max_lanes);
    roots_.clear();
    for (auto j = first; j < last; ++j) {
      roots_.push_back(sweep_side[j].v() < n ? ch_->rank(sweep_side[j]) : ~std::uint32_t{0});
    }
    if (sweep_targets) {
      sweep<false>(roots_);
    } else {
      sweep<true>(roots_);
    }
    for (std::size_t i = 0; i < read_side.size(); ++i) {
      if (read_side[i].v() >= n) continue;
      auto const* const d = lane_dist_.data() + static_cast<std::size_t>(ch_->rank(read_side[i])) * lanes_;
      for (auto j = first; j < last; ++j) {
        if (sweep_side[j].v() >= n) continue;
        auto& cell = sweep_targets ? out[i * cols + j] : out[j * cols + i];
        cell = to_cost(d[j - first], ch_->metres_per_unit());
      }
    }
  }
}

template void ch_query::upward_search<true>(std::uint32_t);
template void ch_query::upward_search<false>(std::uint32_t);

}  // namespace nebuta::road
