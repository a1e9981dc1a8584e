#include "nebuta/access/travel_time.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nebuta::access {

namespace {
// The target coordinate of a destination set: no feed has a stop within walking distance of the
// South Pole, so the router reaches it only over the set's egress edges.
constexpr latlon nowhere{-90.0, 0.0};

seconds_t walk_s(double metres, double speed) { return static_cast<seconds_t>(std::ceil(metres / speed)); }
}  // namespace

destination_set::destination_set(raptor::index const& idx, std::vector<latlon> points, travel_options const& o,
                                 std::span<raptor::access_edge const> extra_egress)
    : points_{std::move(points)} {
  auto const n = idx.n_stops();
  std::vector<seconds_t> best(n, unreachable_time);
  std::vector<float> dist(n, 0.0F);
  std::vector<std::uint32_t> tag(n, 0U);
  for (auto const& p : points_) {
    idx.stops_near(p, o.ropt.max_walk_m, [&](stop_idx s, double d) {
      auto const t = walk_s(d, o.ropt.walk_speed_mps);
      if (t < best[s.v()]) best[s.v()] = t, dist[s.v()] = static_cast<float>(d), tag[s.v()] = 0U;
    });
  }
  for (auto const& e : extra_egress) {
    if (!e.stop.valid() || e.stop.v() >= n || e.duration_s < 0) continue;
    if (e.duration_s < best[e.stop.v()])
      best[e.stop.v()] = e.duration_s, dist[e.stop.v()] = e.distance_m, tag[e.stop.v()] = e.tag;
  }
  for (std::uint32_t s = 0; s < n; ++s) {
    if (best[s] != unreachable_time) egress_.push_back({stop_idx{s}, best[s], dist[s], tag[s]});
  }
}

raptor::place destination_set::place() const { return raptor::place::at_coord(nowhere, egress_); }

seconds_t walk_to_nearest(latlon origin, std::span<latlon const> points, raptor::options const& o) {
  auto best = seconds_t{-1};
  for (auto const& p : points) {
    auto const d = haversine_m(origin, p);
    if (d > o.max_walk_m) continue;
    auto const t = walk_s(d, o.walk_speed_mps);
    if (best < 0 || t < best) best = t;
  }
  return best;
}

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

void travel_times::from(latlon origin, std::span<raptor::access_edge const> access, destination_set const& set,
                        window const& w, travel_options const& o, seconds_t direct_s, std::vector<seconds_t>& out) {
  auto const n = w.departures();
  out.assign(n, unreachable_time);
  if (n == 0) return;
  auto const walk = walk_to_nearest(origin, set.points(), o.ropt);
  auto direct = walk;
  if (direct_s >= 0 && (direct < 0 || direct_s < direct)) direct = direct_s;
  if (direct >= 0) std::fill(out.begin(), out.end(), direct);
  if (!set.egress().empty()) {
    auto const last = w.departure(n - 1);
    auto const from = raptor::place::at_coord(origin, access);
    auto const to = set.place();
    router_.range(from, to, w.date, w.start, last, o.ropt, entries_);
    // Journeys leaving after the last minute: the earliest arrival from it covers them all. A
    // journey of the range leaving at that minute bounds it (the search prunes with `known`).
    auto const known =
        !entries_.empty() && entries_.front().departure >= last ? entries_.front().arrival : unreachable_time;
    auto const after = router_.earliest_arrival(from, to, w.date, last, o.ropt, known);
    lower(entries_, after.reachable ? after.time : unreachable_time, w, out);
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
