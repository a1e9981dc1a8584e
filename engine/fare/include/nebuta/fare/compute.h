// The fare of a journey: a pure function of its ride legs (route, boarding and alighting stop,
// times) and the timetable's fare tables, called by the planner after the search. It does not
// allocate and costs a few binary searches per ride.
//
// GTFS-Fares v1: each ride, or each run of consecutive rides of one feed that a fare's
// `transfers` and `transfer_duration` allow, is covered by the cheapest matching fare (the
// spec's fare examples: "the trip planner always chooses the least expensive applicable fare");
// the journey total is the cheapest such cover. GTFS-Fares v2: each ride gets the cheapest
// product of the best matching leg rules for the default rider category, and transfer rules
// then discount or replace it. A ride no rule matches is unknown, never priced 0. docs/fares.md
// has the details.
#pragma once

#include <cstdint>
#include <span>

#include "nebuta/timetable/timetable.h"

namespace nebuta::fare {

// One ride of a journey: on a route (GTFS route, `line`) from stop `from` to stop `to`. Times are
// seconds after midnight of the journey's reference day. A timetabled trip also gives its
// RAPTOR route and positions, so that fare_rules.contains_id sees every stop passed; without
// them (an on-demand ride) only the boarding and alighting stops count.
struct ride {
  line_idx line{line_idx::invalid()};
  stop_idx from{stop_idx::invalid()}, to{stop_idx::invalid()};
  seconds_t board{0}, alight{0};
  route_idx route{route_idx::invalid()};
  std::uint32_t board_pos{0}, alight_pos{0};
};

// The ride of trip `trip` from position board_pos to alight_pos of its RAPTOR route.
ride trip_ride(timetable const& tt, trip_idx trip, std::uint32_t board_pos, std::uint32_t alight_pos, seconds_t board,
               seconds_t alight);

struct leg_fare {
  bool known{false};
  // Travel on a fare paid on an earlier ride (a v1 transfer, or a v2 transfer rule); `amount` is
  // then what this ride adds (0 for a free transfer).
  bool transfer{false};
  std::int64_t amount{0};           // minor units of `currency`
  std::uint8_t currency_digits{0};  // ISO 4217 minor unit digits
  string_idx currency{string_idx::invalid()};
  string_idx fare_id{string_idx::invalid()};  // v1 fare_id, v2 fare_product_id
  string_idx product{string_idx::invalid()};  // v2 fare_product_name; invalid for v1
};

struct journey_fare {
  bool known{false};      // every ride's fare is known, in one currency
  std::int64_t total{0};  // minor units, over the counted rides
  std::uint8_t currency_digits{0};
  string_idx currency{string_idx::invalid()};
  unsigned legs_counted{0};  // rides whose fare is in `total`
};

// Rides longer than this are priced ride by ride without transfers (journeys have at most 32).
inline constexpr std::size_t max_rides = 32;

// `day`: the journey's reference day as an index into the timetable's dates (may lie outside;
// only v2 timeframes use it). `legs` has one entry per ride.
journey_fare compute(timetable const& tt, std::span<ride const> rides, std::int64_t day, std::span<leg_fare> legs);

// An amount in the currency's main unit: 150 JPY -> 150, 250 cents -> 2.5.
double to_major(std::int64_t minor, std::uint8_t digits);

}  // namespace nebuta::fare
