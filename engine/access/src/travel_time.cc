#include "nebuta/access/travel_time.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nebuta::access {

void travel_times::lower(std::span<raptor::range_entry const> journeys, seconds_t after, window const& w,
                         std::vector<seconds_t>& out) {
  auto best = after;
  std::size_t j = 0;
  for (auto i = w.departures(); i-- > 0;) {
    auto const m = w.departure(i);
    for (; j < journeys.size() && journeys[j].departure >= m; ++j) best = std::min(best, journeys[j].arrival);
    if (best != unreachable_time) out[i] = std::min(out[i], best - m);
  }
}

void travel_times::from(latlon origin, std::span<target const> targets, window const& w, travel_options const& o,
                        std::vector<seconds_t>& out) {
  auto const n = w.departures();
  out.assign(n, unreachable_time);
  if (n == 0) return;
  auto const last = w.departure(n - 1);
  auto const from = raptor::place::at_coord(origin);
  for (auto const& t : targets) {
    auto const to = t.place();
    router_.range(from, to, w.date, w.start, last, o.ropt, entries_);
    // Journeys leaving after the last minute: the earliest arrival from it covers them all.
    auto const after = router_.earliest_arrival(from, to, w.date, last, o.ropt);
    auto const walk = router_.direct_walk_s();  // (a range with no departure does not set it)
    lower(entries_, after.reachable ? after.time : unreachable_time, w, out);
    if (walk >= 0) {
      for (auto& x : out) x = std::min(x, walk);
    }
  }
}

void percentile_minutes(std::span<seconds_t const> times, std::span<double const> percentiles, seconds_t max_duration,
                        std::span<std::int16_t> out) {
  constexpr auto never = std::numeric_limits<std::int32_t>::max();
  std::vector<std::int32_t> minutes;
  minutes.reserve(times.size());
  for (auto const t : times) {
    minutes.push_back(t == unreachable_time || t >= max_duration || t < 0 ? never : t / 60);
  }
  std::sort(minutes.begin(), minutes.end());
  auto const n = minutes.size();
  for (std::size_t p = 0; p < percentiles.size(); ++p) {
    if (n == 0) {
      out[p] = unreachable_minutes;
      continue;
    }
    // R5's findPercentileIndex: the smallest value with at least p % of the values at or below it.
    auto idx = static_cast<long long>(std::ceil(percentiles[p] / 100 * static_cast<double>(n))) - 1;
    idx = std::clamp<long long>(idx, 0, static_cast<long long>(n) - 1);
    auto const v = minutes[static_cast<std::size_t>(idx)];
    out[p] = v == never ? unreachable_minutes : static_cast<std::int16_t>(std::min(v, 32'767));
  }
}

}  // namespace nebuta::access
