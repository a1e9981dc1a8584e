// `nebuta simulate` end to end: the output files on a hand-computed scenario, both example
// scenarios (validator after every dispatcher command, sane KPIs), byte-identical output for the
// same seed (also across sweep thread counts), and clear errors for bad scenario files.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "run_nebuta.h"
#include "shared_data.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using nebuta::test::read_file;
using nebuta::test::run_nebuta;
using nebuta::test::shell_quote;
using nebuta::test::temp_dir;

std::string const nebuta_bin = NEBUTA_BINARY_DIR "/api/nebuta";
fs::path const examples = NEBUTA_SOURCE_DIR "/examples";

void write(fs::path const& p, std::string const& s) { std::ofstream{p, std::ios::binary} << s; }

std::vector<std::vector<std::string>> read_csv(fs::path const& p) {  // our files: no quoted fields
  std::vector<std::vector<std::string>> rows;
  std::istringstream in{read_file(p)};
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::string cell;
    std::istringstream ls{line};
    while (std::getline(ls, cell, ',')) row.push_back(cell);
    if (!line.empty() && line.back() == ',') row.emplace_back();
    rows.push_back(row);
  }
  return rows;
}

std::string const requests_header =
    "request_id,requested_at,earliest_pickup,passengers,wheelchair,origin_lat,origin_lon,dest_lat,dest_lon,status,"
    "reject_reason,vehicle_id,promised_pickup_start,promised_pickup_end,promised_dropoff_by,pickup_at,dropoff_at,"
    "wait_s,ride_s,direct_s,detour_factor,shared,transit_arrival,transit_duration_s,transit_rides,transit_walk_m,"
    "transit_reachable";

void check_output_set(fs::path const& dir) {
  for (auto const* f : {"scenario.json", "requests.csv", "vehicles.csv", "events.csv", "kpis.json"}) {
    INFO(f);
    CHECK(fs::exists(dir / f));
  }
  auto const req = read_csv(dir / "requests.csv");
  REQUIRE(!req.empty());
  std::string header;
  for (auto const& c : req[0]) header += (header.empty() ? "" : ",") + c;
  CHECK(header == requests_header);
  for (auto const& row : req) CHECK(row.size() == 27);
  CHECK(read_file(dir / "vehicles.csv")
            .starts_with("vehicle_id,seats,wheelchair_spaces,km_driven,km_empty,hours_in_service,passengers_carried\n"));
  CHECK(read_file(dir / "events.csv").starts_with("time,vehicle_id,request_id,kind,lat,lon,onboard\n"));
  auto const k = json::parse(read_file(dir / "kpis.json"));
  for (auto const* key : {"requests",
                          "served",
                          "served_rate",
                          "rejected_by_reason",
                          "wait_mean_s",
                          "wait_p50_s",
                          "wait_p95_s",
                          "wait_max_s",
                          "ride_mean_s",
                          "detour_mean",
                          "detour_p95",
                          "occupancy",
                          "pooling_rate",
                          "empty_km_share",
                          "vehicle_utilisation",
                          "passengers_per_vehicle_hour",
                          "cost_per_passenger",
                          "farebox_recovery",
                          "currency",
                          "cost",
                          "fare_revenue",
                          "public_cost_per_passenger"}) {
    INFO(key);
    CHECK(k.contains(key));
  }
  // 22 always; 6 more with bus lines to compare (costs.bus), 8 with a timetable (transit).
  auto const with_bus = k.contains("bus_cost") ? 6U : 0U, with_transit = k.contains("transit_planned") ? 8U : 0U;
  CHECK(k.size() == 22 + with_bus + with_transit);
  auto const s = json::parse(read_file(dir / "scenario.json"));
  for (auto const* key : {"max_wait_s", "ride_factor", "ride_offset_s", "dwell_s"}) CHECK(s["rules"].contains(key));
  CHECK(s.contains("name"));
}

// Along a meridian the haversine distance is R * dlat; at 10 m/s a leg takes floor(m/10 + 0.5) s.
double metres(double a, double b) { return 6'371'000.0 * std::abs(a - b) * std::numbers::pi / 180.0; }
int secs(double a, double b) { return static_cast<int>(std::floor(metres(a, b) / 10.0 + 0.5)); }

}  // namespace

TEST_CASE("simulate: a CSV day computed by hand, through the files", "[simulate]") {
  REQUIRE(fs::exists(nebuta_bin));
  temp_dir dir{"hand"};
  write(dir.path / "requests.csv",
        "request_id,requested_at,earliest_pickup,origin_lat,origin_lon,dest_lat,dest_lon,passengers,wheelchair\n"
        "R1,08:00,,40.01,141.0,40.03,141.0,1,0\n"
        "R2,32400,,40.03,141.0,40.05,141.0,,\n"
        "R3,09:00:10,09:00:10,40.035,141.0,40.045,141.0,2,1\n"
        "bad,08:00,,91,141.0,40.0,141.0,1,0\n"
        "R4,09:30,,40.01,141.0,40.02,141.0,9,0\n");
  write(dir.path / "s.json", R"({
    "name": "line",
    "rules": {"dwell_s": 30, "max_wait_s": 900},
    "fleet": {"count": 1, "seats": 4, "wheelchair_spaces": 1, "depots": [[40.0, 141.0]], "shifts": [["00:00", "10:00"]]},
    "demand": {"csv": "requests.csv"},
    "riders": {"response_s": 0},
    "travel": {"model": "straight_line", "detour_factor": 1.0, "speed_kmh": 36},
    "costs": {"per_vehicle_hour": 30, "per_km": 0.5, "fare_base": 2, "fare_per_km": 0.1},
    "simulation": {"reoptimise_every_s": 0}
  })");
  auto const out = dir.path / "out";
  auto const r = run_nebuta("simulate --scenario " + shell_quote((dir.path / "s.json").string()) + " --out " +
                            shell_quote(out.string()) + " --validate");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("requests.csv:5: bad coordinate") != std::string::npos);  // the bad row, by line
  check_output_set(out);

  auto const req = read_csv(out / "requests.csv");
  REQUIRE(req.size() == 5);  // header + R1 R2 R3 R4
  auto const a_arr = 28'800 + secs(40.0, 40.01);
  auto const r1_drop = a_arr + 30 + secs(40.01, 40.03);
  auto const g_arr = 32'400 + 30 + secs(40.03, 40.035);
  auto const h_arr = g_arr + 30 + secs(40.035, 40.045);
  auto const f_arr = h_arr + 30 + secs(40.045, 40.05);
  auto const row = [](std::initializer_list<std::string> cells) { return std::vector<std::string>{cells}; };
  auto const str = [](auto v) { return std::to_string(v); };
  auto const d4 = [](double v) {
    char b[32];
    std::snprintf(b, sizeof(b), "%.4f", v);
    return std::string{b};
  };
  // R1: the bus leaves the depot at 08:00, picks up at A, drops at C.
  CHECK(req[1][0] == "R1");
  CHECK(std::vector<std::string>(req[1].begin() + 9, req[1].begin() + 22) ==
        row({"served", "", "v1", "28800", "29700",
             str(28'800 + secs(40.0, 40.01) + 30 + static_cast<int>(std::lround(1.5 * secs(40.01, 40.03))) + 600),
             str(a_arr), str(r1_drop), str(a_arr - 28'800), str(r1_drop - a_arr), str(secs(40.01, 40.03)),
             d4(double(r1_drop - a_arr) / secs(40.01, 40.03)), "0"}));
  // R2 from where R1 ended (no wait), R3 (two persons, one in a wheelchair) picked up on the way.
  CHECK(req[2][15] == "32400");
  CHECK(req[2][16] == str(f_arr));
  CHECK(req[2][17] == "0");
  CHECK(req[2][21] == "1");
  CHECK(req[3][3] == "2");
  CHECK(req[3][4] == "1");
  CHECK(req[3][15] == str(g_arr));
  CHECK(req[3][16] == str(h_arr));
  CHECK(req[3][17] == str(g_arr - 32'410));
  CHECK(req[3][21] == "1");
  CHECK(std::vector<std::string>(req[4].begin() + 9, req[4].begin() + 22) ==
        row({"rejected", "too_many_passengers", "", "", "", "", "", "", "", "", "", "", ""}));

  auto const veh = read_csv(out / "vehicles.csv");
  REQUIRE(veh.size() == 2);
  auto const km = 2 * metres(40.0, 40.05) / 1000, km_empty = (metres(40.0, 40.01) + metres(40.0, 40.05)) / 1000;
  auto const f3 = [](double v) {
    char b[32];
    std::snprintf(b, sizeof(b), "%.3f", v);
    return std::string{b};
  };
  CHECK(veh[1] == row({"v1", "4", "1", f3(km), f3(km_empty), "10.000", "4"}));

  auto const ev = read_csv(out / "events.csv");
  REQUIRE(ev.size() == 9);  // header, depart, 3 pickups, 3 drop-offs, return
  CHECK(ev[1] == row({"28800", "v1", "", "depart_depot", "40.000000", "141.000000", "0"}));
  CHECK(ev[5] == row({str(g_arr), "v1", "R3", "pickup", "40.035000", "141.000000", "3"}));
  CHECK(ev[8] == row({"36000", "v1", "", "return_depot", "40.000000", "141.000000", "0"}));

  auto const k = json::parse(read_file(out / "kpis.json"));
  CHECK(k["requests"] == 4);
  CHECK(k["served"] == 3);
  CHECK(k["served_rate"].get<double>() == 0.75);
  CHECK(k["rejected_by_reason"] == json{{"too_many_passengers", 1}});
  auto const pkm =
      (metres(40.01, 40.03) + metres(40.03, 40.035) + 3 * metres(40.035, 40.045) + metres(40.045, 40.05)) / 1000;
  CHECK(k["occupancy"].get<double>() == Approx(pkm / km).margin(1e-4));
  CHECK(k["pooling_rate"].get<double>() == Approx(2.0 / 3).margin(1e-4));
  CHECK(k["empty_km_share"].get<double>() == Approx(km_empty / km).margin(1e-4));
  CHECK(k["passengers_per_vehicle_hour"].get<double>() == Approx(0.4));  // 4 persons, 10 hours
  auto const cost = 30.0 * 10 + 0.5 * km;
  CHECK(k["cost_per_passenger"].get<double>() == Approx(cost / 4).margin(0.005));
  auto const revenue = 4 * 2.0 + 0.1 * (metres(40.01, 40.03) + metres(40.03, 40.05) + 2 * metres(40.035, 40.045)) / 1000;
  CHECK(k["farebox_recovery"].get<double>() == Approx(revenue / cost).margin(1e-4));
  auto const scen = json::parse(read_file(out / "scenario.json"));
  CHECK(scen["rules"]["dwell_s"] == 30);
  CHECK(scen["riders"]["no_show_probability"] == 0.0);
}

TEST_CASE("simulate: the Hachinohe example runs, validator passes, KPIs are sane", "[simulate]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  temp_dir dir{"hachinohe"};
  auto const r = run_nebuta("simulate --scenario " + shell_quote((examples / "hachinohe-zone.json").string()) +
                            " --out " + shell_quote(dir.path.string()) + " --validate");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("validator:") != std::string::npos);
  check_output_set(dir.path);
  auto const k = json::parse(read_file(dir.path / "kpis.json"));
  CHECK(k["requests"].get<int>() > 400);
  CHECK(k["served_rate"].get<double>() > 0.5);
  CHECK(k["wait_p95_s"].get<double>() <= 900 + 120);  // max_wait, plus at most a no-show wait
  CHECK(k["detour_mean"].get<double>() > 1.0);
  CHECK(k["occupancy"].get<double>() > 0.5);
  CHECK(k["pooling_rate"].get<double>() > 0.0);
  CHECK(k["empty_km_share"].get<double>() < 0.6);
  // Demand is weighted towards 八戸駅 (509-01/-03, 40.5088 141.4319) and 本八戸駅 (552-01).
  auto const req = read_csv(dir.path / "requests.csv");
  std::size_t at_stations = 0;
  for (std::size_t i = 1; i < req.size(); ++i) {
    for (auto const& [lat, lon] : std::vector<std::pair<std::string, std::string>>{
             {"40.508756", "141.431944"}, {"40.508625", "141.431505"}, {"40.516436", "141.489056"}}) {
      at_stations += (req[i][5] == lat && req[i][6] == lon) + (req[i][7] == lat && req[i][8] == lon);
    }
  }
  CHECK(at_stations > (req.size() - 1) / 4);
  if (fs::exists(dir.path / "report.html")) CHECK(fs::file_size(dir.path / "report.html") > 1000);
}

TEST_CASE("simulate: the Porto Alegre feeder example runs on OSM, validator passes", "[simulate]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  temp_dir dir{"poa"};
  auto const r = run_nebuta("simulate --scenario " + shell_quote((examples / "portoalegre-feeder.json").string()) +
                            " --out " + shell_quote(dir.path.string()) + " --validate");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_output_set(dir.path);
  auto const k = json::parse(read_file(dir.path / "kpis.json"));
  CHECK(k["requests"].get<int>() > 1000);
  CHECK(k["served_rate"].get<double>() > 0.5);
  CHECK_FALSE(k["rejected_by_reason"].contains("unreachable"));
  CHECK(k["wait_p95_s"].get<double>() <= 900 + 120);
  CHECK(k["occupancy"].get<double>() > 0.5);
  CHECK(k["cost_per_passenger"].get<double>() > 0);
}

TEST_CASE("simulate: same scenario and seed give byte-identical files, also across sweep threads", "[simulate]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  temp_dir dir{"det"};
  auto const scenario = shell_quote((examples / "hachinohe-zone.json").string());
  auto const files = {"scenario.json", "requests.csv", "vehicles.csv", "events.csv", "kpis.json"};
  for (auto const* out : {"a", "b", "c"}) {
    auto const seed = std::string{out} == "c" ? "8" : "7";
    auto const r = run_nebuta("simulate --scenario " + scenario + " --out " + shell_quote((dir.path / out).string()) +
                              " --seed " + seed + " --sweep demand_scale=0.3");
    REQUIRE(r.exit_code == 0);
  }
  for (auto const* f : files) {
    INFO(f);
    CHECK(read_file(dir.path / "a/run-0001" / f) == read_file(dir.path / "b/run-0001" / f));
  }
  CHECK(read_file(dir.path / "a/run-0001/requests.csv") != read_file(dir.path / "c/run-0001/requests.csv"));

  for (auto const* threads : {"1", "2"}) {
    auto const r = run_nebuta("simulate --scenario " + scenario + " --out " + shell_quote((dir.path / threads).string()) +
                              " --sweep fleet=6,9 --sweep demand_scale=0.2,0.3 --threads " + threads);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  auto const sweep = read_file(dir.path / "1/sweep.csv");
  CHECK(sweep == read_file(dir.path / "2/sweep.csv"));
  CHECK(sweep.starts_with(
      "run,dir,fleet,demand_scale,seed,requests,served,served_rate,wait_mean_s,wait_p95_s,ride_mean_s,detour_mean,"
      "occupancy,pooling_rate,empty_km_share,vehicle_utilisation,passengers_per_vehicle_hour,cost_per_passenger,"
      "farebox_recovery,public_cost_per_passenger,bus_cost_per_passenger,bus_public_cost_per_passenger,"
      "bus_farebox_recovery,transit_unreachable_share,door_to_door_on_demand_mean_s,door_to_door_transit_mean_s,"
      "currency\n1,run-0001,6,0.2,1,"));
  CHECK(sweep.find("\n4,run-0004,9,0.3,1,") != std::string::npos);
  for (auto const* run_dir : {"run-0001", "run-0002", "run-0003", "run-0004"}) {
    for (auto const* f : files) {
      INFO(run_dir << "/" << f);
      CHECK(read_file(dir.path / "1" / run_dir / f) == read_file(dir.path / "2" / run_dir / f));
    }
  }
  auto const s4 = json::parse(read_file(dir.path / "1/run-0004/scenario.json"));
  CHECK(s4["fleet"]["count"] == 9);
  CHECK(s4["demand"]["generate"]["scale"] == 0.3);
}

TEST_CASE("simulate: bad scenario files and options give clear errors", "[simulate]") {
  temp_dir dir{"bad"};
  auto const base =
      R"("fleet": {"count": 1, "depots": [[40.0, 141.0]]}, "demand": {"generate": {"origins": {"zones": [{"lat": 40.0, "lon": 141.0, "radius_m": 2000}]}, "requests_per_day": 20}})";
  struct bad_case {
    std::string json, args, message;
  };
  std::vector<bad_case> const cases{
      {"{", "", "invalid JSON"},
      {"[1, 2]", "", "must be an object"},
      {std::string{"{"} + base + R"(, "flete": 3})", "", "flete: unknown key"},
      {R"({"demand": {"csv": "x.csv"}})", "", "fleet: required"},
      {std::string{"{"} + base + R"(, "rules": {"max_wait_s": "soon"}})", "", "max_wait_s"},
      {std::string{"{"} + base + R"(, "riders": {"no_show_probability": 2}})", "",
       "riders.no_show_probability: must be between 0 and 1"},
      {R"({"fleet": {"count": 1, "depots": [[40.0, 141.0]], "shifts": [["25:99", "10:00"]]}, "demand": {"csv": "r.csv"}})",
       "", "fleet.shifts[0][0]"},
      {R"({"fleet": {"count": 1, "depots": [[40.0, 141.0]]}, "demand": {"csv": "missing.csv"}})", "",
       "cannot open demand CSV"},
      {std::string{"{"} + base + R"(, "travel": {"model": "teleport"}})", "", "travel.model"},
      {std::string{"{"} + base + R"(, "travel": {"model": "osm", "path": "nowhere.pbf"}})", "", "no such file"},
      {std::string{"{"} + base + "}", "--sweep colour=1,2", "unknown key 'colour'"},
      {std::string{"{"} + base + "}", "--sweep fleet=1..x", "'x' is not a number"},
      {std::string{"{"} + base + "}", "--sweep fleet=1.5", "takes integers"},
      {std::string{"{"} + base + "}", "--sweep fleet=3..1", "range is empty"},
      {R"({"fleet": {"csv": "fleet.csv"}, "demand": {"csv": "r.csv"}})", "--sweep fleet=5", "has only 1 vehicles"},
  };
  write(dir.path / "r.csv",
        "request_id,requested_at,origin_lat,origin_lon,dest_lat,dest_lon\nA,08:00,40.0,141.0,40.01,141.0\n");
  write(dir.path / "fleet.csv",
        "vehicle_id,seats,depot_lat,depot_lon,shift_start,shift_end\nbus,4,40.0,141.0,07:00,19:00\n");
  int i = 0;
  for (auto const& c : cases) {
    auto const file = dir.path / ("s" + std::to_string(i++) + ".json");
    write(file, c.json);
    auto const r = run_nebuta("simulate --scenario " + shell_quote(file.string()) + " --out " +
                              shell_quote((dir.path / "out").string()) + " " + c.args);
    INFO(c.json << " " << c.args << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("nebuta: error:") != std::string::npos);
  }
  auto const r = run_nebuta("simulate --scenario " + shell_quote((dir.path / "nope.json").string()) + " --out " +
                            shell_quote((dir.path / "out").string()));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cannot open scenario") != std::string::npos);
}
