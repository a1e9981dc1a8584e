// Contraction hierarchies on a road_graph: an immutable index (contraction_hierarchy) built once,
// and a reusable per-thread query object (ch_query) for point-to-point, one-to-many, many-to-one
// and many-to-many travel times between any vertices of the graph.
//
// Costs are compared lexicographically as (time_ds, length): among the fastest paths the shortest
// one wins, the same rule road_query applies, so the metres of a result are the length of a
// time-fastest path. Times are exact (equal to road_query). Lengths are summed as integers in
// units of metres_per_unit() (1 mm unless the graph holds over 2,147 km of road), so metres agree
// with road_query's float sums within a few millimetres per arc of the path.
//
// Chains first: most vertices of an OSM graph only shape a street (two neighbours, nothing else
// joins). They are folded into the arcs between junctions (see src/chains.h), and the hierarchy
// is built on that junction graph alone (12,409 of Porto Alegre's 29,808 vertices). A query from a
// vertex inside a chain enters the junction graph at the chain's ends with the exact keys of the
// drive there (only the head on a one-way chain), a query to one leaves it likewise, and two
// vertices of the same chain also compare the drive along it. Every path of the graph is one of
// these, so answers equal Dijkstra's on the uncontracted graph. The chain keeps its vertices in
// order: its geometry (chain_through).
//
// Layout (as in RoutingKit): junctions are renumbered by contraction rank (then reordered so that
// upward search spaces lie close together), and the arcs are one flat array indexed by rank: at v,
// first the up arcs v -> w with rank(w) > rank(v) (original arcs and shortcuts), then the down
// arcs w -> v with rank(w) > rank(v). A point query runs an upward search from the source's seeds
// over up arcs and one from the target's seeds over down arcs, taking turns and stopping when
// neither can improve on the best meeting found. A one-to-all sweep (PHAST) runs the upward search
// and then relaxes every junction in decreasing rank from its down arcs, a linear scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "nebuta/road/detail/id_heap.h"
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
  std::size_t n_nodes{0};          // vertices of the road graph (what queries take)
  std::size_t n_graph_arcs{0};     // arcs of the road graph
  std::size_t n_junctions{0};      // vertices of the junction graph, which the hierarchy contracts
  std::size_t n_chains{0};         // chains of inner vertices folded into arcs
  std::size_t n_original_arcs{0};  // arcs of the junction graph (a chain gives one per direction)
  std::size_t n_shortcuts{0};      // arcs added (a shortcut that only improves an existing arc is not counted)
  std::size_t n_up_arcs{0};
  std::size_t n_down_arcs{0};
  double mean_upward_settled{0.0};  // of a sample of full upward searches (used to pick a strategy)
};

class contraction_hierarchy {
 public:
  contraction_hierarchy() = default;
  // Contracts the chains of g, then every junction (the graph is only read here; the index keeps
  // no reference). Throws std::length_error when the arcs' times sum to 2^31 deciseconds (68
  // years) or more: the keys bound every path by that sum, which city and region extracts stay far
  // below. The length unit likewise grows past 1 mm only beyond about 2,147 km of road in total.
  explicit contraction_hierarchy(road_graph const& g, ch_options const& opt = {});

  std::size_t n_nodes() const { return places_.size(); }
  std::size_t n_junctions() const { return node_of_rank_.size(); }
  // True when v is a vertex of the junction graph (false inside a chain or out of range).
  bool is_junction(road_node_idx v) const { return v.v() < n_nodes() && places_[v.v()].chain == no_chain; }
  // The graph vertices of the chain through v, from its tail junction to its head junction in
  // the direction of travel (either way for a two-way chain); empty when v is a junction.
  std::span<std::uint32_t const> chain_through(road_node_idx v) const;
  ch_stats const& stats() const { return stats_; }
  double metres_per_unit() const { return metres_per_unit_; }
  std::size_t memory_bytes() const;

 private:
  friend class ch_query;
  static constexpr std::uint32_t no_chain = ~std::uint32_t{0};

  // Where the search starts or ends for a graph vertex: a junction (by rank) and the key between.
  struct seed {
    std::uint32_t rank;
    std::uint64_t key;
  };
  // Seeds of v as a source (the ends its drive can reach first) and as a target; at most two.
  std::size_t exits(std::uint32_t v, seed* out) const;
  std::size_t entries(std::uint32_t v, seed* out) const;
  template <bool Source>
  std::size_t seeds(std::uint32_t v, seed* out) const;
  // The key of the drive u -> v inside one chain without passing a junction (0 for u == v), or
  // >= 2^63 when there is none.
  std::uint64_t along_chain(std::uint32_t u, std::uint32_t v) const;

  // The lookups of a query's seeds touch three cache lines: the vertex's place, its chain, and
  // its position's keys.
  struct place {
    std::uint32_t chain;  // no_chain for a junction
    std::uint32_t slot;   // the junction's rank, or the vertex's flat position in its chain
  };
  struct chain {
    std::uint64_t forward;   // key of the whole chain tail -> head
    std::uint64_t backward;  // head -> tail (two-way chains)
    std::uint32_t tail_rank;
    std::uint32_t head_rank;
    std::uint32_t first;  // flat position of the tail junction; the head junction's is first + length
    std::uint32_t length : 31;
    std::uint32_t two_way : 1;
  };
  struct position {
    std::uint64_t from_tail;  // key of the drive tail -> here
    std::uint64_t to_tail;    // here -> tail (two-way chains)
  };

  std::vector<place> places_;  // per graph vertex
  std::vector<chain> chains_;
  std::vector<position> positions_;         // per flat position (the chain's ends included)
  std::vector<std::uint32_t> flat_vertex_;  // per flat position: the graph vertex, the chain's geometry

  // An arc of the hierarchy: the higher end's rank and the packed key (see src/ch_key.h) in two
  // halves, 12 bytes instead of 16 with padding.
  struct arc {
    std::uint32_t head;
    std::uint32_t time_ds;
    std::uint32_t length;
    std::uint64_t key() const { return (std::uint64_t{time_ds} << 32U) | length; }
  };

  // Where a rank's arcs begin in arcs_: first its up arcs (v -> head), then its down arcs (head ->
  // v), which end where the next rank's up arcs begin. A search settling v reads both (one kind to
  // relax, the other to stall on), so they lie together.
  struct arc_range {
    std::uint32_t up;
    std::uint32_t down;
  };
  template <bool Up>
  std::pair<std::uint32_t, std::uint32_t> arcs_of(std::uint32_t r) const {
    return Up ? std::pair{first_[r].up, first_[r].down} : std::pair{first_[r].down, first_[r + 1].up};
  }

  std::vector<std::uint32_t> node_of_rank_;  // rank -> graph vertex of the junction
  std::vector<arc_range> first_;             // by rank, n_junctions + 1 entries
  std::vector<arc> arcs_;
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
  void many_to_many(std::span<road_node_idx const> from, std::span<road_node_idx const> to, std::span<node_cost> out,
                    matrix_strategy strategy = matrix_strategy::automatic);

  void one_to_many(road_node_idx source, std::span<road_node_idx const> to, std::span<node_cost> out) {
    many_to_many({&source, 1}, to, out);
  }
  void many_to_one(std::span<road_node_idx const> from, road_node_idx target, std::span<node_cost> out) {
    many_to_many(from, {&target, 1}, out);
  }

  // The strategy `automatic` picks for these sizes.
  matrix_strategy choose(std::size_t n_from, std::size_t n_to) const;

  // Junctions settled by the searches of the last query (for tests and benchmarks).
  std::size_t n_settled() const { return n_settled_; }

  // Junctions in the whole upward search space of a source (no stopping, no stalling): what the
  // hierarchy's statistics sample.
  std::size_t upward_search_space(road_node_idx source);

 private:
  using key_t = std::uint64_t;  // packed (time_ds, length), see src/ch_key.h
  using seed = contraction_hierarchy::seed;

  // One direction's search state, reset in O(1) by bumping `now`. The stamps lie apart from the
  // labels: 4 bytes a junction stay in the first-level cache, so the many checks of junctions the
  // search has not reached (stalling looks at every higher neighbour) touch no label. A label
  // holds the distance and the junction's place in the heap, which has decrease-key, so that each
  // junction is popped once.
  struct side {
    struct label {
      std::uint32_t heap_pos;  // detail::id_heap::npos when not queued
      key_t dist;              // valid iff stamp == now
    };
    std::uint32_t now{0};
    std::vector<std::uint32_t> stamp;
    std::vector<label> labels;
    detail::id_heap<key_t> heap;

    void resize(std::size_t n);
    void start();
    bool reached(std::uint32_t r) const { return stamp[r] == now; }
    key_t dist(std::uint32_t r) const { return labels[r].dist; }
    auto heap_pos() {
      return [this](std::uint32_t r) -> std::uint32_t& { return labels[r].heap_pos; };
    }
    [[gnu::always_inline]] void reach(std::uint32_t r, key_t d) {
      if (stamp[r] == now) {
        if (!(d < labels[r].dist)) return;
      } else {
        stamp[r] = now;
      }
      labels[r].dist = d;
      heap.push_or_decrease(r, d, heap_pos());
    }
    bool empty() const { return heap.empty(); }
    key_t top_key() const { return heap.top_key(); }
    [[gnu::always_inline]] auto pop() { return heap.pop(heap_pos()); }
  };

  template <bool Up>
  key_t settle_next(side& mine, side const& other, key_t best) const;
  template <bool Up, bool Stall, typename OnSettle>
  void upward_search(std::uint32_t v, OnSettle&& on_settle);
  template <bool Forward>
  void sweep(std::span<std::uint32_t const> roots);
  void matrix_by_buckets(std::span<road_node_idx const> from, std::span<road_node_idx const> to);
  void matrix_by_sweeps(std::span<road_node_idx const> from, std::span<road_node_idx const> to);
  void along_chains(std::span<road_node_idx const> from, std::span<road_node_idx const> to);

  contraction_hierarchy const* ch_;
  side forward_;
  side backward_;
  std::size_t n_settled_{0};
  std::vector<key_t> matrix_;  // from.size() x to.size() keys

  // Buckets: the upward spaces of one side's searches as (column, key) entries sorted by rank;
  // rank r's run is [bucket_begin_[r], bucket_end_[r]) when bucket_stamp_[r] == bucket_now_.
  struct unsorted_entry {
    std::uint32_t rank;
    std::uint32_t column;
    key_t key;
  };
  struct bucket_entry {
    std::uint32_t column;
    key_t key;
  };
  std::uint32_t bucket_now_{0};
  std::vector<std::uint32_t> bucket_stamp_;
  std::vector<std::uint32_t> bucket_begin_;
  std::vector<std::uint32_t> bucket_end_;
  std::vector<std::uint32_t> touched_;
  std::vector<unsorted_entry> unsorted_;
  std::vector<bucket_entry> buckets_;

  // Sweeps: lanes_ distances per rank, lane-major within a rank.
  std::vector<key_t> lane_dist_;
  std::vector<std::uint32_t> roots_;  // graph vertices of the lanes
  std::size_t lanes_{0};
};

}  // namespace nebuta::road
