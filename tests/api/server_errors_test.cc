// Bad requests get a 4xx with a stable code and a message (in English or Japanese), never a
// crash or a 5xx; the server keeps serving afterwards.
#include <catch2/catch.hpp>

#include "nebuta/api_service/json.h"
#include "server_client.h"

namespace {

using nebuta::test::http_get;
using nebuta::test::http_post;
namespace v1 = nebuta::v1;

nebuta::test::test_server& sample_server() {
  static nebuta::test::test_server s{NEBUTA_SOURCE_DIR "/data/sample", 2};
  return s;
}

struct bad_case {
  std::string method, target;
  int status;
  std::string code;
  std::string content_type{}, body{}, headers{};
};

std::string const ok_plan = "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08";

}  // namespace

TEST_CASE("server: a table of bad requests", "[api][server]") {
  auto const port = sample_server().port();
  std::string many_params = "/v1/stops?q=a";
  for (int i = 0; i < 40; ++i) many_params += "&p" + std::to_string(i) + "=1";
  v1::PlanRequest no_date;
  no_date.set_from("hachinohe");
  no_date.set_to("tanesashi_kaigan");
  no_date.set_depart("09:00");

  std::vector<bad_case> const cases{
      {"GET", "/nope", 404, "not_found"},
      {"GET", "/v1/nope", 404, "not_found"},
      {"GET", "/v1/stops/hachinohe/nope", 404, "not_found"},
      {"GET", "/v1/plan", 400, "missing_parameter"},
      {"GET", "/v1/plan?from=hachinohe&to=tanesashi_kaigan&depart=09:45", 400, "missing_parameter"},
      {"GET", "/v1/plan?to=tanesashi_kaigan&date=2026-04-08&depart=09:45", 400, "missing_parameter"},
      {"GET", "/v1/plan?from=hachinohe&date=2026-04-08&depart=09:45", 400, "missing_parameter"},
      {"GET", ok_plan, 400, "depart_or_arrive"},
      {"GET", ok_plan + "&depart=09:00&arrive=10:00", 400, "depart_or_arrive"},
      {"GET", "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-13-01&depart=09:45", 400, "invalid_date"},
      {"GET", "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=20260408&depart=09:45", 400, "invalid_date"},
      {"GET", "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-02-30&depart=09:45", 400, "invalid_date"},
      {"GET", "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2030-01-01&depart=09:45", 400, "date_out_of_range"},
      {"GET", ok_plan + "&depart=25:99", 400, "invalid_time"},
      {"GET", ok_plan + "&depart=9", 400, "invalid_time"},
      {"GET", ok_plan + "&depart=abc", 400, "invalid_time"},
      {"GET", ok_plan + "&arrive=99:00", 400, "invalid_time"},
      {"GET", ok_plan + "&arrive=10:00&window=2h", 400, "window_needs_depart"},
      {"GET", ok_plan + "&depart=09:00&window=abc", 400, "invalid_window"},
      {"GET", ok_plan + "&depart=09:00&window=48h", 400, "window_too_large"},
      {"GET", ok_plan + "&depart=09:00&window=0m", 400, "window_too_large"},
      {"GET", "/v1/plan?from=91,10&to=tanesashi_kaigan&date=2026-04-08&depart=09:45", 400, "invalid_coordinate"},
      {"GET", "/v1/plan?from=40,200&to=tanesashi_kaigan&date=2026-04-08&depart=09:45", 400, "invalid_coordinate"},
      {"GET", "/v1/plan?from=nope&to=tanesashi_kaigan&date=2026-04-08&depart=09:45", 404, "unknown_stop"},
      {"GET", "/v1/plan?from=hachinohe&to=nope&date=2026-04-08&depart=09:45", 404, "unknown_stop"},
      {"GET", ok_plan + "&depart=09:00&max_legs=0", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&max_legs=abc", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&max_legs=99", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&walk_radius=-5", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&walk_radius=5000", 400, "walk_radius_too_large"},
      {"GET", ok_plan + "&depart=09:00&walk_radius=1e999", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&walk_speed=0", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&walk_speed=nan", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&transfer_slack=-1", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&wheelchair=maybe", 400, "invalid_parameter"},
      {"GET", ok_plan + "&depart=09:00&foo=bar", 400, "unknown_parameter"},
      {"GET", ok_plan + "&depart=09:00&lang=%21%21", 400, "invalid_parameter"},
      {"GET", "/v1/stops", 400, "missing_parameter"},
      {"GET", "/v1/stops?q=%20%20", 400, "missing_parameter"},
      {"GET", "/v1/stops?q=x&limit=0", 400, "invalid_parameter"},
      {"GET", "/v1/stops?q=%FF%FE", 400, "invalid_utf8"},
      {"GET", "/v1/stops?q=" + std::string(600, 'a'), 400, "parameter_too_long"},
      {"GET", many_params, 400, "too_many_parameters"},
      {"GET", "/v1/stops?q=" + std::string(5000, 'a'), 414, "uri_too_long"},
      {"GET", "/v1/stops/nope", 404, "unknown_stop"},
      {"GET", "/v1/stops/nope/departures?date=2026-04-08", 404, "unknown_stop"},
      {"GET", "/v1/stops/hachinohe/departures", 400, "missing_parameter"},
      {"GET", "/v1/stops/hachinohe/departures?date=tomorrow", 400, "invalid_date"},
      {"GET", "/v1/stops/hachinohe/departures?date=1999-01-01", 400, "date_out_of_range"},
      {"GET", "/v1/stops/hachinohe/departures?date=2026-04-08&time=99:00", 400, "invalid_time"},
      {"GET", "/v1/stops/hachinohe/departures?date=2026-04-08&n=1000", 400, "invalid_parameter"},
      {"GET", "/v1/nearby", 400, "missing_parameter"},
      {"GET", "/v1/nearby?lat=100&lon=0", 400, "invalid_coordinate"},
      {"GET", "/v1/nearby?lat=abc&lon=0", 400, "invalid_coordinate"},
      {"GET", "/v1/nearby?lat=40&lon=-181", 400, "invalid_coordinate"},
      {"GET", "/v1/nearby?lat=40&lon=141&radius=0", 400, "invalid_parameter"},
      {"GET", "/v1/nearby?lat=40&lon=141&radius=100000", 400, "invalid_parameter"},
      {"GET", "/v1/routes/nope", 404, "unknown_route"},
      {"GET", "/v1/routes?x=1", 400, "unknown_parameter"},
      {"GET", "/v1/trips/nope", 404, "unknown_trip"},
      {"GET", "/v1/trips/JRH_O_WD_0950?date=xx", 400, "invalid_date"},
      {"POST", "/v1/plan", 415, "unsupported_media_type", "text/plain", "hello"},
      {"POST", "/v1/plan", 400, "malformed_body", "application/json", "{"},
      {"POST", "/v1/plan", 400, "malformed_body", "application/json", ""},
      {"POST", "/v1/plan", 400, "malformed_body", "application/json", R"({"from": "a", "bogus": 1})"},
      {"POST", "/v1/plan", 400, "malformed_body", "application/json", R"({"max_legs": "many"})"},
      {"POST", "/v1/plan", 400, "malformed_body", "application/x-protobuf", std::string("\xff\xff\xff\xff\x0f", 5)},
      {"POST", "/v1/plan", 400, "missing_parameter", "application/x-protobuf", no_date.SerializeAsString()},
      {"POST", "/v1/plan", 413, "body_too_large", "application/json", std::string(100 * 1024, ' ')},
      {"POST", "/v1/plan?foo=1", 400, "unknown_parameter", "application/json", "{}"},
      {"DELETE", "/v1/plan", 405, "method_not_allowed"},
      {"POST", "/v1/stops?q=x", 405, "method_not_allowed", "application/json", "{}"},
      {"PUT", "/healthz", 405, "method_not_allowed"},
      {"GET", "/v1/feeds", 406, "not_acceptable", "", "", "Accept: application/xml\r\n"},
  };
  REQUIRE(cases.size() >= 40);
  for (auto const& c : cases) {
    INFO(c.method << " " << c.target.substr(0, 120));
    nebuta::test::http_reply r;
    if (c.method == "GET") {
      r = http_get(port, c.target, c.headers);
    } else if (c.method == "POST") {
      r = http_post(port, c.target, c.content_type, c.body, c.headers);
    } else {
      r = nebuta::test::http_raw(port, c.method + " " + c.target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
    CHECK(r.status == c.status);
    CHECK(r.header("access-control-allow-origin") == "*");
    v1::Error e;
    REQUIRE(nebuta::api_service::from_json(r.body, e).empty());
    CHECK(e.code() == c.code);
    CHECK(!e.message().empty());
  }
  // Still serving.
  // Pistache 0.0.5's own request parser answers a negative Content-Length with 500 before our
  // handler sees the request (a known limitation); what matters is that the server survives.
  auto const negative = nebuta::test::http_raw(port, "GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n");
  CHECK(negative.status != 200);
  CHECK(http_get(port, "/healthz").status == 200);
}

TEST_CASE("server: errors in Japanese and as protobuf", "[api][server]") {
  auto const port = sample_server().port();
  auto const ja = http_get(port, "/v1/plan?from=nope&to=hachinohe&date=2026-04-08&depart=09:00&lang=ja");
  CHECK(ja.status == 404);
  v1::Error e;
  REQUIRE(nebuta::api_service::from_json(ja.body, e).empty());
  CHECK(e.message() == "IDまたは名前が「nope」の停留所はありません");
  auto const header_ja = http_get(port, "/v1/stops/nope", "Accept-Language: ja-JP,ja;q=0.9,en;q=0.8\r\n");
  REQUIRE(nebuta::api_service::from_json(header_ja.body, e).empty());
  CHECK(e.message().find("停留所") != std::string::npos);
  auto const ko = http_get(port, "/v1/stops/nope?lang=ko");
  REQUIRE(nebuta::api_service::from_json(ko.body, e).empty());
  CHECK(e.message() == "ID 또는 이름이 'nope'인 정류장이 없습니다");
  auto const en = http_get(port, "/v1/stops/nope?lang=fr");
  REQUIRE(nebuta::api_service::from_json(en.body, e).empty());
  CHECK(e.message() == "no stop with id or name 'nope'");
  auto const pb = http_get(port, "/v1/stops/nope", "Accept: application/x-protobuf\r\n");
  CHECK(pb.status == 404);
  CHECK(pb.header("content-type") == "application/x-protobuf");
  REQUIRE(e.ParseFromString(pb.body));
  CHECK(e.code() == "unknown_stop");
}

TEST_CASE("server: malformed HTTP does not take it down", "[api][server]") {
  auto const port = sample_server().port();
  for (auto const* junk : {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "\x01\x02\x03\r\n\r\n",
                           "POST /v1/plan HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n{}"}) {
    auto const r = nebuta::test::http_raw(port, junk);
    INFO(junk << " -> " << r.status << " " << r.body);
    CHECK((r.status == 0 || (r.status >= 400 && r.status < 500)));
  }
  // Pistache 0.0.5's own request parser answers a negative Content-Length with 500 before our
  // handler sees the request (a known limitation); what matters is that the server survives.
  auto const negative = nebuta::test::http_raw(port, "GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n");
  CHECK(negative.status != 200);
  CHECK(http_get(port, "/healthz").status == 200);
}
