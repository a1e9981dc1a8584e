// The HTTP server on the Hachinohe city bus feed (GTFS-JP, ja / ja-Hrkt / en names): every
// endpoint in JSON and protobuf, the CLI's answers, English and Japanese for one journey.
#include <cstdio>

#include <google/protobuf/util/message_differencer.h>
#include <catch2/catch.hpp>

#include "nebuta/api_service/json.h"
#include "server_client.h"
#include "shared_data.h"

namespace {

using nebuta::test::run_cli;

using nebuta::test::http_get;
using nebuta::test::url_encode;
namespace v1 = nebuta::v1;

template <typename M>
M get_both(std::uint16_t port, std::string const& target) {
  INFO(target);
  auto const j = http_get(port, target);
  REQUIRE(j.status == 200);
  M from_json;
  REQUIRE(nebuta::api_service::from_json(j.body, from_json).empty());
  auto const p = http_get(port, target, "Accept: application/x-protobuf\r\n");
  REQUIRE(p.status == 200);
  M from_pb;
  REQUIRE(from_pb.ParseFromString(p.body));
  CHECK(google::protobuf::util::MessageDifferencer::Equals(from_json, from_pb));
  return from_pb;
}

}  // namespace

TEST_CASE("server, Hachinohe: endpoints, CLI equality, English and Japanese", "[api][server][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string()};
  auto const port = server.port();

  // 2026-04-08 is a Wednesday (weekday service).
  auto const plan_target =
      "/v1/plan?from=" + url_encode("八戸駅") + "&to=" + url_encode("本八戸駅") + "&date=2026-04-08&depart=08:00";
  auto const en = get_both<v1::PlanResponse>(port, plan_target + "&lang=en");
  auto const ja = get_both<v1::PlanResponse>(port, plan_target + "&lang=ja");
  REQUIRE(en.journeys_size() >= 1);
  REQUIRE(ja.journeys_size() == en.journeys_size());
  CHECK(en.from() == "Hachinohe Eki Sta.");
  CHECK(ja.from() == "八戸駅");
  CHECK(ja.to() == "本八戸駅");
  for (int i = 0; i < en.journeys_size(); ++i) {
    CHECK(en.journeys(i).departure() == ja.journeys(i).departure());
    CHECK(en.journeys(i).arrival() == ja.journeys(i).arrival());
    CHECK(en.journeys(i).arrival_seconds() < 10 * 3600);
  }
  auto const& ride_en = en.journeys(0).legs(en.journeys(0).legs_size() - 1);
  auto const& ride_ja = ja.journeys(0).legs(ja.journeys(0).legs_size() - 1);
  CHECK(ride_en.to().name() == "Hon-hachinohe Eki Sta.");
  CHECK(ride_ja.to().name() == "本八戸駅");
  CHECK(ride_en.headsign() != ride_ja.headsign());  // translated headsigns
  // Accept-Language selects the same as lang=.
  auto const header_ja = http_get(port, plan_target, "Accept-Language: ja\r\n");
  CHECK(header_ja.body == nebuta::api_service::to_json(ja));

  for (auto const& lang : {std::string{"en"}, std::string{"ja"}}) {
    auto const cli =
        run_cli("plan --feed '" + feed.string() +
                "' --date 2026-04-08 --from 八戸駅 --to 本八戸駅 --depart 08:00 --lang " + lang + " --format json");
    CHECK(cli == http_get(port, plan_target + "&lang=" + lang).body + "\n");
  }
  auto const range_cli =
      run_cli("plan --feed '" + feed.string() +
              "' --date 2026-04-08 --from 八戸駅 --to 本八戸駅 --depart 07:00 --window 1h --format json");
  CHECK(range_cli == http_get(port, "/v1/plan?from=" + url_encode("八戸駅") + "&to=" + url_encode("本八戸駅") +
                                        "&date=2026-04-08&depart=07:00&window=1h")
                             .body +
                         "\n");

  // Stop search in kanji, kana, romaji, with a typo; poles of one stop are grouped.
  auto const first = [&](std::string const& q) {
    auto const r = get_both<v1::StopSearchResponse>(port, "/v1/stops?q=" + url_encode(q) + "&lang=ja");
    return r.results_size() == 0 ? std::string{} : r.results(0).stop().name();
  };
  CHECK(first("八戸駅") == "八戸駅");
  CHECK(first("はちのへえき") == "八戸駅");
  CHECK(first("ﾊﾁﾉﾍｴｷ") == "八戸駅");
  CHECK(first("Hachinohe Eki") == "八戸駅");
  CHECK(first("hon-hachinohe") == "本八戸駅");
  CHECK(first("Hon Hachinohe Eik") == "本八戸駅");
  auto const search = get_both<v1::StopSearchResponse>(port, "/v1/stops?q=" + url_encode("八戸駅"));
  REQUIRE(search.results_size() >= 1);
  CHECK(search.results(0).stop().platforms_size() >= 2);

  auto const stop = get_both<v1::Stop>(port, "/v1/stops/509-01?lang=en");
  CHECK(stop.name() == "Hachinohe Eki Sta.");
  CHECK(stop.routes_size() >= 1);
  auto const board =
      get_both<v1::DeparturesResponse>(port, "/v1/stops/509-01/departures?date=2026-04-08&time=08:00&n=10&lang=en");
  REQUIRE(board.departures_size() == 10);
  CHECK(!board.departures(0).headsign().empty());
  auto const nearby = get_both<v1::NearbyResponse>(port, "/v1/nearby?lat=40.508756&lon=141.431944&radius=200");
  REQUIRE(nearby.stops_size() >= 1);
  CHECK(nearby.stops(0).stop().stop_id() == "509-01");
  auto const routes = get_both<v1::RoutesResponse>(port, "/v1/routes?lang=ja");
  REQUIRE(routes.routes_size() > 10);
  auto const route = get_both<v1::Route>(port, "/v1/routes/" + url_encode(routes.routes(0).route_id()));
  CHECK(route.patterns_size() >= 1);
  auto const trip_id = board.departures(0).trip_id();
  auto const trip = get_both<v1::Trip>(port, "/v1/trips/" + url_encode(trip_id) + "?date=2026-04-08");
  CHECK(trip.runs_on_date());
  CHECK(trip.stop_times_size() >= 2);
  auto const feeds = get_both<v1::FeedsResponse>(port, "/v1/feeds");
  REQUIRE(feeds.feeds_size() == 1);
  CHECK(feeds.service_start() <= "2026-04-01");
  CHECK(http_get(port, "/healthz").status == 200);
}

TEST_CASE("server, Hachinohe: times carry +09:00, inputs take offsets, wheelchair is unknown not no",
          "[api][server][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string()};
  auto const port = server.port();
  auto const base = "/v1/plan?from=" + url_encode("八戸駅") + "&to=" + url_encode("本八戸駅");
  auto const plain = get_both<v1::PlanResponse>(port, base + "&date=2026-04-08&depart=08:00");
  REQUIRE(plain.journeys_size() >= 1);
  for (auto const& j : plain.journeys()) {
    // agency_timezone Asia/Tokyo: every time is the wall time with +09:00.
    CHECK(j.departure().size() == 25);
    CHECK(j.departure().ends_with("+09:00"));
    CHECK(j.arrival().ends_with("+09:00"));
    for (auto const& l : j.legs()) CHECK(l.from().time().ends_with("+09:00"));
    auto const h = j.departure_seconds() / 3600, m = j.departure_seconds() / 60 % 60;
    char expect[32];
    std::snprintf(expect, sizeof expect, "2026-04-08T%02d:%02d", h, m);
    CHECK(j.departure().starts_with(expect));
  }
  // The same query as an instant, with its offset or in UTC, and no date.
  for (auto const* when : {"2026-04-08T08:00:00%2B09:00", "2026-04-07T23:00:00Z", "2026-04-08T08:00"}) {
    auto const again = get_both<v1::PlanResponse>(port, base + "&depart=" + when);
    CHECK(again.date() == "2026-04-08");
    REQUIRE(again.journeys_size() == plain.journeys_size());
    for (int i = 0; i < plain.journeys_size(); ++i)
      CHECK(again.journeys(i).departure() == plain.journeys(i).departure());
  }
  CHECK(http_get(port, base + "&date=2026-04-09&depart=2026-04-08T08:00:00%2B09:00").status == 400);

  // Every trip and stop of the feed says wheelchair 0 (unknown): a wheelchair user still gets
  // the journeys, each flagged unknown, and never "no route" for lack of data.
  auto const wc = get_both<v1::PlanResponse>(port, base + "&date=2026-04-08&depart=08:00&wheelchair=true");
  REQUIRE(wc.journeys_size() >= 1);
  CHECK(wc.journeys(0).departure() == plain.journeys(0).departure());
  for (auto const& j : wc.journeys()) {
    CHECK(j.accessibility() == "unknown");
    for (auto const& l : j.legs()) {
      if (l.mode() == "ride") CHECK(l.accessibility() == "unknown");
    }
  }
  for (auto const& j : plain.journeys()) CHECK(j.accessibility() == "unknown");
}
