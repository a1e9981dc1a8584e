// Contraction: vertices are contracted one by one in the order of a priority (edge difference and
// original-arc difference, both as quotients, and the vertex's level, as RoutingKit does), updated
// for the neighbours of each contracted vertex. Contracting v adds a shortcut u -> w for each pair
// of remaining neighbours unless a witness search finds a path u -> w that avoids v and is no worse
// than u -> v -> w.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <queue>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "ch_key.h"
#include "chains.h"
#include "nebuta/road/ch.h"
#include "nebuta/road/detail/id_heap.h"

namespace nebuta::road {

using namespace ch_detail;

namespace {
struct dyn_arc {
  std::uint32_t node;
  key_t w;
  std::uint32_t hops;  // original arcs this arc stands for
};

struct shortcut {
  std::uint32_t from;
  std::uint32_t to;
  key_t w;
  std::uint32_t hops;
};

class contractor {
 public:
  contractor(std::uint32_t n, std::span<junction_arc const> arcs, ch_options const& opt)
      : opt_{opt},
        n_{n},
        out_(n_),
        in_(n_),
        contracted_(n_, 0),
        level_(n_, 0),
        priority_(n_, 0.0),
        stamp_(n_, 0),
        dist_(n_, inf_key),
        neighbour_stamp_(n_, 0),
        target_mark_(n_, 0) {
    heap_pos_.assign(n_, detail::id_heap<key_t>::npos);
    for (auto const& a : arcs) {
      // Parallel arcs (two chains between the same junctions): the better one stands for both.
      insert_or_improve(out_[a.tail], a.head, a.w, 1);
      insert_or_improve(in_[a.head], a.tail, a.w, 1);
    }
    for (auto const& arcs_of : out_) n_original_arcs_ += arcs_of.size();
  }

  // Contracts every vertex; order_ receives the vertices by rank, up_/down_ their arcs at
  // contraction time (all to vertices contracted later, i.e. of higher rank).
  void run() {
    using item = std::pair<double, std::uint32_t>;
    std::priority_queue<item, std::vector<item>, std::greater<>> queue;
    for (std::uint32_t v = 0; v < n_; ++v) {
      priority_[v] = compute_priority(v);
      queue.emplace(priority_[v], v);
    }
    order_.reserve(n_);
    up_.resize(n_);
    down_.resize(n_);
    while (!queue.empty()) {
      auto const [p, v] = queue.top();
      queue.pop();
      if (contracted_[v] != 0 || p != priority_[v]) continue;  // stale entry
      contract(v);
      for (auto const x : neighbours_) {
        priority_[x] = compute_priority(x);
        queue.emplace(priority_[x], x);
      }
    }
  }

  std::vector<std::uint32_t> order_;
  std::vector<std::vector<dyn_arc>> up_;    // v -> w
  std::vector<std::vector<dyn_arc>> down_;  // w -> v, stored at v
  std::size_t n_shortcuts_{0};
  std::size_t n_original_arcs_{0};

 private:
  void contract(std::uint32_t v) {
    find_shortcuts(v, opt_.witness_settled_limit);
    contracted_[v] = 1;
    order_.push_back(v);
    if (++neighbour_now_ == 0) {
      std::fill(neighbour_stamp_.begin(), neighbour_stamp_.end(), 0);
      neighbour_now_ = 1;
    }
    neighbours_.clear();
    auto const note = [&](std::uint32_t x) {
      if (neighbour_stamp_[x] == neighbour_now_) return;
      neighbour_stamp_[x] = neighbour_now_;
      neighbours_.push_back(x);
      level_[x] = std::max(level_[x], level_[v] + 1);
    };
    for (auto const& a : out_[v]) {
      erase_node(in_[a.node], v);
      note(a.node);
    }
    for (auto const& a : in_[v]) {
      erase_node(out_[a.node], v);
      note(a.node);
    }
    for (auto const& s : shortcuts_) {
      n_shortcuts_ += insert_or_improve(out_[s.from], s.to, s.w, s.hops) ? 1 : 0;
      insert_or_improve(in_[s.to], s.from, s.w, s.hops);
    }
    up_[v] = std::move(out_[v]);
    down_[v] = std::move(in_[v]);
    out_[v] = {};
    in_[v] = {};
  }

  // Dijkstra from `source` over the remaining graph without `excluded`, up to `limit`, until the
  // `targets` marked in target_mark_ (with target_round_) are all settled.
  void witness_search(std::uint32_t source, std::uint32_t excluded, key_t limit, std::uint32_t settled_limit,
                      std::uint32_t targets) {
    if (++now_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0);
      now_ = 1;
    }
    auto const pos = [this](std::uint32_t v) -> std::uint32_t& { return heap_pos_[v]; };
    heap_.clear(pos);
    stamp_[source] = now_;
    dist_[source] = 0;
    heap_.push_or_decrease(source, 0, pos);
    std::uint32_t settled = 0;
    while (!heap_.empty()) {
      auto const [d, v] = heap_.pop(pos);
      if (++settled > settled_limit) break;
      if (target_mark_[v] == target_round_ && --targets == 0) break;
      for (auto const& a : out_[v]) {
        if (a.node == excluded) continue;
        auto const nd = d + a.w;
        if (nd > limit) continue;  // could not be a witness
        if (stamp_[a.node] != now_ || nd < dist_[a.node]) {
          stamp_[a.node] = now_;
          dist_[a.node] = nd;
          heap_.push_or_decrease(a.node, nd, pos);
        }
      }
    }
  }
  key_t found(std::uint32_t v) const { return stamp_[v] == now_ ? dist_[v] : inf_key; }

  // Fills shortcuts_ with what contracting v needs.
  void find_shortcuts(std::uint32_t v, std::uint32_t settled_limit) {
    shortcuts_.clear();
    for (auto const& ia : in_[v]) {
      if (++target_round_ == 0) {
        std::fill(target_mark_.begin(), target_mark_.end(), 0);
        target_round_ = 1;
      }
      key_t limit = 0;
      std::uint32_t targets = 0;
      for (auto const& oa : out_[v]) {
        if (oa.node == ia.node) continue;
        limit = std::max(limit, ia.w + oa.w);
        target_mark_[oa.node] = target_round_;
        ++targets;
      }
      if (targets == 0) continue;
      witness_search(ia.node, v, limit, settled_limit, targets);
      for (auto const& oa : out_[v]) {
        if (oa.node == ia.node) continue;
        auto const via = ia.w + oa.w;
        if (found(oa.node) > via) shortcuts_.push_back({ia.node, oa.node, via, ia.hops + oa.hops});
      }
    }
  }

  double compute_priority(std::uint32_t v) {
    find_shortcuts(v, opt_.priority_settled_limit);
    auto const removed = static_cast<double>(in_[v].size() + out_[v].size());
    double hops_removed = 0.0;
    for (auto const& a : in_[v]) hops_removed += a.hops;
    for (auto const& a : out_[v]) hops_removed += a.hops;
    double hops_added = 0.0;
    for (auto const& s : shortcuts_) hops_added += s.hops;
    auto const added = static_cast<double>(shortcuts_.size());
    // Quotients rather than differences keep dense and sparse regions comparable. The level (one
    // more than the highest contracted neighbour's) spreads the contraction evenly over the
    // graph, which keeps the searches shallow; its weight was tuned on Porto Alegre for the
    // searches' sizes and the preprocessing time.
    return added / std::max(removed, 1.0) + hops_added / std::max(hops_removed, 1.0) +
           0.5 * static_cast<double>(level_[v]);
  }

  static void erase_node(std::vector<dyn_arc>& arcs, std::uint32_t node) {
    std::erase_if(arcs, [node](dyn_arc const& a) { return a.node == node; });
  }

  // True when a new arc was added (rather than an existing one improved or kept).
  static bool insert_or_improve(std::vector<dyn_arc>& arcs, std::uint32_t node, key_t w, std::uint32_t hops) {
    for (auto& a : arcs) {
      if (a.node != node) continue;
      if (w < a.w) a = {node, w, hops};
      return false;
    }
    arcs.push_back({node, w, hops});
    return true;
  }

  ch_options opt_;
  std::uint32_t n_;
  std::vector<std::vector<dyn_arc>> out_;
  std::vector<std::vector<dyn_arc>> in_;
  std::vector<std::uint8_t> contracted_;
  std::vector<std::uint32_t> level_;
  std::vector<double> priority_;
  std::uint32_t now_{0};
  std::vector<std::uint32_t> stamp_;
  std::vector<key_t> dist_;
  detail::id_heap<key_t> heap_;
  std::vector<std::uint32_t> heap_pos_;
  std::vector<shortcut> shortcuts_;
  std::uint32_t neighbour_now_{0};
  std::vector<std::uint32_t> neighbour_stamp_;
  std::vector<std::uint32_t> neighbours_;
  std::uint32_t target_round_{0};
  std::vector<std::uint32_t> target_mark_;
};

// Renumbers the contraction order so that upward search spaces lie close together in memory (as
// RoutingKit does): for each vertex no arc leads up to, in rank order, the not yet placed vertices
// of its upward space are given the highest free positions, in increasing rank. Every arc still
// goes from a lower to a higher position, so the result is a valid order of contraction.
std::vector<std::uint32_t> cache_friendly_order(std::vector<std::uint32_t> const& order,
                                                std::vector<std::uint32_t> const& rank,
                                                std::vector<std::vector<dyn_arc>> const& up,
                                                std::vector<std::vector<dyn_arc>> const& down) {
  auto const n = static_cast<std::uint32_t>(order.size());
  std::vector<std::uint8_t> bottom(n, 1);
  for (std::uint32_t v = 0; v < n; ++v) {
    for (auto const& a : up[v]) bottom[a.node] = 0;
    for (auto const& a : down[v]) bottom[a.node] = 0;
  }
  std::vector<std::uint32_t> out(n);
  std::vector<std::uint8_t> placed(n, 0);
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> by_rank;  // ranks
  auto end = n;
  for (auto const b : order) {
    if (bottom[b] == 0) continue;
    auto const block_end = end;
    placed[b] = 1;
    by_rank.push(rank[b]);
    while (!by_rank.empty()) {
      auto const x = order[by_rank.top()];
      by_rank.pop();
      out[--end] = x;
      for (auto const* arcs : {&up[x], &down[x]}) {
        for (auto const& a : *arcs) {
          if (placed[a.node] != 0) continue;
          placed[a.node] = 1;
          by_rank.push(rank[a.node]);
        }
      }
    }
    std::reverse(out.begin() + end, out.begin() + block_end);
  }
  assert(end == 0);
  return out;
}

// Lays out the arcs by rank (see contraction_hierarchy::arc_range), heads as ranks, each kind
// sorted by head.
template <typename Range, typename Arc>
void flatten(std::vector<std::uint32_t> const& order, std::vector<std::vector<dyn_arc>> const& up,
             std::vector<std::vector<dyn_arc>> const& down, std::vector<std::uint32_t> const& rank,
             std::vector<Range>& first, std::vector<Arc>& out) {
  first.assign(order.size() + 1, Range{0, 0});
  std::size_t total = 0;
  for (auto const& a : up) total += a.size();
  for (auto const& a : down) total += a.size();
  out.clear();
  out.reserve(total);
  auto const append = [&](std::vector<dyn_arc> const& arcs, [[maybe_unused]] std::size_t r) {
    auto const begin = out.size();
    for (auto const& a : arcs) {
      assert(rank[a.node] > r);
      out.push_back({rank[a.node], time_of(a.w), static_cast<std::uint32_t>(a.w & 0xFFFF'FFFFU)});
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end(),
              [](Arc const& x, Arc const& y) { return x.head < y.head; });
  };
  for (std::size_t r = 0; r < order.size(); ++r) {
    first[r].up = static_cast<std::uint32_t>(out.size());
    append(up[order[r]], r);
    first[r].down = static_cast<std::uint32_t>(out.size());
    append(down[order[r]], r);
  }
  first[order.size()] = {static_cast<std::uint32_t>(out.size()), static_cast<std::uint32_t>(out.size())};
}

}  // namespace

contraction_hierarchy::contraction_hierarchy(road_graph const& g, ch_options const& opt) {
  auto const n = g.n_nodes();
  stats_.n_nodes = n;
  stats_.n_graph_arcs = g.n_edges();
  // Units of length: twice the total must fit 32 bits (see ch_key.h); time sums must stay < 2^31.
  double total_m = 0.0;
  std::uint64_t total_ds = 0;
  {
    auto const& csr = g.csr();
    for (auto [it, end] = edges(csr); it != end; ++it) {
      total_m += csr[*it].metres > 0.0F ? static_cast<double>(csr[*it].metres) : 0.0;
      total_ds += csr[*it].time_ds;
    }
  }
  if (total_ds >= (std::uint64_t{1} << 31U)) {
    throw std::length_error{"contraction_hierarchy: arc times sum to " + std::to_string(total_ds) +
                            " ds, beyond the 2^31 ds of its 63-bit keys"};
  }
  // Each arc rounds by at most half a unit, hence the + n_edges margin (in mm, the finest unit).
  auto const bound_mm = 2.0 * total_m * 1000.0 + static_cast<double>(g.n_edges());
  metres_per_unit_ = std::max(1.0, std::ceil(bound_mm / 4294967295.0)) / 1000.0;

  auto chains = decompose_chains(g, metres_per_unit_);
  auto const n_junctions = static_cast<std::uint32_t>(chains.junction_vertex.size());
  std::vector<std::uint32_t> rank(n_junctions, 0);
  {
    contractor c{n_junctions, chains.arcs, opt};
    c.run();
    for (std::uint32_t r = 0; r < n_junctions; ++r) rank[c.order_[r]] = r;
    c.order_ = cache_friendly_order(c.order_, rank, c.up_, c.down_);
    for (std::uint32_t r = 0; r < n_junctions; ++r) rank[c.order_[r]] = r;
    flatten(c.order_, c.up_, c.down_, rank, first_, arcs_);
    node_of_rank_.resize(n_junctions);
    for (std::uint32_t r = 0; r < n_junctions; ++r) node_of_rank_[r] = chains.junction_vertex[c.order_[r]];
    stats_.n_shortcuts = c.n_shortcuts_;
    stats_.n_original_arcs = c.n_original_arcs_;
  }
  if (n_junctions == 0) {
    first_.assign(1, arc_range{0, 0});
  }
  stats_.n_junctions = n_junctions;
  stats_.n_chains = chains.chains.size();
  for (std::uint32_t r = 0; r < n_junctions; ++r) {
    stats_.n_up_arcs += first_[r].down - first_[r].up;
    stats_.n_down_arcs += first_[r + 1].up - first_[r].down;
  }

  // Junctions by rank from here on: a junction's slot is its rank, a chain's ends are ranks.
  places_.resize(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    auto const c = chains.vertex_chain[v];
    auto const slot = chains.vertex_slot[v];
    places_[v] = {c, c == no_chain ? rank[slot] : slot};
  }
  chains_.reserve(chains.chains.size());
  for (auto const& c : chains.chains) {
    chains_.push_back({chains.from_tail[c.last], chains.to_tail[c.last], rank[c.tail], rank[c.head], c.first,
                       c.last - c.first, c.two_way ? 1U : 0U});
  }
  positions_.reserve(chains.flat_vertex.size());
  for (std::size_t p = 0; p < chains.flat_vertex.size(); ++p)
    positions_.push_back({chains.from_tail[p], chains.to_tail[p]});
  flat_vertex_ = std::move(chains.flat_vertex);

  // Mean size of a full upward search (forward, without stalling) over a fixed sample of vertices.
  if (n > 0) {
    ch_query q{*this};
    std::size_t total = 0;
    std::size_t samples = 0;
    for (std::size_t v = 0; v < n; v += std::max<std::size_t>(1, n / 64)) {
      total += q.upward_search_space(road_node_idx{v});
      ++samples;
    }
    stats_.mean_upward_settled = static_cast<double>(total) / static_cast<double>(samples);
  }
}

std::span<std::uint32_t const> contraction_hierarchy::chain_through(road_node_idx v) const {
  if (is_junction(v) || v.v() >= n_nodes()) return {};
  auto const& c = chains_[places_[v.v()].chain];
  return {flat_vertex_.data() + c.first, c.length + std::size_t{1}};
}

std::size_t contraction_hierarchy::memory_bytes() const {
  return sizeof(place) * places_.capacity() + sizeof(position) * positions_.capacity() +
         sizeof(std::uint32_t) * (flat_vertex_.capacity() + node_of_rank_.capacity()) +
         sizeof(arc_range) * first_.capacity() + sizeof(arc) * arcs_.capacity() + sizeof(chain) * chains_.capacity();
}

}  // namespace nebuta::road
