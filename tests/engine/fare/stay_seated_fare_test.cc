// Fares of journeys that stay seated through a block (docs/fares.md, "Staying on board").
// GTFS-Fares v1 has no notion of staying on board: every trip is a ride priced by its own route,
// and the change from one trip to the next is a transfer ("in-seat transfer", transfers.txt
// transfer_type 4), counted against fare_attributes.transfers and transfer_duration like any.
#include <catch2/catch.hpp>

#include "fare_support.h"
#include "nebuta/fare/journey.h"

namespace {

using namespace nebuta;
using namespace nebuta::test::fares;

// T1 (route 1) S1 -> S3, then the same bus runs on as T2 (route 2) S3 -> S5: block B1.
files block_feed(std::string const& attributes, std::string const& rules) {
  return {
      {"agency.txt",
       "agency_id,agency_name,agency_url,agency_timezone\nA,Demo Transit,https://a.example/,America/New_York\n"},
      {"stops.txt",
       "stop_id,stop_name,stop_lat,stop_lon\nS1,One,40.50,-74.00\nS3,Three,40.52,-74.00\nS5,Five,40.54,-74.00\n"},
      {"routes.txt", "route_id,agency_id,route_short_name,route_type\nRoute_1,A,1,3\nRoute_2,A,2,3\n"},
      {"trips.txt", "route_id,service_id,trip_id,block_id\nRoute_1,WK,T1,B1\nRoute_2,WK,T2,B1\n"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
       "T1,08:00:00,08:00:00,S1,1\nT1,08:20:00,08:20:00,S3,2\n"
       "T2,08:20:00,08:20:00,S3,1\nT2,08:50:00,08:50:00,S5,2\n"},
      {"calendar.txt",
       "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
       "WK,1,1,1,1,1,0,0,20260401,20260430\n"},
      {"fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n" + attributes},
      {"fare_rules.txt", "fare_id,route_id\n" + rules},
  };
}

// The planner's journey S1 -> S5 (one boarding, two rides), priced.
priced plan_and_price(timetable const& tt) {
  raptor::index const idx{tt};
  raptor::router r{idx};
  date_t const date = std::chrono::year{2026} / 4 / 8;
  auto const s1 = tt.find_stop("S1"), s5 = tt.find_stop("S5");
  REQUIRE(s1.has_value());
  REQUIRE(s5.has_value());
  auto const res = r.earliest_arrival(raptor::place::at_stop(*s1), raptor::place::at_stop(*s5), date, 7 * 3600 + 55 * 60);
  REQUIRE(res.reachable);
  raptor::journey j;
  REQUIRE(r.reconstruct(res.legs, j));
  REQUIRE(j.rides == 1U);  // one boarding
  REQUIRE(j.legs.size() == 2U);
  REQUIRE(j.legs[1].stay_seated);
  std::array<fare::ride, fare::max_rides> rides{};
  auto const n = fare::rides_of(tt, j, rides);
  REQUIRE(n == 2U);  // two trips, two rides
  return price(tt, {rides.begin(), rides.begin() + static_cast<std::ptrdiff_t>(n)}, (date - tt.first_date).count());
}

}  // namespace

TEST_CASE("fares v1: staying on board into another route pays that route's fare", "[fare][v1]") {
  auto const r =
      load_inline(block_feed("local,1.75,USD,0,0,\nexpress,5.00,USD,0,0,\n", "local,Route_1\nexpress,Route_2\n"));
  auto const p = plan_and_price(r.tt);
  REQUIRE(p.journey.known);
  CHECK(p.amount(0) == 1.75);
  CHECK(p.amount(1) == 5.00);
  CHECK_FALSE(p.legs[1].transfer);
  CHECK(p.total() == 6.75);
}

TEST_CASE("fares v1: the change on board is a transfer of the fare", "[fare][v1]") {
  SECTION("a fare with one transfer covers both trips") {
    auto const r = load_inline(block_feed("pass,2.00,USD,0,1,\n", "pass,Route_1\npass,Route_2\n"));
    auto const p = plan_and_price(r.tt);
    REQUIRE(p.journey.known);
    CHECK(p.total() == 2.00);
    CHECK(p.legs[1].transfer);
    CHECK(p.amount(1) == 0.0);
  }
  SECTION("a fare without transfers is paid again on the next trip") {
    auto const r = load_inline(block_feed("single,2.00,USD,0,0,\n", "single,Route_1\nsingle,Route_2\n"));
    auto const p = plan_and_price(r.tt);
    REQUIRE(p.journey.known);
    CHECK(p.total() == 4.00);
    CHECK_FALSE(p.legs[1].transfer);
  }
  SECTION("transfer_duration counts from the first boarding, the change on board included") {
    // T2 "boards" at 08:20, 1200 s after 08:00: within 1800 s, not within 600 s.
    auto const ok = load_inline(block_feed("pass,2.00,USD,0,1,1800\n", "pass,Route_1\npass,Route_2\n"));
    CHECK(plan_and_price(ok.tt).total() == 2.00);
    auto const late = load_inline(block_feed("pass,2.00,USD,0,1,600\n", "pass,Route_1\npass,Route_2\n"));
    CHECK(plan_and_price(late.tt).total() == 4.00);
  }
}
