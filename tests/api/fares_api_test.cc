// Fares in /v1/plan and `nebuta plan` on Hachinohe (docs/fares.md): Leg.fare and Journey.fare,
// sort=fare and max_fare, bad fare options, and fares after `nebuta import` -> snapshot. The
// amounts are those of the hand-checked journey in tests/engine/fare/hand_checked_test.cc
// (370 + 190 + 190 JPY) and of fare_rules.txt for the two-bus journey (F370 + F310).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nebuta/api_service/json.h"
#include "nebuta/api_service/service.h"
#include "nebuta/gtfs_import/import.h"
#include "run_nebuta.h"
#include "server_client.h"
#include "shared_data.h"

namespace {

namespace v1 = nebuta::v1;
using nebuta::api_service::api_error;

v1::PlanRequest hachinohe_request() {
  v1::PlanRequest req;
  req.set_from("509-01");  // 八戸駅
  req.set_to("552-01");    // 本八戸駅
  req.set_date("2026-04-08");
  req.set_depart("08:00");
  req.set_gtfs_literal(true);
  return req;
}

}  // namespace

TEST_CASE("fares api: Leg.fare and Journey.fare, sort=fare, max_fare", "[api][fare][shared_data]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  auto const loaded = nebuta::gtfs_import::load({{"hachinohe", feed}});
  nebuta::api_service::service const svc{loaded.tt};
  nebuta::raptor::router router{svc.raptor_index()};
  auto const chain = nebuta::api_service::make_lang_chain("en");

  auto const plan = svc.plan(hachinohe_request(), chain, router);
  REQUIRE(plan.journeys_size() == 2);
  auto const& first = plan.journeys(0);  // 08:00, three buses
  CHECK(first.fare().known());
  CHECK(first.fare().total() == 750.0);
  CHECK(first.fare().currency() == "JPY");
  CHECK(first.fare().legs_counted() == 3);
  std::vector<double> amounts;
  for (auto const& leg : first.legs()) {
    if (leg.mode() == "walk") {
      CHECK_FALSE(leg.has_fare());
      continue;
    }
    REQUIRE(leg.has_fare());
    CHECK(leg.fare().known());
    CHECK(leg.fare().has_amount());
    amounts.push_back(leg.fare().amount());
  }
  CHECK(amounts == std::vector<double>{370.0, 190.0, 190.0});
  CHECK(first.legs(0).fare().fare_id() == "F370");
  CHECK(plan.journeys(1).fare().total() == 680.0);  // 08:40, two buses: F370 + F310

  // JSON: amounts are plain numbers in yen.
  auto const json = nlohmann::json::parse(nebuta::api_service::to_json(plan));
  CHECK(json["journeys"][0]["fare"]["total"] == 750);
  CHECK(json["journeys"][0]["legs"][0]["fare"]["amount"] == 370);
  CHECK(json["journeys"][0]["legs"][0]["fare"]["currency"] == "JPY");

  auto by_fare = hachinohe_request();
  by_fare.set_sort("fare");
  auto const sorted = svc.plan(by_fare, chain, router);
  REQUIRE(sorted.journeys_size() == 2);
  CHECK(sorted.journeys(0).fare().total() == 680.0);
  CHECK(sorted.journeys(1).fare().total() == 750.0);

  auto capped = hachinohe_request();
  capped.set_max_fare(700);
  auto const cheap = svc.plan(capped, chain, router);
  REQUIRE(cheap.journeys_size() == 1);
  CHECK(cheap.journeys(0).fare().total() == 680.0);
  capped.set_max_fare(750);  // both kept, in their order, with their legs
  auto const both = svc.plan(capped, chain, router);
  REQUIRE(both.journeys_size() == 2);
  CHECK(both.journeys(0).legs_size() == first.legs_size());
  CHECK(both.journeys(0).fare().total() == 750.0);
  capped.set_max_fare(100);
  CHECK(svc.plan(capped, chain, router).journeys_size() == 0);

  auto bad = hachinohe_request();
  bad.set_sort("price");
  try {
    svc.plan(bad, chain, router);
    FAIL("sort=price accepted");
  } catch (api_error const& e) {
    CHECK(e.status() == 400);
    CHECK(e.code() == "invalid_parameter");
  }
  bad = hachinohe_request();
  bad.set_max_fare(-1);
  CHECK_THROWS_AS(svc.plan(bad, chain, router), api_error);
}

TEST_CASE("fares api: GET /v1/plan with sort and max_fare", "[api][fare][server][shared_data]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string(), 2};
  auto const r = nebuta::test::http_get(
      server.port(),
      "/v1/plan?from=509-01&to=552-01&date=2026-04-08&depart=08:00&gtfs_literal=true&sort=fare&max_fare=2000");
  REQUIRE(r.status == 200);
  auto const body = nlohmann::json::parse(r.body);
  INFO(r.body.substr(0, 3000));
  REQUIRE(body["journeys"].size() == 2);
  CHECK(body["journeys"][0]["fare"]["total"] == 680);
  auto const bad =
      nebuta::test::http_get(server.port(), "/v1/plan?from=509-01&to=552-01&date=2026-04-08&depart=08:00&max_fare=x");
  CHECK(bad.status == 400);
}

TEST_CASE("fares api: nebuta import -> snapshot -> nebuta plan prints the fares", "[api][fare][cli][shared_data]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  using nebuta::test::shell_quote;
  nebuta::test::temp_dir dir{"fares-snapshot"};
  auto const snapshot = (dir.path / "hachinohe.bin").string();
  auto const imported =
      nebuta::test::run_nebuta("import --feed " + shell_quote(feed.string()) + " -o " + shell_quote(snapshot));
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  auto const planned =
      nebuta::test::run_nebuta("plan --snapshot " + shell_quote(snapshot) +
                               " --date 2026-04-08 --from 509-01 --to 552-01 --depart 08:00 --gtfs-literal");
  INFO(planned.out << planned.err);
  REQUIRE(planned.exit_code == 0);
  CHECK_THAT(planned.out, Catch::Contains("3 rides, fare 750 JPY"));
  CHECK_THAT(planned.out, Catch::Contains("[370 JPY]"));
  CHECK_THAT(planned.out, Catch::Contains("2 rides, fare 680 JPY"));
}
