// feeds/io: whole files (regular, missing, a directory, a pipe) and GeoJSON areas and points with
// the JSON paths of their errors. Expected rings and messages are written out by hand.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "nebuta/io/file.h"
#include "nebuta/io/geojson.h"
#include "nebuta/io/json_path.h"

namespace fs = std::filesystem;
using nebuta::latlon;
using nlohmann::json;
namespace io = nebuta::io;

namespace {

struct temp_dir {
  fs::path path;
  temp_dir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("nebuta_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct my_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
[[noreturn]] void raise_mine(std::string const& m) { throw my_error{m}; }

std::string error_of(json const& v, bool points = false) {
  try {
    std::vector<std::vector<latlon>> rings;
    std::vector<latlon> pts;
    io::json_path const w{"rules.json", "service_area", &raise_mine};
    if (points) {
      io::geojson::read_points(v, w, pts);
    } else {
      io::geojson::read_area(v, w, rings);
    }
  } catch (my_error const& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("io: whole files into strings and byte vectors", "[io]") {
  temp_dir dir;
  std::string const bytes = std::string{"a,b\r\n1,\"x\"\n"} + '\0' + "\xE5\x85\xAB";
  { std::ofstream{dir.path / "f.csv", std::ios::binary} << bytes; }
  std::string s;
  REQUIRE(io::read_file(dir.path / "f.csv", s) == io::read_status::ok);
  CHECK(s == bytes);
  std::vector<char> v{'x'};
  REQUIRE(io::read_file(dir.path / "f.csv", v) == io::read_status::ok);
  CHECK(std::string(v.begin(), v.end()) == bytes);
  { std::ofstream{dir.path / "empty", std::ios::binary}; }
  CHECK(io::read_file(dir.path / "empty", s) == io::read_status::ok);
  CHECK(s.empty());
  CHECK(io::read_file(dir.path / "missing", s) == io::read_status::cannot_open);
  CHECK(io::read_file(dir.path, s) == io::read_status::read_failed);
}

TEST_CASE("io: a pipe is read to its end", "[io]") {
  temp_dir dir;
  auto const fifo = dir.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string const text(200'000, 'z');
  std::thread writer{[&] { std::ofstream{fifo, std::ios::binary} << text; }};
  std::string s;
  auto const status = io::read_file(fifo, s);
  writer.join();
  CHECK(status == io::read_status::ok);
  CHECK(s == text);
}

TEST_CASE("io: JSON paths name the value, and the reader's own exception is thrown", "[io]") {
  io::json_path const top{"scenario.json", ""};
  CHECK_THROWS_WITH(top.fail("must be an object"), "scenario.json: must be an object");
  CHECK_THROWS_AS(top.fail("x"), io::json_error);
  auto const w = top.key("demand").key("zones").index(2).key("radius_m");
  CHECK(w.path == "demand.zones[2].radius_m");
  CHECK_THROWS_WITH(w.fail("must be a number"), "scenario.json: demand.zones[2].radius_m: must be a number");
  io::json_path const mine{"a.json", "", &raise_mine};
  CHECK_THROWS_AS(mine.index(0).fail("x"), my_error);
  CHECK(io::number_text(91.0) == "91");
  CHECK(io::number_text(-0.25) == "-0.25");
  CHECK_THROWS_WITH(io::finite_number(json("3"), top), "scenario.json: must be a number");
  CHECK(io::finite_number(json(2.5), top) == 2.5);
  CHECK_THROWS_WITH(io::checked_latlon(91, 0, top), "scenario.json: latitude 91 out of range [-90, 90]");
  CHECK_THROWS_WITH(io::checked_latlon(0, -180.5, top), "scenario.json: longitude -180.5 out of range [-180, 180]");
}

TEST_CASE("io: GeoJSON areas: rings without their closing position, polygon of each ring", "[io][geojson]") {
  // Two polygons, the first with a hole, as a FeatureCollection of a MultiPolygon and a Polygon.
  auto const area = json::parse(R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [
      [[[10, 0], [30, 0], [30, 5], [10, 5], [10, 0]], [[12, 1], [12, 2], [13, 2], [12, 1]]]]}},
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
      [[50, 40, 7], [51, 40, 7], [51, 41, 7], [50, 40, 7]]]}}]})");
  std::vector<std::vector<latlon>> rings;
  std::vector<std::size_t> polygon_of{4};  // counting goes on from the last entry
  io::geojson::read_area(area, {"f.geojson", ""}, rings, &polygon_of);
  REQUIRE(rings.size() == 3);
  CHECK(rings[0] == std::vector<latlon>{{0, 10}, {0, 30}, {5, 30}, {5, 10}});
  CHECK(rings[1] == std::vector<latlon>{{1, 12}, {2, 12}, {2, 13}});
  CHECK(rings[2] == std::vector<latlon>{{40, 50}, {40, 51}, {41, 51}});
  CHECK(polygon_of == std::vector<std::size_t>{4, 5, 5, 6});
}

TEST_CASE("io: GeoJSON points", "[io][geojson]") {
  std::vector<latlon> points;
  io::geojson::read_points(json::parse(R"({"type": "MultiPoint", "coordinates": [[141.5, 40.5], [141.6, 40.6]]})"),
                           {"p.geojson", ""}, points);
  io::geojson::read_points(
      json::parse(R"({"type": "Feature", "geometry": {"type": "Point", "coordinates": [-51.2, -30.0]}})"),
      {"p.geojson", ""}, points);
  CHECK(points == std::vector<latlon>{{40.5, 141.5}, {40.6, 141.6}, {-30.0, -51.2}});
}

TEST_CASE("io: GeoJSON errors name the JSON path", "[io][geojson]") {
  CHECK(error_of(json(5)) == "rules.json: service_area: must be a GeoJSON object");
  CHECK(error_of(json::parse(R"({"coordinates": []})")) == "rules.json: service_area: GeoJSON object without a \"type\"");
  CHECK(error_of(json::parse(R"({"type": "Polygon"})")) == "rules.json: service_area: missing \"coordinates\"");
  CHECK(error_of(json::parse(R"({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0.5]]]})")) ==
        "rules.json: service_area.coordinates[0]: ring is not closed: its last position must repeat the first");
  CHECK(error_of(json::parse(R"({"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0]]]})")) ==
        "rules.json: service_area.coordinates[0]: a ring needs at least 4 positions (closed)");
  CHECK(error_of(json::parse(R"({"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,"a"],[0,0]]]]})")) ==
        "rules.json: service_area.coordinates[0][0][2][1]: must be a number");
  CHECK(error_of(json::parse(R"({"type": "Polygon", "coordinates": [[[0,95],[1,0],[1,1],[0,95]]]})")) ==
        "rules.json: service_area.coordinates[0][0]: latitude 95 out of range [-90, 90]");
  CHECK(error_of(json::parse(R"({"type": "FeatureCollection", "features": [{"type": "Point"}]})")) ==
        "rules.json: service_area.features[0]: must be a Feature");
  CHECK(error_of(json::parse(R"({"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}})")) ==
        "rules.json: service_area.geometry: unsupported GeoJSON type 'LineString' (expected Polygon or "
        "MultiPolygon, or a Feature or FeatureCollection of them)");
  CHECK(error_of(json::parse(R"({"type": "Point", "coordinates": [1]})"), true) ==
        "rules.json: service_area.coordinates: a position must be [lon, lat] (GeoJSON order)");
}
