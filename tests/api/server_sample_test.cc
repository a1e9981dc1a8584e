// The HTTP server on the bundled sample feed: every endpoint in JSON and in protobuf, answers
// equal to `nebuta plan --format json`, CORS, concurrency, stop search folding.
#include <atomic>
#include <cstdio>
#include <thread>

#include <google/protobuf/util/message_differencer.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nebuta/api_service/json.h"
#include "server_client.h"

namespace {

using nebuta::test::run_cli;

using nebuta::test::http_get;
using nebuta::test::http_post;
using nebuta::test::url_encode;
namespace v1 = nebuta::v1;

std::string const sample = NEBUTA_SOURCE_DIR "/data/sample";

nebuta::test::test_server& sample_server() {
  static nebuta::test::test_server s{sample};
  return s;
}

std::string shell_quote(std::string const& s) {
  std::string out = "'";
  for (auto const c : s) out += c == '\'' ? std::string{"'\\''"} : std::string{c};
  return out + "'";
}

// GET in JSON and in protobuf; both decode into M (with the generated classes) and are equal.
template <typename M>
M get_both(std::uint16_t port, std::string const& target) {
  INFO(target);
  auto const j = http_get(port, target);
  REQUIRE(j.status == 200);
  CHECK(j.header("content-type") == "application/json");
  CHECK(j.header("access-control-allow-origin") == "*");
  M from_json;
  REQUIRE(nebuta::api_service::from_json(j.body, from_json).empty());
  auto const p = http_get(port, target, "Accept: application/x-protobuf\r\n");
  REQUIRE(p.status == 200);
  CHECK(p.header("content-type") == "application/x-protobuf");
  M from_pb;
  REQUIRE(from_pb.ParseFromString(p.body));
  CHECK(google::protobuf::util::MessageDifferencer::Equals(from_json, from_pb));
  return from_pb;
}

}  // namespace

TEST_CASE("server, sample feed: every endpoint in JSON and protobuf", "[api][server]") {
  auto const port = sample_server().port();

  auto const plan = get_both<v1::PlanResponse>(
      port, "/v1/plan?from=" + url_encode("八戸") + "&to=" + url_encode("種差海岸") + "&date=2026-04-08&depart=09:45");
  REQUIRE(plan.journeys_size() >= 1);
  CHECK(plan.from() == "Hachinohe");
  CHECK(plan.journeys(0).departure() == "2026-04-08T09:50:00+09:00");
  CHECK(plan.journeys(0).arrival() == "2026-04-08T10:18:00+09:00");
  REQUIRE(plan.journeys(0).legs_size() == 1);
  CHECK(plan.journeys(0).legs(0).mode() == "ride");
  CHECK(plan.journeys(0).legs(0).trip_id() == "JRH_O_WD_0950");
  CHECK(plan.journeys(0).legs(0).from().platform_code() == "4");
  CHECK(plan.journeys(0).legs(0).intermediate_stops_size() > 3);

  auto const arrive = get_both<v1::PlanResponse>(
      port, "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&arrive=10:30&lang=ja");
  REQUIRE(arrive.journeys_size() >= 1);
  CHECK(arrive.journeys(0).arrival_seconds() <= 10 * 3600 + 30 * 60);
  CHECK(arrive.from() == "八戸");

  auto const range = get_both<v1::PlanResponse>(
      port, "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=08:00&window=3h");
  CHECK(range.journeys_size() >= 2);

  auto const coord = get_both<v1::PlanResponse>(
      port, "/v1/plan?from=40.5089,141.4305&to=tanesashi_kaigan&date=2026-04-08&depart=09:40");
  REQUIRE(coord.journeys_size() >= 1);
  CHECK(coord.journeys(0).legs(0).mode() == "walk");

  auto const search = get_both<v1::StopSearchResponse>(port, "/v1/stops?q=" + url_encode("はちのへ"));
  REQUIRE(search.results_size() >= 1);
  CHECK(search.results(0).stop().stop_id() == "hachinohe");
  CHECK(search.results(0).stop().platforms_size() >= 2);  // a station groups its platforms

  auto const stop = get_both<v1::Stop>(port, "/v1/stops/hachinohe?lang=ja");
  CHECK(stop.name() == "八戸");
  CHECK(stop.location_type() == 1);
  CHECK(stop.routes_size() >= 2);

  auto const board =
      get_both<v1::DeparturesResponse>(port, "/v1/stops/hachinohe/departures?date=2026-04-08&time=09:00&n=5");
  REQUIRE(board.departures_size() == 5);
  for (int i = 0; i < board.departures_size(); ++i) {
    auto const& d = board.departures(i);
    CHECK(d.seconds() >= 9 * 3600);
    CHECK(!d.route().route_id().empty());
    CHECK(!d.headsign().empty());
    CHECK(!d.platform_code().empty());
    if (i > 0) CHECK(d.seconds() >= board.departures(i - 1).seconds());
  }

  auto const nearby = get_both<v1::NearbyResponse>(port, "/v1/nearby?lat=40.5089&lon=141.4305&radius=300");
  REQUIRE(nearby.stops_size() >= 1);
  CHECK(nearby.stops(0).stop().stop_id() == "hachinohe_4");
  CHECK(nearby.stops(0).distance_m() < 1.0);

  auto const routes = get_both<v1::RoutesResponse>(port, "/v1/routes");
  CHECK(routes.routes_size() == 6);
  auto const route = get_both<v1::Route>(port, "/v1/routes/jr_hachinohe_line");
  CHECK(route.patterns_size() >= 1);
  CHECK(route.trips() > 0);

  auto const trip = get_both<v1::Trip>(port, "/v1/trips/JRH_O_WD_0950?date=2026-04-08");
  CHECK(trip.runs_on_date());
  REQUIRE(trip.stop_times_size() > 2);
  CHECK(trip.stop_times(0).departure() == "2026-04-08T09:50:00+09:00");

  auto const feeds = get_both<v1::FeedsResponse>(port, "/v1/feeds");
  REQUIRE(feeds.feeds_size() == 1);
  CHECK(feeds.feeds(0).agencies_size() == 3);
  CHECK(!feeds.service_start().empty());

  auto const health = get_both<v1::Health>(port, "/healthz");
  CHECK(health.status() == "ok");

  auto const metrics = http_get(port, "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("nebuta_http_requests_total{endpoint=\"plan\",code=\"200\"}") != std::string::npos);
  CHECK(metrics.body.find("nebuta_http_request_duration_seconds_bucket{endpoint=\"plan\",le=\"+Inf\"}") !=
        std::string::npos);

  auto const openapi = http_get(port, "/v1/openapi.json");
  REQUIRE(openapi.status == 200);
  auto const doc = nlohmann::json::parse(openapi.body);
  CHECK(doc["openapi"] == "3.0.3");
  for (auto const* p : {"/v1/plan", "/v1/stops", "/v1/stops/{id}", "/v1/stops/{id}/departures", "/v1/nearby",
                        "/v1/routes", "/v1/routes/{id}", "/v1/trips/{id}", "/v1/feeds", "/healthz", "/metrics"}) {
    CHECK(doc["paths"].contains(p));
  }
  CHECK(doc["components"]["schemas"].contains("Journey"));
}

TEST_CASE("server, sample feed: POST bodies in JSON and protobuf equal GET", "[api][server]") {
  auto const port = sample_server().port();
  auto const get = http_get(port, "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=09:45&lang=ko");
  REQUIRE(get.status == 200);
  v1::PlanRequest req;
  req.set_from("hachinohe");
  req.set_to("tanesashi_kaigan");
  req.set_date("2026-04-08");
  req.set_depart("09:45");
  req.set_lang("ko");
  auto const pb = http_post(port, "/v1/plan", "application/x-protobuf", req.SerializeAsString());
  REQUIRE(pb.status == 200);
  CHECK(pb.body == get.body);
  auto const json = http_post(port, "/v1/plan", "application/json; charset=utf-8", nebuta::api_service::to_json(req));
  REQUIRE(json.status == 200);
  CHECK(json.body == get.body);
  auto const pb_out = http_post(port, "/v1/plan", "application/x-protobuf", req.SerializeAsString(),
                                "Accept: application/x-protobuf\r\n");
  v1::PlanResponse res;
  REQUIRE(res.ParseFromString(pb_out.body));
  CHECK(nebuta::api_service::to_json(res) == get.body);
}

TEST_CASE("server, sample feed: /v1/plan equals `nebuta plan --format json`", "[api][server]") {
  auto const port = sample_server().port();
  struct q {
    std::string from, to, date, extra_cli, extra_query;
  };
  std::vector<q> const queries{
      {"八戸", "種差海岸", "2026-04-08", "--depart 09:45", "&depart=09:45"},
      {"hachinohe", "tanesashi_kaigan", "2026-04-08", "--arrive 12:00 --lang ja", "&arrive=12:00&lang=ja"},
      {"hachinohe", "tanesashi_kaigan", "2026-04-08", "--depart 07:00 --window 3h", "&depart=07:00&window=3h"},
      {"40.5089,141.4305", "Tanesashi-Kaigan", "2026-04-08", "--depart 09:40 --lang zh-Hans",
       "&depart=09:40&lang=zh-Hans"},
      {"hachinohe", "tanesashi_kaigan", "2026-04-08", "--depart 09:45 --gtfs-literal --walk-radius 200 --max-legs 3",
       "&depart=09:45&gtfs_literal=true&walk_radius=200&max_legs=3"},
  };
  for (auto const& x : queries) {
    auto const cli = run_cli("plan --feed " + shell_quote(sample) + " --date " + x.date + " --from " +
                             shell_quote(x.from) + " --to " + shell_quote(x.to) + " " + x.extra_cli + " --format json");
    auto const target =
        "/v1/plan?from=" + url_encode(x.from) + "&to=" + url_encode(x.to) + "&date=" + x.date + x.extra_query;
    auto const http = http_get(port, target);
    INFO(target);
    REQUIRE(http.status == 200);
    CHECK(cli == http.body + "\n");
  }
}

TEST_CASE("server, sample feed: stop search folds width, kana and typos", "[api][server]") {
  auto const port = sample_server().port();
  auto const first = [&](std::string const& q) {
    auto const r = http_get(port, "/v1/stops?q=" + url_encode(q));
    v1::StopSearchResponse res;
    REQUIRE(r.status == 200);
    REQUIRE(nebuta::api_service::from_json(r.body, res).empty());
    return res.results_size() == 0 ? std::string{} : res.results(0).stop().stop_id();
  };
  CHECK(first("Hachinohe") == "hachinohe");
  CHECK(first("ＨＡＣＨＩＮＯＨＥ") == "hachinohe");  // full-width
  CHECK(first("ﾊﾁﾉﾍ") == "hachinohe");                // half-width katakana
  CHECK(first("ハチノヘ") == "hachinohe");            // katakana vs the feed's hiragana reading
  CHECK(first("Hachinoe") == "hachinohe");            // a typo
  CHECK(first("Tanesa") == "tanesashi_kaigan");       // prefix
  CHECK(first("種差") == "tanesashi_kaigan");         // kanji prefix
  CHECK(first("zzzzzz").empty());
}

TEST_CASE("server, sample feed: CORS, preflight, HEAD and metrics counting", "[api][server]") {
  auto const port = sample_server().port();
  auto const pre = nebuta::test::http_raw(port,
                                          "OPTIONS /v1/plan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                          "Origin: http://example.org\r\n\r\n");
  CHECK(pre.status == 204);
  CHECK(pre.header("access-control-allow-origin") == "*");
  CHECK(pre.header("access-control-allow-methods").find("POST") != std::string::npos);
  auto const m = http_get(port, "/v1/feeds", "Accept-Language: ja, en;q=0.5\r\n");
  CHECK(m.status == 200);
  CHECK(m.body.find("青い森鉄道") != std::string::npos);
}

TEST_CASE("server, sample feed: concurrent clients get consistent answers", "[api][server]") {
  auto const port = sample_server().port();
  std::vector<std::string> const targets{
      "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=09:45",
      "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=06:00&window=2h",
      "/v1/plan?from=" + url_encode("青森") + "&to=" + url_encode("八戸") + "&date=2026-04-08&depart=08:00&lang=ja",
      "/v1/stops?q=aomori",
      "/v1/stops/hachinohe/departures?date=2026-04-08&time=10:00&n=8",
      "/v1/nearby?lat=40.8286&lon=140.7346&radius=1000",
      "/v1/plan?from=hachinohe&to=nope&date=2026-04-08&depart=09:45",
  };
  std::vector<std::string> expected;
  for (auto const& t : targets) expected.push_back(http_get(port, t).body);
  std::atomic<int> mismatches{0}, done{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < 8; ++c) {
    threads.emplace_back([&, c] {
      for (int i = 0; i < 20; ++i) {
        auto const k = static_cast<std::size_t>(c * 7 + i) % targets.size();
        auto const r = http_get(port, targets[k]);
        if (r.body != expected[k]) ++mismatches;
        ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(done == 160);
  CHECK(mismatches == 0);
}
