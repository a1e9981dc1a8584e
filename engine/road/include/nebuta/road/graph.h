// The road graph: a directed Boost.Graph compressed_sparse_row_graph whose edges carry travel time
// and length, reduced to its largest strongly connected component so that every kept vertex can
// reach every other. Built once by graph_builder from plain records (feeds/osm drives it), then
// const.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "nebuta/core/geo.h"         // latlon
#include "nebuta/core/strong_idx.h"  // strong_idx, vecmap

namespace nebuta::road {

// A vertex of the kept graph (after SCC filtering). Dense, 0 .. n_nodes()-1.
using road_node_idx = strong_idx<struct road_node_tag>;

struct road_edge {
  std::uint32_t time_ds{0};  // travel time in deciseconds
  float metres{0.0F};
};

using csr_graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, road_edge,
                                                     boost::no_property, std::uint32_t, std::uint32_t>;

struct build_stats {
  std::size_t n_input_nodes{0};
  std::size_t n_input_edges{0};
  std::size_t n_skipped_edges{0};   // self loops and edges naming an unknown node
  std::size_t n_parallel_edges{0};  // duplicates of a (from, to) pair; the fastest one is kept
  std::size_t n_components{0};      // strongly connected components of the input graph
  std::size_t n_kept_nodes{0};
  std::size_t n_kept_edges{0};
};

class road_graph {
 public:
  road_graph() = default;

  std::size_t n_nodes() const { return coords_.size(); }
  std::size_t n_edges() const { return num_edges(g_); }
  latlon coord(road_node_idx n) const { return coords_[n]; }
  std::vector<latlon> const& raw_coords() const { return coords_.raw(); }
  csr_graph const& csr() const { return g_; }
  build_stats const& stats() const { return stats_; }

  // The kept vertex of a builder node, or invalid when SCC filtering dropped it.
  road_node_idx kept_node(std::uint32_t input_node) const {
    return input_node < input_to_kept_.size() ? input_to_kept_[input_node] : road_node_idx::invalid();
  }

 private:
  friend class graph_builder;
  csr_graph g_;
  vecmap<road_node_idx, latlon> coords_;
  std::vector<road_node_idx> input_to_kept_;
  build_stats stats_;
};

// Collects nodes and directed edges, then builds the graph of the largest strongly connected
// component (ties: the one holding the lowest input node). Edge times are rounded to deciseconds.
class graph_builder {
 public:
  void reserve(std::size_t n_nodes, std::size_t n_edges) {
    coords_.reserve(n_nodes);
    edges_.reserve(n_edges);
  }
  std::uint32_t add_node(latlon c) {
    coords_.push_back(c);
    return static_cast<std::uint32_t>(coords_.size() - 1);
  }
  // Self loops and unknown nodes are counted and skipped at build().
  void add_edge(std::uint32_t from, std::uint32_t to, double metres, double seconds) {
    edges_.push_back({from, to, metres, seconds});
  }
  std::size_t n_nodes() const { return coords_.size(); }
  std::size_t n_edges() const { return edges_.size(); }

  road_graph build() &&;

 private:
  struct input_edge {
    std::uint32_t from;
    std::uint32_t to;
    double metres;
    double seconds;
  };
  std::vector<latlon> coords_;
  std::vector<input_edge> edges_;
};

}  // namespace nebuta::road
