#include "nebuta/road/graph.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include <boost/graph/strong_components.hpp>
#include <boost/property_map/property_map.hpp>

namespace nebuta::road {

namespace {

struct flat_edge {
  std::uint32_t from;
  std::uint32_t to;
  road_edge props;
};

std::uint32_t to_deciseconds(double seconds) {
  if (!(seconds > 0.0)) return 0;  // also catches NaN
  auto const ds = std::llround(seconds * 10.0);
  return static_cast<std::uint32_t>(std::min<long long>(ds, std::numeric_limits<std::int32_t>::max()));
}

csr_graph make_csr(std::vector<flat_edge> const& edges, std::size_t n) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
  std::vector<road_edge> props;
  ends.reserve(edges.size());
  props.reserve(edges.size());
  for (auto const& e : edges) {
    ends.emplace_back(e.from, e.to);
    props.push_back(e.props);
  }
  return csr_graph{boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                   static_cast<std::uint32_t>(n)};
}

}  // namespace

road_graph graph_builder::build() && {
  road_graph out;
  auto& st = out.stats_;
  auto const n = coords_.size();
  st.n_input_nodes = n;
  st.n_input_edges = edges_.size();

  std::vector<flat_edge> edges;
  edges.reserve(edges_.size());
  for (auto const& e : edges_) {
    if (e.from >= n || e.to >= n || e.from == e.to) {
      ++st.n_skipped_edges;
      continue;
    }
    // Lengths break ties between equally fast paths, so they must be ordered numbers: NaN and
    // negative lengths become +0.
    auto const metres = e.metres > 0.0 ? static_cast<float>(e.metres) : 0.0F;
    edges.push_back({e.from, e.to, {to_deciseconds(e.seconds), metres}});
  }
  edges_.clear();
  edges_.shrink_to_fit();

  // Parallel edges: keep the fastest (then shortest) one.
  std::sort(edges.begin(), edges.end(), [](flat_edge const& a, flat_edge const& b) {
    return std::tie(a.from, a.to, a.props.time_ds, a.props.metres) <
           std::tie(b.from, b.to, b.props.time_ds, b.props.metres);
  });
  auto const last = std::unique(edges.begin(), edges.end(),
                                [](flat_edge const& a, flat_edge const& b) { return a.from == b.from && a.to == b.to; });
  st.n_parallel_edges = static_cast<std::size_t>(edges.end() - last);
  edges.erase(last, edges.end());

  // Largest strongly connected component.
  std::vector<std::uint32_t> component(n, 0);
  {
    auto const full = make_csr(edges, n);
    st.n_components = n == 0 ? 0
                             : boost::strong_components(full, boost::make_iterator_property_map(
                                                                  component.begin(), get(boost::vertex_index, full)));
  }
  std::vector<std::size_t> sizes(st.n_components, 0);
  for (auto const c : component) ++sizes[c];
  std::uint32_t best = 0;
  bool have_best = false;
  for (std::size_t v = 0; v < n; ++v) {  // scanning vertices in order breaks ties by lowest vertex
    auto const c = component[v];
    if (!have_best || sizes[c] > sizes[best]) {
      best = c;
      have_best = true;
    }
  }

  out.input_to_kept_.assign(n, road_node_idx::invalid());
  for (std::size_t v = 0; v < n; ++v) {
    if (component[v] == best) out.input_to_kept_[v] = out.coords_.push_back(coords_[v]);
  }
  std::vector<flat_edge> kept;
  kept.reserve(edges.size());
  for (auto const& e : edges) {
    auto const a = out.input_to_kept_[e.from];
    auto const b = out.input_to_kept_[e.to];
    if (a.valid() && b.valid()) kept.push_back({a.v(), b.v(), e.props});
  }
  out.g_ = make_csr(kept, out.coords_.size());
  st.n_kept_nodes = out.coords_.size();
  st.n_kept_edges = kept.size();
  coords_.clear();
  coords_.shrink_to_fit();
  return out;
}

}  // namespace nebuta::road
