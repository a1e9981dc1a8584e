// travel_model over an OSM road graph: snapping with a Boost.Geometry R-tree of the kept graph's
// segments, travel times from a contraction hierarchy built in the constructor (or, on request,
// plain Dijkstra with early stopping), and a bounded cache of vertex-to-vertex results. The graph
// keeps every OSM node of the drivable ways (the streets' shapes, which snapping needs); the
// hierarchy folds the chains of degree-2 vertices into arcs between junctions (ch.h) and answers
// for any vertex, a chain's inner ones included.
//
// Searches: with the contraction hierarchy (the default), cost() runs a point-to-point CH query
// through the cache, and many_to_many() computes the whole matrix without the cache (a CH matrix
// is cheaper than looking up its pairs one by one): by buckets for square-ish matrices, by one
// PHAST sweep per vertex of the small side for lopsided ones such as the dispatcher's
// "every stop -> {pickup, dropoff}". With `road_search::dijkstra` every search is a plain
// Dijkstra and many_to_many() runs one search per source through the cache.
//
// Thread safety: every const member may be called from any number of threads at once. Searches
// borrow a road_query from a mutex-guarded pool (a new one is made only when more threads search
// at once than ever before); the cache is guarded by its own mutex.
//
// Snapping: a coordinate snaps to the nearest point on any segment of the kept graph, measured in a
// local equirectangular projection around the graph's centre (accurate for city- or region-size
// extracts). The snapped_point's `node` is the nearer end of that segment and `offset_s` is the
// driving time along the segment between the foot point and that end, at the segment's speed, as
// if that short piece were drivable both ways. The distance from the coordinate to the foot point
// is not driven (the rider walks it); points farther than max_snap_m are invalid.
//
// Cost of a -> b = a.offset_s + fastest(a.node, b.node) + b.offset_s (seconds, rounded from
// deciseconds); metres add the straight-line distances between each coordinate and its node. The
// same snapped point to itself costs zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "nebuta/road/ch.h"
#include "nebuta/road/graph.h"
#include "nebuta/road/query.h"
#include "nebuta/road/travel_model.h"

namespace nebuta::road {

enum class road_search : std::uint8_t { contraction_hierarchy, dijkstra };

struct network_options {
  double max_snap_m{500.0};
  std::size_t cache_entries{1U << 16};  // rounded up to a power of two; 0 disables the cache
  road_search search{road_search::contraction_hierarchy};
  ch_options ch{};
};

struct snap_result {
  snapped_point point;     // invalid when nothing is within max_snap_m
  latlon on_network{};     // foot point on the nearest segment
  double distance_m{0.0};  // coordinate -> foot point; set also when the point is refused
  road_node_idx from{};    // the nearest segment's ends
  road_node_idx to{};
};

struct cache_stats {
  std::uint64_t hits{0};
  std::uint64_t misses{0};
};

class road_network_model final : public travel_model {
 public:
  explicit road_network_model(road_graph g, network_options opt = {});
  ~road_network_model() override;
  road_network_model(road_network_model&&) noexcept;  // not while another thread uses it
  road_network_model& operator=(road_network_model&&) noexcept;

  snapped_point snap(latlon c) const override { return snap_detailed(c).point; }
  snap_result snap_detailed(latlon c) const;

  std::optional<travel_cost> cost(snapped_point const& a, snapped_point const& b) const override;
  void many_to_many(std::span<snapped_point const> from, std::span<snapped_point const> to,
                    std::span<std::optional<travel_cost>> out) const override;

  // Vertex-to-vertex search through the cache (what cost() uses between the offsets).
  node_cost node_to_node(road_node_idx a, road_node_idx b) const;

  road_graph const& graph() const;
  network_options const& options() const;
  // The contraction hierarchy; nullptr with road_search::dijkstra, or when the graph is too large
  // for it (see contraction_hierarchy's constructor), in which case plain Dijkstra answers.
  contraction_hierarchy const* hierarchy() const;
  double hierarchy_build_seconds() const;
  cache_stats cache_statistics() const;
  void clear_cache() const;

 private:
  void many_to_many_ch(std::span<snapped_point const> from, std::span<snapped_point const> to,
                       std::span<std::optional<travel_cost>> out) const;
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nebuta::road
