// Lower bounds on travel times, for target pruning (A*-like): a label at stop s with time x can
// only lead to an arrival at or after x + bound(s), so once the target is reached by time B every
// label with x + bound(s) >= B is dropped.
//
// The lower-bound graph has one node per stop and an arc for every way to move between stops,
// each weighed at most what any query can take: the minimum ride time between two consecutive
// stops of a route over all its trips (whatever the day or accessibility), transfers.txt
// footpaths, and walking links up to walk_radius_m at walk_speed_mps, rounded down. Change times
// count 0. Every journey is then a path at least as long as its graph distance, so the distance
// from s to the target is a true lower bound for every query walking no faster and no farther.
//
// The graph is built once per timetable (in raptor::index) as a contraction hierarchy, after
// dropping the arcs another path already matches. Per query, lower_bounds computes the distance
// of every stop to (or from) the query's seeds in O(stops + arcs): an upward search from the
// seeds, then one sweep over the stops in decreasing rank (PHAST, Delling et al. 2011), which
// reads the arcs in order. Distances are exact (equal to a Dijkstra on the graph) and clamped to
// 65,535 s.
//
// For timetables of at most table_max_stops stops, the graph also keeps the bounds to every
// single stop, one sweep per stop at build time (Tampa, 2,349 stops: 11 MiB), so that the most
// common query, forward to a stop, reads a row instead of sweeping: the sweep costs about as
// much as a tenth of such a query there. Larger timetables sweep per query.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta::raptor {

// A stop the bounds are measured to (or from), with seconds added on top: 0 for a target stop,
// the walk to the destination for an egress stop.
struct lb_seed {
  stop_idx stop;
  std::uint32_t offset_s{0};
  bool operator==(lb_seed const&) const = default;
};

// An arc of the lower-bound graph before contraction.
struct lb_arc {
  stop_idx from, to;
  std::uint32_t w;  // seconds, clamped to lower_bound_graph::unreachable
};

// The arcs of the lower-bound graph of tt (each ordered pair of stops once, with its smallest
// weight), as the graph below is built from; `valid` is false (and the list empty) when some
// ride takes negative time. link_dist: exact walking distances parallel to tt.stop_walk_links'
// data (index::link_distances()).
std::vector<lb_arc> lower_bound_arcs(timetable const& tt, std::span<double const> link_dist, bool& valid);

enum class lb_direction : std::uint8_t {
  to_seeds,    // forward searches: from each stop to the destination
  from_seeds,  // backward searches: from the origin to each stop
};

class lower_bound_graph {
 public:
  static constexpr double walk_speed_mps = 1.2;         // valid for queries walking at most this fast
  static constexpr double walk_radius_m = 400.0;        // ... on walking links at most this long
  static constexpr std::uint16_t unreachable = 0xFFFF;  // and the clamp of every bound
  static constexpr std::size_t table_max_stops = 4096;  // a table of 32 MiB at most

  struct arc {
    std::uint32_t head;  // rank of the other end (always higher)
    std::uint32_t w;
  };
  struct stats {
    std::size_t n_arcs{0};           // of the graph, deduplicated
    std::size_t n_dominated{0};      // dropped: another path is as short
    std::size_t n_shortcuts{0};      // added by the contraction
    std::size_t n_up{0}, n_down{0};  // arcs the sweeps read (to the seeds, from the seeds)
  };

  lower_bound_graph() = default;
  // link_dist: exact walking distances parallel to tt.stop_walk_links' data; the table of bounds
  // to every stop is kept when tt has at most max_table_stops stops.
  lower_bound_graph(timetable const& tt, std::span<double const> link_dist,
                    std::size_t max_table_stops = lower_bound_graph::table_max_stops);

  // The graph as bytes, to be stored beside the timetable (a snapshot section), and back:
  // from_bytes gives nothing when the bytes were written by another layout or under other
  // parameters (walking speed and radius, the table's stop limit) or for another number of
  // stops, and the caller builds the graph instead. With an owner that keeps `bytes` alive (a
  // mapped snapshot), the table of bounds is read in place rather than copied.
  static constexpr std::string_view snapshot_section_name = "raptor.lower_bound_graph";
  std::vector<char> to_bytes() const;
  static std::optional<lower_bound_graph> from_bytes(std::span<char const> bytes, std::size_t n_stops,
                                                     std::size_t max_table_stops = lower_bound_graph::table_max_stops,
                                                     std::shared_ptr<void const> const& owner = {});

  // False when some ride takes negative time: then no bound holds and none is given.
  bool valid() const { return valid_; }
  std::size_t n_nodes() const { return stop_of_rank_.size(); }
  stats const& build_stats() const { return stats_; }
  std::size_t memory_bytes() const;

  // The bounds of every stop to stop t (what lower_bounds::compute gives for the one seed
  // {t, 0} towards the seeds), by stop; empty when the graph keeps no table.
  std::span<std::uint16_t const> to_stop(stop_idx t) const {
    if (table_.empty() || t.v() >= n_nodes()) return {};
    return {table_.data() + static_cast<std::size_t>(t.v()) * n_nodes(), n_nodes()};
  }

 private:
  friend class lower_bounds;
  bool valid_{false};
  stats stats_;
  std::vector<std::uint32_t> rank_of_stop_, stop_of_rank_;
  // By rank: up_ holds the arcs v -> x, down_ the arcs x -> v, both with rank(x) > rank(v).
  std::vector<std::uint32_t> up_first_, down_first_;
  std::vector<arc> up_, down_;
  column<std::uint16_t> table_;  // [t * n + s]: bound from s to t, see to_stop; may view a mapped snapshot
};

// Per-query scratch, owned by the caller (a router keeps one).
class lower_bounds {
 public:
  // Bounds for every stop of g's timetable, in seconds (clamped to lower_bound_graph::unreachable):
  // to_seeds, the shortest distance from the stop to a seed plus its offset; from_seeds, from a
  // seed (plus its offset) to the stop. Stops no seed connects with get `unreachable`. With the
  // graph's table and at most table_max_seeds seeds, the minimum of the seeds' rows (columns,
  // from_seeds) of the table; else the sweep. Both give the same values.
  void compute(lower_bound_graph const& g, lb_direction dir, std::span<lb_seed const> seeds);
  // The sweep alone, table or not.
  void sweep(lower_bound_graph const& g, lb_direction dir, std::span<lb_seed const> seeds);
  // Up to this many seeds the table is read: a place's poles, a few egress stops. Measured on
  // Hachinohe's plan requests (680 stops, callgrind): a sweep 36,900 instructions, a table read
  // 17,200 on average. Both grow with the stops; the read also with the seeds.
  static constexpr std::size_t table_max_seeds = 4;

  std::span<std::uint16_t const> values() const { return by_stop_; }
  std::uint16_t operator[](stop_idx s) const { return by_stop_[s.v()]; }
  std::size_t memory_bytes() const;

 private:
  std::vector<std::uint16_t> by_stop_, by_rank_;
  std::vector<std::uint32_t> up_dist_;  // upward search, by rank; unreachable where untouched
  std::vector<std::uint32_t> queue_;    // ranks to settle, a min-heap
  std::vector<std::uint32_t> touched_;
  std::vector<std::uint8_t> queued_;
};

}  // namespace nebuta::raptor
