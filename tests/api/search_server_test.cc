// Search, places and languages over HTTP: the language chain (asked, then English, then the
// feed's text, each name with its language), route badges in English headsigns, a place as
// from / to on an inline feed with a hand-made gazetteer, ambiguous names answered with
// candidates, stops of one name as one place (plan and departures), and the next-day flag.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "nebuta/api_service/json.h"
#include "server_client.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace {

using nebuta::test::http_get;
using nebuta::test::url_encode;
namespace v1 = nebuta::v1;

template <typename M>
M get_ok(std::uint16_t port, std::string const& target, std::string const& headers = {}) {
  INFO(target);
  auto const r = http_get(port, target, headers);
  INFO(r.body);
  REQUIRE(r.status == 200);
  M m;
  REQUIRE(nebuta::api_service::from_json(r.body, m).empty());
  return m;
}

bool has_kanji_or_kana(std::string const& s) {
  // UTF-8 lead bytes E3-E9 start the CJK and kana blocks.
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto const b = static_cast<unsigned char>(c);
    return b >= 0xE3 && b <= 0xE9;
  });
}

std::string places_file() { return std::string{NEBUTA_SOURCE_DIR} + "/data/places/aomori.geojson"; }

}  // namespace

TEST_CASE("languages: the chain ends in English, every name says its language", "[api][search][lang][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string(), 2, places_file()};
  auto const port = server.port();
  // 509-01 八戸駅: ja 八戸駅, ja-Hrkt はちのへえき, en "Hachinohe Eki Sta."; no Korean or Chinese.
  for (auto const& [query, header] :
       std::vector<std::pair<std::string, std::string>>{{"?lang=ko", ""},
                                                        {"?lang=zh-Hant", ""},
                                                        {"?lang=fr", ""},
                                                        {"", "Accept-Language: zh-CN,zh;q=0.9\r\n"},
                                                        {"", "Accept-Language: ko-KR,ko;q=0.9,en;q=0.5\r\n"},
                                                        {"?lang=en", ""}}) {
    INFO(query << header);
    auto const stop = get_ok<v1::Stop>(port, "/v1/stops/509-01" + query, header);
    CHECK(stop.name() == "Hachinohe Eki Sta.");
    CHECK(stop.name_lang() == "en");
    REQUIRE(stop.platforms_size() == 1);
    CHECK(stop.platforms(0).name_lang() == "en");
  }
  auto const ja = get_ok<v1::Stop>(port, "/v1/stops/509-01?lang=ja");
  CHECK(ja.name() == "八戸駅");
  CHECK(ja.name_lang() == "ja");
  auto const kana = get_ok<v1::Stop>(port, "/v1/stops/509-01?lang=ja-Hrkt");
  CHECK(kana.name() == "はちのへえき");
  CHECK(kana.name_lang() == "ja-Hrkt");
  // 910-01 寺横町 has no English name: English readers get the feed's Japanese, said to be ja
  // (not the kana reading, which nobody asked for).
  auto const no_en = get_ok<v1::Stop>(port, "/v1/stops/910-01?lang=ko");
  CHECK(no_en.name() == "寺横町");
  CHECK(no_en.name_lang() == "ja");

  // Search results and matched names say their language too.
  auto const found = get_ok<v1::StopSearchResponse>(port, "/v1/stops?q=" + url_encode("八戸駅") + "&lang=ko");
  REQUIRE(found.results_size() >= 1);
  CHECK(found.results(0).stop().name_lang() == "en");
  CHECK(!found.results(0).matched_lang().empty());

  // Routes: no English long names in the feed, so the English reader gets the badge the bus
  // shows and its terminals in English; the Japanese reader the feed's name.
  auto const routes_en = get_ok<v1::RoutesResponse>(port, "/v1/routes?lang=en");
  auto const routes_ja = get_ok<v1::RoutesResponse>(port, "/v1/routes?lang=ja");
  REQUIRE(routes_en.routes_size() == routes_ja.routes_size());
  auto with_terminals = 0;
  for (int i = 0; i < routes_en.routes_size(); ++i) {
    INFO(routes_ja.routes(i).long_name() << " / " << routes_en.routes(i).long_name());
    CHECK(routes_ja.routes(i).long_name_lang() == "ja");
    if (routes_en.routes(i).long_name().find(" – ") != std::string::npos) {
      ++with_terminals;
      CHECK(routes_en.routes(i).long_name_lang() == "en");
    }
  }
  CHECK(with_terminals >= routes_en.routes_size() / 2);
}

TEST_CASE("headsigns: the route badge of the Japanese headsign stays in English", "[api][search][lang][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string(), 2};
  auto const port = server.port();
  auto const board = "/v1/stops/509-01/departures?date=2026-04-08&time=07:00&n=40";
  auto const en = get_ok<v1::DeparturesResponse>(port, std::string{board} + "&lang=en");
  auto const ja = get_ok<v1::DeparturesResponse>(port, std::string{board} + "&lang=ja");
  REQUIRE(en.departures_size() == ja.departures_size());
  auto badges = 0;
  for (int i = 0; i < en.departures_size(); ++i) {
    auto const& h_ja = ja.departures(i).headsign();
    auto const& h_en = en.departures(i).headsign();
    INFO(h_ja << " / " << h_en);
    CHECK(ja.departures(i).headsign_lang() == "ja");
    // The badge written here from the Japanese text: "[Ｐ８]..." -> "P8" (full-width folded).
    if (!h_ja.starts_with("[") || en.departures(i).headsign_lang() != "en") continue;
    auto const close = h_ja.find(']');
    REQUIRE(close != std::string::npos);
    std::string badge;
    for (std::size_t k = 1; k < close;) {
      auto const b = static_cast<unsigned char>(h_ja[k]);
      if (b == 0xEF && k + 2 < close) {  // U+FF01..U+FF5E: EF BC 81 .. EF BD 9E
        auto const cp = ((b & 0x0FU) << 12) | ((static_cast<unsigned char>(h_ja[k + 1]) & 0x3FU) << 6) |
                        (static_cast<unsigned char>(h_ja[k + 2]) & 0x3FU);
        badge += static_cast<char>(cp - 0xFEE0U);
        k += 3;
      } else {
        badge += h_ja[k++];
      }
    }
    CHECK(h_en.starts_with(badge + " "));
    CHECK(!has_kanji_or_kana(h_en));
    ++badges;
  }
  CHECK(badges >= 10);
}

TEST_CASE("places: one place of poles and platforms for plans and departures, next day", "[api][search][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string(), 2, places_file()};
  auto const port = server.port();

  // The board of 509-01 also shows the buses of 509-03, platform 2 of the same station.
  auto const board = get_ok<v1::DeparturesResponse>(port, "/v1/stops/509-01/departures?date=2026-04-08&time=07:00&n=60");
  std::set<std::string> poles;
  for (int i = 0; i < board.departures_size(); ++i) {
    poles.insert(board.departures(i).stop_id());
    if (i > 0) CHECK(board.departures(i - 1).seconds() <= board.departures(i).seconds());
  }
  CHECK(poles == std::set<std::string>{"509-01", "509-03"});

  // A range of journeys from 八戸駅 lists each set of rides once, not again with a walk
  // between its two poles.
  auto const range = get_ok<v1::PlanResponse>(
      port, "/v1/plan?from=509-01&to=" + url_encode("本八戸駅") + "&date=2026-04-08&depart=07:00&window=3h");
  REQUIRE(range.journeys_size() >= 3);
  std::set<std::string> seen;
  for (auto const& j : range.journeys()) {
    std::string rides;
    for (auto const& l : j.legs()) {
      if (l.mode() == "ride") rides += l.trip_id() + "@" + l.from().time() + ";";
    }
    INFO(rides);
    CHECK(seen.insert(rides).second);
    CHECK(j.legs(0).mode() == "ride");  // no walk from one pole of 八戸駅 to the other first
  }

  // GTFS-literal mode answers for the stop_id asked, not its sister pole.
  auto const literal =
      get_ok<v1::PlanResponse>(port, "/v1/plan?from=509-03&to=552-01&date=2026-04-08&depart=07:00&gtfs_literal=true");
  REQUIRE(literal.journeys_size() >= 1);
  for (auto const& j : literal.journeys()) CHECK(j.legs(0).from().stop_id() == "509-03");

  // The Central Terminal's five platforms are one place; "Hachinohe Central Terminal" is it.
  auto const central = get_ok<v1::PlanResponse>(port, "/v1/plan?from=" + url_encode("Hachinohe Central Terminal") +
                                                          "&to=509-01&date=2026-04-08&depart=09:00&lang=en");
  CHECK(central.from() == "Hachinohe Central Terminal");
  CHECK(central.journeys_size() >= 1);

  // A place as destination: walked to from the nearest stops.
  auto const kabu =
      get_ok<v1::PlanResponse>(port, "/v1/plan?from=509-01&to=Kabushima&date=2026-04-08&depart=09:00&lang=en");
  CHECK(kabu.to() == "Kabushima Island");
  CHECK(kabu.to_lang() == "en");
  REQUIRE(kabu.journeys_size() >= 1);
  auto const& last = kabu.journeys(0).legs(kabu.journeys(0).legs_size() - 1);
  CHECK(last.mode() == "walk");
  CHECK(last.to().name() == "Kabushima Island");
  CHECK(last.to().stop_id().empty());

  // 23:00: the last bus has gone; the answer is tomorrow's, says so, and names the last one.
  auto const late = get_ok<v1::PlanResponse>(
      port, "/v1/plan?from=" + url_encode("八戸駅") + "&to=" + url_encode("本八戸駅") + "&date=2026-04-08&depart=23:00");
  REQUIRE(late.journeys_size() >= 1);
  CHECK(late.next_day());
  REQUIRE(late.has_last_departure_seconds());
  CHECK(late.last_departure_seconds() < 23 * 3600);
  CHECK(late.last_departure_seconds() > 20 * 3600);
  CHECK(late.last_departure().starts_with("2026-04-08T"));
  auto const morning = get_ok<v1::PlanResponse>(
      port, "/v1/plan?from=" + url_encode("八戸駅") + "&to=" + url_encode("本八戸駅") + "&date=2026-04-08&depart=08:00");
  CHECK(!morning.next_day());
  CHECK(!morning.has_last_departure_seconds());
  // That last departure is real: asking for it finds it, on the day.
  auto const at_last =
      get_ok<v1::PlanResponse>(port, "/v1/plan?from=" + url_encode("八戸駅") + "&to=" + url_encode("本八戸駅") +
                                         "&date=2026-04-08&depart=" + late.last_departure().substr(11, 5));
  REQUIRE(at_last.journeys_size() >= 1);
  CHECK(!at_last.next_day());
  CHECK(at_last.journeys(0).departure_seconds() == late.last_departure_seconds());
}

TEST_CASE("places: an ambiguous name answers 400 with candidates and their distance", "[api][search][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::test_server server{feed.string(), 2, places_file()};
  auto const port = server.port();
  // "Omachi": 大町一丁目 (Omachi 1) and 大町二丁目 (Omachi 2) are equally good.
  auto const r = http_get(port, "/v1/plan?from=Omachi&to=509-01&date=2026-04-08&depart=09:00");
  INFO(r.body);
  REQUIRE(r.status == 400);
  v1::Error e;
  REQUIRE(nebuta::api_service::from_json(r.body, e).empty());
  CHECK(e.code() == "ambiguous_place");
  REQUIRE(e.candidates_size() >= 2);
  std::set<std::string> names;
  for (auto const& c : e.candidates()) {
    names.insert(c.name());
    CHECK(c.kind() == "stop");
    CHECK(!c.id().empty());
    // distance from the other end, 八戸駅 (40.508756, 141.431944), computed here
    auto const dlat = (c.lat() - 40.508756) * 111194.9;
    auto const dlon = (c.lon() - 141.431944) * 111194.9 * std::cos(40.5087 * M_PI / 180.0);
    CHECK(std::abs(c.distance_m() - std::hypot(dlat, dlon)) < 0.01 * c.distance_m() + 5.0);
  }
  CHECK(names.size() == static_cast<std::size_t>(e.candidates_size()));
  // A name that is clearly one place resolves.
  CHECK(http_get(port, "/v1/plan?from=" + url_encode("Hachinohe Station") + "&to=" + url_encode("hon hachinohe") +
                           "&date=2026-04-08&depart=09:00")
            .status == 200);
}

TEST_CASE("places: a hand-made gazetteer on an inline feed", "[api][search][places]") {
  nebuta::test::temp_dir dir{"places"};
  dir.write("gtfs/agency.txt", "agency_id,agency_name,agency_url,agency_timezone\na,Bus,http://x,Asia/Tokyo\n");
  // A and B 1.1 km apart on one line; C named like a museum.
  dir.write("gtfs/stops.txt",
            "stop_id,stop_name,stop_lat,stop_lon\n"
            "A,Harbour,40.5000,141.5000\nB,Hill,40.5100,141.5000\nC,Sea Museum,40.5200,141.5000\n");
  dir.write("gtfs/routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nr,a,1,Line,3\n");
  dir.write("gtfs/trips.txt", "route_id,service_id,trip_id\nr,s,t1\nr,s,t2\n");
  dir.write("gtfs/stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "t1,08:10:00,08:10:00,A,1\nt1,08:20:00,08:20:00,B,2\nt1,08:30:00,08:30:00,C,3\n"
            "t2,09:10:00,09:10:00,A,1\nt2,09:20:00,09:20:00,B,2\nt2,09:30:00,09:30:00,C,3\n");
  dir.write("gtfs/calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "s,1,1,1,1,1,1,1,20260401,20260430\n");
  // The lighthouse: 0.003° east of A, 253.6 m at this latitude (haversine, computed by hand).
  auto const gazetteer = dir.write("places.csv",
                                   "id,kind,lat,lon,name:en,name:ja\n"
                                   "lighthouse,sight,40.5000,141.5030,Lighthouse,灯台\n"
                                   "museum,museum,40.5202,141.5004,Sea Museum,海の博物館\n"
                                   "far,sight,41.5,142.5,Faraway Cape,遠い岬\n");
  nebuta::test::test_server server{(dir.path / "gtfs").string(), 2, gazetteer.string()};
  auto const port = server.port();

  auto const from_place = get_ok<v1::PlanResponse>(port, "/v1/plan?from=Lighthouse&to=B&date=2026-04-08&depart=08:00");
  CHECK(from_place.from() == "Lighthouse");
  REQUIRE(from_place.journeys_size() >= 1);
  auto const& j = from_place.journeys(0);
  REQUIRE(j.legs_size() == 2);
  CHECK(j.legs(0).mode() == "walk");
  CHECK(j.legs(0).to().stop_id() == "A");
  CHECK(std::abs(j.legs(0).distance_m() - 254) <= 1);
  CHECK(j.legs(1).trip_id() == "t1");
  CHECK(j.arrival_seconds() == 8 * 3600 + 20 * 60);

  auto const to_place =
      get_ok<v1::PlanResponse>(port, "/v1/plan?from=A&to=place:lighthouse&date=2026-04-08&depart=08:00&lang=ja");
  CHECK(to_place.to() == "灯台");
  REQUIRE(to_place.journeys_size() >= 1);
  CHECK(to_place.journeys(0).legs_size() == 1);  // A is a walk from the lighthouse
  CHECK(to_place.journeys(0).legs(0).mode() == "walk");

  // A place far from every stop: no journey, not a crash.
  auto const far = http_get(port, "/v1/plan?from=A&to=place:far&date=2026-04-08&depart=08:00");
  CHECK(far.status == 200);
  CHECK(http_get(port, "/v1/plan?from=A&to=place:nowhere&date=2026-04-08&depart=08:00").status == 404);

  // The museum place ranks above the stop of the same name only when places are asked for.
  auto const places = get_ok<v1::StopSearchResponse>(port, "/v1/places?q=" + url_encode("Sea Museum"));
  REQUIRE(places.results_size() == 2);
  CHECK(places.results(0).place().place_id() == "museum");
  CHECK(places.results(0).place().nearest_stops(0).stop().stop_id() == "C");
  CHECK(places.results(1).stop().stop_id() == "C");
  auto const stops = get_ok<v1::StopSearchResponse>(port, "/v1/stops?q=" + url_encode("Sea Museum"));
  REQUIRE(stops.results_size() == 1);
  CHECK(stops.results(0).stop().stop_id() == "C");
  auto const ja = get_ok<v1::StopSearchResponse>(port, "/v1/places?q=" + url_encode("灯台") + "&lang=ja");
  REQUIRE(ja.results_size() >= 1);
  CHECK(ja.results(0).place().name() == "灯台");
  CHECK(ja.results(0).place().name_lang() == "ja");
  CHECK(http_get(port, "/v1/places?q=%20").status == 400);
  CHECK(http_get(port, "/v1/places?q=x&date=2031-01-01").status == 400);
}
