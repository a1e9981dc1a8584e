// Contraction hierarchies on a road_graph: an immutable index (contraction_hierarchy) built once,
// and a reusable per-thread query object (ch_query) for point-to-point, one-to-many, many-to-one
// and many-to-many travel times.
//
// Costs are compared lexicographically as (time_ds, length): among the fastest paths the shortest
// one wins, the same rule road_query applies, so the metres of a result are the length of a
// time-fastest path. Times are exact (equal to road_query). Lengths are summed as integers in
// units of metres_per_unit() (1 mm unless the graph holds over 2,147 km of road), so metres agree
// with road_query's float sums within a few millimetres per arc of the path.
//
// Layout (as in RoutingKit): vertices are renumbered by contraction rank, and the arcs are two flat
// CSR arrays indexed by rank: `up` holds v -> w with rank(w) > rank(v) (original arcs and
// shortcuts), `down` holds, at v, the arcs w -> v with rank(w) > rank(v). An upward search from s
// in `up` meets an upward search from t in `down`. A one-to-all sweep (PHAST) runs the upward
// search and then relaxes every vertex in decreasing rank from its `down` arcs, a linear scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "nebuta/road/graph.h"
#include "nebuta/road/query.h"

namespace nebuta::road {

struct ch_options {
  // A witness search stops after settling this many vertices; giving up only adds a shortcut that
  // might not have been needed, never a wrong answer.
  std::uint32_t witness_settled_limit{500};
  // Witness searches used to estimate a vertex's priority are cheaper (and less precise).
  std::uint32_t priority_settled_limit{100};
};

struct ch_stats {
  std::size_t n_nodes{0};
  std::size_t n_original_arcs{0};
  std::size_t n_shortcuts{0};  // arcs added (a shortcut that only improves an existing arc is not counted)
  std::size_t n_up_arcs{0};
  std::size_t n_down_arcs{0};
  double mean_upward_settled{0.0};  // of a sample of upward searches (used to pick a strategy)
};

class contraction_hierarchy {
 public:
  contraction_hierarchy() = default;
  // Contracts every vertex of g (the graph is only read here; the index keeps no reference).
  // Throws std::length_error when the arcs' times sum to 2^31 deciseconds (68 years) or more: the
  // keys bound every path by that sum, which city and region extracts stay far below. The length
  // unit likewise grows past 1 mm only beyond about 2,147 km of road in total.
  explicit contraction_hierarchy(road_graph const& g, ch_options const& opt = {});

  std::size_t n_nodes() const { return rank_.size(); }
  std::uint32_t rank(road_node_idx v) const { return rank_[v.v()]; }
  road_node_idx node_at_rank(std::uint32_t r) const { return road_node_idx{node_of_rank_[r]}; }
  ch_stats const& stats() const { return stats_; }
  double metres_per_unit() const { return metres_per_unit_; }
  std::size_t memory_bytes() const;

 private:
  friend class ch_query;
  std::vector<std::uint32_t> rank_;          // graph vertex -> rank
  std::vector<std::uint32_t> node_of_rank_;  // rank -> graph vertex
  std::vector<std::uint32_t> up_first_out_;  // by rank, n + 1 entries
  std::vector<std::uint32_t> up_head_;       // rank of the higher end
  std::vector<std::uint64_t> up_weight_;  // packed (time_ds, length units), see src/ch_key.h
  std::vector<std::uint32_t> down_first_out_;
  std::vector<std::uint32_t> down_head_;  // rank of the higher tail w of w -> v
  std::vector<std::uint64_t> down_weight_;
  double metres_per_unit_{0.001};
  ch_stats stats_;
};

enum class matrix_strategy : std::uint8_t {
  automatic,  // estimate the work of both below and take the cheaper
  buckets,    // one upward search per source and per target, joined through buckets (Knopp et al.)
  sweeps,     // one PHAST sweep per vertex of the smaller side, read off for the larger side
};

// Scratch state of one thread. After the first queries have grown its buffers it does not
// allocate (with sweeps: as long as the smaller side has no more vertices than before).
class ch_query {
 public:
  explicit ch_query(contraction_hierarchy const& ch);

  node_cost point_to_point(road_node_idx source, road_node_idx target);

  // out[i * to.size() + j] = fastest from[i] -> to[j]. out.size() must be from.size() * to.size().
  // Vertices out of range give unreachable entries.
  void many_to_many(std::span<road_node_idx const> from, std::span<road_node_idx const> to,
                    std::span<node_cost> out, matrix_strategy strategy = matrix_strategy::automatic);

  void one_to_many(road_node_idx source, std::span<road_node_idx const> to, std::span<node_cost> out) {
    many_to_many({&source, 1}, to, out);
  }
  void many_to_one(std::span<road_node_idx const> from, road_node_idx target, std::span<node_cost> out) {
    many_to_many(from, {&target, 1}, out);
  }

  // The strategy `automatic` picks for these sizes.
  matrix_strategy choose(std::size_t n_from, std::size_t n_to) const;

  // Vertices settled by upward searches since the last query began (for tests and benchmarks).
  std::size_t n_settled() const { return n_settled_; }

 private:
  // Packed (time_ds, length) keys, see src/ch_key.h.
  using key_t = std::uint64_t;

  template <bool Up>
  void upward_search(std::uint32_t root);
  template <bool Forward>
  void sweep(std::span<std::uint32_t const> roots);
  void matrix_by_buckets(std::span<road_node_idx const> from, std::span<road_node_idx const> to,
                         std::span<node_cost> out);
  void matrix_by_sweeps(std::span<road_node_idx const> from, std::span<road_node_idx const> to,
                        std::span<node_cost> out);
  void next_round();

  contraction_hierarchy const* ch_;
  std::uint32_t now_{0};
  std::vector<std::uint32_t> stamp_;  // dist_ is valid iff stamp_[rank] == now_
  std::vector<key_t> dist_;
  std::vector<std::pair<key_t, std::uint32_t>> heap_;
  std::vector<std::pair<std::uint32_t, key_t>> space_;  // (rank, key) settled by the last upward search
  std::size_t n_settled_{0};

  // Point to point: the forward space is kept while the backward search runs.
  std::vector<std::uint32_t> meet_stamp_;
  std::vector<key_t> meet_dist_;

  // Buckets: per rank, a chain of (column, key) entries of the upward spaces of one side.
  struct bucket_entry {
    std::uint32_t column;
    std::uint32_t next;
    key_t key;
  };
  std::uint32_t bucket_now_{0};
  std::vector<std::uint32_t> bucket_stamp_;  // bucket_head_ is valid iff == bucket_now_
  std::vector<std::uint32_t> bucket_head_;
  std::vector<bucket_entry> buckets_;
  std::vector<key_t> matrix_;  // from.size() x to.size() keys

  // Sweeps: lanes_ distances per rank, lane-major within a rank.
  std::vector<key_t> lane_dist_;
  std::vector<std::uint32_t> roots_;
  std::size_t lanes_{0};
};

}  // namespace nebuta::road
