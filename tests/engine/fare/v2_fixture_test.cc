// Fares v2 on inline feeds, each expectation worked out by hand from the spec's rules
// (gtfs/spec/en/reference.md, fare_leg_rules.txt and fare_transfer_rules.txt), and on C-TRAN's
// real feed (us-ctran-flex).
#include <catch2/catch.hpp>

#include "fare_support.h"
#include "shared_data.h"

namespace {

using namespace nebuta::test::fares;
using nebuta::seconds_t;

constexpr seconds_t hms(int h, int m) { return h * 3600 + m * 60; }

// Route_1 (network N1): T1 S1 08:00 -> S3 08:20, T4 S3 08:40 -> S1 09:00, T5 S1 09:10 -> S3 09:30,
// T6 S1 11:00 -> S3 11:20. Route_2 (N2): T2 S3 08:30 -> S5 08:50. Route_3 (no network): T3 S3 10:00 -> S5 10:30.
files base() {
  return {
      {"agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,Demo,https://a.example/,America/New_York\n"},
      {"stops.txt",
       "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
       "C,Center station,40.505,-74.00,1,\n"
       "S1,One,40.50,-74.00,0,C\nS2,Two,40.51,-74.00,0,C\nS3,Three,40.52,-74.00,0,\nS4,Four,40.53,-74.00,0,\nS5,Five,40.54,-74.00,0,\n"},
      {"routes.txt", "route_id,agency_id,route_short_name,route_type\nRoute_1,A,1,3\nRoute_2,A,2,3\nRoute_3,A,3,3\n"},
      {"trips.txt",
       "route_id,service_id,trip_id\nRoute_1,WK,T1\nRoute_2,WK,T2\nRoute_3,WK,T3\nRoute_1,WK,T4\nRoute_1,WK,T5\nRoute_1,WK,T6\n"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
       "T1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT1,08:20:00,08:20:00,S3,3\n"
       "T2,08:30:00,08:30:00,S3,1\nT2,08:40:00,08:40:00,S4,2\nT2,08:50:00,08:50:00,S5,3\n"
       "T3,10:00:00,10:00:00,S3,1\nT3,10:30:00,10:30:00,S5,2\n"
       "T4,08:40:00,08:40:00,S3,1\nT4,08:50:00,08:50:00,S2,2\nT4,09:00:00,09:00:00,S1,3\n"
       "T5,09:10:00,09:10:00,S1,1\nT5,09:30:00,09:30:00,S3,2\n"
       "T6,11:00:00,11:00:00,S1,1\nT6,11:20:00,11:20:00,S3,2\n"},
      {"calendar.txt",
       "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
       "WK,1,1,1,1,1,0,0,20260401,20260430\n"},
      {"networks.txt", "network_id,network_name\nN1,Local\nN2,Express\n"},
      {"route_networks.txt", "network_id,route_id\nN1,Route_1\nN2,Route_2\n"},
      {"rider_categories.txt",
       "rider_category_id,rider_category_name,is_default_fare_category\nADULT,Adult,1\nSENIOR,Senior,0\n"},
      {"fare_media.txt", "fare_media_id,fare_media_name,fare_media_type\ncash,Cash,0\ncard,Card,2\n"},
  };
}

std::int64_t day_of(nebuta::timetable const& tt, int y, unsigned m, unsigned d) {
  return (nebuta::date_t{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} - tt.first_date).count();
}

}  // namespace

TEST_CASE("fares v2: networks without rule_priority, transfer rules of every type", "[fare][v2]") {
  auto f = base();
  f["fare_products.txt"] =
      "fare_product_id,fare_product_name,rider_category_id,fare_media_id,amount,currency\n"
      "local,Local ride,ADULT,cash,2.00,USD\nlocal,Local ride,ADULT,card,1.80,USD\nlocal,Local ride,SENIOR,cash,1.00,USD\n"
      "express,Express ride,,,4.00,USD\n"
      "other,Other ride,,,3.00,USD\n"
      "upgrade,Upgrade,,,0.50,USD\n"
      "express_local,Express and local,,,4.50,USD\n";
  f["fare_leg_rules.txt"] =
      "leg_group_id,network_id,from_area_id,to_area_id,fare_product_id\n"
      "g_local,N1,,,local\ng_express,N2,,,express\ng_other,,,,other\n";
  f["fare_transfer_rules.txt"] =
      "from_leg_group_id,to_leg_group_id,fare_product_id,transfer_count,duration_limit,duration_limit_type,fare_transfer_type\n"
      "g_local,g_local,,1,3600,1,0\n"
      "g_local,g_express,upgrade,,,,1\n"
      "g_express,g_local,express_local,,,,2\n";
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  REQUIRE(tt.fares.feed_system[nebuta::feed_idx{0U}] == static_cast<std::uint8_t>(nebuta::fare_system::v2));

  // One local ride: the default rider category (ADULT) pays the cheapest medium, the card: 1.80.
  auto const one = price(tt, {ride_on(tt, "T1", "S1", "S3")});
  REQUIRE(one.journey.known);
  CHECK(one.total() == Approx(1.80));
  CHECK(str(tt, one.legs[0].fare_id) == "local");
  CHECK(str(tt, one.legs[0].product) == "Local ride");

  // Route_3 has no network; N1 and N2 are named by rules, so the empty network_id matches it.
  CHECK(price(tt, {ride_on(tt, "T3", "S3", "S5")}).total() == Approx(3.00));

  // Local -> local within 3,600 s departure to departure (08:00 -> 08:40): A + AB with AB empty
  // (free). The next local -> local would be a second transfer, over transfer_count 1: T5 pays.
  auto const three =
      price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T4", "S3", "S1"), ride_on(tt, "T5", "S1", "S3")});
  CHECK(three.legs[1].transfer);
  CHECK(three.amount(1) == 0.0);
  CHECK_FALSE(three.legs[2].transfer);
  CHECK(three.amount(2) == Approx(1.80));
  CHECK(three.total() == Approx(3.60));

  // 08:00 -> 11:00 is past the duration limit: two fares.
  auto const late = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T6", "S1", "S3")});
  CHECK_FALSE(late.legs[1].transfer);
  CHECK(late.total() == Approx(3.60));

  // Local -> express, type 1 (A + AB + B): 1.80 + (0.50 + 4.00).
  auto const up = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  CHECK(up.legs[1].transfer);
  CHECK(up.amount(1) == Approx(4.50));
  CHECK(up.total() == Approx(6.30));

  // Express -> local, type 2 (AB replaces A): 4.00, then 4.50 - 4.00.
  auto const down = price(tt, {ride_on(tt, "T2", "S3", "S5"), ride_on(tt, "T4", "S3", "S1")});
  CHECK(down.amount(0) == Approx(4.00));
  CHECK(down.amount(1) == Approx(0.50));
  CHECK(down.total() == Approx(4.50));
}

TEST_CASE("fares v2: rule_priority, areas with stations, timeframes, v2 wins over v1", "[fare][v2]") {
  auto f = base();
  // Area "center" is station C: its platforms S1 and S2. S3 is in both areas.
  f["areas.txt"] = "area_id,area_name\ncenter,Center\nout,Outskirts\n";
  f["stop_areas.txt"] = "area_id,stop_id\ncenter,C\ncenter,S3\nout,S3\nout,S4\nout,S5\n";
  f["timeframes.txt"] = "timeframe_group_id,start_time,end_time,service_id\npeak,07:00:00,09:00:00,WK\n";
  f["fare_products.txt"] =
      "fare_product_id,fare_product_name,amount,currency\nbase,Base,2.00,USD\ncross,Cross-town,3.00,USD\npeak,Peak,2.50,USD\n";
  f["fare_leg_rules.txt"] =
      "leg_group_id,network_id,from_area_id,to_area_id,from_timeframe_group_id,to_timeframe_group_id,fare_product_id,rule_priority\n"
      ",,,,,,base,0\n"
      ",,center,out,,,cross,1\n"
      ",,,,peak,,peak,2\n";
  // v1 files too: the feed is priced by v2.
  f["fare_attributes.txt"] = "fare_id,price,currency_type,payment_method,transfers\nflat,9.00,USD,0,\n";
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  auto const wed = day_of(tt, 2026, 4, 8), sat = day_of(tt, 2026, 4, 11);

  // T1 S1 -> S2 boards 08:00 on a Wednesday: base (0) and peak (2) match; the highest priority wins.
  auto const peak = price(tt, {ride_on(tt, "T1", "S1", "S2")}, wed);
  CHECK(str(tt, peak.legs[0].fare_id) == "peak");
  CHECK(peak.total() == Approx(2.50));
  // The same times on a Saturday: WK has no service, so no peak: base.
  CHECK(price(tt, {ride_on(tt, "T1", "S1", "S2")}, sat).total() == Approx(2.00));
  // T6 S1 (center, through station C) -> S3 (center and out) at 11:00: cross (1) beats base (0).
  CHECK(str(tt, price(tt, {ride_on(tt, "T6", "S1", "S3")}, wed).legs[0].fare_id) == "cross");
  // T3 S3 -> S5 at 10:00: cross. T2 S3 -> S5 boards 08:30, in the peak: peak (2) beats cross (1).
  CHECK(price(tt, {ride_on(tt, "T3", "S3", "S5")}, wed).total() == Approx(3.00));
  CHECK(price(tt, {ride_on(tt, "T2", "S3", "S5")}, wed).total() == Approx(2.50));
  // S4 -> S5 (out -> out) at 08:40 boards in the peak; at 10:00 it would be base. No transfer
  // rules: each ride pays.
  auto const two = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T3", "S3", "S5")}, wed);
  CHECK(two.total() == Approx(2.50 + 3.00));
  CHECK_FALSE(two.legs[1].transfer);
  // A ride boarding at 24:30 of Tuesday is 00:30 on Wednesday: not in 07:00-09:00.
  auto night = ride_on(tt, "T1", "S1", "S2");
  night.board = hms(24, 30), night.alight = hms(24, 40);
  CHECK(price(tt, {night}, day_of(tt, 2026, 4, 7)).total() == Approx(2.00));
  night.board = hms(31, 0), night.alight = hms(31, 10);  // 07:00 on Wednesday
  CHECK(price(tt, {night}, day_of(tt, 2026, 4, 7)).total() == Approx(2.50));
}

TEST_CASE("fares v2: a leg no rule matches is unknown", "[fare][v2]") {
  auto f = base();
  f["fare_products.txt"] = "fare_product_id,amount,currency\nlocal,2.00,USD\n";
  f["fare_leg_rules.txt"] = "network_id,fare_product_id\nN1,local\n";
  auto const r = load_inline(f);
  auto const& tt = r.tt;
  // Route_2 is in N2: N1 is the only network named, so nothing matches it.
  auto const p = price(tt, {ride_on(tt, "T1", "S1", "S3"), ride_on(tt, "T2", "S3", "S5")});
  CHECK(p.legs[0].known);
  CHECK_FALSE(p.legs[1].known);
  CHECK_FALSE(p.journey.known);
  CHECK(p.journey.legs_counted == 1);
  CHECK(p.total() == Approx(2.00));
}

// C-TRAN "The Current" (us-ctran-flex) is on-demand only: its rides are zone to zone, not
// timetabled trips, so they are given as rides on a route between two stops. Its Fares v2 files:
//   routes.txt            every route has network_id LOCAL
//   fare_leg_rules.txt    LOCAL,LOCAL,ADULT_LOCAL_SINGLE_RIDE,,  (and HC_..., YOUTH_... for other riders)
//   fare_products.txt     ADULT_LOCAL_SINGLE_RIDE,Adult Local 2 1/2 Hours,ADULT,<media 0-4>,1.25,USD
//   rider_categories.txt  ADULT,Adult,1,   (the default)
//   fare_transfer_rules.txt  LOCAL,LOCAL,,-1,9000,1,0   (free transfers for 9,000 s, departure to departure)
TEST_CASE("fares v2: C-TRAN, hand-checked", "[fare][v2][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "us-ctran-flex");
  auto const loaded = nebuta::gtfs_import::load({{"ctran", path}});
  auto const& tt = loaded.tt;
  REQUIRE(tt.fares.feed_system[nebuta::feed_idx{0U}] == static_cast<std::uint8_t>(nebuta::fare_system::v2));
  auto const rose = std::string{"2bc6804f-9e24-4b91-8947-c73a2363e7b6"};           // Rose Village
  auto const port = std::string{"68456f6e-2a04-4fcb-971b-fd57348e2ed7"};           // Port of Vancouver
  auto const va = std::string{"stop_id__09a24d02-a63c-4fa4-b625-c9ba13efd2c0"};    // VA Medical Center
  auto const wash = std::string{"stop_id__16862db1-27e2-42f5-84ca-76388efb4509"};  // Washington & 13th Street

  // One ride: the adult product, 1.25 USD.
  auto const one = price(tt, {ride_between(tt, rose, va, wash, hms(9, 0), hms(9, 20))});
  REQUIRE(one.journey.known);
  CHECK(one.total() == Approx(1.25));
  CHECK(str(tt, one.legs[0].fare_id) == "ADULT_LOCAL_SINGLE_RIDE");
  CHECK(str(tt, one.legs[0].product) == "Adult Local 2 1/2 Hours");
  CHECK(str(tt, one.journey.currency) == "USD");

  // Three rides, each boarding within 9,000 s of the first (09:00, 10:00, 11:25): one fare.
  auto const three = price(tt, {ride_between(tt, rose, va, wash, hms(9, 0), hms(9, 20)),
                                ride_between(tt, port, wash, va, hms(10, 0), hms(10, 30)),
                                ride_between(tt, rose, va, wash, hms(11, 25), hms(11, 45))});
  CHECK(three.total() == Approx(1.25));
  CHECK(three.legs[1].transfer);
  CHECK(three.legs[2].transfer);
  CHECK(three.amount(2) == 0.0);

  // The third boarding at 11:31 is 9,060 s after the first: a new fare.
  auto const later = price(tt, {ride_between(tt, rose, va, wash, hms(9, 0), hms(9, 20)),
                                ride_between(tt, port, wash, va, hms(10, 0), hms(10, 30)),
                                ride_between(tt, rose, va, wash, hms(11, 31), hms(11, 50))});
  CHECK(later.total() == Approx(2.50));
  CHECK_FALSE(later.legs[2].transfer);
  CHECK(later.amount(2) == Approx(1.25));
}
