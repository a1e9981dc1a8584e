// Fares v1 on inline feeds: the fare examples of the GTFS specification
// (gtfs/spec/en/examples/GoogleTransitExamples.md) with the fares the examples give, plus the
// cases around them (unknown fares, agencies, transfer limits, currencies, several feeds).
#include <catch2/catch.hpp>

#include "fare_support.h"

namespace {

using namespace nebuta::test::fares;
using nebuta::timetable;

// Five stops on two routes and an express; zones 1, 2, 2, 3, 3 (example 7's concentric zones).
files base() {
  return {
      {"agency.txt",
       "agency_id,agency_name,agency_url,agency_timezone\nA,Demo Transit,https://a.example/,America/New_York\n"
       "B,Other Transit,https://b.example/,America/New_York\n"},
      {"stops.txt",
       "stop_id,stop_name,stop_lat,stop_lon,zone_id\n"
       "S1,One,40.50,-74.00,1\nS2,Two,40.51,-74.00,2\nS3,Three,40.52,-74.00,2\nS4,Four,40.53,-74.00,3\nS5,Five,40.54,-74.00,3\n"},
      {"routes.txt",
       "route_id,agency_id,route_short_name,route_type\nRoute_1,A,1,3\nRoute_2,A,2,3\nRoute_3,A,3,3\nRoute_B,B,B,3\n"},
      {"trips.txt",
       "route_id,service_id,trip_id\nRoute_1,WK,T1\nRoute_2,WK,T2\nRoute_3,WK,T3\nRoute_1,WK,T4\nRoute_B,WK,TB\n"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
       "T1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT1,08:20:00,08:20:00,S3,3\n"
       "T2,08:30:00,08:30:00,S3,1\nT2,08:40:00,08:40:00,S4,2\nT2,08:50:00,08:50:00,S5,3\n"
       "T3,10:00:00,10:00:00,S3,1\nT3,10:30:00,10:30:00,S5,2\n"
       "T4,09:00:00,09:00:00,S3,1\nT4,09:10:00,09:10:00,S2,2\nT4,09:20:00,09:20:00,S1,3\n"
       "TB,08:30:00,08:30:00,S3,1\nTB,08:45:00,08:45:00,S5,2\n"},
      {"calendar.txt",
       "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
       "WK,1,1,1,1,1,0,0,20260401,20260430\n"},
  };
}

}  // namespace

TEST_CASE("fares v1: example 4, different prices for local and express routes", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] =
      "fare_id,price,currency_type,payment_method,transfers\nlocal_fare,1.75,USD,0,0\nexpress_fare,5.00,USD,0,0\n";
  f["fare_rules.txt"] = "fare_id,route_id\nlocal_fare,Route_1\nexpress_fare,Route_2\nexpress_fare,Route_3\n";
  auto const r = load_inline(f);
  INFO(r.problems.size());
  auto const& tt = r.tt;
  // "If an itinerary uses routes 1 and 2, the fare is $6.75."
  auto const p = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  REQUIRE(p.journey.known);
  CHECK(p.total() == 6.75);
  CHECK(p.journey.legs_counted == 2);
  CHECK(str(tt, p.journey.currency) == "USD");
  CHECK(p.amount(0) == 1.75);
  CHECK(str(tt, p.legs[0].fare_id) == "local_fare");
  CHECK(p.amount(1) == 5.00);
  CHECK(str(tt, p.legs[1].fare_id) == "express_fare");
  CHECK_FALSE(p.legs[1].transfer);
  // Route_B has no rule: unknown, never 0.
  auto const q = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "TB", "S3", "S5")});
  CHECK_FALSE(q.journey.known);
  CHECK(q.legs[0].known);
  CHECK_FALSE(q.legs[1].known);
  CHECK(q.journey.legs_counted == 1);
  CHECK(q.total() == 1.75);
}

TEST_CASE("fares v1: example 5, a transfer bought on boarding (no fare_rules)", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] =
      "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
      "simple_fare,1.75,USD,0,0,\nplustransfer_fare,2.00,USD,0,,5400\n";
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  // No transfer: $1.75 is less than plustransfer_fare's $2.00.
  auto const one = price(tt, {ride_on(tt, "T1", "S1", "S3")});
  CHECK(one.total() == 1.75);
  CHECK(str(tt, one.legs[0].fare_id) == "simple_fare");
  // One transfer within 90 minutes (boarding 08:00, then 08:30): $2.00, the second ride on it.
  auto const two = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  CHECK(two.total() == 2.00);
  CHECK(two.amount(0) == 2.00);
  CHECK(str(tt, two.legs[0].fare_id) == "plustransfer_fare");
  CHECK(two.legs[1].transfer);
  CHECK(two.legs[1].known);
  CHECK(two.amount(1) == 0.0);
  CHECK(str(tt, two.legs[1].fare_id) == "plustransfer_fare");
  // Boarding 08:00 then 10:00 is past 5,400 s: two simple fares.
  auto const late = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T3", "S3", "S5")});
  CHECK(late.total() == 3.50);
  CHECK_FALSE(late.legs[1].transfer);
  // Three rides: 08:00, 08:30, 09:00 all within 90 minutes of the first boarding: one $2.00.
  auto const three =
      price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5"), ride_on(tt, "T4", "S3", "S1")});
  CHECK(three.total() == 2.00);
}

TEST_CASE("fares v1: example 6, fares by origin and destination station", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] =
      "fare_id,price,currency_type,payment_method,transfers\nS1_to_S3,3.25,USD,0,\nS1_to_S5,4.55,USD,0,\nS3_to_S5,1.75,USD,0,\n";
  f["stops.txt"] =
      "stop_id,stop_name,stop_lat,stop_lon,zone_id\n"
      "S1,One,40.50,-74.00,S1\nS2,Two,40.51,-74.00,S2\nS3,Three,40.52,-74.00,S3\nS4,Four,40.53,-74.00,S4\nS5,Five,40.54,-74.00,S5\n";
  f["fare_rules.txt"] = "fare_id,origin_id,destination_id\nS1_to_S3,S1,S3\nS1_to_S5,S1,S5\nS3_to_S5,S3,S5\n";
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  CHECK(price(tt, {ride_on(tt, "T1", "S1", "S3")}).total() == 3.25);
  // How you get there doesn't matter: S1 -> S3 -> S5 with a change is the S1_to_S5 fare
  // (unlimited transfers), cheaper than 3.25 + 1.75.
  auto const via = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  CHECK(via.total() == 4.55);
  CHECK(str(tt, via.legs[0].fare_id) == "S1_to_S5");
  CHECK(via.legs[1].transfer);
  // No rule for S1 -> S2.
  auto const none = price(tt, {ride_on(tt, "T1", "S1", "S2")});
  CHECK_FALSE(none.journey.known);
  CHECK_FALSE(none.legs[0].known);
  CHECK(none.journey.legs_counted == 0);
}

TEST_CASE("fares v1: example 7, fares by the exact set of zones passed (contains_id)", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] =
      "fare_id,price,currency_type,payment_method,transfers\n"
      "F1,4.15,USD,0,\nF2,2.20,USD,0,\nF3,2.20,USD,0,\nF4,2.95,USD,0,\nF5,1.25,USD,0,\nF6,1.95,USD,0,\nF7,1.95,USD,0,\n";
  f["fare_rules.txt"] = "fare_id,contains_id\nF1,1\nF1,2\nF1,3\nF2,1\nF2,2\nF3,1\nF3,3\nF4,2\nF4,3\nF5,1\nF6,2\nF7,3\n";
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  // "For a trip between zones 2 and 3, the trip planner reports $2.95."
  CHECK(price(tt, {ride_on(tt, "T2", "S3", "S5")}).total() == 2.95);
  CHECK(price(tt, {ride_on(tt, "T1", "S1", "S3")}).total() == 2.20);  // zones 1, 2: F2
  CHECK(price(tt, {ride_on(tt, "T1", "S2", "S3")}).total() == 1.95);  // zone 2 only: F6
  CHECK(price(tt, {ride_on(tt, "T2", "S4", "S5")}).total() == 1.95);  // zone 3 only: F7
  // T1 S1 -> S3 passes S2 (zone 2) on the way: zones {1, 2}, never F5 (zone 1 only).
  CHECK(str(tt, price(tt, {ride_on(tt, "T1", "S1", "S3")}).legs[0].fare_id) == "F2");
  // Zones 1, 2, 3 with a change (transfers unlimited): F1 for both rides, cheaper than F2 + F4.
  auto const all = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  CHECK(all.total() == 4.15);
  CHECK(str(tt, all.legs[0].fare_id) == "F1");
  CHECK(all.legs[1].transfer);
}

TEST_CASE("fares v1: the cheapest matching fare, agencies, transfer counts", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] =
      "fare_id,price,currency_type,payment_method,transfers,agency_id,transfer_duration\n"
      "by_route,3.00,USD,0,0,A,\n"
      "by_zone,2.50,USD,0,0,A,\n"
      "pass,2.60,USD,0,1,A,3600\n"
      "b_only,1.00,USD,0,0,B,\n";
  f["fare_rules.txt"] =
      "fare_id,route_id,origin_id,destination_id\n"
      "by_route,Route_1,,\nby_route,Route_2,,\n"
      "by_zone,,2,3\n"
      "pass,Route_1,,\npass,Route_2,,\n"
      "b_only,,,\n";
  auto const r = load_inline(f);
  INFO(r.problems.size());
  auto const& tt = r.tt;
  // T2 S3 (zone 2) -> S5 (zone 3): by_route 3.00, by_zone 2.50, pass 2.60 apply; b_only is B's.
  auto const p = price(tt, {ride_on(tt, "T2", "S3", "S5")});
  CHECK(p.total() == 2.50);
  CHECK(str(tt, p.legs[0].fare_id) == "by_zone");
  // Route_B (agency B): only b_only.
  CHECK(price(tt, {ride_on(tt, "TB", "S3", "S5")}).total() == 1.00);
  // T1 S1 -> S3 then T2 S3 -> S5: pass covers both (one transfer, 30 min): 2.60 < 3.00 + 2.50.
  auto const two = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  CHECK(two.total() == 2.60);
  // Three rides: pass allows one transfer only. T4 S3 -> S1 (zone 2 -> 1) has by_route (3.00)
  // and pass (2.60); the cheapest cover is pass for T1 and T2, pass again for T4: 5.20.
  auto const three =
      price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5"), ride_on(tt, "T4", "S3", "S1")});
  CHECK(three.total() == 5.20);
  CHECK_FALSE(three.legs[2].transfer);
  // A change from agency A to agency B is never one fare.
  auto const ab = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "TB", "S3", "S5")});
  CHECK(ab.total() == 2.60 + 1.00);
}

TEST_CASE("fares v1: yen have no minor unit, unknown references are reported", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] =
      "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
      "\"F150\",\"150\",\"JPY\",\"0\",\"0\",\"\"\n"
      "F999,10.5,JPY,0,0,\n"  // line 3: half a yen
      "F_unused,200,JPY,0,0,\n";
  f["fare_rules.txt"] =
      "fare_id,route_id,origin_id,destination_id,contains_id\n"
      "\"F150\",\"Route_1\",\"1\",\"2\",\"\"\n"
      "F150,Route_9,1,2,\n"   // line 3: unknown route
      "F404,Route_1,1,3,\n";  // line 4: unknown fare
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  auto const has = [&](std::string const& file, std::uint32_t line, std::string const& kind) {
    for (auto const& p : r.problems) {
      if (p.file == file && p.line == line && p.kind == kind) return true;
    }
    return false;
  };
  CHECK(has("fare_attributes.txt", 3, "bad_price"));
  CHECK(has("fare_attributes.txt", 4, "unused_fare"));
  CHECK(has("fare_rules.txt", 3, "unknown_route"));
  CHECK(has("fare_rules.txt", 4, "unknown_fare"));
  auto const p = price(tt, {ride_on(tt, "T1", "S1", "S2")});
  REQUIRE(p.journey.known);
  CHECK(p.journey.total == 150);
  CHECK(p.journey.currency_digits == 0);
  CHECK(p.total() == 150.0);
  CHECK(str(tt, p.journey.currency) == "JPY");
  CHECK_FALSE(price(tt, {ride_on(tt, "T4", "S3", "S1")}).journey.known);  // the rule is zone 1 -> 2 only
  // A journey without rides costs nothing and is known.
  auto const walk = price(tt, {});
  CHECK(walk.journey.known);
  CHECK(walk.journey.total == 0);
}

TEST_CASE("fares v1: zones are per feed, fares never span feeds", "[fare][v1]") {
  auto f = base();
  f["fare_attributes.txt"] = "fare_id,price,currency_type,payment_method,transfers\nzone12,2.00,USD,0,\n";
  f["fare_rules.txt"] = "fare_id,origin_id,destination_id\nzone12,1,2\nzone12,2,3\nzone12,1,3\n";
  auto g = base();  // same ids, no fares
  nebuta::test::temp_dir a{"feed-a"}, b{"feed-b"};
  for (auto const& [file, content] : f) a.write(file, content);
  for (auto const& [file, content] : g) b.write(file, content);
  auto const r = nebuta::gtfs_import::load({{"a", a.path}, {"b", b.path}});
  auto const& tt = r.tt;
  CHECK(price(tt, {ride_on(tt, "a:T1", "a:S1", "a:S3")}).total() == 2.00);
  CHECK_FALSE(price(tt, {ride_on(tt, "b:T1", "b:S1", "b:S3")}).journey.known);
  // a's ride then b's ride: two fares, the second unknown (no transfer across feeds).
  auto const mixed = price(tt, {ride_on(tt, "a:T1", "a:S1", "a:S3"), ride_on(tt, "b:T2", "b:S3", "b:S5")});
  CHECK(mixed.legs[0].known);
  CHECK_FALSE(mixed.legs[1].known);
  CHECK_FALSE(mixed.legs[1].transfer);
}
