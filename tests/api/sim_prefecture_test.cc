// What a prefecture asks of `nebuta simulate` (issue 18): each request's fixed-route alternative
// (checked against the planner behind `nebuta plan` and /v1/plan, in process), the money figures
// (by hand on a 3-ride day and a 2-trip bus line), several seeds and the fleet suggestion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebuta/api/timetable_source.h"
#include "nebuta/api_service/service.h"
#include "nebuta/raptor/router.h"
#include "run_nebuta.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using nebuta::test::read_file;
using nebuta::test::run_nebuta;
using nebuta::test::shell_quote;
using nebuta::test::temp_dir;

namespace {

// A CSV file as a table of named columns (no quoted commas in our files' numeric columns).
struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t col(std::string const& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    FAIL("no column " << name);
    return 0;
  }
};

table read_table(fs::path const& p) {
  table t;
  std::istringstream in{read_file(p)};
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::string cell;
    std::istringstream ls{line};
    while (std::getline(ls, cell, ',')) row.push_back(cell);
    if (!line.empty() && line.back() == ',') row.emplace_back();
    if (first) t.header = row, first = false;
    else t.rows.push_back(row);
  }
  return t;
}

std::string hhmm(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::string coord(double lat, double lon) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f,%.6f", lat, lon);
  return buf;
}

void write(fs::path const& p, std::string const& text) { std::ofstream{p} << text; }

// `nebuta simulate --scenario scenario --out out [extra]`.
nebuta::test::run_result simulate(fs::path const& scenario, fs::path const& out, std::string const& extra = {}) {
  return run_nebuta("simulate --scenario " + shell_quote(scenario.string()) + " --out " + shell_quote(out.string()) +
                    (extra.empty() ? "" : " " + extra));
}

}  // namespace

TEST_CASE("simulate: every request's transit alternative is the journey nebuta plan gives", "[simulate][transit]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  temp_dir dir{"transit-alt"};
  // The planner of `nebuta plan` and /v1/plan, on the same feed, as `nebuta plan --feed` loads it.
  nebuta::api::timetable_source src;
  src.feeds.push_back(feed.string());
  auto const loaded = nebuta::api::load_timetable(src);
  nebuta::api_service::service const svc{loaded.tt};
  nebuta::raptor::router router{svc.raptor_index()};
  auto const chain = nebuta::api_service::make_lang_chain("en");

  // 200 random trips between points up to ~500 m from random stops of the feed (so that some
  // walks are too long), at whole minutes of a Monday from 05:00 to 23:59, so that
  // `--depart HH:MM` asks exactly the same.
  std::mt19937_64 rng{20261207};
  auto const& stops = loaded.tt.stop_coords;
  std::uniform_int_distribution<std::size_t> stop(0, stops.size() - 1);
  std::uniform_real_distribution<double> jitter{-0.0045, 0.0045};
  std::uniform_int_distribution<int> minute{5 * 60, 24 * 60 - 1};
  auto const near_a_stop = [&] {
    auto const s = stops[nebuta::stop_idx{static_cast<std::uint32_t>(stop(rng))}];
    return coord(s.lat + jitter(rng), s.lon + jitter(rng));
  };
  std::string demand = "request_id,requested_at,earliest_pickup,origin_lat,origin_lon,dest_lat,dest_lon\n";
  struct ask {
    std::string from, to, depart;
  };
  std::map<std::string, ask> asked;
  for (int i = 0; i < 200; ++i) {
    auto const id = "r" + std::to_string(i);
    auto const from = near_a_stop(), to = near_a_stop();
    auto const t = hhmm(minute(rng));
    demand += id + "," + t + "," + t + "," + from + "," + to + "\n";
    asked[id] = {from, to, t};
  }
  write(dir.path / "demand.csv", demand);
  json const sc = {{"fleet", {{"count", 1}, {"depots", {{40.51, 141.47}}}}},
                   {"demand", {{"csv", "demand.csv"}}},
                   {"transit", {{"gtfs", feed.string()}, {"date", "2026-12-07"}, {"max_duration_s", 5400}}}};
  write(dir.path / "s.json", sc.dump());
  auto const r = simulate(dir.path / "s.json", dir.path / "out");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto const req = read_table(dir.path / "out" / "requests.csv");
  REQUIRE(req.rows.size() == 200);

  std::size_t found = 0, reachable = 0, no_option = 0;
  double duration_sum = 0.0;
  for (auto const& row : req.rows) {
    auto const& a = asked.at(row[req.col("request_id")]);
    INFO(row[req.col("request_id")] << " " << a.from << " -> " << a.to << " at " << a.depart);
    nebuta::v1::PlanRequest pr;
    pr.set_from(a.from);
    pr.set_to(a.to);
    pr.set_date("2026-12-07");
    pr.set_depart(a.depart);
    auto const p = svc.plan_journeys(pr, chain, router);
    // The journey a rider takes: arriving earliest, then with fewest rides, then leaving latest.
    nebuta::raptor::journey const* best = nullptr;
    for (auto const& j : p.journeys) {
      if (best == nullptr || j.arrival < best->arrival || (j.arrival == best->arrival && j.rides < best->rides) ||
          (j.arrival == best->arrival && j.rides == best->rides && j.departure > best->departure)) {
        best = &j;
      }
    }
    auto const depart_s = std::stoi(a.depart.substr(0, 2)) * 3600 + std::stoi(a.depart.substr(3, 2)) * 60;
    if (best == nullptr) {
      CHECK(row[req.col("transit_arrival")].empty());
      CHECK(row[req.col("transit_reachable")] == "0");
      ++no_option;
      continue;
    }
    ++found;
    CHECK(row[req.col("transit_arrival")] == std::to_string(best->arrival));
    CHECK(row[req.col("transit_duration_s")] == std::to_string(best->arrival - depart_s));
    CHECK(row[req.col("transit_rides")] == std::to_string(best->rides));
    double walk = 0.0;
    bool same_day = true;
    for (auto const& l : best->legs) {
      if (l.kind == nebuta::raptor::leg_kind::walk) walk += l.distance_m;
      if (l.kind == nebuta::raptor::leg_kind::ride && l.day_offset != 0) same_day = false;
    }
    CHECK(std::abs(std::stod(row[req.col("transit_walk_m")]) - walk) <= 0.5);
    auto const ok = same_day && best->arrival - depart_s <= 5400;
    CHECK(row[req.col("transit_reachable")] == (ok ? "1" : "0"));
    if (ok) ++reachable, duration_sum += best->arrival - depart_s;
    else if (!same_day) ++no_option;
  }
  CHECK(found >= 100);  // the draw covers the city: most trips have a bus
  CHECK(reachable >= 50);
  auto const k = json::parse(read_file(dir.path / "out" / "kpis.json"));
  CHECK(k["transit_planned"] == 200);
  CHECK(k["transit_unreachable_share"].get<double>() == Approx((200.0 - reachable) / 200.0).margin(1e-6));
  CHECK(k["transit_no_option_share"].get<double>() == Approx(no_option / 200.0).margin(1e-6));
  CHECK(k["transit_duration_mean_s"].get<double>() == Approx(duration_sum / reachable).margin(0.05));
}

namespace {

// Great-circle metres on the sphere of radius 6,371,000 m, written out here (not the engine's).
double great_circle_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double rad = 3.14159265358979323846 / 180.0;
  auto const dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  auto const h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                 std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * 6'371'000.0 * std::asin(std::sqrt(h));
}

// A feed of three stops on the meridian 141.5 E (40.50, 40.51, 40.53 N), route B1 with two
// weekday trips (08:00-08:30 and 09:00-09:40) and route B2 with one (not chosen), fares in USD.
void write_two_trip_feed(fs::path const& feed) {
  fs::create_directories(feed);
  write(feed / "agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,Town bus,https://a/,Asia/Tokyo\n");
  write(feed / "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon\nS1,South,40.50,141.5\nS2,Middle,40.51,141.5\n"
        "S3,North,40.53,141.5\n");
  write(feed / "routes.txt", "route_id,agency_id,route_short_name,route_type\nB1,A,1,3\nB2,A,2,3\n");
  write(feed / "trips.txt", "route_id,service_id,trip_id\nB1,WK,T1\nB1,WK,T2\nB2,WK,T3\n");
  write(feed / "stop_times.txt",
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\nT1,08:30:00,08:30:00,S3,3\n"
        "T2,09:00:00,09:00:00,S1,1\nT2,09:12:00,09:12:00,S2,2\nT2,09:40:00,09:40:00,S3,3\n"
        "T3,10:00:00,10:00:00,S3,1\nT3,10:20:00,10:20:00,S1,2\n");
  write(feed / "calendar.txt",
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20261201,20261231\n");
  write(feed / "fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers\nF1,2.50,USD,0,0\n");
}

}  // namespace

TEST_CASE("simulate: money by hand on a 3-ride day and a 2-trip bus line", "[simulate][money]") {
  temp_dir dir{"money"};
  write_two_trip_feed(dir.path / "feed");
  // Three rides of 1, 2 and 1 persons, well apart, one vehicle on shift 07:00-12:00.
  write(dir.path / "demand.csv",
        "request_id,requested_at,earliest_pickup,origin_lat,origin_lon,dest_lat,dest_lon,passengers\n"
        "a,07:30,07:30,40.500,141.500,40.520,141.500,1\n"
        "b,08:30,08:30,40.520,141.510,40.500,141.520,2\n"
        "c,10:00,10:00,40.510,141.490,40.530,141.500,1\n");
  json const sc = {{"fleet",
                    {{"count", 1},
                     {"seats", 8},
                     {"depots", {{40.505, 141.5}}},
                     {"shifts", json::array({json::array({"07:00", "12:00"})})}}},
                   {"demand", {{"csv", "demand.csv"}}},
                   {"travel", {{"model", "straight_line"}, {"detour_factor", 1.2}, {"speed_kmh", 30}}},
                   {"costs",
                    {{"per_vehicle_hour", 2000},
                     {"per_km", 50},
                     {"fixed_per_day", 1000},
                     {"fare_base", 300},
                     {"fare_per_km", 100},
                     {"bus",
                      {{"routes", {"B1"}},
                       {"per_vehicle_km", 400},
                       {"per_vehicle_hour", 3000},
                       {"fare_revenue_per_day", 5000},
                       {"passengers_per_day", 40}}}}},
                   {"transit", {{"gtfs", "feed"}, {"date", "2026-12-07"}}}};
  write(dir.path / "s.json", sc.dump());
  auto const r = simulate(dir.path / "s.json", dir.path / "out");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto const req = read_table(dir.path / "out" / "requests.csv");
  REQUIRE(req.rows.size() == 3);
  for (auto const& row : req.rows) REQUIRE(row[req.col("status")] == "served");
  auto const veh = read_table(dir.path / "out" / "vehicles.csv");
  REQUIRE(veh.rows.size() == 1);
  auto const km = std::stod(veh.rows[0][veh.col("km_driven")]);  // printed to the metre

  // On demand: cost = 2000 x 5 h + 50 x km + 1000; fares = persons x (300 + 100 x direct km),
  // direct km = 1.2 x the great-circle distance (the straight-line model).
  auto const direct_km = [](double a, double b, double c, double d) { return 1.2 * great_circle_m(a, b, c, d) / 1000.0; };
  auto const fares = 1 * (300 + 100 * direct_km(40.50, 141.50, 40.52, 141.50)) +
                     2 * (300 + 100 * direct_km(40.52, 141.51, 40.50, 141.52)) +
                     1 * (300 + 100 * direct_km(40.51, 141.49, 40.53, 141.50));
  auto const cost = 2000.0 * 5 + 50.0 * km + 1000.0;
  auto const k = json::parse(read_file(dir.path / "out" / "kpis.json"));
  INFO(k.dump(2));
  CHECK(k["currency"] == "USD");  // the feed's fare currency, none given in the scenario
  CHECK(k["cost"].get<double>() == Approx(cost).margin(0.05));
  CHECK(k["fare_revenue"].get<double>() == Approx(fares).margin(0.01));
  CHECK(k["cost_per_passenger"].get<double>() == Approx(cost / 4).margin(0.02));
  CHECK(k["public_cost_per_passenger"].get<double>() == Approx((cost - fares) / 4).margin(0.02));
  CHECK(k["farebox_recovery"].get<double>() == Approx(fares / cost).margin(1e-4));

  // The bus: two trips of 0.03 degrees of latitude each (6,371 km x 0.03 x pi / 180 = 3.33585 km),
  // 30 and 40 minutes; B2's trip is not counted.
  auto const bus_km = 2 * 6371.0 * 0.03 * 3.14159265358979323846 / 180.0;
  auto const bus_h = 0.5 + 40.0 / 60.0;
  auto const bus_cost = 400 * bus_km + 3000 * bus_h;
  CHECK(k["bus_vehicle_km"].get<double>() == Approx(bus_km).margin(0.001));
  CHECK(k["bus_vehicle_hours"].get<double>() == Approx(bus_h).margin(0.001));
  CHECK(k["bus_cost"].get<double>() == Approx(bus_cost).margin(0.01));
  CHECK(k["bus_cost_per_passenger"].get<double>() == Approx(bus_cost / 40).margin(0.01));
  CHECK(k["bus_public_cost_per_passenger"].get<double>() == Approx((bus_cost - 5000) / 40).margin(0.01));
  CHECK(k["bus_farebox_recovery"].get<double>() == Approx(5000 / bus_cost).margin(1e-4));

  // A route the feed does not have is an error naming it.
  auto bad = sc;
  bad["costs"]["bus"]["routes"] = {"B1", "B9"};
  write(dir.path / "bad.json", bad.dump());
  auto const e = simulate(dir.path / "bad.json", dir.path / "bad");
  CHECK(e.exit_code != 0);
  CHECK_THAT(e.err, Catch::Contains("costs.bus.routes") && Catch::Contains("B9"));
}

namespace {

// A small generated day on straight lines: a second or two per run under ASan.
json small_day() {
  json zone = {{"lat", 40.51}, {"lon", 141.47}, {"radius_m", 3000}, {"weight", 1}};
  json sc;
  sc["fleet"] = {{"count", 3}, {"seats", 4}, {"depots", json::array({json::array({40.51, 141.47})})}};
  sc["rules"] = {{"max_wait_s", 900}};
  sc["demand"]["generate"] = {{"requests_per_day", 120}, {"origins", {{"zones", json::array({zone})}}}};
  sc["travel"] = {{"model", "straight_line"}, {"speed_kmh", 25}};
  sc["costs"] = {{"per_vehicle_hour", 3000}, {"fare_base", 300}};
  return sc;
}

}  // namespace

TEST_CASE("simulate --seeds: mean and 5-95 % range of every KPI, by hand from single runs", "[simulate][seeds]") {
  temp_dir dir{"seeds"};
  write(dir.path / "s.json", small_day().dump());
  auto const scenario = shell_quote((dir.path / "s.json").string());
  auto const r = run_nebuta("simulate --scenario " + scenario + " --seed 11 --seeds 3 --out " +
                            shell_quote((dir.path / "three").string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<json> single;
  for (int seed : {11, 12, 13}) {
    auto const out = dir.path / ("seed" + std::to_string(seed));
    REQUIRE(run_nebuta("simulate --scenario " + scenario + " --seed " + std::to_string(seed) + " --out " +
                       shell_quote(out.string()))
                .exit_code == 0);
    single.push_back(json::parse(read_file(out / "kpis.json")));
  }
  // The folder holds the first seed's run, unchanged.
  CHECK(read_file(dir.path / "three" / "requests.csv") == read_file(dir.path / "seed11" / "requests.csv"));
  auto const k = json::parse(read_file(dir.path / "three" / "kpis.json"));
  REQUIRE(k.contains("across_seeds"));
  auto const& a = k["across_seeds"];
  CHECK(a["seeds"] == json({11, 12, 13}));
  std::size_t checked = 0;
  for (auto const* key : {"requests", "served", "served_rate", "wait_mean_s", "wait_p95_s", "ride_mean_s",
                          "cost_per_passenger", "farebox_recovery", "occupancy", "public_cost_per_passenger"}) {
    INFO(key);
    // With 3 values the nearest-rank 5th percentile is the smallest, the 95th the largest.
    double sum = 0, lo = 1e300, hi = -1e300;
    for (auto const& s : single) {
      auto const v = s[key].get<double>();
      sum += v, lo = std::min(lo, v), hi = std::max(hi, v);
    }
    CHECK(a["mean"][key].get<double>() == Approx(sum / 3).margin(1e-5));
    CHECK(a["p5"][key].get<double>() == Approx(lo).margin(1e-9));
    CHECK(a["p95"][key].get<double>() == Approx(hi).margin(1e-9));
    ++checked;
  }
  CHECK(checked == 10);
  CHECK(single[0]["requests"] != single[1]["requests"]);  // the seeds do differ
}

TEST_CASE("simulate --target: the suggested fleet is the smallest in sweep.csv meeting every target",
          "[simulate][seeds]") {
  temp_dir dir{"targets"};
  write(dir.path / "s.json", small_day().dump());
  auto const out = dir.path / "sweep";
  auto const r = run_nebuta("simulate --scenario " + shell_quote((dir.path / "s.json").string()) +
                            " --sweep fleet=1..6 --sweep max_wait_s=600,1200 --seeds 2 --threads 2"
                            " --target 'served_rate>=0.8' --target 'wait_p95_s<=1100' --out " +
                            shell_quote(out.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto const sweep = read_table(out / "sweep.csv");
  REQUIRE(sweep.rows.size() == 12);
  std::optional<double> smallest;
  std::string smallest_dir;
  for (auto const& row : sweep.rows) {
    auto const served = row[sweep.col("served_rate")], wait = row[sweep.col("wait_p95_s")];
    if (served.empty() || wait.empty()) continue;
    if (std::stod(served) >= 0.8 && std::stod(wait) <= 1100) {
      auto const fleet = std::stod(row[sweep.col("fleet")]);
      if (!smallest || fleet < *smallest) smallest = fleet, smallest_dir = row[sweep.col("dir")];
    }
  }
  REQUIRE(smallest);  // the scenario is sized so that some fleet meets them, and not the smallest
  CHECK(*smallest > 1);
  auto const t = json::parse(read_file(out / "targets.json"));
  CHECK(t["suggested_fleet"].get<double>() == *smallest);
  CHECK(t["suggested_dir"] == smallest_dir);
  auto const html = read_file(out / "sweep.html");
  CHECK_THAT(html, Catch::Contains("data-suggested-fleet=\"" + std::to_string(static_cast<int>(*smallest)) + "\""));
  CHECK_THAT(html, Catch::Contains("<tr class=\"suggested\" data-dir=\"" + smallest_dir + "\""));

  // Targets are parsed strictly; the error names the bad one.
  for (auto const* bad : {"served_rte>=0.9", "served_rate=>0.9", "served_rate>=", "wait_p95_s<=15min", "served_rate"}) {
    auto const e = run_nebuta("simulate --scenario " + shell_quote((dir.path / "s.json").string()) +
                              " --sweep fleet=1,2 --target " + shell_quote(bad) + " --out " +
                              shell_quote((dir.path / "bad").string()));
    INFO(bad << ": " << e.err);
    CHECK(e.exit_code != 0);
    CHECK_THAT(e.err, Catch::Contains(std::string{"--target '"} + bad + "'"));
  }
}

TEST_CASE("report --report-lang ja: every KPI label in Japanese, the map's layers carry their numbers",
          "[simulate][report]") {
  temp_dir dir{"ja"};
  write_two_trip_feed(dir.path / "feed");
  auto sc = small_day();
  sc["costs"]["bus"] = {{"routes", {"B1"}}, {"per_vehicle_km", 400}, {"passengers_per_day", 40}};
  sc["costs"]["currency"] = "JPY";
  sc["transit"] = {{"gtfs", "feed"}, {"date", "2026-12-07"}};
  json ring = json::array();
  for (auto const& [lon, lat] :
       {std::pair{141.44, 40.49}, {141.50, 40.49}, {141.50, 40.53}, {141.44, 40.53}, {141.44, 40.49}}) {
    ring.push_back(json::array({lon, lat}));
  }
  sc["rules"]["service_area"] = {{"type", "Polygon"}, {"coordinates", json::array({ring})}};
  write(dir.path / "s.json", sc.dump());
  auto const r = simulate(dir.path / "s.json", dir.path / "out", "--report-lang ja");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto const html = read_file(dir.path / "out" / "report.html");
  CHECK_THAT(html, Catch::Contains("<html lang=\"ja\">"));
  // Every row of the KPI table: its label cell holds Japanese (bytes above ASCII), its value a unit.
  auto const table =
      html.substr(html.find("<table id=\"kpis\">"),
                  html.find("</table>", html.find("<table id=\"kpis\">")) - html.find("<table id=\"kpis\">"));
  std::size_t rows = 0;
  for (auto at = table.find("<tr data-kpi=\""); at != std::string::npos; at = table.find("<tr data-kpi=\"", at + 1)) {
    auto const label_at = table.find("<td>", at) + 4;
    auto const label = table.substr(label_at, table.find("</td>", label_at) - label_at);
    INFO(label);
    CHECK(std::any_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
    ++rows;
  }
  CHECK(rows >= 25);  // the 17 of every run, money, the bus and the transit alternative
  CHECK_THAT(table, Catch::Contains("1人当たり公的負担額") && Catch::Contains("収支率") && Catch::Contains("円"));
  CHECK_THAT(html, Catch::Contains("<section id=\"summary\" data-lang=\"ja\">"));
  // The rest of the page too: captions, axes, legends, the rules and fleet tables, the note.
  for (auto const* english : {"Bins include their lower edge", "hour of the earliest pickup time", "time of day",
                              "in service", "passengers carried", "wheelchair spaces", "Times are hours after midnight",
                              "Number of vehicles busy", "wait (minutes)", "ride time / direct time", "<th>rule</th>"}) {
    INFO(english);
    CHECK(html.find(english) == std::string::npos);
  }
  CHECK_THAT(html, Catch::Contains("各階級は下限を含みます") && Catch::Contains("輸送人員") && Catch::Contains("時刻"));
  // The map: the two routes of the feed, its stations, the unserved origins with their count.
  auto const k = json::parse(read_file(dir.path / "out" / "kpis.json"));
  auto const unserved = k["requests"].get<int>() - k["served"].get<int>();
  CHECK_THAT(html, Catch::Contains("<g class=\"network\" clip-path=\"url(#map-clip)\" data-routes=\"2\">"));
  CHECK_THAT(html, Catch::Contains("<polyline class=\"route\" data-route=\"B1\" data-points=\"3\""));
  CHECK_THAT(html, Catch::Contains("<g class=\"unserved\" data-count=\"" + std::to_string(unserved) + "\""));
  // Unserved origins are drawn after (above) pickups.
  CHECK(html.find("<g class=\"unserved\"") > html.find("<g class=\"pickups\""));
  // English stays the default.
  auto const en = run_nebuta("report --run " + shell_quote((dir.path / "out").string()));
  REQUIRE(en.exit_code == 0);
  CHECK_THAT(read_file(dir.path / "out" / "report.html"),
             Catch::Contains("<html lang=\"en\">") && Catch::Contains("public cost per passenger"));
}
