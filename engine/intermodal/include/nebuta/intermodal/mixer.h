// The mixer: whether an on-demand journey is worth a vehicle beside the transit-only journeys of
// the same query, and why (docs/maas.md). Unlike a cost function that hides its reasons, each
// shown journey carries the one test that let it through, which the API turns into a sentence
// for the rider.
//
// The rule, in order (settings.h, mixer_rules):
//   0. a transit-only journey that arrives no later, departs no earlier and boards no more
//      vehicles dominates it: never shown;
//   1. only_way:   no transit-only journey at all (and show_only_way);
//   2. earlier:    arrives at least min_time_saving_s before the earliest transit-only arrival
//                  (arrive-by: departs that much after the latest transit-only departure);
//   3. fewer_legs: boards at least min_rides_saved vehicles fewer than every transit-only
//                  journey arriving at most legs_slack_s earlier (arrive-by: departing later);
//   4. less_walk:  every such transit-only journey (within walk_slack_s) walks at least
//                  long_walk_m, and this one walks less than half of the least of them.
// Otherwise it is not shown.
#pragma once

#include <optional>
#include <span>

#include "nebuta/intermodal/settings.h"
#include "nebuta/raptor/journey.h"

namespace nebuta::intermodal {

enum class show_reason : std::uint8_t { only_way, earlier, fewer_legs, less_walk };
char const* to_string(show_reason r);  // "only_way", "earlier", "fewer_legs", "less_walk"

struct mix_decision {
  show_reason reason{show_reason::only_way};
  seconds_t time_saved_s{0};  // earlier: against the best transit-only journey
  unsigned legs_saved{0};     // fewer_legs
  double walk_saved_m{0.0};   // less_walk: against the least walking comparable journey
};

// Nullopt: not shown. `transit` are the transit-only journeys of the same query.
std::optional<mix_decision> mix(std::span<raptor::journey const> transit, raptor::journey const& on_demand,
                                bool arrive_by, mixer_rules const& rules);

}  // namespace nebuta::intermodal
