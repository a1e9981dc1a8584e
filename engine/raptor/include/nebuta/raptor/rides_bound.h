// The fewest rides between every stop and a search's target, whatever the times: a lower bound
// on the rounds a label still needs. A label reached after k rides at a stop that needs more
// than max_legs - k further rides can lead to no journey of the query, so the rounds drop it.
// Computed per query, on demand (router::run_rounds), by a breadth-first search over the
// routes' stop sequences, the stay-seated continuations between routes, footpaths and walking
// links.
//
// Walking follows the rounds' rule: one walk after each ride (and none after a walk). So a stop
// has two values: `ride` for a label reached by vehicle (it may still walk once before the next
// ride) and `foot` for a label reached on foot (it must ride next, or be the target). The walks
// counted are the query's: footpaths when it takes them, walking links up to its radius.
//
// Where the time lower bounds (lower_bound.h) cut labels that arrive too late, this cuts the
// ones that are too many rides away: searches whose target is out of reach within max_legs, or
// whose labels wander from it, stop at the first round that cannot reach it any more.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta::raptor {

class index;

class rides_bound {
 public:
  static constexpr std::uint8_t unknown = 0xFF;  // more than the levels computed

  // to_seeds: the fewest rides from each stop to the target (a forward search); otherwise from
  // the origin to each stop (a backward search, whose target is the origin). foot_seeds: where a
  // label reached on foot is at the target (the target stop); ride_seeds: where a label reached
  // by vehicle is (the target stop and the stops with the query's walk to it, or the egress
  // stops of a coordinate). Values above max_level are left `unknown`.
  // Walks: transfers.txt footpaths when `footpaths`, walking links up to walk_radius_m (a metre
  // over, as the stored distances are rounded: a superset of the query's is still a bound).
  void compute(index const& idx, bool to_seeds, std::span<stop_idx const> foot_seeds,
               std::span<stop_idx const> ride_seeds, unsigned max_level, bool footpaths, double walk_radius_m);

  // Per stop, the rides still needed after arriving by vehicle, resp. on foot.
  std::uint8_t const* ride() const { return ride_.data(); }
  std::uint8_t const* foot() const { return foot_.data(); }

 private:
  std::vector<std::uint8_t> ride_, foot_;
  std::vector<std::uint32_t> reach_;       // per route: the ranks already given a foot value
  std::vector<std::uint8_t> seated_done_;  // per route: its seated neighbours done
  std::vector<stop_idx> ride_frontier_, foot_new_;
  std::vector<route_idx> seated_work_;
};

}  // namespace nebuta::raptor
