// Rules JSON (GeoJSON service area, meeting points, holidays) and fleet CSV (with the days of each
// shift) of the on-demand service: every key, every error path, the GeoJSON [lon, lat] order,
// rings with holes checked on hand-placed points, round trips, meeting points from real GTFS
// feeds counted independently, holidays read off the Hachinohe feed's calendar_dates.txt by hand,
// and dated shifts over a holiday with instants computed by hand.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/drt_config/calendar.h"
#include "nebuta/drt_config/config.h"
#include "shared_data.h"
#include "temp_dir.h"

using namespace nebuta;
using nebuta::drt_config::config_error;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

using nebuta::test::temp_dir;

// A fresh folder per test case, removed afterwards.
dispatch::rules parse(std::string const& text, fs::path const& base = {}) {
  return drt_config::parse_rules(json::parse(text), base, "rules.json");
}

// The message of the config_error that parsing throws, or "" when it does not throw.
std::string error_of(std::string const& text, fs::path const& base = {}) {
  try {
    parse(text, base);
  } catch (config_error const& e) {
    return e.what();
  }
  return {};
}

std::string error_of_json(json const& j) {
  try {
    drt_config::parse_rules(j, {}, "rules.json");
  } catch (config_error const& e) {
    return e.what();
  }
  return {};
}

bool inside(dispatch::rules const& r, double lat, double lon) {
  return dispatch::inside_area(r.service_area, latlon{lat, lon});
}

void require_same_rules(dispatch::rules const& a, dispatch::rules const& b) {
  CHECK(a.max_wait == b.max_wait);
  CHECK(a.ride_alpha == b.ride_alpha);
  CHECK(a.ride_beta == b.ride_beta);
  CHECK(a.dwell == b.dwell);
  CHECK(a.offer_ttl == b.offer_ttl);
  CHECK(a.no_show_wait == b.no_show_wait);
  CHECK(a.promise_slack == b.promise_slack);
  CHECK(a.max_booking_ahead == b.max_booking_ahead);
  CHECK(a.max_passengers == b.max_passengers);
  CHECK(a.passenger_weight == b.passenger_weight);
  CHECK(a.max_walk_m == b.max_walk_m);
  CHECK(a.service_area == b.service_area);
  CHECK(a.meeting_points == b.meeting_points);
}

// Square rings in GeoJSON [lon, lat] order, closed, counter-clockwise or clockwise.
std::string square(double lon0, double lat0, double lon1, double lat1, bool clockwise = false) {
  auto const p = [](double lon, double lat) { return "[" + json(lon).dump() + "," + json(lat).dump() + "]"; };
  if (clockwise) {
    return "[" + p(lon0, lat0) + "," + p(lon0, lat1) + "," + p(lon1, lat1) + "," + p(lon1, lat0) + "," + p(lon0, lat0) +
           "]";
  }
  return "[" + p(lon0, lat0) + "," + p(lon1, lat0) + "," + p(lon1, lat1) + "," + p(lon0, lat1) + "," + p(lon0, lat0) +
         "]";
}

// Independent count of a GTFS stops.txt: data lines whose location_type column is 0 or empty.
// Both feeds used here have no commas inside fields, so a plain split is enough.
std::size_t count_platform_stops(fs::path const& stops_txt) {
  std::ifstream in{stops_txt};
  std::string line;
  auto const split = [](std::string s) {
    if (!s.empty() && s.back() == '\r') s.pop_back();
    std::vector<std::string> out{""};
    for (auto const c : s) {
      if (c == ',') {
        out.emplace_back();
      } else if (c != '"') {
        out.back().push_back(c);
      }
    }
    return out;
  };
  std::getline(in, line);
  auto header = split(line);
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);
  std::size_t type_col = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "location_type") type_col = i;
  }
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    auto const f = split(line);
    if (type_col >= f.size() || f[type_col].empty() || f[type_col] == "0") ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("drt_config: an empty object gives the dispatcher's defaults", "[drt_config]") {
  require_same_rules(parse("{}"), dispatch::rules{});
}

TEST_CASE("drt_config: every scalar key is read", "[drt_config]") {
  auto const r = parse(R"({"max_wait_s": 600, "ride_factor": 2.5, "ride_offset_s": 300, "dwell_s": 45,
    "offer_ttl_s": 120, "no_show_wait_s": 240, "promise_slack_s": 500, "max_booking_ahead_s": 86400,
    "max_passengers": 3, "passenger_weight": 0.5, "max_walk_m": 250.5, "service_area": null,
    "meeting_points": null})");
  CHECK(r.max_wait == 600);
  CHECK(r.ride_alpha == 2.5);
  CHECK(r.ride_beta == 300);
  CHECK(r.dwell == 45);
  CHECK(r.offer_ttl == 120);
  CHECK(r.no_show_wait == 240);
  CHECK(r.promise_slack == 500);
  CHECK(r.max_booking_ahead == 86'400);
  CHECK(r.max_passengers == 3);
  CHECK(r.passenger_weight == 0.5);
  CHECK(r.max_walk_m == 250.5);
  CHECK(r.service_area.empty());
  CHECK(r.meeting_points.empty());
  // Boundary values that are allowed.
  auto const edge = parse(R"({"max_wait_s": 0, "ride_factor": 1, "passenger_weight": 0, "max_walk_m": 0,
    "max_passengers": 65535, "max_booking_ahead_s": 31622400, "dwell_s": 30.0})");
  CHECK(edge.max_wait == 0);
  CHECK(edge.ride_alpha == 1.0);
  CHECK(edge.max_passengers == 65'535);
  CHECK(edge.max_booking_ahead == 366 * 86'400);
  CHECK(edge.dwell == 30);
}

TEST_CASE("drt_config: bad scalar values name the file and the key", "[drt_config]") {
  struct bad_case {
    char const* text;
    char const* expected;  // a substring of the message
  };
  auto const cases = std::vector<bad_case>{
      {"[]", "rules.json: rules must be a JSON object"},
      {R"({"max_wiat_s": 600})", "rules.json: max_wiat_s: unknown key"},
      {R"({"Max_wait_s": 600})", "rules.json: Max_wait_s: unknown key"},
      {R"({"max_wait_s": -1})", "rules.json: max_wait_s: must not be negative"},
      {R"({"ride_offset_s": -60})", "rules.json: ride_offset_s: must not be negative"},
      {R"({"dwell_s": -1})", "rules.json: dwell_s: must not be negative"},
      {R"({"offer_ttl_s": -5})", "rules.json: offer_ttl_s: must not be negative"},
      {R"({"no_show_wait_s": -5})", "rules.json: no_show_wait_s: must not be negative"},
      {R"({"promise_slack_s": -5})", "rules.json: promise_slack_s: must not be negative"},
      {R"({"max_booking_ahead_s": -5})", "rules.json: max_booking_ahead_s: must not be negative"},
      {R"({"max_booking_ahead_s": 31622401})", "rules.json: max_booking_ahead_s: must be at most"},
      {R"({"max_wait_s": 1e300})", "rules.json: max_wait_s: must be at most"},
      {R"({"dwell_s": 1.5})", "rules.json: dwell_s: must be a whole number of seconds"},
      {R"({"max_wait_s": "900"})", "rules.json: max_wait_s: must be a number of seconds"},
      {R"({"max_wait_s": true})", "rules.json: max_wait_s: must be a number of seconds"},
      {R"({"max_wait_s": null})", "rules.json: max_wait_s: must be a number of seconds"},
      {R"({"ride_factor": 0.99})", "rules.json: ride_factor: must be at least 1 "},
      {R"({"ride_factor": "1.5"})", "rules.json: ride_factor: must be a number"},
      {R"({"passenger_weight": -0.1})", "rules.json: passenger_weight: must be at least 0 "},
      {R"({"max_walk_m": -1})", "rules.json: max_walk_m: must be at least 0 "},
      {R"({"max_passengers": 0})", "rules.json: max_passengers: must be a whole number from 1 to 65535"},
      {R"({"max_passengers": 65536})", "rules.json: max_passengers: must be a whole number from 1 to 65535"},
      {R"({"max_passengers": 2.5})", "rules.json: max_passengers: must be a whole number from 1 to 65535"},
      {R"({"max_passengers": [4]})", "rules.json: max_passengers: must be a whole number"},
  };
  for (auto const& c : cases) {
    INFO(c.text);
    auto const message = error_of(c.text);
    INFO(message);
    CHECK(message.find(c.expected) != std::string::npos);
  }
  // JSON text cannot hold NaN or infinity, but a json value built in code can.
  auto const nan = std::numeric_limits<double>::quiet_NaN();
  auto const inf = std::numeric_limits<double>::infinity();
  CHECK(error_of_json({{"ride_factor", nan}}) == "rules.json: ride_factor: must be a finite number");
  CHECK(error_of_json({{"ride_factor", inf}}) == "rules.json: ride_factor: must be a finite number");
  CHECK(error_of_json({{"max_walk_m", nan}}) == "rules.json: max_walk_m: must be a finite number");
  CHECK(error_of_json({{"passenger_weight", -inf}}) == "rules.json: passenger_weight: must be a finite number");
  CHECK(error_of_json({{"max_wait_s", nan}}) == "rules.json: max_wait_s: must be a whole number of seconds");
  CHECK(error_of_json({{"meeting_points", json::array({json::array({nan, 1.0})})}}) ==
        "rules.json: meeting_points[0][0]: must be a finite number");
}

TEST_CASE("drt_config: GeoJSON positions are [lon, lat]", "[drt_config]") {
  // A rectangle 20 degrees wide in longitude and 5 high in latitude: swapping the axes would
  // put the second point inside instead of the first.
  auto const r = parse(R"({"service_area": {"type": "Polygon", "coordinates": [)" + square(10, 0, 30, 5) + "]}}");
  REQUIRE(r.service_area.size() == 1);
  REQUIRE(r.service_area[0].size() == 4);  // the closing position is dropped
  CHECK(r.service_area[0][0] == latlon{0.0, 10.0});
  CHECK(r.service_area[0][1] == latlon{0.0, 30.0});
  CHECK(r.service_area[0][2] == latlon{5.0, 30.0});
  CHECK(inside(r, 2.0, 20.0));
  CHECK_FALSE(inside(r, 20.0, 2.0));
  CHECK_FALSE(inside(r, 6.0, 20.0));
  CHECK_FALSE(inside(r, 2.0, 31.0));
  // A third coordinate (altitude) is allowed and ignored.
  auto const with_altitude =
      parse(R"({"service_area": {"type": "Polygon", "coordinates": [[[10,0,5],[30,0,5],[30,5,5],[10,5,5],[10,0,5]]]}})");
  CHECK(with_altitude.service_area == r.service_area);
}

TEST_CASE("drt_config: holes and several polygons, whatever the ring orientation", "[drt_config]") {
  // Outer square lon 0..10, lat 0..10 with a hole lon 4..6, lat 4..6; a second polygon lon 20..30
  // with a hole lon 22..28 and, as a third polygon, an island lon 24..26 inside that hole.
  for (auto const outer_cw : {false, true}) {
    for (auto const hole_cw : {false, true}) {
      INFO("outer clockwise " << outer_cw << ", hole clockwise " << hole_cw);
      auto const text = R"({"service_area": {"type": "MultiPolygon", "coordinates": [[)" +
                        square(0, 0, 10, 10, outer_cw) + "," + square(4, 4, 6, 6, hole_cw) + "],[" +
                        square(20, 0, 30, 10, outer_cw) + "," + square(22, 2, 28, 8, hole_cw) + "],[" +
                        square(24, 4, 26, 6, outer_cw) + "]]}}";
      auto const r = parse(text);
      REQUIRE(r.service_area.size() == 5);
      CHECK(inside(r, 1.0, 1.0));         // first polygon, outside its hole
      CHECK(inside(r, 9.0, 5.0));         // lat 9, lon 5: above the hole
      CHECK_FALSE(inside(r, 5.0, 5.0));   // in the hole
      CHECK_FALSE(inside(r, 5.0, 15.0));  // between the polygons
      CHECK(inside(r, 1.0, 21.0));        // second polygon's rim
      CHECK_FALSE(inside(r, 3.0, 23.0));  // its hole
      CHECK(inside(r, 5.0, 25.0));        // the island in the hole
      CHECK_FALSE(inside(r, 11.0, 5.0));  // north of everything
      CHECK_FALSE(inside(r, -1.0, 5.0));  // south of everything

      // The same area as Feature and FeatureCollection (one Feature per polygon) gives the same rings.
      auto const feature = parse(R"({"service_area": {"type": "Feature", "properties": {"name": "x"},
          "geometry": )" + json::parse(text)["service_area"].dump() +
                                 "}}");
      CHECK(feature.service_area == r.service_area);
      auto const collection = parse(
          R"({"service_area": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": null, "geometry": {"type": "Polygon", "coordinates": [)" +
          square(0, 0, 10, 10, outer_cw) + "," + square(4, 4, 6, 6, hole_cw) + R"(]}},
            {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [[)" +
          square(20, 0, 30, 10, outer_cw) + "," + square(22, 2, 28, 8, hole_cw) + "],[" +
          square(24, 4, 26, 6, outer_cw) + "]]}}]}}");
      CHECK(collection.service_area == r.service_area);
    }
  }
}

TEST_CASE("drt_config: service area and meeting points from files next to the rules", "[drt_config]") {
  temp_dir const dir;
  dir.write("areas/zone.geojson", R"({"type": "FeatureCollection", "name": "zone", "crs": {"type": "name"},
      "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [)" +
                                      square(10, 0, 30, 5) + "]}}]}");
  dir.write("points.geojson", R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [141.5, 40.5]}},
      {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": [[141.25, 40.75], [-51.2, -30.0]]}}]})");
  auto const rules_file = dir.write(
      "rules.json", R"({"service_area": "areas/zone.geojson", "meeting_points": "points.geojson", "max_walk_m": 300})");
  auto const r = drt_config::load_rules(rules_file);
  REQUIRE(r.service_area.size() == 1);
  CHECK(inside(r, 2.0, 20.0));
  CHECK_FALSE(inside(r, 20.0, 2.0));
  CHECK(r.meeting_points == std::vector<latlon>{{40.5, 141.5}, {40.75, 141.25}, {-30.0, -51.2}});
  CHECK(r.max_walk_m == 300.0);

  // A single Point geometry is a file of one meeting point; an absolute path works too.
  auto const one = dir.write("one.geojson", R"({"type": "Point", "coordinates": [141.5, 40.5]})");
  auto const r1 = parse(R"({"meeting_points": )" + json(one.string()).dump() + "}", "/nonexistent");
  CHECK(r1.meeting_points == std::vector<latlon>{{40.5, 141.5}});
}

TEST_CASE("drt_config: bad service areas and meeting points", "[drt_config]") {
  temp_dir const dir;
  dir.write("broken.geojson", "{\"type\": \"Polygon\", ");
  dir.write("line.geojson", R"({"type": "LineString", "coordinates": [[0,0],[1,1]]})");
  dir.write("empty.geojson", R"({"type": "FeatureCollection", "features": []})");
  dir.write("bad_ring.geojson", R"({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0.5]]]})");
  auto const ring_ok = square(10, 0, 30, 5);
  struct bad_case {
    std::string text;
    std::string expected;
  };
  auto const b = dir.path.string();
  auto const cases = std::vector<bad_case>{
      {R"({"service_area": 5})", "rules.json: service_area: must be a GeoJSON object, the path"},
      {R"({"service_area": []})", "rules.json: service_area: must be a GeoJSON object, the path"},
      {R"({"service_area": {"coordinates": []}})", "rules.json: service_area: GeoJSON object without a \"type\""},
      {R"({"service_area": {"type": "LineString", "coordinates": [[0,0],[1,1]]}})",
       "rules.json: service_area: unsupported GeoJSON type 'LineString'"},
      {R"({"service_area": {"type": "Polygon"}})", "rules.json: service_area: missing \"coordinates\""},
      {R"({"service_area": {"type": "Polygon", "coordinates": []}})",
       "rules.json: service_area.coordinates: a Polygon needs an array of at least one ring"},
      {R"({"service_area": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0]]]}})",
       "rules.json: service_area.coordinates[0]: a ring needs at least 4 positions"},
      {R"({"service_area": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}})",
       "rules.json: service_area.coordinates[0]: ring is not closed"},
      {R"({"service_area": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,91],[0,0]]]}})",
       "rules.json: service_area.coordinates[0][2]: latitude 91 out of range"},
      {R"({"service_area": {"type": "Polygon", "coordinates": [[[0,0],[181,0],[1,1],[0,0]]]}})",
       "rules.json: service_area.coordinates[0][1]: longitude 181 out of range"},
      {R"({"service_area": {"type": "Polygon", "coordinates": [[[0,0],[1],[1,1],[0,0]]]}})",
       "rules.json: service_area.coordinates[0][1]: a position must be [lon, lat]"},
      {R"({"service_area": {"type": "Polygon", "coordinates": [[[0,0],[1,"0"],[1,1],[0,0]]]}})",
       "rules.json: service_area.coordinates[0][1][1]: must be a number"},
      {R"({"service_area": {"type": "MultiPolygon", "coordinates": []}})",
       "rules.json: service_area: service area has no polygon"},
      {R"({"service_area": {"type": "MultiPolygon", "coordinates": [[)" + ring_ok + R"(], [[[0,0]]]]}})",
       "rules.json: service_area.coordinates[1][0]: a ring needs at least 4 positions"},
      {R"({"service_area": {"type": "Feature", "geometry": null}})",
       "rules.json: service_area.geometry: must be a GeoJSON object"},
      {R"({"service_area": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}})",
       "rules.json: service_area.geometry: unsupported GeoJSON type 'Point'"},
      {R"({"service_area": {"type": "FeatureCollection", "features": [{"type": "Polygon", "coordinates": [)" + ring_ok +
           "]}]}}",
       "rules.json: service_area.features[0]: must be a Feature"},
      {R"({"service_area": {"type": "FeatureCollection", "features": {}}})",
       "rules.json: service_area.features: must be an array of Features"},
      {R"({"service_area": "missing.geojson"})", b + "/missing.geojson: cannot read file"},
      {R"({"service_area": "broken.geojson"})", b + "/broken.geojson: invalid JSON"},
      {R"({"service_area": "line.geojson"})", b + "/line.geojson: unsupported GeoJSON type 'LineString'"},
      {R"({"service_area": "empty.geojson"})", "rules.json: service_area: service area has no polygon"},
      {R"({"service_area": "bad_ring.geojson"})", b + "/bad_ring.geojson: coordinates[0]: ring is not closed"},
      {R"({"meeting_points": 3})", "rules.json: meeting_points: must be an array of [lat, lon]"},
      {R"({"meeting_points": [[40.5]]})", "rules.json: meeting_points[0]: must be [lat, lon]"},
      {R"({"meeting_points": [[40.5, 141.5], [40.5, 141.5, 3]]})", "rules.json: meeting_points[1]: must be [lat, lon]"},
      {R"({"meeting_points": [[141.5, 40.5]]})", "rules.json: meeting_points[0]: latitude 141.5 out of range"},
      {R"({"meeting_points": [[40.5, 200]]})", "rules.json: meeting_points[0]: longitude 200 out of range"},
      {R"({"meeting_points": [["40.5", 141]]})", "rules.json: meeting_points[0][0]: must be a number"},
      {R"({"meeting_points": {"gtfs": 5}})", "rules.json: meeting_points.gtfs: must be the path"},
      {R"({"meeting_points": {}})", "rules.json: meeting_points: missing \"gtfs\""},
      {R"({"meeting_points": {"gtfs": "feed", "stops": 1}})", "rules.json: meeting_points.stops: unknown key"},
      {R"({"meeting_points": {"gtfs": "no_such_feed"}})", "rules.json: meeting_points.gtfs: feed not found: " + b},
      {R"({"meeting_points": "line.geojson"})", b + "/line.geojson: unsupported GeoJSON type 'LineString'"},
      {R"({"meeting_points": "empty.geojson"})", "rules.json: meeting_points: " + b + "/empty.geojson: no Point"},
  };
  for (auto const& c : cases) {
    INFO(c.text);
    auto const message = error_of(c.text, dir.path);
    INFO(message);
    CHECK(message.find(c.expected) != std::string::npos);
  }
}

TEST_CASE("drt_config: load_rules reports unreadable and malformed files", "[drt_config]") {
  temp_dir const dir;
  auto const missing = dir.path / "nope.json";
  auto const broken = dir.write("broken.json", "{\"max_wait_s\": 600,");
  auto const array = dir.write("array.json", "[1, 2]");
  auto const typo = dir.write("typo.json", R"({"ride_factr": 1.2})");
  auto const message = [](fs::path const& p) {
    try {
      drt_config::load_rules(p);
    } catch (config_error const& e) {
      return std::string{e.what()};
    }
    return std::string{};
  };
  CHECK(message(missing).starts_with(missing.string() + ": cannot read file"));
  CHECK(message(dir.path).starts_with(dir.path.string() + ": cannot read file"));
  CHECK(message(broken).starts_with(broken.string() + ": invalid JSON"));
  CHECK(message(array) == array.string() + ": rules must be a JSON object");
  CHECK(message(typo).starts_with(typo.string() + ": ride_factr: unknown key; known keys are max_wait_s"));
}

TEST_CASE("drt_config: rules -> JSON -> rules keeps every value", "[drt_config]") {
  SECTION("defaults: every key is written") {
    auto const j = drt_config::rules_to_json(dispatch::rules{});
    CHECK(j.size() == 13);
    for (auto const* key : {"max_wait_s", "ride_factor", "ride_offset_s", "dwell_s", "offer_ttl_s", "no_show_wait_s",
                            "promise_slack_s", "max_booking_ahead_s", "max_passengers", "passenger_weight",
                            "max_walk_m", "service_area", "meeting_points"}) {
      CHECK(j.contains(key));
    }
    CHECK(j["max_wait_s"] == 900);
    CHECK(j["ride_factor"] == 1.5);
    CHECK(j["ride_offset_s"] == 600);
    CHECK(j["max_booking_ahead_s"] == 172'800);
    CHECK(j["service_area"].is_null());
    CHECK(j["meeting_points"] == json::array());
    require_same_rules(drt_config::parse_rules(json::parse(j.dump()), {}, "x"), dispatch::rules{});
  }
  SECTION("every key set, a multipolygon with holes and an island") {
    auto const text = R"({"max_wait_s": 601, "ride_factor": 1.2345678901234567, "ride_offset_s": 7,
      "dwell_s": 11, "offer_ttl_s": 13, "no_show_wait_s": 17, "promise_slack_s": 19, "max_booking_ahead_s": 23,
      "max_passengers": 29, "passenger_weight": 0.1, "max_walk_m": 123.456,
      "meeting_points": [[-30.0312345678901, -51.2301234567891], [40.5, 141.5]],
      "service_area": {"type": "MultiPolygon", "coordinates": [[)" +
                      square(-51.3, -30.2, -51.1, -30.0) + "," + square(-51.25, -30.15, -51.2, -30.1, true) + "],[" +
                      square(-51.0, -30.2, -50.9, -30.1) + "],[" + square(-51.24, -30.14, -51.21, -30.11) + "]]}}";
    auto const r = parse(text);
    auto const j = drt_config::rules_to_json(r);
    CHECK(j["service_area"]["type"] == "MultiPolygon");
    REQUIRE(j["service_area"]["coordinates"].size() == 3);
    // The outer ring with its hole form one polygon; the island in the hole is its own polygon.
    CHECK(j["service_area"]["coordinates"][0].size() == 2);
    CHECK(j["service_area"]["coordinates"][1].size() == 1);
    CHECK(j["service_area"]["coordinates"][2].size() == 1);
    // Written back in GeoJSON order and closed.
    CHECK(j["service_area"]["coordinates"][0][0][0] == json::array({-51.3, -30.2}));
    CHECK(j["service_area"]["coordinates"][0][0].size() == 5);
    CHECK(j["service_area"]["coordinates"][0][0][4] == json::array({-51.3, -30.2}));
    CHECK(j["meeting_points"][0] == json::array({-30.0312345678901, -51.2301234567891}));
    auto const back = drt_config::parse_rules(json::parse(j.dump()), {}, "x");
    require_same_rules(back, r);
    CHECK(back.ride_alpha == 1.2345678901234567);
    CHECK(drt_config::rules_to_json(back) == j);
  }
  SECTION("one polygon with a hole is written as a Polygon") {
    auto const r = parse(R"({"service_area": {"type": "Polygon", "coordinates": [)" + square(0, 0, 10, 10) + "," +
                         square(4, 4, 6, 6) + "]}}");
    auto const j = drt_config::rules_to_json(r);
    CHECK(j["service_area"]["type"] == "Polygon");
    CHECK(j["service_area"]["coordinates"].size() == 2);
    require_same_rules(drt_config::parse_rules(j, {}, "x"), r);
  }
  SECTION("rings built in code in any order keep their meaning") {
    // Hole first, then an island, then the outer ring: rings are regrouped, and the area is the
    // same on a grid of points (compared with the even-odd rule on the original rings).
    dispatch::rules r;
    r.service_area = {{{4, 4}, {4, 6}, {6, 6}, {6, 4}},
                      {{4.5, 4.5}, {4.5, 5.5}, {5.5, 5.5}, {5.5, 4.5}},
                      {{0, 0}, {0, 10}, {10, 10}, {10, 0}},
                      {{0, 20}, {0, 30}, {10, 30}, {10, 20}}};
    auto const back = drt_config::parse_rules(drt_config::rules_to_json(r), {}, "x");
    REQUIRE(back.service_area.size() == 4);
    for (auto lat = -0.75; lat < 11; lat += 0.5) {
      for (auto lon = -0.75; lon < 31; lon += 0.5) {
        INFO(lat << ", " << lon);
        CHECK(inside(back, lat, lon) == inside(r, lat, lon));
      }
    }
    CHECK(inside(back, 1, 1));
    CHECK_FALSE(inside(back, 4.25, 5));
    CHECK(inside(back, 5, 5));
    CHECK(inside(back, 5, 25));
  }
}

TEST_CASE("drt_config: meeting points from GTFS stops (location_type 0 or empty)", "[drt_config]") {
  SECTION("a hand-written feed") {
    temp_dir const dir;
    dir.write("feed/stops.txt",
              "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\r\n"
              "st,Station,40.0,141.0,1,\r\n"
              "p1,Platform 1,40.001,141.001,0,st\r\n"
              "p2,\"Platform, two\",40.002,141.002,,st\r\n"
              "e1,Entrance,40.003,141.003,2,st\r\n"
              "n1,Node,40.004,141.004,3,st\r\n");
    auto const r = parse(R"({"meeting_points": {"gtfs": "feed"}})", dir.path);
    CHECK(r.meeting_points == std::vector<latlon>{{40.001, 141.001}, {40.002, 141.002}});

    dir.write("bad/stops.txt", "stop_id,stop_lat,stop_lon\ns1,40.0,141.0\ns2,north,141.0\n");
    auto const bad = error_of(R"({"meeting_points": {"gtfs": "bad"}})", dir.path);
    CHECK(bad.find("meeting_points.gtfs: ") != std::string::npos);
    CHECK(bad.find("1 bad rows in stops.txt, first: stops.txt:3: invalid stop_lat 'north'") != std::string::npos);

    dir.write("nocoords/stops.txt", "stop_id,stop_lat,stop_lon\ns1,40.0,141.0\ns2,,\n");
    auto const nocoords = error_of(R"({"meeting_points": {"gtfs": "nocoords"}})", dir.path);
    CHECK(nocoords.find("stops.txt:3: stop 's2' has no coordinates") != std::string::npos);

    dir.write("stations/stops.txt", "stop_id,stop_lat,stop_lon,location_type\ns1,40.0,141.0,1\n");
    auto const stations = error_of(R"({"meeting_points": {"gtfs": "stations"}})", dir.path);
    CHECK(stations.find("no stop with location_type 0 or empty") != std::string::npos);

    fs::create_directories(dir.path / "nostops");
    auto const nostops = error_of(R"({"meeting_points": {"gtfs": "nostops"}})", dir.path);
    CHECK(nostops.find("missing required file stops.txt") != std::string::npos);
  }
  SECTION("Hachinohe city bus: every stop") {
    NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
    auto const expected = count_platform_stops(feed / "stops.txt");
    CHECK(expected == 680);  // the count the data README states
    auto const r = parse(R"({"meeting_points": {"gtfs": )" + json(feed.string()).dump() + "}}");
    CHECK(r.meeting_points.size() == expected);
    // First row of stops.txt, read by eye: "621-02", ..., "40.510775","141.492652".
    REQUIRE_FALSE(r.meeting_points.empty());
    CHECK(r.meeting_points.front() == latlon{40.510775, 141.492652});
  }
  SECTION("Hakodate tram: stations are not meeting points, their platforms are") {
    NEBUTA_REQUIRE_DATASET(feed, "jp-hakodate-citytram");
    auto const expected = count_platform_stops(feed / "stops.txt");
    CHECK(expected == 52);  // 78 stops = 26 stations + 52 platforms (data README)
    auto const r = parse(R"({"meeting_points": {"gtfs": )" + json(feed.string()).dump() + "}}");
    CHECK(r.meeting_points.size() == expected);
  }
}

TEST_CASE("drt_config: fleet CSV", "[drt_config]") {
  temp_dir const dir;
  SECTION("good rows, RFC 4180 quoting, BOM, CRLF, any column order") {
    auto const file = dir.write("fleet.csv",
                                "\xEF\xBB\xBF"
                                "shift_end, vehicle_id ,depot_lon,depot_lat,seats,wheelchair_spaces,shift_start,notes\r\n"
                                "22:00,\"van, 1\",-51.23,-30.03,8,1,06:00,\"said \"\"hi\"\"\"\r\n"
                                "\r\n"
                                "25:30:00,van2,-51.2,-30.0,0,2,05:15:30,\r\n"
                                "86400,\"van\"\"3\",141.5,40.5, 4 ,,3600,\"multi\nline\"\r\n");
    auto const f = drt_config::load_fleet_csv(file);
    CHECK(f.errors.empty());
    CHECK(f.n_skipped == 0);
    REQUIRE(f.vehicles.size() == 3);
    CHECK(f.vehicles[0].name == "van, 1");
    CHECK(f.vehicles[0].seats == 8);
    CHECK(f.vehicles[0].wheelchairs == 1);
    CHECK(f.vehicles[0].depot == latlon{-30.03, -51.23});
    CHECK(f.vehicles[0].shift_start == 6 * 3600);
    CHECK(f.vehicles[0].shift_end == 22 * 3600);
    CHECK(f.vehicles[1].name == "van2");
    CHECK(f.vehicles[1].seats == 0);
    CHECK(f.vehicles[1].wheelchairs == 2);
    CHECK(f.vehicles[1].shift_start == 5 * 3600 + 15 * 60 + 30);
    CHECK(f.vehicles[1].shift_end == 25 * 3600 + 30 * 60);
    CHECK(f.vehicles[2].name == "van\"3");
    CHECK(f.vehicles[2].seats == 4);
    CHECK(f.vehicles[2].wheelchairs == 0);
    CHECK(f.vehicles[2].shift_start == 3600);
    CHECK(f.vehicles[2].shift_end == 86'400);
  }
  SECTION("bad rows are reported with file:line, skipped and counted") {
    auto const file = dir.write("fleet.csv",
                                "vehicle_id,seats,wheelchair_spaces,depot_lat,depot_lon,shift_start,shift_end\n"
                                "ok1,4,0,-30.0,-51.2,06:00,14:00\n"         // 2
                                ",4,0,-30.0,-51.2,06:00,14:00\n"            // 3
                                "ok1,5,0,-30.0,-51.2,15:00,20:00\n"         // 4
                                "s1,-1,0,-30.0,-51.2,06:00,14:00\n"         // 5
                                "s2,four,0,-30.0,-51.2,06:00,14:00\n"       // 6
                                "s3,70000,0,-30.0,-51.2,06:00,14:00\n"      // 7
                                "w1,4,x,-30.0,-51.2,06:00,14:00\n"          // 8
                                "z1,0,0,-30.0,-51.2,06:00,14:00\n"          // 9
                                "l1,4,0,-91,-51.2,06:00,14:00\n"            // 10
                                "l2,4,0,-30.0,nan,06:00,14:00\n"            // 11
                                "l3,4,0,,-51.2,06:00,14:00\n"               // 12
                                "t1,4,0,-30.0,-51.2,6h,14:00\n"             // 13
                                "t2,4,0,-30.0,-51.2,06:00,14:60\n"          // 14
                                "t3,4,0,-30.0,-51.2,14:00,14:00\n"          // 15
                                "t4,4,0,-30.0,-51.2,-60,14:00\n"            // 16
                                "t5,4,0,-30.0,-51.2,06:00,9000:00\n"        // 17
                                "short,4,0,-30.0,-51.2,06:00\n"             // 18
                                "long,4,0,-30.0,-51.2,06:00,14:00,extra\n"  // 19
                                "ok2,2,1,-30.1,-51.1,00:00:00,1:00:00\n"    // 20
                                "open,\"4,0,-30.0,-51.2,06:00,14:00\n"      // 21: unclosed quote
                                "never,4,0,-30.0,-51.2,06:00,14:00\n");
    auto const f = drt_config::load_fleet_csv(file);
    auto const n = file.string();
    auto const expected = std::vector<std::string>{
        n + ":3: empty vehicle_id",
        n + ":4: vehicle_id 'ok1' has other seats, wheelchair spaces or depot than on line 2",
        n + ":5: invalid seats '-1' (a whole number from 0 to 65535)",
        n + ":6: invalid seats 'four' (a whole number from 0 to 65535)",
        n + ":7: invalid seats '70000' (a whole number from 0 to 65535)",
        n + ":8: invalid wheelchair_spaces 'x' (a whole number from 0 to 65535)",
        n + ":9: vehicle has neither seats nor wheelchair spaces",
        n + ":10: invalid depot_lat '-91'",
        n + ":11: invalid depot_lon 'nan'",
        n + ":12: invalid depot_lat ''",
        n + ":13: invalid shift_start '6h' (HH:MM, HH:MM:SS or seconds)",
        n + ":14: invalid shift_end '14:60' (HH:MM, HH:MM:SS or seconds)",
        n + ":15: shift_end 14:00 is not after shift_start 14:00",
        n + ":16: invalid shift_start '-60' (HH:MM, HH:MM:SS or seconds)",
        n + ":17: invalid shift_end '9000:00' (HH:MM, HH:MM:SS or seconds)",
        n + ":18: row has 6 fields, header has 7",
        n + ":19: row has 8 fields, header has 7",
        n + ":21: unclosed quote; rest of file skipped",
    };
    CHECK(f.errors == expected);
    CHECK(f.n_skipped == expected.size());
    REQUIRE(f.vehicles.size() == 2);
    CHECK(f.vehicles[0].name == "ok1");
    CHECK(f.vehicles[1].name == "ok2");
    CHECK(f.vehicles[1].shift_end == 3600);
  }
  SECTION("file-level errors throw") {
    auto const message = [](fs::path const& p) {
      try {
        drt_config::load_fleet_csv(p);
      } catch (config_error const& e) {
        return std::string{e.what()};
      }
      return std::string{};
    };
    auto const missing = dir.path / "nope.csv";
    CHECK(message(missing) == missing.string() + ": cannot read file (missing or not a regular file)");
    auto const empty = dir.write("empty.csv", "");
    CHECK(message(empty) == empty.string() + ": empty file (no header)");
    auto const no_seats = dir.write("no_seats.csv", "vehicle_id,depot_lat,depot_lon,shift_start,shift_end\n");
    CHECK(message(no_seats) == no_seats.string() + ": missing required column seats");
    auto const header_only = dir.write("header.csv", "vehicle_id,seats,depot_lat,depot_lon,shift_start,shift_end\n");
    auto const f = drt_config::load_fleet_csv(header_only);
    CHECK(f.vehicles.empty());
    CHECK(f.n_skipped == 0);
  }
}

TEST_CASE("drt_config: the example files in examples/drt load", "[drt_config]") {
  fs::path const dir = fs::path{NEBUTA_SOURCE_DIR} / "examples" / "drt";
  auto const poa = drt_config::load_rules(dir / "rules.json");
  CHECK(poa.max_passengers == 6);
  CHECK(poa.max_walk_m == 400.0);
  CHECK(poa.service_area.size() == 2);           // the district and the airport as a hole
  CHECK(inside(poa, -30.0346, -51.2177));        // Centro Histórico
  CHECK_FALSE(inside(poa, -29.9950, -51.1725));  // Salgado Filho airport
  CHECK_FALSE(inside(poa, -30.0500, -51.2600));  // in the Guaíba, west of the area
  CHECK(poa.meeting_points.empty());

  auto const aomori = drt_config::load_rules(dir / "rules_aomori.json");
  CHECK(aomori.meeting_points.size() == count_platform_stops(fs::path{NEBUTA_SOURCE_DIR} / "data/sample/stops.txt"));
  CHECK(aomori.meeting_points.size() == 47);       // 50 stops, 3 of them parent stations (data/sample/README.md)
  CHECK(inside(aomori, 40.8286, 140.7346));        // Aomori station
  CHECK(inside(aomori, 40.8915, 140.8625));        // Asamushi-onsen
  CHECK_FALSE(inside(aomori, 40.5092, 141.4312));  // Hachinohe

  auto const fleet = drt_config::load_fleet_csv(dir / "fleet.csv");
  CHECK(fleet.errors.empty());
  REQUIRE(fleet.vehicles.size() == 5);
  CHECK(fleet.vehicles[4].name == "poa-05");
  CHECK(fleet.vehicles[4].shift_end == 26 * 3600);
  for (auto const& v : fleet.vehicles) CHECK(inside(poa, v.depot.lat, v.depot.lon));
}

namespace {

date_t ymd(int y, unsigned m, unsigned d) { return std::chrono::sys_days{std::chrono::year{y} / m / d}; }

}  // namespace

TEST_CASE("drt_config: the days a shift runs", "[drt_config]") {
  auto const rule = [](std::string_view text) {
    std::string why;
    auto const r = drt_config::parse_days(text, &why);
    INFO(text << ": " << why);
    REQUIRE(r);
    return *r;
  };
  auto const error = [](std::string_view text) {
    std::string why;
    auto const r = drt_config::parse_days(text, &why);
    CHECK_FALSE(r);
    return why;
  };
  // 2026-11-23 is a Monday and a holiday (勤労感謝の日), 2026-11-24 a Tuesday, 2026-11-22 a Sunday.
  auto const mon_hol = ymd(2026, 11, 23), tue = ymd(2026, 11, 24), sun = ymd(2026, 11, 22), sat = ymd(2026, 11, 21);
  auto const weekdays = rule("mon-fri");
  CHECK(weekdays.weekdays == 0x1f);
  CHECK_FALSE(weekdays.holidays);
  CHECK(weekdays.runs_on(tue, false));
  CHECK_FALSE(weekdays.runs_on(mon_hol, true));  // a holiday Monday runs the 土日祝 shift instead
  CHECK_FALSE(weekdays.runs_on(sat, false));
  auto const weekend = rule("Sat, Sun; HOL");
  CHECK(weekend.runs_on(mon_hol, true));
  CHECK(weekend.runs_on(sun, false));
  CHECK_FALSE(weekend.runs_on(tue, false));
  CHECK(rule("fri-mon").weekdays == 0b1110001);  // wraps past Sunday
  CHECK(rule("daily").runs_on(mon_hol, true));
  auto const year_end = rule("daily !2026-12-29..2027-01-03 2027-01-02");
  CHECK_FALSE(year_end.runs_on(ymd(2026, 12, 31), false));
  CHECK_FALSE(year_end.runs_on(ymd(2027, 1, 2), false));  // a leave-out wins over an addition
  CHECK(year_end.runs_on(ymd(2027, 1, 4), false));
  auto const extra = rule("mon-fri 2026-11-21");
  CHECK(extra.runs_on(sat, false));
  CHECK_FALSE(extra.runs_on(sun, false));
  auto const no_hol = rule("daily !hol !sun");
  CHECK_FALSE(no_hol.runs_on(mon_hol, true));
  CHECK_FALSE(no_hol.runs_on(sun, false));
  CHECK(no_hol.runs_on(sat, false));
  CHECK_THAT(error("mon-fry"), Catch::Contains("unknown item 'mon-fry'"));
  CHECK_THAT(error("2026-02-30"), Catch::Contains("unknown item"));
  CHECK_THAT(error("2026-12-31..2026-12-01"), Catch::Contains("unknown item"));
  CHECK_THAT(error(""), Catch::Contains("no day"));
  CHECK_THAT(error("!sat"), Catch::Contains("no day"));
  CHECK_THAT(error("mon !"), Catch::Contains("'!' without an item"));
}

TEST_CASE("drt_config: a fleet with weekly patterns becomes dated shifts, holidays included", "[drt_config]") {
  temp_dir const dir;
  auto const file = dir.write("fleet.csv",
                              "vehicle_id,seats,wheelchair_spaces,depot_lat,depot_lon,shift_start,shift_end,days\n"
                              "hc-1,6,1,40.509,141.4335,07:00,19:00,mon-fri\n"
                              "hc-1,6,1,40.509,141.4335,09:00,17:00,\"sat,sun,hol\"\n"
                              "hc-2,4,0,40.516,141.4885,22:00,26:00,daily\n"
                              "hc-3,4,0,40.516,141.4885,08:00,12:00,\n"
                              "hc-4,4,0,40.516,141.4885,08:00,12:00,weekdays\n");
  auto const f = drt_config::load_fleet_csv(file);
  REQUIRE(f.errors.size() == 1);
  CHECK_THAT(f.errors[0], Catch::Contains(":6: invalid days 'weekdays': unknown item 'weekdays'"));
  REQUIRE(f.shifts.size() == 4);
  CHECK(f.shifts[2].days.weekdays == 0x7f);  // empty days: daily
  auto const zone = civil::time_zone::locate("Asia/Tokyo");
  dispatch::holiday_calendar const holidays{{ymd(2026, 11, 23)}};
  // Sunday 22nd, holiday Monday 23rd, Tuesday 24th. 2026-11-22 00:00 JST is 1,795,273,200.
  constexpr dispatch::instant day22 = 1'795'273'200, h = 3600, day = 86'400;
  auto const shifts = dispatch::shifts_between(f.shifts, holidays, zone, ymd(2026, 11, 22), ymd(2026, 11, 24));
  std::vector<std::tuple<std::string, dispatch::instant, dispatch::instant>> got;
  for (auto const& s : shifts) got.emplace_back(s.vehicle.name, s.vehicle.shift_start, s.vehicle.shift_end);
  std::vector<std::tuple<std::string, dispatch::instant, dispatch::instant>> const expected{
      {"hc-1", day22 + 9 * h, day22 + 17 * h},   // Sunday: the weekend shift
      {"hc-2", day22 + 22 * h, day22 + 26 * h},  // ends at 02:00 on Monday
      {"hc-3", day22 + 8 * h, day22 + 12 * h},
      {"hc-1", day22 + day + 9 * h, day22 + day + 17 * h},  // the holiday: the weekend shift again
      {"hc-2", day22 + day + 22 * h, day22 + day + 26 * h},
      {"hc-3", day22 + day + 8 * h, day22 + day + 12 * h},
      {"hc-1", day22 + 2 * day + 7 * h, day22 + 2 * day + 19 * h},  // Tuesday: the weekday shift
      {"hc-2", day22 + 2 * day + 22 * h, day22 + 2 * day + 26 * h},
      {"hc-3", day22 + 2 * day + 8 * h, day22 + 2 * day + 12 * h}};
  CHECK(got == expected);
  CHECK(shifts[0].vehicle.seats == 6);
  CHECK(shifts[0].vehicle.wheelchairs == 1);
  CHECK(shifts[3].day == ymd(2026, 11, 23));

  // Overlapping shifts of one vehicle: the later one is left out, and said.
  std::vector<dispatch::shift_pattern> overlapping{f.shifts[2], f.shifts[2]};
  overlapping[1].start = 25 * 3600;  // 01:00 the next morning, inside the night shift
  overlapping[1].end = 30 * 3600;
  std::vector<std::string> problems;
  auto const kept =
      dispatch::shifts_between(overlapping, holidays, zone, ymd(2026, 11, 22), ymd(2026, 11, 22), &problems);
  CHECK(kept.size() == 1);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::Contains("hc-2") && Catch::Contains("overlaps its shift 2026-11-22T22:00:00+09:00"));

  // On a day whose clock goes forward (Berlin, 2026-03-29 02:00), 07:00 is the wall-clock time:
  // seconds from noon minus 12 h (2026-03-28T22:00Z), as GTFS counts.
  std::vector<dispatch::shift_pattern> berlin{f.shifts[2]};
  berlin[0].start = 7 * 3600;
  berlin[0].end = 19 * 3600;
  auto const dst = dispatch::shifts_between(berlin, {}, civil::time_zone::locate("Europe/Berlin"), ymd(2026, 3, 29),
                                            ymd(2026, 3, 29));
  REQUIRE(dst.size() == 1);
  CHECK(dst[0].vehicle.shift_start == 1'774'735'200 + 7 * h);
  CHECK(civil::time_zone::locate("Europe/Berlin").iso(dst[0].vehicle.shift_start) == "2026-03-29T07:00:00+02:00");
}

TEST_CASE("drt_config: holidays from a list file, a GTFS feed, or the rules", "[drt_config]") {
  temp_dir const dir;
  auto const list = dir.write("holidays.txt",
                              "\xEF\xBB\xBF# 日本の祝日 (excerpt)\n"
                              "2026-11-03,文化の日\n"
                              "\n"
                              "2026-11-23 , 勤労感謝の日   # Labour Thanksgiving\n"
                              "2026-11-23\n"
                              "23/11/2026\n");
  auto const h = drt_config::load_holidays(list);
  CHECK(h.days == std::vector<date_t>{ymd(2026, 11, 3), ymd(2026, 11, 23)});
  REQUIRE(h.errors.size() == 1);
  CHECK(h.errors[0] == list.string() + ":6: '23/11/2026' is not a date YYYY-MM-DD; line skipped");
  CHECK_THROWS_AS(drt_config::load_holidays(dir.path / "none.txt"), config_error);

  drt_config::holiday_list from_rules;
  drt_config::parse_rules(json::parse(R"({"holidays": ["2026-12-31", "2026-11-23", "2026-12-31"]})"), {}, "rules.json",
                          &from_rules);
  CHECK(from_rules.days == std::vector<date_t>{ymd(2026, 11, 23), ymd(2026, 12, 31)});
  drt_config::parse_rules(json::parse(R"({"holidays": "holidays.txt"})"), dir.path, "rules.json", &from_rules);
  CHECK(from_rules.days.size() == 2);
  CHECK_THAT(error_of(R"({"holidays": ["2026-13-01"]})"), Catch::Contains("holidays[0]: must be a date"));
  CHECK_THAT(error_of(R"({"holidays": 3})"), Catch::Contains("holidays: must be an array"));
  CHECK_THAT(error_of(R"({"holidays": {"feed": "x"}})"), Catch::Contains("holidays.feed: unknown key"));
  CHECK_THAT(error_of(R"({"holidays": "missing.txt"})", dir.path), Catch::Contains("cannot read file"));
  CHECK(error_of(R"({"holidays": null})").empty());

  // A feed without a Sunday-only service says nothing about holidays.
  auto const flat = dir.path / "flat";
  fs::create_directories(flat);
  std::ofstream{flat / "calendar.txt"} << "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                                          "start_date,end_date\nall,1,1,1,1,1,1,1,20260101,20261231\n";
  CHECK_THROWS_WITH(drt_config::load_holidays(flat), Catch::Contains("no service that runs on Sundays only"));

  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  // Read off calendar_dates.txt by hand: the dates "2_日祝" (Sundays only in calendar.txt) is added
  // on, none of them a Sunday: national holidays, Obon (08-13..15) and the year end (12-30..01-02).
  std::vector<date_t> const expected{
      ymd(2026, 4, 29),  ymd(2026, 5, 4),  ymd(2026, 5, 5),   ymd(2026, 5, 6),   ymd(2026, 7, 20),  ymd(2026, 8, 11),
      ymd(2026, 8, 13),  ymd(2026, 8, 14), ymd(2026, 8, 15),  ymd(2026, 9, 21),  ymd(2026, 9, 22),  ymd(2026, 9, 23),
      ymd(2026, 10, 12), ymd(2026, 11, 3), ymd(2026, 11, 23), ymd(2026, 12, 30), ymd(2026, 12, 31), ymd(2027, 1, 1),
      ymd(2027, 1, 2),   ymd(2027, 1, 11), ymd(2027, 2, 11),  ymd(2027, 2, 23),  ymd(2027, 3, 22)};
  auto const hachinohe = drt_config::load_holidays(feed);
  CHECK(hachinohe.errors.empty());
  CHECK(hachinohe.days == expected);
  drt_config::parse_rules(json::parse(R"({"holidays": {"gtfs": ")" + feed.string() + R"("}})"), {}, "rules.json",
                          &from_rules);
  CHECK(from_rules.days == expected);
}
