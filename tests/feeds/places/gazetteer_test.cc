// Gazetteers in GeoJSON and CSV: names per language, bad features skipped with file:line, and
// the gazetteer shipped in data/places read whole.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "nebuta/places/gazetteer.h"

using nebuta::places::read_gazetteer;

TEST_CASE("gazetteer: GeoJSON with names per language, OSM-style keys, bad features skipped", "[places]") {
  auto const g = read_gazetteer(R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [141.5, 40.5]},
     "properties": {"id": "a", "kind": "sight", "names": {"ja": ["蕪島", "蕪嶋神社"], "en": "Kabushima Island"}}},
    {"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [141.6, 40.6]},
     "properties": {"name": "海", "name:en": "Sea"}},
    {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, "properties": {"id": "line", "name": "x"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [141.6, 95.0]}, "properties": {"id": "far", "name": "x"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [141.6, 40.6]}, "properties": {"id": "a", "name": "again"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [141.6, 40.6]}, "properties": {"id": "nameless"}},
    "junk"
  ]})",
                                "g.geojson");
  REQUIRE(g.places.size() == 2);
  auto const& a = g.places[0];
  CHECK(a.id == "a");
  CHECK(a.kind == "sight");
  CHECK(a.lat == 40.5);
  CHECK(a.lon == 141.5);
  REQUIRE(a.names.size() == 3);
  CHECK(a.names[0].text == "Kabushima Island");  // languages in key order
  CHECK(g.places[1].id == "7");
  CHECK(g.places[1].names.size() == 2);
  REQUIRE(g.problems.size() == 5);
  CHECK(g.problems[0] == "g.geojson: feature 3: place line has no valid coordinate, skipped");
  CHECK(g.problems[2] == "g.geojson: feature 5: place id a given twice, the later one skipped");
  CHECK(g.problems[4] == "g.geojson: feature 7: not an object, skipped");
  CHECK_THROWS(read_gazetteer("{ not json", "bad.geojson"));
  CHECK_THROWS(read_gazetteer(R"({"type": "Feature"})", "bad.geojson"));
}

TEST_CASE("gazetteer: CSV with several names in a cell, rows with problems skipped", "[places]") {
  auto const g = read_gazetteer(
      "\xEF\xBB\xBFid,kind,lat,lon,name:ja,name:en,source\n"
      "h,hospital,40.51,141.49,八戸市立市民病院,Hachinohe City Hospital|City Hospital,somewhere\n"
      "bad,hospital,forty,141.49,x,y,\n"
      ",sight,40.1,141.1,名前,,\n"
      "q,sight,40.2,141.2,\"引用, 名前\",,\n",
      "p.csv");
  REQUIRE(g.places.size() == 2);
  CHECK(g.places[0].names.size() == 3);
  CHECK(g.places[0].names[2].text == "City Hospital");
  CHECK(g.places[0].names[2].lang == "en");
  CHECK(g.places[1].names[0].text == "引用, 名前");
  REQUIRE(g.problems.size() == 2);
  CHECK(g.problems[0] == "p.csv:3: place bad has no valid coordinate, skipped");
  CHECK(g.problems[1] == "p.csv:4: place without an id, skipped");
  CHECK_THROWS(read_gazetteer("name,lat\nx,1\n", "nohead.csv"));
}

TEST_CASE("gazetteer: the shipped Aomori gazetteer reads whole, every place in five languages", "[places]") {
  auto const path = std::filesystem::path{NEBUTA_SOURCE_DIR} / "data/places/aomori.geojson";
  std::ifstream in{path, std::ios::binary};
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  auto const g = read_gazetteer(ss.str(), path.string());
  CHECK(g.problems.empty());
  REQUIRE(g.places.size() >= 8);
  for (auto const& p : g.places) {
    INFO(p.id);
    for (auto const* lang : {"ja", "ja-Hrkt", "en", "zh-Hans", "ko"}) {
      CHECK(std::any_of(p.names.begin(), p.names.end(), [&](auto const& n) { return n.lang == lang; }));
    }
    // Hachinohe and Aomori city: the coordinates lie in Aomori prefecture.
    CHECK(p.lat > 40.2);
    CHECK(p.lat < 41.6);
    CHECK(p.lon > 139.8);
    CHECK(p.lon < 141.7);
  }
}
