// Malformed GTFS-Flex input: every bad row or feature is a problem naming its file and line (a
// GeoJSON feature: its JSON path), is skipped, and the rest is read.
#include <unistd.h>

#include <fstream>
#include <set>

#include <catch2/catch.hpp>

#include "nebuta/gtfs_flex/reader.h"

using namespace nebuta;
namespace fs = std::filesystem;

namespace {

struct temp_feed {
  fs::path dir;
  explicit temp_feed(std::string const& name) {
    dir = fs::temp_directory_path() / ("nebuta_flex_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    write("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\na,A,http://a,UTC\n");
    write("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\ns1,S1,40.005,0.05\ns2,S2,,\n");
    write("routes.txt", "route_id,route_type\nr,3\n");
    write("trips.txt", "route_id,service_id,trip_id\nr,wk,t1\nr,wk,t2\nr,nosuch,t3\n");
    write("calendar.txt",
          "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
          "wk,1,1,1,1,1,0,0,20210101,20211231\n");
  }
  ~temp_feed() { fs::remove_all(dir); }
  void write(std::string const& file, std::string const& text) const {
    std::ofstream{dir / file, std::ios::binary} << text;
  }
};

constexpr char const* square_a = R"([[[0.0,40.0],[0.01,40.0],[0.01,40.01],[0.0,40.01],[0.0,40.0]]])";

std::multiset<std::string> where_and_kind(gtfs_flex::result const& r) {
  std::multiset<std::string> out;
  for (auto const& p : r.problems) {
    auto const json_path = p.file == "locations.geojson" ? " " + p.message.substr(0, p.message.find(':')) : "";
    out.insert(p.file + ":" + std::to_string(p.line) + json_path + " " + p.kind);
  }
  return out;
}

}  // namespace

TEST_CASE("gtfs_flex: malformed rows and features are reported with file:line and skipped", "[gtfs_flex][malformed]") {
  temp_feed f{"malformed"};
  f.write(
      "locations.geojson",
      std::string{R"({"type":"FeatureCollection","features":[)"} +
          R"({"type":"Feature","id":"A","properties":{"stop_name":"Zone A"},"geometry":{"type":"Polygon","coordinates":)" +
          square_a + "}}," + R"({"type":"Feature","id":"P","geometry":{"type":"Point","coordinates":[0,40]}},)" +
          R"({"type":"Feature","id":"open","geometry":{"type":"Polygon","coordinates":[[[0,40],[1,40],[1,41],[0,41]]]}},)" +
          R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":)" + square_a + "}}," +
          R"({"type":"Feature","id":"L","geometry":{"type":"LineString","coordinates":[[0,40],[1,40]]}},)" +
          R"({"type":"Feature","id":"A","geometry":{"type":"Polygon","coordinates":)" + square_a + "}}" + "]}");
  f.write("location_groups.txt", "location_group_id,location_group_name\nG,group\nG,again\nA,clash\n");
  f.write("location_group_stops.txt", "location_group_id,stop_id\nG,s1\nX,s1\nG,nosuch\nG,s2\n");
  f.write("booking_rules.txt",
          "booking_rule_id,booking_type,prior_notice_duration_min,prior_notice_last_day,prior_notice_last_time\n"
          "ok,1,60,,\nbad_type,5,,,\nno_min,1,,,\nno_last,2,,,\nbad_num,1,abc,,\nprior,2,,1,17:00:00\n");
  f.write("stop_times.txt",
          "trip_id,stop_sequence,stop_id,location_id,location_group_id,start_pickup_drop_off_window,"
          "end_pickup_drop_off_window,pickup_type,drop_off_type,pickup_booking_rule_id,drop_off_booking_rule_id\n"
          "t1,1,,A,,08:00:00,10:00:00,2,1,ok,\n"      // 2 ok
          "t1,2,,,G,08:00:00,11:00:00,1,2,,prior\n"   // 3 ok
          "t1,3,,,G,09:00:00,,1,2,,\n"                // 4 window without its end
          "t1,4,,Z,,08:00:00,09:00:00,2,2,,\n"        // 5 unknown zone
          "t1,5,,A,,08:00:00,09:00:00,2,2,nosuch,\n"  // 6 unknown booking rule
          "t1,6,,A,,10:00:00,09:00:00,2,2,,\n"        // 7 ends before it starts
          "t1,7,s1,A,,08:00:00,09:00:00,2,2,,\n"      // 8 stop and zone
          "t1,8,,A,,8h,09:00:00,2,2,,\n"              // 9 not a time (the GTFS reader's problem)
          "t2,1,,A,,08:00:00,09:00:00,7,2,,\n"        // 10 pickup_type out of range
          "t3,1,,A,,08:00:00,09:00:00,2,2,,\n"        // 11 trip of an unknown service
          "t9,1,,A,,08:00:00,09:00:00,2,2,,\n");      // 12 unknown trip
  auto const r = gtfs_flex::read(f.dir);
  for (auto const& p : r.problems) UNSCOPED_INFO(p.to_string());
  auto const expected = std::multiset<std::string>{
      "locations.geojson:0 features[1] unknown_geometry",
      "locations.geojson:0 features[2].geometry.coordinates[0] bad_geometry",
      "locations.geojson:0 features[3] missing_value",
      "locations.geojson:0 features[4] unknown_geometry",
      "locations.geojson:0 features[5] duplicate_id",
      "location_groups.txt:3 duplicate_id",
      "location_groups.txt:4 duplicate_id",
      "location_group_stops.txt:3 unknown_location_group",
      "location_group_stops.txt:4 unknown_stop",
      "location_group_stops.txt:5 unknown_stop",
      "booking_rules.txt:3 bad_value",
      "booking_rules.txt:4 missing_value",
      "booking_rules.txt:5 missing_value",
      "booking_rules.txt:6 bad_number",
      "stop_times.txt:4 missing_value",
      "stop_times.txt:5 unknown_location",
      "stop_times.txt:6 unknown_booking_rule",
      "stop_times.txt:7 bad_window",
      "stop_times.txt:8 bad_location",
      "stop_times.txt:9 bad_time",
      "stop_times.txt:10 bad_value",
      "stop_times.txt:12 unknown_trip",
      "trips.txt:3 trip_without_windows",
      "trips.txt:4 unknown_service",
  };
  CHECK(where_and_kind(r) == expected);
  auto const& m = r.model;
  CHECK(m.validate().empty());
  CHECK(m.zones.size() == 1);
  CHECK(m.zones[flex::zone_idx{0}].name == "Zone A");
  CHECK(r.unknown_geometries == std::map<std::string, std::uint64_t>{{"LineString", 1}, {"Point", 1}});
  REQUIRE(m.groups.size() == 1);
  CHECK(m.groups[flex::group_idx{0}].stops.size() == 1);
  CHECK(m.booking_rules.size() == 2);
  REQUIRE(m.trips.size() == 1);
  auto const ws = m.windows_of(flex::trip_idx{0});
  REQUIRE(ws.size() == 2);
  CHECK(ws[0].pickup_rule == *m.find_booking_rule("ok"));
  CHECK(ws[1].drop_off_rule == *m.find_booking_rule("prior"));
}

TEST_CASE("gtfs_flex: broken or odd locations.geojson never stops the rest", "[gtfs_flex][malformed]") {
  temp_feed f{"geojson"};
  f.write("stop_times.txt", "trip_id,stop_sequence,stop_id,arrival_time,departure_time\nt1,1,s1,08:00:00,08:00:00\n");
  SECTION("not JSON") {
    f.write("locations.geojson", "{\"type\": \"FeatureCollection\", \"features\": [");
    auto const r = gtfs_flex::read(f.dir);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].to_string() == "locations.geojson: not valid JSON; no zones read");
    CHECK(r.model.trips.empty());  // a regular trip is not a flex trip
  }
  SECTION("not a FeatureCollection") {
    f.write("locations.geojson", R"({"type": "Feature", "features": 3})");
    auto const r = gtfs_flex::read(f.dir);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].kind == "bad_geojson");
  }
  SECTION("wrong JSON types where strings are expected") {
    f.write(
        "locations.geojson",
        R"({"type":"FeatureCollection","features":[{"type":7,"id":"x"},{"type":"Feature","id":{"a":1},"geometry":null},{"type":"Feature","id":"g","geometry":{"type":3}}]})");
    auto const r = gtfs_flex::read(f.dir);
    CHECK(r.problems.size() == 3);
    CHECK(r.unknown_geometries == std::map<std::string, std::uint64_t>{{"(none)", 1}});
  }
  SECTION("a MultiPolygon with a hole is one zone") {
    f.write("locations.geojson",
            R"({"type":"FeatureCollection","features":[{"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[)"
            R"([[[0,40],[1,40],[1,41],[0,41],[0,40]],[[0.4,40.4],[0.6,40.4],[0.6,40.6],[0.4,40.6],[0.4,40.4]]],)"
            R"([[[2,40],[3,40],[3,41],[2,41],[2,40]]]]}}]})");
    auto const r = gtfs_flex::read(f.dir);
    CHECK(r.problems.empty());
    REQUIRE(r.model.zones.size() == 1);
    auto const& z = r.model.zones[flex::zone_idx{0}];
    CHECK(z.id == "7");
    CHECK(z.rings.size() == 3);
    CHECK(flex::contains(z, {40.2, 0.2}));
    CHECK_FALSE(flex::contains(z, {40.5, 0.5}));  // the hole
    CHECK(flex::contains(z, {40.5, 2.5}));
    CHECK_FALSE(flex::contains(z, {40.5, 1.5}));  // between the polygons
  }
  SECTION("no flex files at all") {
    auto const r = gtfs_flex::read(f.dir);
    CHECK(r.problems.empty());
    CHECK(r.model.zones.empty());
    CHECK(r.model.trips.empty());
  }
}
