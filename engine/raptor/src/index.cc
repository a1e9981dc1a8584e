#include "nebuta/raptor/index.h"

namespace nebuta::raptor {

index::index(timetable const& tt, std::size_t lb_table_max_stops, stored_index const& stored)
    : tt_{tt}, nearby_stops_{tt} {
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

  auto stored_graph =
      stored.lb_graph.empty()
          ? std::nullopt
          : lower_bound_graph::from_bytes(stored.lb_graph, n_stops, lb_table_max_stops, stored.lb_graph_owner);
  lb_graph_stored_ = stored_graph.has_value();
  lb_graph_ = stored_graph ? std::move(*stored_graph) : lower_bound_graph{tt, link_dist_, lb_table_max_stops};
  seated_stored_ = !stored.seated_links.empty() && seated_from_bytes(stored.seated_links);
  if (!seated_stored_) build_seated();
  build_seated_routes();
}

stored_index stored_index::find(std::span<snapshot_section const> sections) {
  stored_index out;
  for (auto const& s : sections) {
    if (s.name == lower_bound_graph::snapshot_section_name) {
      out.lb_graph = s.bytes;
      if (s.bytes.viewing()) out.lb_graph_owner = s.bytes.owner();
    }
    if (s.name == index::seated_section_name) out.seated_links = s.bytes;
  }
  return out;
}

std::vector<snapshot_section> index::snapshot_sections() const {
  std::vector<snapshot_section> out;
  out.push_back({std::string{lower_bound_graph::snapshot_section_name}, lb_graph_.to_bytes()});
  out.push_back({std::string{seated_section_name}, seated_to_bytes()});
  return out;
}

std::size_t index::memory_bytes() const {
  auto const bytes = [](auto const& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(occ_offsets_) + bytes(occ_) + bytes(entry_fwd_offsets_) + bytes(entry_bwd_offsets_) + bytes(entry_fwd_) +
         bytes(entry_bwd_) + bytes(rev_fp_offsets_) + bytes(rev_fp_) + bytes(link_dist_) + bytes(arr_tm_) +
         bytes(dep_tm_) + bytes(stop_accessible_) + nearby_stops_.memory_bytes() + lb_graph_.memory_bytes() +
         bytes(seated_fwd_off_) + bytes(seated_bwd_off_) + bytes(seated_fwd_) + bytes(seated_bwd_) +
         bytes(seated_days_) + bytes(route_seated_) + bytes(seated_route_fwd_off_) + bytes(seated_route_bwd_off_) +
         bytes(seated_route_fwd_) + bytes(seated_route_bwd_);
}

}  // namespace nebuta::raptor
