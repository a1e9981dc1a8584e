// Contraction: vertices are contracted one by one in the order of a lazily updated priority
// (edge difference and original-arc difference, both as quotients, and deleted neighbours). Contracting v adds a shortcut
// u -> w for each pair of remaining neighbours unless a witness search finds a path u -> w that
// avoids v and is no worse than u -> v -> w.
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
        deleted_neighbours_(n_, 0),
        priority_(n_, 0.0),
        stamp_(n_, 0),
        dist_(n_, inf_key),
        neighbour_stamp_(n_, 0) {
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
      // Lazy update: the priority may have grown since it was queued.
      auto const fresh = compute_priority(v);
      if (fresh > p && !queue.empty() && fresh > queue.top().first) {
        priority_[v] = fresh;
        queue.emplace(fresh, v);
        continue;
      }
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
      ++deleted_neighbours_[x];
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

  // Dijkstra from `source` over the remaining graph without `excluded`, up to `limit`.
  void witness_search(std::uint32_t source, std::uint32_t excluded, key_t limit, std::uint32_t settled_limit) {
    if (++now_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0);
      now_ = 1;
    }
    heap_.clear();
    stamp_[source] = now_;
    dist_[source] = 0;
    heap_.emplace_back(0, source);
    std::uint32_t settled = 0;
    auto const cmp = std::greater<>{};
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), cmp);
      auto const [d, v] = heap_.back();
      heap_.pop_back();
      if (d != dist_[v]) continue;
      if (d > limit || ++settled > settled_limit) break;
      for (auto const& a : out_[v]) {
        if (a.node == excluded) continue;
        auto const nd = d + a.w;
        if (stamp_[a.node] != now_ || nd < dist_[a.node]) {
          stamp_[a.node] = now_;
          dist_[a.node] = nd;
          heap_.emplace_back(nd, a.node);
          std::push_heap(heap_.begin(), heap_.end(), cmp);
        }
      }
    }
  }
  key_t found(std::uint32_t v) const { return stamp_[v] == now_ ? dist_[v] : inf_key; }

  // Fills shortcuts_ with what contracting v needs.
  void find_shortcuts(std::uint32_t v, std::uint32_t settled_limit) {
    shortcuts_.clear();
    for (auto const& ia : in_[v]) {
      key_t limit = 0;
      bool any = false;
      for (auto const& oa : out_[v]) {
        if (oa.node == ia.node) continue;
        limit = std::max(limit, ia.w + oa.w);
        any = true;
      }
      if (!any) continue;
      witness_search(ia.node, v, limit, settled_limit);
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
    // Quotients rather than differences keep dense and sparse regions comparable; deleted
    // neighbours spread the contraction uniformly over the graph.
    return 2.0 * added / std::max(removed, 1.0) + hops_added / std::max(hops_removed, 1.0) +
           0.5 * static_cast<double>(deleted_neighbours_[v]);
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
  std::vector<std::uint32_t> deleted_neighbours_;
  std::vector<double> priority_;
  std::uint32_t now_{0};
  std::vector<std::uint32_t> stamp_;
  std::vector<key_t> dist_;
  std::vector<std::pair<key_t, std::uint32_t>> heap_;
  std::vector<shortcut> shortcuts_;
  std::uint32_t neighbour_now_{0};
  std::vector<std::uint32_t> neighbour_stamp_;
  std::vector<std::uint32_t> neighbours_;
};

// Flattens per-rank arc lists into CSR arrays with heads as ranks, sorted by head.
void flatten(std::vector<std::uint32_t> const& order, std::vector<std::vector<dyn_arc>> const& arcs,
             std::vector<std::uint32_t> const& rank, std::vector<std::uint32_t>& first_out,
             std::vector<std::uint32_t>& head, std::vector<key_t>& weight) {
  first_out.assign(order.size() + 1, 0);
  std::size_t total = 0;
  for (auto const& a : arcs) total += a.size();
  head.clear();
  weight.clear();
  head.reserve(total);
  weight.reserve(total);
  std::vector<std::pair<std::uint32_t, key_t>> row;
  for (std::size_t r = 0; r < order.size(); ++r) {
    row.clear();
    for (auto const& a : arcs[order[r]]) row.emplace_back(rank[a.node], a.w);
    std::sort(row.begin(), row.end(), [](auto const& x, auto const& y) { return x.first < y.first; });
    for (auto const& [h, w] : row) {
      assert(h > r);
      head.push_back(h);
      weight.push_back(w);
    }
    first_out[r + 1] = static_cast<std::uint32_t>(head.size());
  }
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
    flatten(c.order_, c.up_, rank, up_first_out_, up_head_, up_weight_);
    flatten(c.order_, c.down_, rank, down_first_out_, down_head_, down_weight_);
    node_of_rank_.resize(n_junctions);
    for (std::uint32_t r = 0; r < n_junctions; ++r) node_of_rank_[r] = chains.junction_vertex[c.order_[r]];
    stats_.n_shortcuts = c.n_shortcuts_;
    stats_.n_original_arcs = c.n_original_arcs_;
  }
  if (n_junctions == 0) {
    up_first_out_.assign(1, 0);
    down_first_out_.assign(1, 0);
  }
  stats_.n_junctions = n_junctions;
  stats_.n_chains = chains.chains.size();
  stats_.n_up_arcs = up_head_.size();
  stats_.n_down_arcs = down_head_.size();

  // Junctions by rank from here on: a junction's slot is its rank, a chain's ends are ranks.
  vertex_chain_ = std::move(chains.vertex_chain);
  vertex_slot_ = std::move(chains.vertex_slot);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (vertex_chain_[v] == no_chain) vertex_slot_[v] = rank[vertex_slot_[v]];
  }
  chains_.reserve(chains.chains.size());
  for (auto const& c : chains.chains) chains_.push_back({c.first, c.last, rank[c.tail], rank[c.head], c.two_way});
  flat_vertex_ = std::move(chains.flat_vertex);
  from_tail_ = std::move(chains.from_tail);
  to_tail_ = std::move(chains.to_tail);

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
  auto const& c = chains_[vertex_chain_[v.v()]];
  return {flat_vertex_.data() + c.first, c.last - c.first + 1};
}

std::size_t contraction_hierarchy::memory_bytes() const {
  return sizeof(std::uint32_t) * (vertex_chain_.capacity() + vertex_slot_.capacity() + flat_vertex_.capacity() +
                                  node_of_rank_.capacity() + up_first_out_.capacity() + up_head_.capacity() +
                                  down_first_out_.capacity() + down_head_.capacity()) +
         sizeof(std::uint64_t) * (from_tail_.capacity() + to_tail_.capacity() + up_weight_.capacity() +
                                  down_weight_.capacity()) +
         sizeof(chain) * chains_.capacity();
}

}  // namespace nebuta::road
