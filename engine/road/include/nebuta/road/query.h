// Travel-time search on a road_graph: Dijkstra from one source that stops as soon as every target
// is settled. Costs compare as (time_ds, metres): among the fastest paths the shortest one wins,
// so that the metres of a result do not depend on the order in which ties are settled. The graph is immutable and shared; a road_query is the scratch state of one thread,
// reused across queries. After its first queries have grown the heap, a query does not allocate:
// distances are reset in O(1) by bumping a timestamp.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "nebuta/road/graph.h"

namespace nebuta::road {

// Cost of the fastest path between two graph vertices (metres along that path).
struct node_cost {
  static constexpr std::uint32_t unreachable_ds = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t time_ds{unreachable_ds};
  float metres{0.0F};
  constexpr bool reachable() const { return time_ds != unreachable_ds; }
  constexpr bool operator==(node_cost const&) const = default;
};

class road_query {
 public:
  static constexpr std::uint32_t no_limit = node_cost::unreachable_ds - 1;

  explicit road_query(road_graph const& g);

  // out[j] = fastest source -> targets[j]; unreachable when not found within max_ds. Duplicated
  // targets are allowed. out.size() must equal targets.size().
  void one_to_many(road_node_idx source, std::span<road_node_idx const> targets, std::span<node_cost> out,
                   std::uint32_t max_ds = no_limit);

  node_cost point_to_point(road_node_idx source, road_node_idx target, std::uint32_t max_ds = no_limit) {
    node_cost out;
    one_to_many(source, {&target, 1}, {&out, 1}, max_ds);
    return out;
  }

  // Vertices settled by the last search (for benchmarks and tests of early stopping).
  std::size_t n_settled() const { return n_settled_; }
  road_graph const& graph() const { return *g_; }

 private:
  void next_round();

  road_graph const* g_;
  std::uint32_t now_{0};
  std::vector<std::uint32_t> stamp_;         // dist_/metres_ are valid iff stamp_[v] == now_
  std::vector<std::uint32_t> target_stamp_;  // v is a not-yet-settled target iff == now_
  std::vector<std::uint32_t> dist_;
  std::vector<float> metres_;
  struct heap_item {
    std::uint32_t time_ds;
    float metres;
    std::uint32_t vertex;
  };
  std::vector<heap_item> heap_;  // lazy deletion
  std::size_t n_settled_{0};
};

}  // namespace nebuta::road
