// Fares of named journeys on the real Hachinohe, Hakodate and BART feeds. Each expected fare was
// read off fare_rules.txt and fare_attributes.txt by hand (the rows are quoted with their line
// numbers), and the test reads those rows from the files again itself, with its own CSV reader,
// so that a changed feed fails loudly instead of silently changing the expectation.
#include <array>
#include <fstream>

#include <catch2/catch.hpp>

#include "fare_support.h"
#include "nebuta/fare/journey.h"
#include "nebuta/raptor/router.h"
#include "reference_fares.h"
#include "shared_data.h"

namespace {

using namespace nebuta::test::fares;
using nebuta::date_t;
using nebuta::seconds_t;

constexpr seconds_t hms(int h, int m) { return h * 3600 + m * 60; }

// Line `line` of fare_rules.txt (1-based, the header is line 1) and the price of its fare.
struct rule_row {
  std::string text;
  double price{0.0};
};
rule_row read_rule(std::filesystem::path const& dir, std::size_t line) {
  std::ifstream in{dir / "fare_rules.txt", std::ios::binary};
  std::string s;
  for (std::size_t i = 0; i < line && std::getline(in, s); ++i) {
  }
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  static std::map<std::filesystem::path, std::vector<row>> rules;  // each file read once
  if (!rules.contains(dir)) rules[dir] = read_csv(dir / "fare_rules.txt");
  auto const fare_id = rules[dir].at(line - 2).at("fare_id");
  for (auto const& a : read_csv(dir / "fare_attributes.txt")) {
    if (a.at("fare_id") == fare_id) return {s, std::stod(a.at("price"))};
  }
  FAIL("fare " << fare_id << " not in fare_attributes.txt");
  return {};
}

}  // namespace

TEST_CASE("hand-checked fares: Hachinohe 八戸駅 -> 本八戸駅, three buses", "[fare][hand][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const loaded = nebuta::gtfs_import::load({{"hachinohe", path}});
  auto const& tt = loaded.tt;
  // The journey of the raptor test "hachinohe: 八戸駅 -> 本八戸駅 on a weekday morning" (literal
  // GTFS, Wed 2026-04-08 08:00), with its zones (stops.txt zone_id = "Z" + stop_id):
  //   1-平日-600541-1 八戸駅（西高校）線   509-01 -> 800-02  line 55515: "F370","八戸駅（西高校）線","Z509-01","Z800-02",""
  //   1-平日-400412-3 是川団地線（中居林まわり） 800-02 -> 544-01  "F190" (fare_attributes: F190 = 190 JPY)
  //   1-平日-400411-3 是川団地線（中居林まわり） 544-01 -> 552-01  "F190"
  // transfers = 0 for every fare: 370 + 190 + 190 = 750 JPY.
  auto const row = read_rule(path, 55515);
  CHECK(row.text == R"("F370","八戸駅（西高校）線","Z509-01","Z800-02","")");
  CHECK(row.price == 370.0);
  nebuta::raptor::index const idx{tt};
  nebuta::raptor::router r{idx};
  nebuta::raptor::options opt;
  opt.gtfs_literal = true;
  opt.walk_radius_m = 0;
  auto const res = r.earliest_arrival(nebuta::raptor::place::at_stop(*tt.find_stop("509-01")),
                                      nebuta::raptor::place::at_stop(*tt.find_stop("552-01")),
                                      date_t{std::chrono::year{2026} / 4 / 8}, hms(8, 0), opt);
  REQUIRE(res.reachable);
  nebuta::raptor::journey j;
  REQUIRE(r.reconstruct(3, j));
  std::array<nebuta::fare::ride, 8> rides;
  auto const n = nebuta::fare::rides_of(tt, j, rides);
  REQUIRE(n == 3);
  CHECK(tt.external_trip_id(j.legs[0].trip) == "1-平日-600541-1");
  auto const p = price(tt, {rides.begin(), rides.begin() + n});
  REQUIRE(p.journey.known);
  CHECK(p.journey.total == 750);
  CHECK(str(tt, p.journey.currency) == "JPY");
  CHECK(p.amount(0) == 370.0);
  CHECK(str(tt, p.legs[0].fare_id) == "F370");
  CHECK(p.amount(1) == 190.0);
  CHECK(p.amount(2) == 190.0);
  CHECK(str(tt, p.legs[2].fare_id) == "F190");

  // The same trip to 234-01 instead (line 55471, "F370","八戸駅（西高校）線","Z509-01","Z234-01",""),
  // a short walk, then 621-01 -> 552-01 on 是川団地線 (line 17565,
  // "F190","是川団地線（中居林まわり）","Z621-01","Z552-01",""): 560 JPY.
  CHECK(read_rule(path, 55471).text == R"("F370","八戸駅（西高校）線","Z509-01","Z234-01","")");
  CHECK(read_rule(path, 17565).text == R"("F190","是川団地線（中居林まわり）","Z621-01","Z552-01","")");
  auto const q = price(
      tt, {ride_on(tt, "1-平日-600541-1", "509-01", "234-01"), ride_on(tt, "1-平日-400412-3", "621-01", "552-01")});
  CHECK(q.journey.total == 560);
}

TEST_CASE("hand-checked fares: Hakodate tram, origin-destination fares by platform zone", "[fare][hand][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hakodate-citytram");
  auto const loaded = nebuta::gtfs_import::load({{"hakodate", path}});
  auto const& tt = loaded.tt;
  // 湯の川 -> 谷地頭 on route 2 (Tue 2018-05-15 10:04 -> 10:48): line 32 "f04,,hkd01-01,hkd26-01,", f04 = 250 JPY.
  CHECK(read_rule(path, 32).text == "f04,,hkd01-01,hkd26-01,");
  CHECK(read_rule(path, 32).price == 250.0);
  auto const direct = price(tt, {ride_on(tt, "HKD2-1-021", "hkd01-01", "hkd26-01")});
  CHECK(direct.journey.total == 250);
  CHECK(str(tt, direct.legs[0].fare_id) == "f04");
  // 谷地頭 -> 函館どつく前: route 2 to 函館駅前 (platform 2), then route 5 from platform 1.
  //   line 502 "f02,,hkd26-02,hkd17-02,"  and  line 558 "f02,,hkd17-01,hkd23-01,"; f02 = 230 JPY, transfers 0.
  CHECK(read_rule(path, 502).text == "f02,,hkd26-02,hkd17-02,");
  CHECK(read_rule(path, 558).text == "f02,,hkd17-01,hkd23-01,");
  CHECK(read_rule(path, 558).price == 230.0);
  auto const change =
      price(tt, {ride_on(tt, "HKD2-1-117", "hkd26-02", "hkd17-02"), ride_on(tt, "HKD5-1-021", "hkd17-01", "hkd23-01")});
  REQUIRE(change.journey.known);
  CHECK(change.journey.total == 460);
  CHECK_FALSE(change.legs[1].transfer);
}

TEST_CASE("hand-checked fares: BART, one fare from entry to exit station", "[fare][hand][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "rt-samples/us-bart/gtfs");
  auto const loaded = nebuta::gtfs_import::load({{"bart", path}});
  auto const& tt = loaded.tt;
  // Antioch -> SFO on the Yellow line: line 2260 "273,,ANTC,SFIA,", fare 273 = 13.65 USD.
  CHECK(read_rule(path, 2260).text == "273,,ANTC,SFIA,");
  CHECK(read_rule(path, 2260).price == 13.65);
  auto const sfo = price(tt, {ride_on(tt, "3791018WKDY", "ANTC", "SFIA")});
  CHECK(sfo.total() == Approx(13.65));
  CHECK(str(tt, sfo.legs[0].fare_id) == "273");
  // Richmond -> Dublin/Pleasanton with a change at Lake Merritt (Orange, then Blue). BART fares
  // have unlimited transfers, so the entry-exit fare covers both rides: line 266
  // "119,,RICH,DUBL," = 5.95 USD, less than RICH -> LAKE (line 256, 3.45) + LAKE -> DUBL (line 698, 5.00).
  CHECK(read_rule(path, 266).text == "119,,RICH,DUBL,");
  CHECK(read_rule(path, 266).price == 5.95);
  CHECK(read_rule(path, 256).price + read_rule(path, 698).price == Approx(8.45));
  auto const dublin = price(tt, {ride_on(tt, "2371005WKDY", "RICH", "LAKE"), ride_on(tt, "5131007WKDY", "LAKE", "DUBL")});
  REQUIRE(dublin.journey.known);
  CHECK(dublin.total() == Approx(5.95));
  CHECK(dublin.amount(0) == Approx(5.95));
  CHECK(dublin.legs[1].transfer);
  CHECK(dublin.amount(1) == 0.0);
  // Pittsburg/Bay Point -> Fremont, change at 19th St.: line 1224 "154,,PITT,FRMT," = 7.70 USD.
  CHECK(read_rule(path, 1224).text == "154,,PITT,FRMT,");
  auto const fremont =
      price(tt, {ride_on(tt, "3771003WKDY", "PITT", "19TH"), ride_on(tt, "2391020WKDY", "19TH", "FRMT")});
  CHECK(fremont.total() == Approx(7.70));
}
