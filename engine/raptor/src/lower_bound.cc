#include "nebuta/raptor/lower_bound.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <tuple>
#include <utility>

#include "nebuta/core/bytes.h"

namespace nebuta::raptor {

namespace {

constexpr std::uint32_t clamp_s = lower_bound_graph::unreachable;
constexpr std::uint32_t no_dist = std::numeric_limits<std::uint32_t>::max();

struct edge {
  std::uint32_t from, to, w;
};

// The contraction: a vertex at a time (fewest shortcuts for the arcs it removes first), with a
// shortcut u -> w for each pair of remaining neighbours u -> v -> w unless a witness path of no
// greater length avoids v. Witness searches are bounded, so an unproven witness costs at most a
// shortcut that was not needed, never a wrong distance.
class contraction {
 public:
  struct adj {
    std::uint32_t to, w;
  };

  explicit contraction(std::uint32_t n) : out_(n), in_(n), done_(n, 0U), level_(n, 0U), dist_(n, no_dist) {}

  void add_arc(std::uint32_t u, std::uint32_t v, std::uint32_t w) {
    if (set_min(out_[u], v, w)) set_min(in_[v], u, w);
  }

  // Drops every arc u -> v whose weight another path from u to v matches: it never carries a
  // shorter distance, and it would cost the sweep a step per query. One at a time against the
  // remaining graph, so each dropped arc keeps a witness that stays.
  std::size_t drop_dominated() {
    std::size_t dropped = 0;
    for (auto u = 0U; u < out_.size(); ++u) {
      for (auto i = 0U; i < out_[u].size();) {
        auto const a = out_[u][i];
        search(u, a.to, u, a.w, 1000U);
        if (dist_[a.to] <= a.w) {
          out_[u].erase(out_[u].begin() + i);
          auto& back = in_[a.to];
          back.erase(std::find_if(back.begin(), back.end(), [&](adj const& x) { return x.to == u; }));
          ++dropped;
        } else {
          ++i;
        }
      }
    }
    return dropped;
  }

  // Contracts every vertex; calls up(v, x, w) for v -> x and down(v, x, w) for x -> v with x
  // contracted after v, and returns the vertices in contraction order. Counts shortcuts.
  template <typename Up, typename Down>
  std::vector<std::uint32_t> run(Up&& up, Down&& down, std::size_t& n_shortcuts) {
    auto const n = static_cast<std::uint32_t>(out_.size());
    using entry = std::pair<int, std::uint32_t>;
    std::priority_queue<entry, std::vector<entry>, std::greater<>> pq;
    for (auto v = 0U; v < n; ++v) pq.push({priority(v), v});
    std::vector<std::uint32_t> order;
    order.reserve(n);
    while (!pq.empty()) {
      auto const v = pq.top().second;
      pq.pop();
      if (done_[v] != 0U) continue;
      if (auto const p = priority(v); !pq.empty() && p > pq.top().first) {  // stale: back in line
        pq.push({p, v});
        continue;
      }
      n_shortcuts += shortcuts(v, true, 500U);
      for (auto const& a : out_[v]) {
        if (done_[a.to] == 0U) up(v, a.to, a.w);
      }
      for (auto const& a : in_[v]) {
        if (done_[a.to] == 0U) down(v, a.to, a.w);
      }
      done_[v] = 1U;
      order.push_back(v);
      for (auto const* list : {&out_[v], &in_[v]}) {
        for (auto const& a : *list) level_[a.to] = std::max(level_[a.to], level_[v] + 1U);
      }
    }
    return order;
  }

 private:
  static bool set_min(std::vector<adj>& list, std::uint32_t to, std::uint32_t w) {
    for (auto& a : list) {
      if (a.to == to) {
        if (w >= a.w) return false;
        a.w = w;
        return true;
      }
    }
    list.push_back({to, w});
    return true;
  }

  // Distances from s over remaining vertices other than `skip` (and, leaving s, not the arc to
  // `skip_from_s`), as far as `limit` or `max_settled` vertices; into dist_.
  void search(std::uint32_t s, std::uint32_t skip_from_s, std::uint32_t skip, std::uint32_t limit,
              std::uint32_t max_settled) {
    for (auto const v : touched_) dist_[v] = no_dist;
    touched_.clear();
    heap_.clear();
    dist_[s] = 0;
    touched_.push_back(s);
    heap_.push_back(s);
    auto settled = 0U;
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      auto const top = heap_.back();
      heap_.pop_back();
      auto const d = static_cast<std::uint32_t>(top >> 32U);
      auto const v = static_cast<std::uint32_t>(top);
      if (d != dist_[v]) continue;
      if (d > limit || ++settled > max_settled) break;
      for (auto const& a : out_[v]) {
        if (done_[a.to] != 0U || a.to == skip || (v == s && a.to == skip_from_s)) continue;
        auto const nd = d + a.w;
        if (nd >= dist_[a.to]) continue;
        if (dist_[a.to] == no_dist) touched_.push_back(a.to);
        dist_[a.to] = nd;
        heap_.push_back((std::uint64_t{nd} << 32U) | a.to);
        std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
      }
    }
  }

  // The shortcuts contracting v needs (added when `apply`).
  std::size_t shortcuts(std::uint32_t v, bool apply, std::uint32_t max_settled) {
    std::size_t count = 0;
    for (auto ii = 0U; ii < in_[v].size(); ++ii) {
      auto const i = in_[v][ii];
      if (done_[i.to] != 0U) continue;
      auto limit = 0U;
      auto any = false;
      for (auto const& o : out_[v]) {
        if (done_[o.to] != 0U || o.to == i.to) continue;
        limit = std::max(limit, i.w + o.w);
        any = true;
      }
      if (!any) continue;
      search(i.to, no_dist, v, limit, max_settled);
      for (auto oi = 0U; oi < out_[v].size(); ++oi) {
        auto const o = out_[v][oi];
        if (done_[o.to] != 0U || o.to == i.to || dist_[o.to] <= i.w + o.w) continue;
        ++count;
        if (apply) add_arc(i.to, o.to, i.w + o.w);
      }
    }
    return count;
  }

  int priority(std::uint32_t v) {
    auto degree = 0;
    for (auto const* list : {&out_[v], &in_[v]}) {
      for (auto const& a : *list) degree += done_[a.to] == 0U ? 1 : 0;
    }
    return 2 * static_cast<int>(shortcuts(v, false, 60U)) - degree + static_cast<int>(level_[v]);
  }

  std::vector<std::vector<adj>> out_, in_;
  std::vector<std::uint8_t> done_;
  std::vector<std::uint32_t> level_;
  std::vector<std::uint32_t> dist_, touched_;
  std::vector<std::uint64_t> heap_;
};

// Arcs (tail, head rank, w) into CSR by tail.
void to_csr(std::vector<edge>& arcs, std::size_t n, std::vector<std::uint32_t>& first,
            std::vector<lower_bound_graph::arc>& out) {
  std::sort(arcs.begin(), arcs.end(),
            [](edge const& a, edge const& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
  first.assign(n + 1, 0U);
  for (auto const& a : arcs) ++first[a.from + 1];
  for (auto i = 1U; i <= n; ++i) first[i] += first[i - 1];
  out.clear();
  out.reserve(arcs.size());
  for (auto const& a : arcs) out.push_back({a.to, a.w});
}

}  // namespace

std::vector<lb_arc> lower_bound_arcs(timetable const& tt, std::span<double const> link_dist, bool& valid) {
  std::vector<edge> edges;
  valid = false;
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const stops = tt.route_stops[r];
    auto const nt = tt.route_n_trips[r];
    if (nt == 0U) continue;
    for (auto p = 0U; p + 1 < stops.size(); ++p) {
      if (stops[p] == stops[p + 1]) continue;
      auto const deps = tt.route_departures_at(r, p);
      auto const arrs = tt.route_arrivals_at(r, p + 1);
      auto w = std::numeric_limits<std::int64_t>::max();
      for (auto i = 0U; i < nt; ++i) w = std::min(w, std::int64_t{arrs[i]} - deps[i]);
      if (w < 0) return {};
      edges.push_back({stops[p].v(), stops[p + 1].v(), static_cast<std::uint32_t>(std::min<std::int64_t>(w, clamp_s))});
    }
  }
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    for (auto const& fp : tt.stop_footpaths[s]) {
      if (fp.target != s) edges.push_back({s.v(), fp.target.v(), std::min(fp.duration_s, clamp_s)});
    }
  }
  for (auto s = stop_idx{0}; s.v() < tt.stop_walk_links.size(); ++s) {
    auto const base = tt.stop_walk_links.raw_offsets()[s.v()];
    auto const links = tt.stop_walk_links[s];
    for (auto j = 0U; j < links.size(); ++j) {
      if (links[j].distance_m > lower_bound_graph::walk_radius_m + 1.0) break;  // nearest first
      auto const d = link_dist[base + j];
      if (d > lower_bound_graph::walk_radius_m || links[j].target == s) continue;
      // Rounded down, with a margin against the last bit of the distance in either direction.
      auto const w = static_cast<std::uint32_t>(
          std::min(std::floor(d * (1.0 - 1e-9) / lower_bound_graph::walk_speed_mps), static_cast<double>(clamp_s)));
      edges.push_back({s.v(), links[j].target.v(), w});
      edges.push_back({links[j].target.v(), s.v(), w});
    }
  }
  std::sort(edges.begin(), edges.end(),
            [](edge const& a, edge const& b) { return std::tie(a.from, a.to, a.w) < std::tie(b.from, b.to, b.w); });
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](edge const& a, edge const& b) { return a.from == b.from && a.to == b.to; }),
              edges.end());
  valid = true;
  std::vector<lb_arc> out;
  out.reserve(edges.size());
  for (auto const& e : edges) out.push_back({stop_idx{e.from}, stop_idx{e.to}, e.w});
  return out;
}

lower_bound_graph::lower_bound_graph(timetable const& tt, std::span<double const> link_dist, std::size_t max_table_stops) {
  auto const n = static_cast<std::uint32_t>(tt.n_stops());
  auto const arcs = lower_bound_arcs(tt, link_dist, valid_);
  if (!valid_) return;
  stats_.n_arcs = arcs.size();
  contraction c{n};
  for (auto const& a : arcs) c.add_arc(a.from.v(), a.to.v(), a.w);
  stats_.n_dominated = c.drop_dominated();
  std::vector<edge> up, down;  // by vertex for now
  auto const order = c.run(
      [&](std::uint32_t v, std::uint32_t x, std::uint32_t w) {
        up.push_back({v, x, w});
      },
      [&](std::uint32_t v, std::uint32_t x, std::uint32_t w) {
        down.push_back({v, x, w});
      },
      stats_.n_shortcuts);
  stop_of_rank_ = order;
  rank_of_stop_.assign(n, 0U);
  for (auto r = 0U; r < n; ++r) rank_of_stop_[order[r]] = r;
  for (auto* list : {&up, &down}) {
    for (auto& a : *list) {
      a.from = rank_of_stop_[a.from];
      a.to = rank_of_stop_[a.to];
    }
  }
  to_csr(up, n, up_first_, up_);
  to_csr(down, n, down_first_, down_);
  stats_.n_up = up_.size();
  stats_.n_down = down_.size();
  if (n == 0U || n > max_table_stops) return;
  table_.resize(static_cast<std::size_t>(n) * n);
  lower_bounds row;
  for (auto t = stop_idx{0}; t.v() < n; ++t) {
    lb_seed const seed{t, 0U};
    row.sweep(*this, lb_direction::to_seeds, {&seed, 1});
    std::copy(row.values().begin(), row.values().end(), table_.begin() + static_cast<std::ptrdiff_t>(t.v()) * n);
  }
}

namespace {

// What decides the graph besides the timetable; a stored graph is used only when all of it agrees.
struct lb_graph_image_header {
  std::uint32_t format{2};  // 2: the table aligned, to be read in place from a mapped snapshot
  std::uint32_t arc_size{sizeof(lower_bound_graph::arc)};
  double walk_speed_mps{lower_bound_graph::walk_speed_mps};
  double walk_radius_m{lower_bound_graph::walk_radius_m};
  std::uint64_t n_stops{0};
  std::uint64_t with_table{0};  // whether the table of bounds to every stop was kept
  bool operator==(lb_graph_image_header const&) const = default;
};

}  // namespace

std::vector<char> lower_bound_graph::to_bytes() const {
  std::vector<char> out;
  byte_writer w{out};
  lb_graph_image_header h;
  h.n_stops = n_nodes();
  h.with_table = table_.empty() ? 0U : 1U;
  w.value(h);
  w.value(static_cast<std::uint8_t>(valid_ ? 1U : 0U));
  w.value(stats_);
  for (auto const* v : {&rank_of_stop_, &stop_of_rank_, &up_first_, &down_first_}) w.vector(*v);
  w.vector(up_);
  w.vector(down_);
  w.aligned_vector(table_);  // its offset in the image is a multiple of 8; sections start at one
  return out;
}

std::optional<lower_bound_graph> lower_bound_graph::from_bytes(std::span<char const> bytes, std::size_t n_stops,
                                                               std::size_t max_table_stops,
                                                               std::shared_ptr<void const> const& owner) {
  byte_reader r{bytes};
  lb_graph_image_header h;
  lb_graph_image_header expected;
  expected.n_stops = n_stops;
  std::uint8_t valid = 0;
  lower_bound_graph g;
  if (!r.value(h) || !r.value(valid) || !r.value(g.stats_)) return std::nullopt;
  if (valid == 0U) {
    // An invalid graph is empty whatever the table limit.
    h.with_table = expected.with_table = 0U;
    if (!(h == expected) || !r.at_end()) return std::nullopt;
    return g;
  }
  expected.with_table = n_stops != 0U && n_stops <= max_table_stops ? 1U : 0U;
  if (!(h == expected)) return std::nullopt;
  for (auto* v : {&g.rank_of_stop_, &g.stop_of_rank_, &g.up_first_, &g.down_first_}) r.vector(*v);
  r.vector(g.up_);
  r.vector(g.down_);
  std::uint64_t n_table = 0;
  auto const table = r.aligned_view<std::uint16_t>(n_table);
  if (!r.at_end()) return std::nullopt;
  if (owner && byte_reader::aligned<std::uint16_t>(table)) {
    g.table_ = column<std::uint16_t>::view({reinterpret_cast<std::uint16_t const*>(table.data()), n_table}, owner);
  } else {
    std::vector<std::uint16_t> copy(n_table);
    if (n_table != 0U) std::memcpy(copy.data(), table.data(), table.size());
    g.table_ = std::move(copy);
  }
  // The shape every query relies on: one rank per stop, CSR offsets over the arcs, arcs to
  // ranks in range, a full table or none. A damaged image is rebuilt, never read out of bounds.
  auto const n = n_stops;
  auto const csr_ok = [n](std::vector<std::uint32_t> const& first, std::vector<arc> const& arcs) {
    if (first.size() != n + 1 || first.front() != 0U || first.back() != arcs.size()) return false;
    if (!std::is_sorted(first.begin(), first.end())) return false;
    return std::all_of(arcs.begin(), arcs.end(), [n](arc const& a) { return a.head < n; });
  };
  auto const perm_ok = [n](std::vector<std::uint32_t> const& v) {
    return v.size() == n && std::all_of(v.begin(), v.end(), [n](std::uint32_t x) { return x < n; });
  };
  if (!perm_ok(g.rank_of_stop_) || !perm_ok(g.stop_of_rank_) || !csr_ok(g.up_first_, g.up_) ||
      !csr_ok(g.down_first_, g.down_) || g.table_.size() != (expected.with_table != 0U ? n * n : 0U)) {
    return std::nullopt;
  }
  g.valid_ = true;
  return g;
}

std::size_t lower_bound_graph::memory_bytes() const {
  auto const bytes = [](auto const& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(rank_of_stop_) + bytes(stop_of_rank_) + bytes(up_first_) + bytes(down_first_) + bytes(up_) +
         bytes(down_) + bytes(table_);
}

void lower_bounds::compute(lower_bound_graph const& g, lb_direction dir, std::span<lb_seed const> seeds) {
  auto const n = g.n_nodes();
  if (g.table_.empty() || seeds.size() > table_max_seeds) {
    sweep(g, dir, seeds);
    return;
  }
  // The table holds every single seed's sweep ([t * n + s]: from s to t); several seeds, each
  // with its offset added, give their minimum, as in the sweep (clamping commutes with both).
  by_stop_.assign(n, lower_bound_graph::unreachable);
  auto* const out = by_stop_.data();
  auto const* const table = g.table_.data();
  for (auto const& seed : seeds) {
    if (seed.stop.v() >= n) continue;
    auto const off = std::min(seed.offset_s, clamp_s);
    if (dir == lb_direction::to_seeds) {
      auto const* const row = table + static_cast<std::size_t>(seed.stop.v()) * n;
      for (std::size_t s = 0; s < n; ++s) {
        out[s] = static_cast<std::uint16_t>(std::min({static_cast<std::uint32_t>(out[s]), row[s] + off, clamp_s}));
      }
    } else {
      auto const* const column = table + seed.stop.v();
      for (std::size_t s = 0; s < n; ++s) {
        out[s] = static_cast<std::uint16_t>(std::min({static_cast<std::uint32_t>(out[s]), column[s * n] + off, clamp_s}));
      }
    }
  }
}

void lower_bounds::sweep(lower_bound_graph const& g, lb_direction dir, std::span<lb_seed const> seeds) {
  auto const n = g.n_nodes();
  by_stop_.resize(n);  // every stop written below
  if (by_rank_.size() != n) {
    by_rank_.assign(n, lower_bound_graph::unreachable);
    up_dist_.assign(n, clamp_s);
    queued_.assign(n, 0U);
    queue_.reserve(n);  // no allocation in later queries
    touched_.reserve(n);
  }
  // Upward: from the seeds along arcs to higher ranks only (the graph's down arcs reversed for
  // distances to the seeds, its up arcs for distances from them). The arcs form a DAG ordered by
  // rank, so settling in increasing rank settles each vertex once, after all its predecessors.
  auto const& up_first = dir == lb_direction::to_seeds ? g.down_first_ : g.up_first_;
  auto const& up_arcs = dir == lb_direction::to_seeds ? g.down_ : g.up_;
  auto const push = [&](std::uint32_t r, std::uint32_t d) {
    if (d >= up_dist_[r]) return;
    if (up_dist_[r] == clamp_s) touched_.push_back(r);
    up_dist_[r] = d;
    if (queued_[r] == 0U) {
      queued_[r] = 1U;
      queue_.push_back(r);
      std::push_heap(queue_.begin(), queue_.end(), std::greater<>{});
    }
  };
  for (auto const& s : seeds) {
    if (s.stop.v() < n) push(g.rank_of_stop_[s.stop.v()], std::min(s.offset_s, clamp_s));
  }
  while (!queue_.empty()) {
    std::pop_heap(queue_.begin(), queue_.end(), std::greater<>{});
    auto const v = queue_.back();
    queue_.pop_back();
    queued_[v] = 0U;
    auto const d = up_dist_[v];
    for (auto i = up_first[v]; i < up_first[v + 1]; ++i) push(up_arcs[i].head, std::min(d + up_arcs[i].w, clamp_s));
  }

  // Sweep: every vertex from the top, its distance the best of its upward one and of its arcs
  // to higher vertices (already final). Arcs are stored by vertex in rank order, so the sweep
  // reads them backwards in one pass.
  auto const& first = dir == lb_direction::to_seeds ? g.up_first_ : g.down_first_;
  auto const& arcs = dir == lb_direction::to_seeds ? g.up_ : g.down_;
  auto const* const stop_of = g.stop_of_rank_.data();
  auto const* const up = up_dist_.data();
  auto* const dist = by_rank_.data();
  auto* const out = by_stop_.data();
  // This loop is the whole per-query cost of the bounds (every stop, every arc): two minimum
  // chains instead of one let the arcs of a vertex be read in parallel.
  auto const* const arc0 = arcs.data();
  auto const* const first0 = first.data();
  auto end = static_cast<std::uint32_t>(arcs.size());
  for (auto v = n; v-- > 0U;) {
    auto const begin = first0[v];
    auto d0 = up[v];
    auto d1 = clamp_s;
    auto i = begin;
    for (; i + 2 <= end; i += 2) {
      d0 = std::min(d0, dist[arc0[i].head] + arc0[i].w);
      d1 = std::min(d1, dist[arc0[i + 1].head] + arc0[i + 1].w);
    }
    if (i != end) d0 = std::min(d0, dist[arc0[i].head] + arc0[i].w);
    end = begin;
    auto const d = static_cast<std::uint16_t>(std::min({d0, d1, clamp_s}));
    dist[v] = d;
    out[stop_of[v]] = d;
  }
  for (auto const r : touched_) up_dist_[r] = clamp_s;
  touched_.clear();
}

std::size_t lower_bounds::memory_bytes() const {
  auto const bytes = [](auto const& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(by_stop_) + bytes(by_rank_) + bytes(up_dist_) + bytes(queue_) + bytes(touched_) + bytes(queued_);
}

}  // namespace nebuta::raptor
