// What visitors type, and what they mean: a table of queries on the official Hachinohe feed
// (with the shipped gazetteer) and on the sample feed, each with the stop or place a person
// would expect first. The expectations were written from the feed's files and a map, not from
// the search's output: kanji, kana in both scripts and half width, romaji in Hepburn, Kunrei
// and informal spellings, English names, the forms of "station" in five languages, typos and
// places.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/api_service/place_search.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/places/gazetteer.h"
#include "shared_data.h"

namespace {

using nebuta::api_service::place_search;

std::vector<nebuta::search::place> shipped_gazetteer() {
  auto const path = std::string{NEBUTA_SOURCE_DIR} + "/data/places/aomori.geojson";
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return nebuta::places::read_gazetteer(ss.str(), path).places;
}

struct expectation {
  char const* query;
  char const* first;  // a stop_id of the first hit's group, or "place:ID"
  bool with_places{true};
};

// "place:ID" or the stop ids of a hit.
bool is_expected(nebuta::timetable const& tt, place_search const& ps, nebuta::api_service::place_hit const& h,
                 std::string_view want) {
  if (h.is_place) return want == "place:" + ps.places()[h.index].id;
  auto const& g = ps.groups()[h.index];
  return std::any_of(g.members.begin(), g.members.end(),
                     [&](nebuta::stop_idx s) { return tt.external_stop_id(s) == want; }) ||
         tt.external_stop_id(g.key) == want;
}

std::string describe(nebuta::timetable const& tt, place_search const& ps, nebuta::api_service::place_hit const& h) {
  if (h.is_place) return "place:" + ps.places()[h.index].id;
  auto const key = ps.groups()[h.index].key;
  return tt.external_stop_id(key) + " " + std::string{tt.text(tt.stop_names[key])};
}

void check_table(nebuta::timetable const& tt, place_search const& ps, std::vector<expectation> const& table,
                 std::int64_t day) {
  auto passed = 0;
  for (auto const& e : table) {
    auto const hits = ps.find(e.query, day, 5, e.with_places);
    std::string got = hits.empty() ? "(nothing)" : describe(tt, ps, hits.front());
    INFO("query \"" << e.query << "\"" << (e.with_places ? "" : " (stops only)") << ": expected " << e.first << ", got "
                    << got);
    auto const ok = !hits.empty() && is_expected(tt, ps, hits.front(), e.first);
    CHECK(ok);
    passed += ok ? 1 : 0;
  }
  WARN(passed << " of " << table.size() << " queries gave the expected first result");
}

}  // namespace

TEST_CASE("search: visitor queries on Hachinohe find what the visitor means", "[api][search][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  auto const loaded = nebuta::gtfs_import::load({nebuta::gtfs_import::parse_feed_arg(feed.string())});
  auto const& tt = loaded.tt;
  place_search const ps{tt, shipped_gazetteer()};
  auto const day = static_cast<std::int64_t>(tt.day_of(*nebuta::civil::parse_date("2026-04-08"))->v());
  std::vector<expectation> const table{
      // kanji
      {"八戸駅", "509-01"},
      {"本八戸駅", "552-01"},
      {"八戸中心街ターミナル", "621-01"},
      {"中心街ターミナル", "621-01"},
      {"市庁前", "219-01"},
      {"種差海岸駅", "966-01"},
      {"蕪島海浜公園", "952-01"},
      {"小中野", "162-01"},
      {"労災病院前", "806-01"},
      // kana: hiragana, katakana, half-width katakana
      {"はちのへえき", "509-01"},
      {"ハチノヘエキ", "509-01"},
      {"ﾊﾁﾉﾍｴｷ", "509-01"},
      {"ほんはちのへ", "552-01"},
      {"しちょうまえ", "219-01"},
      {"らぴあ", "800-01"},
      {"かぶしま", "place:kabushima"},
      {"たねさしかいがん", "place:tanesashi_coast"},
      // romaji: Hepburn, Kunrei, long vowels, m before m/b/p, word order
      {"hachinohe", "509-01"},
      {"hachinohe eki", "509-01"},
      {"hachinoheeki", "509-01"},
      {"Hachinohe-eki", "509-01"},
      {"hatinohe eki", "509-01"},
      {"Hon-Hachinohe", "552-01"},
      {"honhachinohe", "552-01"},
      {"hon hachinohe station", "552-01"},
      {"Chōju Onsen", "345-01"},
      {"choujuonsen mae", "345-01"},
      {"shihommatsu", "222-01"},
      {"sihonmatu", "222-01"},
      {"kogyo koko", "146-01"},
      {"shicho mae", "219-01"},
      {"mae shicho", "219-01"},
      // the forms of "station"
      {"Hachinohe Station", "509-01"},
      {"station hachinohe", "509-01"},
      {"Hachinohe Sta.", "509-01"},
      {"Hachinohe Stn", "509-01"},
      {"八戸えき", "509-01"},
      {"八戸エキ", "509-01"},
      {"八户站", "509-01"},
      {"八戶站", "509-01"},
      {"八户车站", "509-01"},
      {"하치노헤역", "509-01"},
      {"하치노헤 역", "509-01"},
      {"혼하치노헤역", "552-01"},
      {"本八户站", "552-01"},
      // English names
      {"Hachinohe Central Terminal", "621-01"},
      {"Central Terminal", "621-01"},
      {"Lapia Bus Center", "801-01"},
      {"Intelligent Plaza", "49-01"},
      {"Symphony Plaza", "284-01"},
      {"Grand Sunpia", "173-01"},
      {"Sei Ursula", "269-01"},
      {"Shimin Hospital", "280-01"},
      {"Minato Hospital", "630-01"},
      {"City Hall", "219-01"},
      // typos
      {"hachinohe staion", "509-01"},
      {"hachinhoe", "509-01"},
      {"Hon-hachinoe", "552-01"},
      {"Intellignet Plaza", "49-01"},
      {"Tanesashi Caost", "place:tanesashi_coast"},
      {"kabushma", "place:kabushima"},
      // places, in five languages
      {"Kabushima", "place:kabushima"},
      {"kabusima", "place:kabushima"},
      {"蕪島", "place:kabushima"},
      {"芜岛", "place:kabushima"},
      {"가부시마", "place:kabushima"},
      {"Kabushima Shrine", "place:kabushima"},
      {"Tanesashi Coast", "place:tanesashi_coast"},
      {"种差海岸", "place:tanesashi_coast"},
      {"다네사시 해안", "place:tanesashi_coast"},
      {"fish market", "place:hasshoku_center"},
      {"Hasshoku Center", "place:hasshoku_center"},
      {"八食センター", "place:hasshoku_center"},
      {"八食中心", "place:hasshoku_center"},
      {"Hachinohe City Hall", "place:hachinohe_city_hall"},
      {"八戸市庁", "place:hachinohe_city_hall"},
      {"八戸市役所", "place:hachinohe_city_hall"},
      {"morning market", "place:tatehana_morning_market"},
      {"館鼻岸壁朝市", "place:tatehana_morning_market"},
      {"是川縄文館", "place:korekawa_jomon_kan"},
      {"Korekawa Jomon Museum", "place:korekawa_jomon_kan"},
      // stops only: the same queries find the stop at the place
      {"Tanesashi Coast", "966-01", false},
      {"kabushima", "952-01", false},
      {"たねさしかいがん", "966-01", false},
  };
  REQUIRE(table.size() >= 60);
  check_table(tt, ps, table, day);

  // "hachinohe": the station every visitor arrives at, before the Central Terminal.
  auto const hits = ps.find("hachinohe", day, 10, false);
  REQUIRE(hits.size() >= 2);
  CHECK(describe(tt, ps, hits[0]).starts_with("509-01"));
  // A place word alone ranks the stops that have it by the trips serving them that day.
  auto const stations = ps.find("station", day, 10, false);
  REQUIRE(stations.size() >= 2);
  for (std::size_t i = 1; i < stations.size(); ++i) {
    if (stations[i].quality.packed() == stations[i - 1].quality.packed())
      CHECK(stations[i].trips <= stations[i - 1].trips);
  }
}

TEST_CASE("search: the sample feed's stations, stops and places", "[api][search][sample]") {
  auto const loaded =
      nebuta::gtfs_import::load({nebuta::gtfs_import::parse_feed_arg(std::string{NEBUTA_SOURCE_DIR} + "/data/sample")});
  auto const& tt = loaded.tt;
  place_search const ps{tt, shipped_gazetteer()};
  auto const day = static_cast<std::int64_t>(tt.day_of(*nebuta::civil::parse_date("2026-04-08"))->v());
  std::vector<expectation> const table{
      {"aomori", "aomori"},
      {"青森", "aomori"},
      {"Aomori Station", "bus_aomori_eki_1"},  // the feed's English name of 青森駅前, busier than the station
      {"新青森駅", "shin_aomori"},             // the station, not 新青森駅南口 (its bus stop)
      {"Shin-Aomori Station", "shin_aomori"},
      {"shin aomori", "shin_aomori"},
      {"新青森", "shin_aomori"},
      {"신아오모리", "shin_aomori"},
      {"hachinohe", "hachinohe"},
      {"八户", "hachinohe"},
      {"asamushi onsen", "asamushi_onsen"},
      {"Asamushi hot spring", "asamushi_onsen"},
      {"浅虫温泉", "asamushi_onsen"},
      {"tanesashi kaigan", "place:tanesashi_coast"},  // a place and a stop of one name: the place
      {"tanesashi kaigan", "tanesashi_kaigan", false},
      {"青森空港", "bus_aomori_airport"},
      {"Aomori Airport", "bus_aomori_airport"},
      {"Sannai-Maruyama", "place:sannai_maruyama"},
      {"Sannai-Maruyama", "bus_sannai_maruyama", false},
      {"Nebuta Museum", "place:nebuta_warasse"},
      {"ねぶたの家", "place:nebuta_warasse"},
  };
  check_table(tt, ps, table, day);
}
