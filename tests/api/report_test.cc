// report.html and sweep.html on hand-written run and sweep directories
// (tests/api/report_fixtures/): every figure is compared with values computed by hand from the
// fixture files, not with the report code's own helpers.
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "nebuta/report/report.h"

namespace fs = std::filesystem;
using nebuta::report::report_error;
using nebuta::report::write_run_report;
using nebuta::report::write_sweep_report;

namespace {

fs::path const fixtures = fs::path{NEBUTA_SOURCE_DIR} / "tests/api/report_fixtures";

// A fresh copy of a fixture directory, so the reports are never written into the source tree.
struct scratch_dir {
  fs::path path;
  explicit scratch_dir(std::string const& fixture) {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           ("nebuta_report_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::copy(fixtures / fixture, path, fs::copy_options::recursive);
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  scratch_dir(scratch_dir const&) = delete;
  scratch_dir& operator=(scratch_dir const&) = delete;
};

std::string slurp(fs::path const& file) {
  std::ifstream in{file, std::ios::binary};
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(fs::path const& file, std::string const& text) {
  std::ofstream out{file, std::ios::binary | std::ios::trunc};
  out << text;
}

// The text of the <svg id="id"> element.
std::string svg_by_id(std::string const& html, std::string const& id) {
  auto const begin = html.find("id=\"" + id + "\"");
  REQUIRE(begin != std::string::npos);
  auto const end = html.find("</svg>", begin);
  REQUIRE(end != std::string::npos);
  return html.substr(begin, end - begin);
}

// The opening tag of every element with class="cls" (no std::regex: GCC 12 warns inside it under
// the sanitizers).
std::vector<std::string> tags_with_class(std::string const& text, std::string const& cls) {
  std::vector<std::string> out;
  auto const needle = "class=\"" + cls + "\"";
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) {
    out.push_back(text.substr(p, text.find('>', p) - p));
  }
  return out;
}

std::string attr(std::string const& tag, std::string const& name) {
  auto const key = " " + name + "=\"";
  auto const begin = tag.find(key);
  REQUIRE(begin != std::string::npos);
  auto const value = begin + key.size();
  return tag.substr(value, tag.find('"', value) - value);
}

// (lo, hi, count) of every bar of a histogram.
std::vector<std::tuple<std::string, std::string, int>> bars(std::string const& svg) {
  std::vector<std::tuple<std::string, std::string, int>> out;
  for (auto const& tag : tags_with_class(svg, "bar")) {
    out.emplace_back(attr(tag, "data-lo"), attr(tag, "data-hi"), std::stoi(attr(tag, "data-count")));
  }
  return out;
}

std::string attribute(std::string const& svg, std::string const& element_class, std::string const& name) {
  auto const at = svg.find("class=\"" + element_class + "\"");
  REQUIRE(at != std::string::npos);
  auto const key = name + "=\"";
  auto const begin = svg.find(key, at);
  REQUIRE(begin != std::string::npos);
  auto const end = svg.find('"', begin + key.size());
  return svg.substr(begin + key.size(), end - begin - key.size());
}

std::size_t count_of(std::string const& text, std::string const& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
}

std::string run_report(scratch_dir const& dir) {
  write_run_report(dir.path);
  return slurp(dir.path / "report.html");
}

}  // namespace

TEST_CASE("run report: KPI table shows every value from kpis.json, formatted with units", "[report]") {
  scratch_dir dir{"run"};
  auto const html = run_report(dir);
  auto const row = [&](std::string const& key) {
    auto const at = html.find("<tr data-kpi=\"" + key + "\">");
    REQUIRE(at != std::string::npos);
    return html.substr(at, html.find("</tr>", at) - at);
  };
  CHECK_THAT(row("requests"), Catch::Contains(">11<"));
  CHECK_THAT(row("served"), Catch::Contains(">6<"));
  CHECK_THAT(row("served_rate"), Catch::Contains("54.5 %"));           // 6 / 11
  CHECK_THAT(row("wait_mean_s"), Catch::Contains("6.1 min (368 s)"));  // 368.17 s
  CHECK_THAT(row("wait_p50_s"), Catch::Contains("4.3 min (260 s)"));
  CHECK_THAT(row("wait_p95_s"), Catch::Contains("14.0 min (840 s)"));
  CHECK_THAT(row("wait_max_s"), Catch::Contains("15.0 min (900 s)"));
  CHECK_THAT(row("ride_mean_s"), Catch::Contains("16.1 min (965 s)"));
  CHECK_THAT(row("detour_mean"), Catch::Contains("1.22"));
  CHECK_THAT(row("detour_p95"), Catch::Contains("1.51"));
  CHECK_THAT(row("occupancy"), Catch::Contains("1.37 passenger-km / vehicle-km"));
  CHECK_THAT(row("pooling_rate"), Catch::Contains("66.7 %"));
  CHECK_THAT(row("empty_km_share"), Catch::Contains("30.3 %"));
  CHECK_THAT(row("vehicle_utilisation"), Catch::Contains("61.0 %"));
  CHECK_THAT(row("passengers_per_vehicle_hour"), Catch::Contains("0.46"));
  CHECK_THAT(row("cost_per_passenger"), Catch::Contains("1234.50"));
  CHECK_THAT(row("farebox_recovery"), Catch::Contains("n/a"));  // null in kpis.json
  CHECK_THAT(html, Catch::Contains("rejected: no_vehicle</td><td class=\"num\">1<"));
  CHECK_THAT(html, Catch::Contains("rejected: outside_area</td><td class=\"num\">1<"));
  // Rules and fleet come through as well.
  CHECK_THAT(html, Catch::Contains("<td>ride_factor</td><td class=\"num\">1.5</td>"));
  CHECK_THAT(html,
             Catch::Contains("<td>V2</td><td class=\"num\">8</td><td class=\"num\">1</td><td class=\"num\">42.3</td>"));
}

TEST_CASE("run report: histogram bars hold the hand-computed bin counts", "[report]") {
  scratch_dir dir{"run"};
  auto const html = run_report(dir);

  SECTION("fixture: waits 120, 400, 59, 600, 900, 130 s of served requests, 1-minute bins from 0") {
    // 900 s = 15 min gives 16 one-minute bins (≤ 30). 59→0, 120→2, 130→2, 400→6, 600→10, 900→15.
    auto const b = bars(svg_by_id(html, "wait-histogram"));
    REQUIRE(b.size() == 16);
    std::map<int, int> expected{{0, 1}, {2, 2}, {6, 1}, {10, 1}, {15, 1}};
    for (int i = 0; i < 16; ++i) {
      INFO("bin " << i);
      CHECK(std::get<0>(b[i]) == std::to_string(i));
      CHECK(std::get<1>(b[i]) == std::to_string(i + 1));
      CHECK(std::get<2>(b[i]) == (expected.contains(i) ? expected[i] : 0));
    }
  }
  SECTION("fixture: detours 1.0, 1.25, 1.2, 1.05, 1.6, 1.21, bins of 0.05 from 1.0 to 1.65") {
    auto const b = bars(svg_by_id(html, "detour-histogram"));
    REQUIRE(b.size() == 13);
    std::map<std::string, int> expected{{"1", 1}, {"1.05", 1}, {"1.2", 2}, {"1.25", 1}, {"1.6", 1}};
    int total = 0;
    for (auto const& [lo, hi, count] : b) {
      INFO("bin " << lo);
      CHECK(count == (expected.contains(lo) ? expected[lo] : 0));
      total += count;
    }
    CHECK(std::get<0>(b.front()) == "1");
    CHECK(std::get<1>(b.back()) == "1.65");
    CHECK(total == 6);
  }
  SECTION("wider data: 2-minute wait bins and 0.2 detour bins") {
    write(dir.path / "requests.csv",
          "request_id,earliest_pickup,status,origin_lat,origin_lon,wait_s,detour_factor\n"
          "a,0,served,40.51,141.48,0,1.0\n"
          "b,0,served,40.51,141.48,119,1.19\n"
          "c,0,served,40.51,141.48,120,4.0\n"
          "d,0,served,40.51,141.48,3000,1.2\n"
          "e,0,served,40.51,141.48,3001,2.0\n"
          "f,0,rejected,40.51,141.48,,\n");
    auto const wide = run_report(dir);
    // 3001 s = 50 min: 1-minute bins would be 51 > 30, 2-minute bins 26.
    auto const w = bars(svg_by_id(wide, "wait-histogram"));
    REQUIRE(w.size() == 26);
    CHECK(w[0] == std::tuple<std::string, std::string, int>{"0", "2", 2});
    CHECK(std::get<2>(w[1]) == 1);
    CHECK(std::get<2>(w[25]) == 2);
    CHECK(std::get<0>(w[25]) == "50");
    // Detours 1.0..4.0: 0.05 → 61 bins, 0.1 → 31, 0.2 → 16 bins [1.0, 4.2).
    auto const d = bars(svg_by_id(wide, "detour-histogram"));
    REQUIRE(d.size() == 16);
    CHECK(d[0] == std::tuple<std::string, std::string, int>{"1", "1.2", 2});  // 1.0, 1.19
    CHECK(d[1] == std::tuple<std::string, std::string, int>{"1.2", "1.4", 1});
    CHECK(d[5] == std::tuple<std::string, std::string, int>{"2", "2.2", 1});
    CHECK(d[15] == std::tuple<std::string, std::string, int>{"4", "4.2", 1});
  }
}

TEST_CASE("run report: requests per hour, stacked by status", "[report]") {
  scratch_dir dir{"run"};
  auto const svg = svg_by_id(run_report(dir), "per-hour");
  std::set<std::tuple<int, std::string, int>> got;
  for (auto const& tag : tags_with_class(svg, "segment")) {
    got.emplace(std::stoi(attr(tag, "data-hour")), attr(tag, "data-status"), std::stoi(attr(tag, "data-count")));
  }
  // By earliest_pickup: 7:30 R9; 8:00-8:36 R1 R2 R11 R3 served, R4 rejected; 10:01-10:31 R5 served,
  // R6 declined, R7 cancelled, R8 no-show; 12:13 R10 rejected.
  std::set<std::tuple<int, std::string, int>> const expected{
      {7, "served", 1},    {8, "served", 4},     {8, "rejected", 1}, {10, "served", 1},
      {10, "declined", 1}, {10, "cancelled", 1}, {10, "no_show", 1}, {12, "rejected", 1}};
  CHECK(got == expected);
}

TEST_CASE("run report: vehicles busy and in service follow the hand-computed step functions", "[report]") {
  scratch_dir dir{"run"};
  auto const svg = svg_by_id(run_report(dir), "busy");
  // V2 busy 26000-31000 (depart, R9, R11, R3; idle after the last drop-off, next is the depot) and
  // 36000-37500; V1 busy 27000-30300 and 37500-38500 (towards the no-show). At 37500 V2 stops and
  // V1 starts: no change.
  CHECK(attribute(svg, "busy-line", "data-steps") == "26000:1 27000:2 30300:1 31000:0 36000:1 38500:0");
  // In service: V2 26000-31500, 36000-38000; V1 27000-31000, 37500-40000.
  CHECK(attribute(svg, "in-service", "data-steps") == "26000:1 27000:2 31000:1 31500:0 36000:1 37500:2 38000:1 40000:0");
}

TEST_CASE("run report: the map draws every layer with an equirectangular projection", "[report]") {
  scratch_dir dir{"run"};
  auto const svg = svg_by_id(run_report(dir), "map");
  CHECK(attribute(svg, "pickups", "data-count") == "6");
  CHECK(attribute(svg, "dropoffs", "data-count") == "6");
  CHECK(attribute(svg, "unserved", "data-count") == "5");  // R4, R6, R7, R8, R10
  CHECK(attribute(svg, "meeting-points", "data-count") == "2");
  CHECK(attribute(svg, "service-area", "data-rings") == "1");
  // The service area is 0.04° of longitude by 0.03° of latitude and encloses every point, so the
  // map's mean latitude is 40.515° and the drawn box is 0.04·cos(40.515°) / 0.03 as wide as high.
  auto const d_begin = svg.find("<path d=\"M");
  REQUIRE(d_begin != std::string::npos);
  std::vector<std::pair<double, double>> corners;
  std::istringstream d{svg.substr(d_begin + 10, svg.find('"', d_begin + 9) - d_begin - 10)};
  double x = 0, y = 0;
  char comma = 0, command = 0;
  while (d >> x >> comma >> y) {
    corners.emplace_back(x, y);
    d >> command;  // L or Z
  }
  REQUIRE(corners.size() == 5);  // closed ring: first corner repeated
  auto const width = corners[1].first - corners[0].first;
  auto const height = corners[1].second - corners[2].second;
  CHECK(corners[0].second == Approx(corners[1].second));  // south edge is horizontal
  CHECK(corners[2].first == Approx(corners[1].first));    // east edge is vertical
  CHECK(width / height == Approx(0.04 * std::cos(40.515 * 3.14159265358979 / 180) / 0.03).epsilon(0.01));
}

TEST_CASE("run report: self-contained, escaped, deterministic", "[report]") {
  scratch_dir dir{"run"};
  auto const html = run_report(dir);
  CHECK(count_of(html, "http://") == count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(count_of(html, "https://") == 0);
  CHECK(count_of(html, "<script") == 0);
  CHECK(count_of(html, " src=") == 0);
  CHECK(count_of(html, "url(") == 0);
  CHECK(count_of(html, "@import") == 0);
  CHECK_THAT(html, Catch::Contains("<title>Simulation report: Zone &lt;A&gt; &amp; &quot;B&quot;</title>"));
  CHECK_THAT(html, Catch::Contains("<h1>Simulation report: Zone &lt;A&gt; &amp; &quot;B&quot;</h1>"));
  CHECK(count_of(html, "<A>") == 0);
  CHECK(count_of(html, "\"B\"") == 0);

  write_run_report(dir.path);
  CHECK(slurp(dir.path / "report.html") == html);
}

TEST_CASE("run report: missing or malformed input throws, naming the file and line", "[report]") {
  scratch_dir dir{"run"};
  auto const expect_error = [&](std::string const& fragment) {
    fs::remove(dir.path / "report.html");
    CHECK_THROWS_WITH(write_run_report(dir.path), Catch::Contains(fragment));
    CHECK_THROWS_AS(write_run_report(dir.path), report_error);
    CHECK(!fs::exists(dir.path / "report.html"));
  };
  SECTION("missing events.csv") {
    fs::remove(dir.path / "events.csv");
    expect_error((dir.path / "events.csv").string() + ": cannot open");
  }
  SECTION("a row with too few fields") {
    auto text = slurp(dir.path / "requests.csv");
    text.replace(text.find(",served,,V1,28800"), 10, ",served");  // R1, line 2
    write(dir.path / "requests.csv", text);
    expect_error("requests.csv:2: 20 fields, the header has 22");
  }
  SECTION("a value that is not a number") {
    write(dir.path / "vehicles.csv",
          "vehicle_id,seats,wheelchair_spaces,km_driven,km_empty,hours_in_service,passengers_carried\n"
          "V1,4,0,30.5,10.2,5.83,2\nV2,8,1,lots,12.0,7.5,4\n");
    expect_error("vehicles.csv:3: column 'km_driven': 'lots' is not a number");
  }
  SECTION("an unknown status") {
    auto text = slurp(dir.path / "requests.csv");
    text.replace(text.find("declined"), 8, "maybe");
    write(dir.path / "requests.csv", text);
    expect_error("requests.csv:7: unknown status 'maybe'");
  }
  SECTION("an unknown event kind") {
    auto text = slurp(dir.path / "events.csv");
    text.replace(text.find("no_show"), 7, "teleport");
    write(dir.path / "events.csv", text);
    expect_error("events.csv:21: unknown event kind 'teleport'");
  }
  SECTION("a value out of range") {
    auto text = slurp(dir.path / "events.csv");
    text.replace(text.find("40.505"), 6, "95.000");  // first event, line 2
    write(dir.path / "events.csv", text);
    expect_error("events.csv:2: column 'lat': latitude 95.000 is out of range");
    text = slurp(dir.path / "requests.csv");
    text.replace(text.find(",120,1080,"), 10, ",1e300,1080,");  // R1's wait, line 2
    write(dir.path / "requests.csv", text);
    expect_error("requests.csv:2: column 'wait_s': 1e300 is out of range");
  }
  SECTION("a missing column") {
    write(dir.path / "events.csv", "time,vehicle_id,kind,lat,lon\n");
    expect_error("events.csv:1: missing column 'onboard'");
  }
  SECTION("an unclosed quote") {
    write(dir.path / "events.csv", "time,vehicle_id,request_id,kind,lat,lon,onboard\n1,\"V1,,pickup,1,2,0\n");
    expect_error("events.csv:2: unclosed quote");
  }
  SECTION("invalid JSON") {
    write(dir.path / "kpis.json", "{\n  \"requests\": 11,\n  \"served\": }\n");
    expect_error("kpis.json: invalid JSON");
    CHECK_THROWS_WITH(write_run_report(dir.path), Catch::Contains("line 3"));
  }
  SECTION("a KPI that is missing or not a number") {
    write(dir.path / "kpis.json", "{\"requests\": 11}");
    expect_error("kpis.json: missing key 'served'");
    write(dir.path / "kpis.json", "{\"requests\": \"eleven\"}");
    expect_error("kpis.json: 'requests' must be a number or null");
  }
  SECTION("a service area that is not a polygon") {
    write(dir.path / "scenario.json",
          R"({"name": "x", "rules": {"service_area": {"type": "Point", "coordinates": [1, 2]}}})");
    expect_error("scenario.json: rules.service_area: service_area type 'Point' is not a polygon");
  }
}

TEST_CASE("sweep report: table with links, one line per combination of the other swept keys", "[report]") {
  scratch_dir dir{"sweep"};
  write_sweep_report(dir.path);
  auto const html = slurp(dir.path / "sweep.html");

  for (int run = 1; run <= 8; ++run) {
    CHECK_THAT(html, Catch::Contains("<a href=\"run-000" + std::to_string(run) + "/report.html\">" +
                                     std::to_string(run) + "</a>"));
  }
  CHECK(count_of(html, "http://") == count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(count_of(html, "https://") == 0);

  auto const series_of = [](std::string const& page, std::string const& chart) {
    std::map<std::string, std::string> out;
    for (auto const& tag : tags_with_class(svg_by_id(page, chart), "series")) {
      out.emplace(attr(tag, "data-series"), attr(tag, "data-points"));
    }
    return out;
  };
  // fleet is on the x axis; max_wait_s × ride_factor gives four lines.
  std::map<std::string, std::string> const served{{"max_wait_s=600, ride_factor=1.5", "4:0.5 6:0.7"},
                                                  {"max_wait_s=600, ride_factor=2", "4:0.55 6:0.75"},
                                                  {"max_wait_s=900, ride_factor=1.5", "4:0.6 6:0.8"},
                                                  {"max_wait_s=900, ride_factor=2", "4:0.62 6:0.85"}};
  CHECK(series_of(html, "chart-served_rate") == served);
  std::map<std::string, std::string> const cost{{"max_wait_s=600, ride_factor=1.5", "4:20.5 6:24"},
                                                {"max_wait_s=600, ride_factor=2", "4:19 6:22"},
                                                {"max_wait_s=900, ride_factor=1.5", "4:18"},  // run 7 has no cost
                                                {"max_wait_s=900, ride_factor=2", "4:17.5 6:20"}};
  CHECK(series_of(html, "chart-cost_per_passenger") == cost);
  CHECK(series_of(html, "chart-wait_p95_s").size() == 4);
  // A legend entry per line.
  CHECK(count_of(svg_by_id(html, "chart-served_rate"), ">max_wait_s=900, ride_factor=2</text>") == 1);

  SECTION("one swept key: one line; repeated x values (seeds) are averaged") {
    write(dir.path / "sweep.csv",
          "run,dir,fleet,seed,requests,served,served_rate,wait_p95_s,cost_per_passenger\n"
          "1,run-0001,10,1,10,5,0.5,600,10\n"
          "2,run-0002,10,2,10,6,0.6,660,12\n"
          "3,run-0003,20,1,10,9,0.9,300,20\n");
    write_sweep_report(dir.path);
    auto const one = slurp(dir.path / "sweep.html");
    CHECK(series_of(one, "chart-wait_p95_s") == std::map<std::string, std::string>{{"all runs", "10:630 20:300"}});
  }
  SECTION("malformed sweep.csv") {
    write(dir.path / "sweep.csv", "run,dir,fleet,seed,served_rate,wait_p95_s,cost_per_passenger\n1,run-0001,4,1,x,1,1\n");
    CHECK_THROWS_WITH(write_sweep_report(dir.path),
                      Catch::Contains("sweep.csv:2: column 'served_rate': 'x' is not a number"));
    write(dir.path / "sweep.csv", "run,fleet,seed\n");
    CHECK_THROWS_WITH(write_sweep_report(dir.path), Catch::Contains("sweep.csv:1: missing column 'dir'"));
    fs::remove(dir.path / "sweep.csv");
    CHECK_THROWS_WITH(write_sweep_report(dir.path), Catch::Contains("sweep.csv: cannot open"));
  }
}

TEST_CASE("nebuta report --run / --sweep write the same files as the library", "[report]") {
  auto const quote = [](std::string const& text) {
    std::string out = "'";
    for (auto const c : text) out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    return out + "'";
  };
  auto const nebuta = [&](std::string const& args, fs::path const& err) {
    auto const command = quote(NEBUTA_BINARY_DIR "/api/nebuta") + " report " + args + " 2>" + quote(err.string());
    return std::system(command.c_str());
  };
  scratch_dir run{"run"};
  write_run_report(run.path);
  auto const expected_run = slurp(run.path / "report.html");
  fs::remove(run.path / "report.html");
  CHECK(nebuta("--run " + quote(run.path.string()), run.path / "err.txt") == 0);
  CHECK(slurp(run.path / "report.html") == expected_run);

  scratch_dir sweep{"sweep"};
  write_sweep_report(sweep.path);
  auto const expected_sweep = slurp(sweep.path / "sweep.html");
  fs::remove(sweep.path / "sweep.html");
  CHECK(nebuta("--sweep " + quote(sweep.path.string()), sweep.path / "err.txt") == 0);
  CHECK(slurp(sweep.path / "sweep.html") == expected_sweep);

  fs::remove(run.path / "kpis.json");
  CHECK(nebuta("--run " + quote(run.path.string()), sweep.path / "err.txt") != 0);
  CHECK_THAT(slurp(sweep.path / "err.txt"), Catch::Contains("kpis.json: cannot open"));
}
