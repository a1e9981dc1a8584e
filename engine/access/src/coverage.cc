#include "nebuta/access/coverage.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace nebuta::access {

using geo::metres_per_degree;

stop_locator::stop_locator(timetable const& tt, std::function<bool(stop_idx)> const& keep) : tt_{tt} {
  for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] == 0U) continue;
    if (keep && !keep(s)) continue;
    by_lat_.emplace_back(tt.stop_coords[s].lat, s);
  }
  std::sort(by_lat_.begin(), by_lat_.end());
}

std::optional<std::pair<stop_idx, double>> stop_locator::nearest(latlon c) const {
  if (by_lat_.empty()) return std::nullopt;
  auto best = std::numeric_limits<double>::infinity();
  auto best_stop = stop_idx::invalid();
  auto const mid = std::lower_bound(by_lat_.begin(), by_lat_.end(), std::pair{c.lat, stop_idx{0U}});
  // Walk outwards in latitude; a stop |dlat| degrees away is at least that far along a meridian.
  auto up = mid;
  auto down = mid;
  while (up != by_lat_.end() || down != by_lat_.begin()) {
    auto const up_bound = up != by_lat_.end() ? (up->first - c.lat) * metres_per_degree : best;
    auto const down_bound = down != by_lat_.begin() ? (c.lat - std::prev(down)->first) * metres_per_degree : best;
    if (up_bound >= best && down_bound >= best) break;
    if (up_bound <= down_bound) {
      auto const d = haversine_m(c, tt_.stop_coords[up->second]);
      if (d < best) best = d, best_stop = up->second;
      ++up;
    } else {
      --down;
      auto const d = haversine_m(c, tt_.stop_coords[down->second]);
      if (d < best) best = d, best_stop = down->second;
    }
  }
  return std::pair{best_stop, best};
}

bool is_rail_route_type(int t) {
  return t == 0 || t == 1 || t == 2 || t == 5 || t == 7 || t == 12 || (t >= 100 && t <= 199) ||
         (t >= 400 && t <= 499) || (t >= 900 && t <= 999);
}

std::vector<coverage> compute_coverage(raptor::index const& idx, std::span<origin const> origins,
                                       std::span<latlon const> extra_stations, coverage_options const& opt) {
  auto const& tt = idx.tt();
  std::vector<std::uint8_t> rail(tt.n_stops(), 0U);
  for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
    for (auto const r : tt.stop_routes[s]) {
      if (is_rail_route_type(tt.route_type[r])) rail[s.v()] = 1U;
    }
  }
  stop_locator const all{tt};
  stop_locator const bus{tt, [&](stop_idx s) { return rail[s.v()] == 0U; }};
  stop_locator const stations{tt, [&](stop_idx s) { return rail[s.v()] != 0U; }};
  auto const day = tt.day_of(opt.date);

  std::vector<coverage> out(origins.size());
  std::vector<std::uint32_t> seen(tt.n_trips(), std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t i = 0; i < origins.size(); ++i) {
    auto const c = origins[i].at;
    auto& cov = out[i];
    if (auto const n = all.nearest(c)) cov.nearest_stop_m = n->second;
    if (auto const n = bus.nearest(c)) cov.nearest_bus_stop_m = n->second;
    if (auto const n = stations.nearest(c)) cov.nearest_station_m = n->second;
    for (auto const& st : extra_stations) {
      auto const d = haversine_m(c, st);
      if (!cov.nearest_station_m || d < *cov.nearest_station_m) cov.nearest_station_m = d;
    }
    if (day) {
      idx.stops_near(c, opt.departures_radius_m, [&](stop_idx s, double) {
        for (auto const r : tt.stop_routes[s]) {
          auto const stops = tt.route_stops[r];
          for (std::uint32_t pos = 0; pos + 1 < stops.size(); ++pos) {
            if (stops[pos] != s || !tt.can_board(r, pos)) continue;
            auto const first = tt.route_first_trip[r].v();
            for (std::uint32_t j = 0; j < tt.route_n_trips[r]; ++j) {
              auto const t = trip_idx{first + j};
              if (seen[t.v()] == i || !tt.trip_active(t, day->v())) continue;
              seen[t.v()] = i;
              ++cov.departures;
            }
          }
        }
      });
    }
    auto const beyond = [](std::optional<double> d, double limit) { return !d || *d > limit; };
    cov.gap = beyond(cov.nearest_bus_stop_m, opt.gap_stop_m) && beyond(cov.nearest_station_m, opt.gap_station_m);
    cov.gap_1km = beyond(cov.nearest_stop_m, opt.any_stop_m) && beyond(cov.nearest_station_m, opt.any_stop_m);
    cov.few_departures = cov.departures < opt.min_departures;
  }
  return out;
}

}  // namespace nebuta::access
