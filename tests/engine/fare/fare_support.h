// Helpers of the fare tests: inline GTFS folders, rides looked up by trip and stop ids, and the
// results of fare::compute in main currency units.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/fare/compute.h"
#include "nebuta/gtfs_import/import.h"
#include "temp_dir.h"

namespace nebuta::test::fares {

using files = std::map<std::string, std::string>;

inline gtfs_import::load_result load_inline(files const& f, std::string const& name = "fixture") {
  temp_dir dir{name};
  for (auto const& [file, content] : f) dir.write(file, content);
  return gtfs_import::load({{name, dir.path}});
}

inline std::optional<trip_idx> find_trip(timetable const& tt, std::string const& id) {
  for (auto t = trip_idx{0U}; t.v() < tt.n_trips(); ++t) {
    if (tt.external_trip_id(t) == id) return t;
  }
  return std::nullopt;
}

// The ride on trip `trip` from stop `from` to stop `to`, with the timetable's times.
inline fare::ride ride_on(timetable const& tt, std::string const& trip, std::string const& from, std::string const& to) {
  auto const t = find_trip(tt, trip);
  REQUIRE(t.has_value());
  auto const r = tt.trip_route[*t];
  auto const stops = tt.route_stops[r];
  std::optional<std::uint32_t> board, alight;
  for (auto p = 0U; p < stops.size(); ++p) {
    if (!board && tt.external_stop_id(stops[p]) == from) board = p;
    if (board && p > *board && tt.external_stop_id(stops[p]) == to) {
      alight = p;
      break;
    }
  }
  INFO("trip " << trip << " from " << from << " to " << to);
  REQUIRE(board.has_value());
  REQUIRE(alight.has_value());
  auto const in_route = t->v() - tt.route_first_trip[r].v();
  return fare::trip_ride(tt, *t, *board, *alight, tt.departure(r, *board, in_route), tt.arrival(r, *alight, in_route));
}

// A ride on route `route` between two stops at the given times, without a trip (on demand).
inline fare::ride ride_between(timetable const& tt, std::string const& route, std::string const& from,
                               std::string const& to, seconds_t board, seconds_t alight) {
  fare::ride r;
  for (auto l = line_idx{0U}; l.v() < tt.n_lines(); ++l) {
    if (tt.external_line_id(l) == route) r.line = l;
  }
  REQUIRE(r.line.valid());
  auto const f = tt.find_stop(from), t = tt.find_stop(to);
  REQUIRE(f.has_value());
  REQUIRE(t.has_value());
  r.from = *f, r.to = *t, r.board = board, r.alight = alight;
  return r;
}

struct priced {
  fare::journey_fare journey;
  std::vector<fare::leg_fare> legs;
  double total() const { return fare::to_major(journey.total, journey.currency_digits); }
  double amount(std::size_t i) const { return fare::to_major(legs[i].amount, legs[i].currency_digits); }
};

inline priced price(timetable const& tt, std::vector<fare::ride> const& rides, std::int64_t day = 0) {
  priced p;
  p.legs.resize(rides.size());
  p.journey = fare::compute(tt, rides, day, p.legs);
  return p;
}

inline std::string str(timetable const& tt, string_idx s) {
  return s.valid() ? std::string{tt.strings[s]} : std::string{};
}

}  // namespace nebuta::test::fares
