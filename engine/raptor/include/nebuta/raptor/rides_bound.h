// The fewest rides between every stop and a set of stops, whatever the times: a lower bound on
// the rounds a label still needs. A label reached after k rides at a stop that needs more than
// max_legs - k further rides to the target can lead to no journey of the query, so the rounds
// drop it. Computed per query, on demand (router::run_rounds), by a breadth-first search over
// the routes' stop sequences, the stay-seated continuations between routes, footpaths and
// walking links (all of the timetable's walking links: a superset of what any query may walk,
// so the bound holds for every option).
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

  // to_seeds: rides[s] = the fewest rides from s to a seed (a forward search's target);
  // otherwise from a seed to s (a backward search's origin). Levels above max_level are left
  // `unknown`.
  void compute(index const& idx, bool to_seeds, std::span<stop_idx const> seeds, unsigned max_level);

  // Per stop, the rides computed (unknown: more than max_level).
  std::uint8_t const* rides() const { return rides_.data(); }

 private:
  void label(stop_idx s, std::uint8_t level);
  std::vector<std::uint8_t> rides_;
  std::vector<std::uint32_t> reach_;       // per route: the positions (ranks) already labelled
  std::vector<std::uint8_t> seated_done_;  // per route: its seated neighbours labelled
  std::vector<stop_idx> frontier_, next_;
  std::vector<route_idx> seated_work_;
};

}  // namespace nebuta::raptor
