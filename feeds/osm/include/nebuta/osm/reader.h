// OSM → road graph: reads the drivable ways (car profile in profile.h) of an .osm.pbf (or OPL
// text, for tests) with libosmium and hands plain nodes and directed edges to
// road::graph_builder. Every node of a drivable way becomes a graph vertex; each pair of
// consecutive nodes becomes one edge per allowed direction, with the haversine length and the
// time at the way's speed x speed_factor.
//
// Errors: an unreadable file throws std::runtime_error naming it. Way nodes missing from the
// extract (ways cut at its border) are counted and the segments touching them skipped. A way whose
// tags do not read as key-value pairs (a PBF string holding a NUL byte) is counted and skipped.
//
// Memory: one pass with a sparse in-memory node location index of all nodes of the file
// (FlexMem), fine for city and region extracts.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "nebuta/road/graph.h"

namespace nebuta::osm {

struct read_options {
  double speed_factor{1.0};  // scales every speed (e.g. 0.8 for congested urban driving)
};

struct read_stats {
  std::size_t n_ways{0};  // ways with a highway tag
  std::size_t n_drivable_ways{0};
  std::size_t n_oneway_ways{0};
  std::size_t n_unread_maxspeed{0};    // drivable ways whose maxspeed could not be read: class default
  std::size_t n_nodes{0};              // graph nodes handed to the builder
  std::size_t n_edges{0};              // directed edges handed to the builder
  std::size_t n_missing_locations{0};  // way node refs without a location in the file
  std::size_t n_unreadable_tags{0};    // ways skipped: their tags are not key-value pairs
};

// Feeds the builder; returns what was read.
read_stats read_osm(std::filesystem::path const& file, road::graph_builder& b, read_options opt = {});

// The same from bytes in memory; format is "pbf" or "opl".
read_stats read_osm(std::string_view bytes, std::string_view format, road::graph_builder& b, read_options opt = {});

struct loaded_graph {
  road::road_graph graph;
  read_stats stats;
};

// read_osm + build: the largest strongly connected component of the drivable network.
loaded_graph load_road_graph(std::filesystem::path const& file, read_options opt = {});

}  // namespace nebuta::osm
