#include <algorithm>
#include <array>
#include <cmath>

#include "compute_internal.h"

namespace nebuta::fare {

double to_major(std::int64_t minor, std::uint8_t digits) { return static_cast<double>(minor) / std::pow(10.0, digits); }

ride trip_ride(timetable const& tt, trip_idx trip, std::uint32_t board_pos, std::uint32_t alight_pos, seconds_t board,
               seconds_t alight) {
  auto const route = tt.trip_route[trip];
  auto const stops = tt.route_stops[route];
  return {.line = tt.trip_line[trip],
          .from = stops[board_pos],
          .to = stops[alight_pos],
          .board = board,
          .alight = alight,
          .route = route,
          .board_pos = board_pos,
          .alight_pos = alight_pos};
}

journey_fare compute(timetable const& tt, std::span<ride const> rides, std::int64_t day, std::span<leg_fare> legs) {
  auto const n = std::min<std::size_t>({rides.size(), legs.size(), max_rides});
  for (auto& l : legs) l = {};
  auto const& ft = tt.fares;

  std::array<detail::ride_info, max_rides> info{};
  for (auto i = 0U; i < n; ++i) {
    auto const& r = rides[i];
    auto& in = info[i];
    in.feed = feed_idx::invalid();
    if (!r.line.valid() || r.line.v() >= tt.n_lines() || !r.from.valid() || r.from.v() >= tt.n_stops() ||
        !r.to.valid() || r.to.v() >= tt.n_stops()) {
      continue;  // priced as unknown
    }
    in.line = r.line;
    in.agency = tt.line_agency[r.line];
    in.feed = tt.line_feed[r.line];
    in.from = r.from;
    in.to = r.to;
    in.route = r.route;
    if (in.route.valid() && (in.route.v() >= tt.n_routes() || r.alight_pos >= tt.route_stops[in.route].size() ||
                             r.board_pos > r.alight_pos)) {
      in.route = route_idx::invalid();
    }
  }
  auto const system_of = [&](std::size_t i) {
    auto const f = info[i].feed;
    return f.valid() && f.v() < ft.feed_system.size() ? static_cast<fare_system>(ft.feed_system[f]) : fare_system::none;
  };

  // Runs of consecutive rides of one feed are priced together (transfers never span feeds).
  auto const info_span = std::span<detail::ride_info const>{info.data(), n};
  for (std::size_t i = 0; i < n;) {
    auto j = i + 1;
    while (j < n && info[j].feed == info[i].feed) ++j;
    switch (system_of(i)) {
      case fare_system::v1: detail::price_v1(tt, rides, info_span, i, j, legs); break;
      case fare_system::v2: detail::price_v2(tt, rides, info_span, i, j, day, legs); break;
      case fare_system::none: break;
    }
    i = j;
  }

  journey_fare out;
  for (auto i = 0U; i < n; ++i) {
    auto const& l = legs[i];
    if (!l.known) continue;
    if (!out.currency.valid()) out.currency = l.currency, out.currency_digits = l.currency_digits;
    if (l.currency != out.currency) continue;
    out.total += l.amount;
    ++out.legs_counted;
  }
  out.known = out.legs_counted == rides.size();
  return out;
}

}  // namespace nebuta::fare
