#include "nebuta/raptor/index.h"

#include <cmath>
#include <functional>
#include <limits>
#include <tuple>

namespace nebuta::raptor {

index::index(timetable const& tt) : tt_{tt} {
  auto const n_stops = tt.n_stops();
  std::vector<std::uint32_t> count(n_stops + 1, 0U);
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    for (auto const s : tt.route_stops[r]) ++count[s.v() + 1];
  }
  for (auto i = 1U; i <= n_stops; ++i) count[i] += count[i - 1];
  occ_offsets_ = count;
  occ_.resize(count[n_stops]);
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const stops = tt.route_stops[r];
    for (auto p = 0U; p < stops.size(); ++p) occ_[count[stops[p].v()]++] = {r, p};
  }

  for (auto const fwd : {true, false}) {
    auto& offs = fwd ? entry_fwd_offsets_ : entry_bwd_offsets_;
    auto& list = fwd ? entry_fwd_ : entry_bwd_;
    offs.assign(n_stops + 1, 0U);
    for (auto s = stop_idx{0}; s.v() < n_stops; ++s) {
      for (auto const [r, pos] : occurrences(s)) {
        auto const n = static_cast<std::uint32_t>(tt.route_stops[r].size());
        auto const rank = fwd ? pos : n - 1 - pos;
        if (rank + 1 >= n) continue;
        if (fwd ? !tt.can_board(r, pos) : !tt.can_alight(r, pos)) continue;
        list.push_back({r, rank});
      }
      offs[s.v() + 1] = static_cast<std::uint32_t>(list.size());
    }
  }

  rev_fp_offsets_.assign(n_stops + 1, 0U);
  for (auto s = stop_idx{0}; s.v() < n_stops; ++s) {
    for (auto const& fp : tt.stop_footpaths[s]) ++rev_fp_offsets_[fp.target.v() + 1];
  }
  for (auto i = 1U; i <= n_stops; ++i) rev_fp_offsets_[i] += rev_fp_offsets_[i - 1];
  rev_fp_.resize(rev_fp_offsets_[n_stops]);
  {
    auto fill = rev_fp_offsets_;
    for (auto s = stop_idx{0}; s.v() < n_stops; ++s) {
      for (auto const& fp : tt.stop_footpaths[s]) rev_fp_[fill[fp.target.v()]++] = {s, fp.duration_s};
    }
  }

  link_dist_.resize(tt.stop_walk_links.total());
  for (auto s = stop_idx{0}; s.v() < tt.stop_walk_links.size(); ++s) {
    auto const base = tt.stop_walk_links.raw_offsets()[s.v()];
    auto const links = tt.stop_walk_links[s];
    for (auto j = 0U; j < links.size(); ++j) {
      link_dist_[base + j] = haversine_m(tt.stop_coords[s], tt.stop_coords[links[j].target]);
    }
  }

  first_departure_ = tt.departures.empty() ? 0 : *std::min_element(tt.departures.begin(), tt.departures.end());

  arr_tm_.resize(tt.arrivals.size());
  dep_tm_.resize(tt.departures.size());
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const n = static_cast<std::uint32_t>(tt.route_stops[r].size());
    auto const base = tt.route_time_base[r];
    for (auto i = 0U; i < tt.route_n_trips[r]; ++i) {
      for (auto p = 0U; p < n; ++p) {
        arr_tm_[base + i * n + p] = tt.arrival(r, p, i);
        dep_tm_[base + i * n + p] = tt.departure(r, p, i);
      }
    }
  }

  stop_accessible_.resize(n_stops);
  for (auto s = stop_idx{0}; s.v() < n_stops; ++s) {
    auto wb = tt.stop_wheelchair_boarding[s];
    if (wb == 0U && tt.stop_parent[s].valid()) wb = tt.stop_wheelchair_boarding[tt.stop_parent[s]];
    stop_accessible_[s.v()] = wb <= 2U ? wb : 0U;
  }

  for (auto s = stop_idx{0}; s.v() < n_stops; ++s) {
    if (tt.stop_has_coords[s] != 0U) stops_by_lat_.emplace_back(tt.stop_coords[s].lat, s);
  }
  std::sort(stops_by_lat_.begin(), stops_by_lat_.end());

  build_lb_table();
}

// Built from the timetable alone, so that one table serves every option set: ride edges take the
// minimum time between two consecutive stops of a route over all its trips (whatever day or
// accessibility), footpaths and walking links are all included (walking links both ways, at
// lb_walk_speed, rounded down), change times count 0. Every journey any query can make is a path
// of this graph at least as long, so arrival(s) + d[t][s] never exceeds the arrival at t of a
// journey continuing from s.
void index::build_lb_table() {
  // 17 MiB at most; built in about 0.25 ms per stop (Tampa: 2,349 stops, 11 MiB, ~0.5 s).
  constexpr std::size_t max_stops = 3000;
  auto const& tt = tt_;
  auto const n = tt.n_stops();
  if (n == 0U || n > max_stops) return;
  // Edges u -> v as (v, u, w), deduplicated to the minimum, then by head v for a Dijkstra from
  // each target over reversed edges.
  struct edge {
    std::uint32_t v, u, w;
  };
  std::vector<edge> edges;
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
      if (w < 0) return;  // not a timetable the bound holds for
      edges.push_back({stops[p + 1].v(), stops[p].v(), static_cast<std::uint32_t>(std::min<std::int64_t>(w, 0xFFFF))});
    }
  }
  for (auto s = stop_idx{0}; s.v() < n; ++s) {
    for (auto const& fp : tt.stop_footpaths[s]) {
      edges.push_back({fp.target.v(), s.v(), std::min<std::uint32_t>(fp.duration_s, 0xFFFF)});
    }
  }
  for (auto s = stop_idx{0}; s.v() < tt.stop_walk_links.size(); ++s) {
    auto const base = tt.stop_walk_links.raw_offsets()[s.v()];
    auto const links = tt.stop_walk_links[s];
    for (auto j = 0U; j < links.size(); ++j) {
      if (links[j].distance_m > lb_walk_radius + 1.0) break;  // nearest first
      if (link_dist_[base + j] > lb_walk_radius) continue;
      // Rounded down, with a margin against the last bit of the distance in either direction.
      auto const w = static_cast<std::uint32_t>(
          std::min(std::floor(link_dist_[base + j] * (1.0 - 1e-9) / lb_walk_speed), 65535.0));
      edges.push_back({links[j].target.v(), s.v(), w});
      edges.push_back({s.v(), links[j].target.v(), w});
    }
  }
  std::sort(edges.begin(), edges.end(),
            [](edge const& a, edge const& b) { return std::tie(a.v, a.u, a.w) < std::tie(b.v, b.u, b.w); });
  edges.erase(std::unique(edges.begin(), edges.end(), [](edge const& a, edge const& b) { return a.v == b.v && a.u == b.u; }),
              edges.end());
  std::vector<std::uint32_t> off(n + 1, 0U);
  for (auto const& e : edges) ++off[e.v + 1];
  for (auto i = 1U; i <= n; ++i) off[i] += off[i - 1];

  lb_.assign(n * n, 0xFFFF);
  std::vector<std::uint32_t> dist(n);
  std::vector<std::uint64_t> heap;  // (distance << 32) | stop, min-heap
  for (auto t = 0U; t < n; ++t) {
    std::fill(dist.begin(), dist.end(), std::numeric_limits<std::uint32_t>::max());
    auto* const row = lb_.data() + static_cast<std::size_t>(t) * n;
    dist[t] = 0;
    heap.clear();
    heap.push_back(t);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
      auto const top = heap.back();
      heap.pop_back();
      auto const dv = static_cast<std::uint32_t>(top >> 32U);
      auto const v = static_cast<std::uint32_t>(top);
      if (dv != dist[v]) continue;
      if (dv >= 0xFFFFU) break;  // everything further is clamped anyway
      row[v] = static_cast<std::uint16_t>(dv);
      for (auto i = off[v]; i < off[v + 1]; ++i) {
        auto const& e = edges[i];
        auto const du = dv + e.w;
        if (du < dist[e.u]) {
          dist[e.u] = du;
          heap.push_back((std::uint64_t{du} << 32U) | e.u);
          std::push_heap(heap.begin(), heap.end(), std::greater<>{});
        }
      }
    }
  }
}

std::size_t index::memory_bytes() const {
  auto const bytes = [](auto const& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(occ_offsets_) + bytes(occ_) + bytes(entry_fwd_offsets_) + bytes(entry_bwd_offsets_) + bytes(entry_fwd_) +
         bytes(entry_bwd_) + bytes(rev_fp_offsets_) + bytes(rev_fp_) + bytes(link_dist_) + bytes(arr_tm_) +
         bytes(dep_tm_) + bytes(stop_accessible_) + bytes(stops_by_lat_) + bytes(lb_);
}

}  // namespace nebuta::raptor
