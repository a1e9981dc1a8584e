// `nebuta accessibility` end to end on a feed written here, whose travel times, residents and
// departures are worked out by hand; the Japanese map has every label in Japanese, and every map
// cell carries its numbers in data attributes.
//
// The place: the 1 km standard grid square 60413500 (JIS X 0410: 6041 → 40°00' N, 141° E; 35 →
// row 3, column 5 of 5' x 7'30": 40°15' N, 141°37'30" E; 00 → its south-west 30" x 45" square),
// cut into its four 500 m squares 604135001 (SW), ...2 (SE), ...3 (NW), ...4 (NE) of 15" x 22.5".
// Stop A stands at the centre of the SW square (40.2520833, 141.628125); stop B 6 km east. A bus
// leaves A every 10 minutes from 07:00 to 08:50 and reaches B 20 minutes later.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_nebuta.h"

namespace fs = std::filesystem;
using nebuta::test::read_file;
using nebuta::test::run_nebuta;
using nebuta::test::shell_quote;
using nebuta::test::temp_dir;

namespace {

// Square centres; stop A is written with 6 decimals (40.252083, 141.628125), 0.04 m from the SW
// centre, which is a walk of ceil(0.04 / 1.2) = 1 s.
constexpr double sw_lat = 40.25 + 7.5 / 3600, sw_lon = 141.625 + 11.25 / 3600;
constexpr double se_lon = sw_lon + 22.5 / 3600, nw_lat = sw_lat + 15.0 / 3600;
constexpr double a_lat = 40.252083, a_lon = 141.628125;
constexpr double b_lat = a_lat, b_lon = 141.70;

// Great-circle distance on the 6,371 km sphere (the haversine formula).
double distance_m(double lat1, double lon1, double lat2, double lon2) {
  auto const r = M_PI / 180;
  auto const h = std::pow(std::sin((lat2 - lat1) * r / 2), 2) +
                 std::cos(lat1 * r) * std::cos(lat2 * r) * std::pow(std::sin((lon2 - lon1) * r / 2), 2);
  return 2 * 6'371'000.0 * std::asin(std::sqrt(h));
}

void write(fs::path const& p, std::string const& text) {
  std::ofstream out{p, std::ios::binary};
  out << text;
}

void write_feed(fs::path const& dir) {
  fs::create_directories(dir);
  write(dir / "agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,バス,https://example.org,Asia/Tokyo\n");
  write(dir / "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon\nA,A停留所,40.252083,141.628125\nB,B停留所,40.252083,141.70\n");
  write(dir / "routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nR,A,1,線,3\n");
  write(dir / "calendar.txt",
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "S,1,1,1,1,1,1,1,20260101,20261231\n");
  std::string trips = "route_id,service_id,trip_id\n",
              times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n";
  for (int i = 0; i < 12; ++i) {
    auto const dep = 7 * 60 + 10 * i, arr = dep + 20;
    char buf[160];
    std::snprintf(buf, sizeof buf, "t%d,%02d:%02d:00,%02d:%02d:00,A,1\nt%d,%02d:%02d:00,%02d:%02d:00,B,2\n", i,
                  dep / 60, dep % 60, dep / 60, dep % 60, i, arr / 60, arr % 60, arr / 60, arr % 60);
    times += buf;
    trips += "R,S,t" + std::to_string(i) + "\n";
  }
  write(dir / "trips.txt", trips);
  write(dir / "stop_times.txt", times);
}

// e-Stat's layout: codes, then labels in Shift_JIS (人口（総数） as CP932 bytes), then the squares;
// the NE square's count is hidden ("*"), one square lies elsewhere, one row is not a code.
std::string const mesh_csv =
    "KEY_CODE,HTKSYORI,HTKSAKI,GASSAN,T001101001,T001101002\r\n"
    ",,,,\x81\x40\x90\x6c\x8c\xfb\x81\x69\x91\x8d\x90\x94\x81\x6a,\x81\x40\x92\x6a\r\n"
    "604135001,0,,,1200,600\r\n"
    "604135002,0,,,300,150\r\n"
    "604135003,2,604135002,,40,*\r\n"
    "604135004,0,,,*,*\r\n"
    "533935992,0,,,5000,2500\r\n";

// The text between tags, outside <style>.
std::vector<std::string> text_nodes(std::string html) {
  auto const a = html.find("<style>"), b = html.find("</style>");
  if (a != std::string::npos && b != std::string::npos) html.erase(a, b - a);
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = html.find('>', pos)) != std::string::npos) {
    auto const end = html.find('<', pos);
    if (end == std::string::npos) break;
    auto t = html.substr(pos + 1, end - pos - 1);
    t.erase(0, t.find_first_not_of(" \n\t"));
    if (!t.empty()) out.push_back(t);
    pos = end;
  }
  return out;
}

std::string attr(std::string const& tag, std::string const& name) {
  auto const k = " " + name + "=\"";
  auto const p = tag.find(k);
  if (p == std::string::npos) return "<none>";
  auto const e = tag.find('"', p + k.size());
  return tag.substr(p + k.size(), e - p - k.size());
}

// The tag with data-id="id" inside the SVG whose id is `svg`.
std::string cell_tag(std::string const& html, std::string const& svg, std::string const& id) {
  auto const s = html.find("id=\"" + svg + "\"");
  REQUIRE(s != std::string::npos);
  auto const e = html.find("</svg>", s);
  auto const p = html.find("data-id=\"" + id + "\"", s);
  REQUIRE(p < e);
  auto const b = html.rfind('<', p);
  return html.substr(b, html.find('>', p) - b + 1);
}

// R5's median of 60 per-minute times (whole minutes, truncated): the 30th smallest.
// Per-minute times from the SW square: walk 1 s to A, then the next bus (every 600 s from 07:00)
// and 20 minutes; the first access seconds `access_s`.
std::vector<int> times_via_a(int access_s) {
  std::vector<int> times;
  for (int k = 0; k < 60; ++k) {
    auto const at_stop = 7 * 3600 + k * 60 + access_s;
    auto const bus = ((at_stop - 7 * 3600 + 599) / 600) * 600 + 7 * 3600;
    times.push_back(bus + 1200 - (7 * 3600 + k * 60));
  }
  return times;
}

int median_minutes(std::vector<int> seconds) {
  for (auto& s : seconds) s /= 60;
  std::sort(seconds.begin(), seconds.end());
  return seconds[29];
}

}  // namespace

TEST_CASE("accessibility: residents from a hand-made mesh CSV, travel times and coverage by hand", "[cli][access]") {
  temp_dir dir{"access"};
  write_feed(dir.path / "feed");
  write(dir.path / "mesh.csv", mesh_csv);
  auto const out = dir.path / "out";
  auto const args = "accessibility --feed " + shell_quote((dir.path / "feed").string()) +
                    " --date 2026-04-08 --from 07:00 --to 08:00 --bbox 40.25,141.625,40.2583333,141.6375 --mesh 500 "
                    "--dest '病院=latlon:" +
                    std::to_string(b_lat) + "," + std::to_string(b_lon) +
                    "' --cutoffs 25,26 "
                    "--population " +
                    shell_quote((dir.path / "mesh.csv").string()) + " --out " + shell_quote(out.string());
  auto const r = run_nebuta(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  // Leaving the SW centre at 07:00 + k min, one walks 1 s to A and so misses the bus of that very
  // minute: the wait is 10 min when k % 10 == 0, else 10 - k % 10 min, then 20 min to B. The 60
  // times are 21..30 min, six each: p5 = the 3rd smallest = 21, p25 = the 15th = 23, the median =
  // the 30th = 25, p75 = the 45th = 28, p95 = the 57th = 30. Only the SW square's centre is within
  // 400 m of A (its neighbours' centres are 463 m and 530 m away), so only its 1,200 residents
  // reach the hospital, within 26 minutes but not within 25; 300 + 40 + 0 (hidden) never do.
  REQUIRE(std::ceil(distance_m(sw_lat, sw_lon, a_lat, a_lon) / 1.2) == 1.0);
  REQUIRE(median_minutes(times_via_a(1)) == 25);
  auto const csv = read_file(out / "cells.csv");
  CHECK_THAT(csv, Catch::Contains("604135001,40.252083,141.628125,1200.0,21,23,25,28,30\n"));
  CHECK_THAT(csv, Catch::Contains("604135002,40.252083,141.634375,300.0,,,,,\n"));
  CHECK_THAT(csv, Catch::Contains("604135003,40.256250,141.628125,40.0,,,,,\n"));
  CHECK_THAT(csv, Catch::Contains("604135004,40.256250,141.634375,0.0,,,,,\n"));
  CHECK_THAT(r.out, Catch::Contains("病院: 1200 of 1540 residents reach it within 26 min"));
  CHECK_THAT(r.out, Catch::Contains("病院: 0 of 1540 residents reach it within 25 min"));

  auto const html = read_file(out / "access.html");
  CHECK_THAT(html, Catch::Contains("340 residents cannot reach 病院 within 26 minutes departing 07:00-08:00 (median)."));
  CHECK_THAT(html, Catch::Contains("data-cutoff=\"26\" data-total=\"1540.0\" data-reached=\"1200.0\""));
  CHECK_THAT(html, Catch::Contains("data-cutoff=\"25\" data-total=\"1540.0\" data-reached=\"0.0\""));
  CHECK_THAT(html, Catch::Contains("data-weighted=\"true\""));
  auto const sw = cell_tag(html, "map-time-0", "604135001");
  CHECK(attr(sw, "data-minutes") == "25");
  CHECK(attr(sw, "data-people") == "1200.0");
  CHECK(attr(cell_tag(html, "map-time-0", "604135002"), "data-minutes") == "unreachable");

  // Coverage: 12 departures at A a day; A is 0 m from the SW centre, about 530 m from the SE centre
  // (22.5" of longitude), 463 m from the NW centre (15" of latitude); no station anywhere. A gap is
  // more than 500 m from a bus stop (and 1 km from a station); every square has fewer than 30
  // departures a day.
  auto const cov = read_file(out / "coverage.csv");
  CHECK_THAT(cov, Catch::Contains("604135001,40.252083,141.628125,1200.0,0,0,,12,0,0,1\n"));
  auto const se_m = std::lround(distance_m(sw_lat, se_lon, a_lat, a_lon));
  auto const nw_m = std::lround(distance_m(nw_lat, sw_lon, a_lat, a_lon));
  REQUIRE(se_m > 500);
  REQUIRE(nw_m < 500);
  CHECK_THAT(cov, Catch::Contains("604135002,40.252083,141.634375,300.0," + std::to_string(se_m) + "," +
                                  std::to_string(se_m) + ",,0,1,0,1\n"));  // no departure within 500 m
  CHECK_THAT(cov, Catch::Contains("604135003,40.256250,141.628125,40.0," + std::to_string(nw_m) + "," +
                                  std::to_string(nw_m) + ",,12,0,0,1\n"));
  CHECK(attr(cell_tag(html, "map-coverage", "604135001"), "data-departures") == "12");
  CHECK(attr(cell_tag(html, "map-coverage", "604135002"), "data-nearest-stop-m") == std::to_string(se_m));

  auto const geo = nlohmann::json::parse(read_file(out / "cells.geojson"));
  REQUIRE(geo["features"].size() == 4U);
  CHECK(geo["features"][0]["properties"]["病院_p50"] == 25);
  CHECK(geo["features"][0]["properties"]["people"] == 1200.0);
  CHECK(geo["features"][1]["properties"]["病院_p50"].is_null());

  // Without statistics, cells count equally and the page says so.
  auto const r2 = run_nebuta("accessibility --feed " + shell_quote((dir.path / "feed").string()) +
                             " --date 2026-04-08 --from 07:00 --to 08:00 --bbox 40.25,141.625,40.2583333,141.6375 "
                             "--mesh 500 --dest 'B=stop:B' --out " +
                             shell_quote((dir.path / "out2").string()));
  REQUIRE(r2.exit_code == 0);
  auto const html2 = read_file(dir.path / "out2" / "access.html");
  CHECK_THAT(html2, Catch::Contains("data-weighted=\"false\""));
  CHECK_THAT(html2, Catch::Contains("every cell counts as one"));
  CHECK_THAT(r2.out, Catch::Contains("B: 1 of 4 cells reach it within 30 min"));
}

TEST_CASE("accessibility: the on-demand service, by hand, and the Japanese map", "[cli][access]") {
  temp_dir dir{"access_drt"};
  write_feed(dir.path / "feed");
  // The service area covers the four squares (not B): the SE square's centre, 530 m from A, is
  // driven to A in 530 m x 1.3 / (30 km/h) after a 5-minute wait.
  write(dir.path / "rules.json",
        R"({"max_wait_s": 900, "service_area": {"type": "Polygon", "coordinates": [[[141.62, 40.249], [141.64, 40.249],
            [141.64, 40.26], [141.62, 40.26], [141.62, 40.249]]]}})");
  auto const out = dir.path / "out";
  auto const r = run_nebuta("accessibility --feed " + shell_quote((dir.path / "feed").string()) +
                            " --date 2026-04-08 --from 07:00 --to 08:00 --bbox 40.25,141.625,40.2583333,141.6375 "
                            "--mesh 500 --dest '病院=stop:B' --drt-rules " +
                            shell_quote((dir.path / "rules.json").string()) +
                            " --drt-wait 300 --report-lang ja --out " + shell_quote(out.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  auto const html = read_file(out / "access.html");
  // The SE square: a ride of 300 s + round(530 m x 1.3 / (30 km/h)) to A, then the next bus from
  // A and 20 minutes to B.
  auto const ride = 300 + static_cast<int>(distance_m(sw_lat, se_lon, a_lat, a_lon) * 1.3 / (30 / 3.6) + 0.5);
  auto const se = cell_tag(html, "map-saved-0", "604135002");
  CHECK(attr(se, "data-minutes") == "unreachable");
  CHECK(attr(se, "data-with") == std::to_string(median_minutes(times_via_a(ride))));
  CHECK(attr(se, "data-saved") == "new");
  // The SW square walks to A: the service changes nothing there.
  auto const sw = cell_tag(html, "map-saved-0", "604135001");
  CHECK(attr(sw, "data-minutes") == "25");
  CHECK(attr(sw, "data-with") == "25");
  CHECK(attr(sw, "data-saved") == "0");

  // Every piece of text of the Japanese page is Japanese: no Latin word is left but the names of
  // methods and sources (RAPTOR, R5, Conveyal, OSM), and every text holds a Japanese character
  // unless it is a number, a date or a time.
  CHECK_THAT(html, Catch::Contains("<html lang=\"ja\">"));
  auto const nodes = text_nodes(html);
  REQUIRE(nodes.size() > 20U);
  for (auto const& t : nodes) {
    INFO("text: " << t);
    // (No std::regex: GCC 12 warns inside it under the sanitizers.)
    auto stripped = t;
    for (std::string const word : {"rRAPTOR", "RAPTOR", "R5", "Conveyal", "OSM"}) {
      for (auto p = stripped.find(word); p != std::string::npos; p = stripped.find(word))
        stripped.erase(p, word.size());
    }
    CHECK(std::none_of(stripped.begin(), stripped.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }));
    if (t.find_first_not_of("0123456789,.:-/ ") != std::string::npos) {
      // Look for a UTF-8 lead byte of
      // U+3000..U+9FFF (E3..E9) or U+FF00..U+FFEF (EF BC..EF BF).
      auto const has_japanese = std::any_of(t.begin(), t.end(),
                                            [](char c) {
                                              auto const u = static_cast<unsigned char>(c);
                                              return u >= 0xE3 && u <= 0xE9;
                                            }) ||
                                t.find("\xEF\xBC") != std::string::npos || t.find("\xEF\xBD") != std::string::npos;
      CHECK(has_japanese);
    }
  }
  CHECK_THAT(html, Catch::Contains("分"));
  CHECK_THAT(html, Catch::Contains("セル"));
}
