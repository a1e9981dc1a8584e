// An independent reference for realtime propagation, written from the GTFS-RT specification and
// the rules of engine/rt/build.h without any engine/rt code: one trip's realtime times from its
// scheduled times and the stop_time_updates (already matched to stop positions, times in the
// trip's service-day seconds).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace nebuta::test::ref_rt {

struct update {
  std::size_t pos{0};
  enum class kind { scheduled, skipped, no_data } what{kind::scheduled};
  std::optional<std::int64_t> arrival, departure;  // service-day seconds, absolute (delays converted)
};

struct times {
  std::vector<std::int64_t> arrival, departure;
  std::vector<bool> skipped;
};

inline times propagate(std::vector<std::int64_t> const& sa, std::vector<std::int64_t> const& sd,
                       std::vector<update> const& updates, std::optional<std::int64_t> trip_delay = std::nullopt) {
  auto const n = sa.size();
  times out{sa, sd, std::vector<bool>(n, false)};
  std::vector<bool> fixed_arr(n, false), fixed_dep(n, false);  // given by an update
  std::vector<update const*> at(n, nullptr);
  for (auto const& u : updates) at[u.pos] = &u;

  // The delay in force before stop i (none: the schedule). A flag, not an optional: gcc 12 warns
  // falsely about optional<long> here.
  auto in_force = trip_delay.has_value();
  std::int64_t delay = trip_delay.value_or(0);
  for (std::size_t i = 0; i < n; ++i) {
    auto const* u = at[i];
    if (u != nullptr && u->what == update::kind::no_data) {
      in_force = false;
      continue;  // schedule
    }
    if (u != nullptr && u->what == update::kind::skipped) out.skipped[i] = true;
    auto const has_times = u != nullptr && u->what == update::kind::scheduled && (u->arrival || u->departure);
    if (!has_times) {
      if (in_force) {
        out.arrival[i] = sa[i] + delay;
        out.departure[i] = delay >= 0 ? sd[i] + delay : sd[i];  // never leaves early on a propagated delay
        if (delay < 0) delay = 0;
      }
      continue;
    }
    // Given times: arrival from the update, else from the delay in force (schedule without),
    // not after the given departure; departure from the update, else with the arrival's delay
    // when late, on time when early.
    auto arr = u->arrival ? *u->arrival : sa[i] + (in_force ? delay : 0);
    if (!u->arrival && u->departure) arr = std::min(arr, *u->departure);
    auto dep = u->departure ? *u->departure : std::max(arr, sd[i] + std::max<std::int64_t>(0, arr - sa[i]));
    out.arrival[i] = arr;
    out.departure[i] = dep;
    fixed_arr[i] = u->arrival.has_value();
    fixed_dep[i] = u->departure.has_value();
    in_force = true;
    delay = dep - sd[i];
  }

  // Times never go backwards: an event not given is moved back to the earliest given event
  // after it; then every event is moved forward to the latest event before it.
  for (std::size_t i = 0; i < n; ++i) {
    auto earliest_given_after = std::numeric_limits<std::int64_t>::max();
    for (std::size_t j = i; j < n; ++j) {
      if (j > i && fixed_arr[j]) earliest_given_after = std::min(earliest_given_after, out.arrival[j]);
      if (fixed_dep[j]) earliest_given_after = std::min(earliest_given_after, out.departure[j]);
    }
    if (!fixed_dep[i]) out.departure[i] = std::min(out.departure[i], earliest_given_after);
    auto earliest_for_arrival = earliest_given_after;
    if (fixed_dep[i]) earliest_for_arrival = std::min(earliest_for_arrival, out.departure[i]);
    if (!fixed_arr[i]) out.arrival[i] = std::min(out.arrival[i], earliest_for_arrival);
  }
  std::int64_t latest = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < n; ++i) {
    out.arrival[i] = std::max(out.arrival[i], latest);
    out.departure[i] = std::max(out.departure[i], out.arrival[i]);
    latest = out.departure[i];
  }
  return out;
}

}  // namespace nebuta::test::ref_rt
