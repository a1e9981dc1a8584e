#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

#include "ch_key.h"
#include "nebuta/road/ch.h"

namespace nebuta::road {

using namespace ch_detail;

namespace {

// Lanes of one sweep: beyond this a sweep's distances (n x lanes x 8 bytes) stop fitting the cache
// and a lane costs more than a separate sweep would.
constexpr std::size_t max_lanes = 4;

key_t add(key_t a, key_t b) { return a >= inf_key || b >= inf_key ? inf_key : a + b; }

}  // namespace

// --- Seeds: how a graph vertex enters and leaves the junction graph -------------------------

template <bool Source>
std::size_t contraction_hierarchy::seeds(std::uint32_t v, seed* out) const {
  auto const [c, slot] = places_[v];
  if (c == no_chain) {
    out[0] = {slot, 0};
    return 1;
  }
  // A drive from v leaves its chain at the head (and, two-way, at the tail); a drive to v comes
  // in from the tail (and, two-way, from the head).
  auto const& ch = chains_[c];
  auto const& pos = positions_[slot];
  out[0] = Source ? seed{ch.head_rank, ch.forward - pos.from_tail} : seed{ch.tail_rank, pos.from_tail};
  if (ch.two_way == 0) return 1;
  out[1] = Source ? seed{ch.tail_rank, pos.to_tail} : seed{ch.head_rank, ch.backward - pos.to_tail};
  return 2;
}

std::size_t contraction_hierarchy::exits(std::uint32_t v, seed* out) const { return seeds<true>(v, out); }
std::size_t contraction_hierarchy::entries(std::uint32_t v, seed* out) const { return seeds<false>(v, out); }

std::uint64_t contraction_hierarchy::along_chain(std::uint32_t u, std::uint32_t v) const {
  if (u == v) return 0;
  auto const pu = places_[u];
  auto const pv = places_[v];
  if (pu.chain == no_chain || pu.chain != pv.chain) return inf_key;
  if (pu.slot < pv.slot) return positions_[pv.slot].from_tail - positions_[pu.slot].from_tail;
  return chains_[pu.chain].two_way != 0 ? positions_[pu.slot].to_tail - positions_[pv.slot].to_tail : inf_key;
}

// --- Query state ------------------------------------------------------------------------------

void ch_query::side::resize(std::size_t n) {
  stamp.assign(n, 0);
  labels.assign(n, {detail::id_heap<key_t>::npos, inf_key});
  heap.clear(heap_pos());
  now = 0;
}

void ch_query::side::start() {
  if (now == std::numeric_limits<std::uint32_t>::max()) {  // wrap: clear once every 2^32 searches
    std::fill(stamp.begin(), stamp.end(), 0);
    now = 0;
  }
  ++now;
  heap.clear(heap_pos());
}

ch_query::ch_query(contraction_hierarchy const& ch)
    : ch_{&ch}, bucket_stamp_(ch.n_junctions(), 0), bucket_begin_(ch.n_junctions(), 0), bucket_end_(ch.n_junctions(), 0) {
  forward_.resize(ch.n_junctions());
  backward_.resize(ch.n_junctions());
}

// Settles the next junction of one direction of a point query: `up` arcs from the source (Up),
// `down` arcs backwards from the target (!Up). A junction the other direction has reached is a
// meeting point. Stall-on-demand: a junction reached more cheaply through a higher junction's arc
// in the other direction is not on a shortest up-down path, so it does not relax its arcs.
template <bool Up>
ch_query::key_t ch_query::settle_next(side& mine, side const& other, key_t best) const {
  auto const& ch = *ch_;
  auto const* const arcs = ch.arcs_.data();
  auto const [d, v] = mine.pop();
  if (other.reached(v)) best = std::min(best, d + other.dist(v));
  auto const [stall_begin, stall_end] = ch.arcs_of<!Up>(v);
  for (auto a = stall_begin; a < stall_end; ++a) {
    if (mine.reached(arcs[a].head) && mine.dist(arcs[a].head) + arcs[a].key() < d) return best;
  }
  auto const [begin, end] = ch.arcs_of<Up>(v);
  for (auto a = begin; a < end; ++a) mine.reach(arcs[a].head, d + arcs[a].key());
  return best;
}

node_cost ch_query::point_to_point(road_node_idx source, road_node_idx target) {
  n_settled_ = 0;
  auto const& ch = *ch_;
  auto const n = ch.n_nodes();
  if (source.v() >= n || target.v() >= n) return {};
  key_t best = ch.along_chain(source.v(), target.v());
  forward_.start();
  backward_.start();
  std::array<seed, 2> seeds{};
  for (std::size_t k = 0, m = ch.exits(source.v(), seeds.data()); k < m; ++k)
    forward_.reach(seeds[k].rank, seeds[k].key);
  for (std::size_t k = 0, m = ch.entries(target.v(), seeds.data()); k < m; ++k) {
    backward_.reach(seeds[k].rank, seeds[k].key);
  }
  // Taking turns, each direction stops once its next key cannot improve on the best meeting.
  bool forward_next = true;
  std::size_t settled = 0;
  for (;; ++settled) {
    auto const forward_done = forward_.empty() || forward_.top_key() >= best;
    auto const backward_done = backward_.empty() || backward_.top_key() >= best;
    if (forward_done && backward_done) break;
    if (forward_done) forward_next = false;
    if (backward_done) forward_next = true;
    best = forward_next ? settle_next<true>(forward_, backward_, best) : settle_next<false>(backward_, forward_, best);
    forward_next = !forward_next;
  }
  n_settled_ = settled;
  return to_cost(best, ch.metres_per_unit());
}

// The whole upward space of v: over up arcs from its exits (Up, v a source) or over down arcs
// from its entries (!Up, v a target), handing each settled junction and its key to on_settle.
// With Stall, junctions stalled on demand are left out (they cannot be on a shortest up-down
// path), which keeps buckets and sweeps small.
template <bool Up, bool Stall, typename OnSettle>
void ch_query::upward_search(std::uint32_t v, OnSettle&& on_settle) {
  auto const& ch = *ch_;
  auto const* const arcs = ch.arcs_.data();
  auto& s = forward_;
  s.start();
  std::array<seed, 2> seeds{};
  for (std::size_t k = 0, m = ch.seeds<Up>(v, seeds.data()); k < m; ++k) s.reach(seeds[k].rank, seeds[k].key);
  while (!s.empty()) {
    auto const [d, r] = s.pop();
    ++n_settled_;
    if constexpr (Stall) {
      bool stalled = false;
      auto const [stall_begin, stall_end] = ch.arcs_of<!Up>(r);
      for (auto a = stall_begin; a < stall_end; ++a) {
        if (s.reached(arcs[a].head) && s.dist(arcs[a].head) + arcs[a].key() < d) {
          stalled = true;
          break;
        }
      }
      if (stalled) continue;
    }
    on_settle(r, d);
    auto const [begin, end] = ch.arcs_of<Up>(r);
    for (auto a = begin; a < end; ++a) s.reach(arcs[a].head, d + arcs[a].key());
  }
}

std::size_t ch_query::upward_search_space(road_node_idx source) {
  n_settled_ = 0;
  if (source.v() >= ch_->n_nodes()) return 0;
  std::size_t size = 0;
  upward_search<true, false>(source.v(), [&](std::uint32_t, key_t) { ++size; });
  return size;
}

matrix_strategy ch_query::choose(std::size_t n_from, std::size_t n_to) const {
  auto const& st = ch_->stats();
  auto const small = static_cast<double>(std::min(n_from, n_to));
  auto const large = static_cast<double>(std::max(n_from, n_to));
  // Work units of one settled vertex's arc visit in an upward search (heap and stall checks
  // included). A sweep step per vertex or down arc costs a small fraction of that: about 0.01 per
  // batch plus 0.02 per lane, as measured on Porto Alegre (bench_road --strategies).
  auto const arcs_per_node =
      st.n_junctions == 0 ? 0.0
                          : static_cast<double>(st.n_up_arcs + st.n_down_arcs) / static_cast<double>(st.n_junctions);
  auto const search = st.mean_upward_settled * (1.0 + arcs_per_node);
  auto const sweep_elements = static_cast<double>(st.n_junctions + st.n_down_arcs);
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
  matrix_.assign(from.size() * to.size(), inf_key);
  if (strategy == matrix_strategy::sweeps) {
    matrix_by_sweeps(from, to);
  } else {
    matrix_by_buckets(from, to);
  }
  along_chains(from, to);
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = to_cost(matrix_[k], ch_->metres_per_unit());
}

// Pairs on one chain (or the same vertex) may be fastest along it, without touching a junction.
void ch_query::along_chains(std::span<road_node_idx const> from, std::span<road_node_idx const> to) {
  auto const& ch = *ch_;
  auto const n = ch.n_nodes();
  auto const cols = to.size();
  for (std::size_t i = 0; i < from.size(); ++i) {
    auto const u = from[i].v();
    if (u >= n) continue;
    auto const cu = ch.places_[u].chain;
    for (std::size_t j = 0; j < cols; ++j) {
      auto const v = to[j].v();
      if (v >= n || (v != u && (cu == contraction_hierarchy::no_chain || ch.places_[v].chain != cu))) continue;
      auto& cell = matrix_[i * cols + j];
      cell = std::min(cell, ch.along_chain(u, v));
    }
  }
}

void ch_query::matrix_by_buckets(std::span<road_node_idx const> from, std::span<road_node_idx const> to) {
  auto const& ch = *ch_;
  auto const n = ch.n_nodes();
  auto const cols = to.size();
  // The smaller side fills the buckets; the other side's searches scan them.
  auto const bucket_targets = to.size() <= from.size();
  auto const bucket_side = bucket_targets ? to : from;
  auto const scan_side = bucket_targets ? from : to;
  auto const search = [&](bool up, std::uint32_t v, auto&& on_settle) {
    if (up) {
      upward_search<true, true>(v, on_settle);
    } else {
      upward_search<false, true>(v, on_settle);
    }
  };

  // The upward spaces of the bucket side, then sorted by rank (counting sort over the ranks
  // touched) so that a scan reads each rank's bucket as one run.
  if (++bucket_now_ == 0) {  // wrap: clear once every 2^32 calls
    std::fill(bucket_stamp_.begin(), bucket_stamp_.end(), 0);
    bucket_now_ = 1;
  }
  unsorted_.clear();
  touched_.clear();
  for (std::size_t j = 0; j < bucket_side.size(); ++j) {
    if (bucket_side[j].v() >= n) continue;
    search(!bucket_targets, bucket_side[j].v(), [&](std::uint32_t r, key_t k) {
      if (bucket_stamp_[r] != bucket_now_) {
        bucket_stamp_[r] = bucket_now_;
        bucket_end_[r] = 0;
        touched_.push_back(r);
      }
      ++bucket_end_[r];
      unsorted_.push_back({r, static_cast<std::uint32_t>(j), k});
    });
  }
  if (unsorted_.empty()) return;
  std::uint32_t total = 0;
  for (auto const r : touched_) {
    bucket_begin_[r] = total;
    total += bucket_end_[r];
    bucket_end_[r] = bucket_begin_[r];  // the fill position until the fill is done
  }
  buckets_.resize(total);
  for (auto const& e : unsorted_) buckets_[bucket_end_[e.rank]++] = {e.column, e.key};

  for (std::size_t i = 0; i < scan_side.size(); ++i) {
    if (scan_side[i].v() >= n) continue;
    search(bucket_targets, scan_side[i].v(), [&](std::uint32_t r, key_t k) {
      if (bucket_stamp_[r] != bucket_now_) return;
      for (auto e = bucket_begin_[r]; e < bucket_end_[r]; ++e) {
        auto const& b = buckets_[e];
        auto& cell = matrix_[bucket_targets ? i * cols + b.column : b.column * cols + i];
        cell = std::min(cell, k + b.key);
      }
    });
  }
}

template <bool Forward>
void ch_query::sweep(std::span<std::uint32_t const> roots) {
  auto const& ch = *ch_;
  auto const n = ch.n_junctions();
  auto const lanes = roots.size();
  lanes_ = lanes;
  if (lane_dist_.size() < n * lanes) lane_dist_.resize(n * lanes);
  std::fill(lane_dist_.begin(), lane_dist_.begin() + static_cast<std::ptrdiff_t>(n * lanes), inf_key);
  for (std::size_t l = 0; l < lanes; ++l) {
    if (roots[l] >= ch.n_nodes()) continue;  // an invalid vertex: its lane stays unreachable
    upward_search<Forward, true>(roots[l], [&](std::uint32_t r, key_t k) { lane_dist_[r * lanes + l] = k; });
  }
  // Forward (distances from the roots): v is reached from higher w over w -> v, the `down` arcs
  // stored at v. Backward (distances to the roots): v reaches higher w over v -> w, `up` at v.
  auto const* const arcs = ch.arcs_.data();
  auto* const dist = lane_dist_.data();
  for (auto r = n; r-- > 0;) {
    auto* const mine = dist + r * lanes;
    auto const [begin, end] = ch.arcs_of<!Forward>(static_cast<std::uint32_t>(r));
    for (auto a = begin; a < end; ++a) {
      auto const* const theirs = dist + static_cast<std::size_t>(arcs[a].head) * lanes;
      auto const w = arcs[a].key();
      for (std::size_t l = 0; l < lanes; ++l) {
        mine[l] = std::min(mine[l], theirs[l] + w);
      }
    }
  }
}

void ch_query::matrix_by_sweeps(std::span<road_node_idx const> from, std::span<road_node_idx const> to) {
  auto const& ch = *ch_;
  auto const n = ch.n_nodes();
  auto const cols = to.size();
  // One sweep per batch of the smaller side; the larger side reads its row or column off at the
  // seeds of its vertices.
  auto const sweep_targets = to.size() <= from.size();
  auto const sweep_side = sweep_targets ? to : from;
  auto const read_side = sweep_targets ? from : to;
  std::array<seed, 2> seeds{};
  for (std::size_t first = 0; first < sweep_side.size(); first += max_lanes) {
    auto const last = std::min(sweep_side.size(), first + max_lanes);
    roots_.clear();
    for (auto j = first; j < last; ++j) roots_.push_back(sweep_side[j].v());
    if (sweep_targets) {
      sweep<false>(roots_);
    } else {
      sweep<true>(roots_);
    }
    for (std::size_t i = 0; i < read_side.size(); ++i) {
      auto const v = read_side[i].v();
      if (v >= n) continue;
      auto const m = sweep_targets ? ch.exits(v, seeds.data()) : ch.entries(v, seeds.data());
      for (auto j = first; j < last; ++j) {
        if (sweep_side[j].v() >= n) continue;
        key_t best = inf_key;
        for (std::size_t k = 0; k < m; ++k) {
          best = std::min(best, add(seeds[k].key, lane_dist_[seeds[k].rank * lanes_ + (j - first)]));
        }
        auto& cell = sweep_targets ? matrix_[i * cols + j] : matrix_[j * cols + i];
        cell = std::min(cell, best);
      }
    }
  }
}

}  // namespace nebuta::road
