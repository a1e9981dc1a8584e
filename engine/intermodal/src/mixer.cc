#include "nebuta/intermodal/mixer.h"

#include <algorithm>
#include <limits>

#include "nebuta/intermodal/search.h"

namespace nebuta::intermodal {

char const* to_string(show_reason r) {
  switch (r) {
    case show_reason::only_way: return "only_way";
    case show_reason::earlier: return "earlier";
    case show_reason::fewer_legs: return "fewer_legs";
    case show_reason::less_walk: return "less_walk";
  }
  return "only_way";
}

std::optional<mix_decision> mix(std::span<raptor::journey const> transit, raptor::journey const& od, bool arrive_by,
                                mixer_rules const& rules) {
  auto const od_legs = vehicle_legs(od);
  for (auto const& t : transit) {
    if (t.arrival <= od.arrival && t.departure >= od.departure && vehicle_legs(t) <= od_legs) return std::nullopt;
  }
  if (transit.empty()) {
    if (!rules.show_only_way) return std::nullopt;
    return mix_decision{show_reason::only_way};
  }
  // "Goodness" of a journey's time: an earlier arrival, or for arrive-by a later departure.
  auto const good = [&](raptor::journey const& j) -> std::int64_t { return arrive_by ? j.departure : -j.arrival; };
  auto best = std::numeric_limits<std::int64_t>::min();
  for (auto const& t : transit) best = std::max(best, good(t));
  auto const saved = good(od) - best;
  if (saved >= rules.min_time_saving_s) {
    mix_decision d{show_reason::earlier};
    d.time_saved_s = static_cast<seconds_t>(saved);
    return d;
  }
  // Transit-only journeys not much better in time than this one: the ones it competes with.
  auto const comparable = [&](raptor::journey const& t, seconds_t slack) { return good(t) <= good(od) + slack; };
  if (rules.min_rides_saved > 0U) {
    auto fewest = std::numeric_limits<unsigned>::max();
    for (auto const& t : transit) {
      if (comparable(t, rules.legs_slack_s)) fewest = std::min(fewest, vehicle_legs(t));
    }
    if (fewest != std::numeric_limits<unsigned>::max() && od_legs + rules.min_rides_saved <= fewest) {
      mix_decision d{show_reason::fewer_legs};
      d.legs_saved = fewest - od_legs;
      return d;
    }
  }
  if (rules.long_walk_m > 0.0) {
    auto least = std::numeric_limits<double>::max();
    for (auto const& t : transit) {
      if (comparable(t, rules.walk_slack_s)) least = std::min(least, walk_m(t));
    }
    auto const mine = walk_m(od);
    if (least != std::numeric_limits<double>::max() && least >= rules.long_walk_m && mine < least / 2.0) {
      mix_decision d{show_reason::less_walk};
      d.walk_saved_m = least - mine;
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace nebuta::intermodal
