// `nebuta simulate` with "kind": "journeys" (issue 16, item 6) end to end, on both examples: the
// validator after every dispatcher command (with each booked leg's train connection), the KPIs
// recounted from journeys.csv alone, each first mile's train departure read back from the GTFS
// stop_times.txt by this test (not by our reader), every kept connection's drop-off by departure -
// buffer, and the same seed giving the same bytes.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
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

fs::path const examples = NEBUTA_SOURCE_DIR "/examples";

// A CSV file as rows of named cells (the files checked here have no quoted fields in the columns used).
std::vector<std::map<std::string, std::string>> read_table(fs::path const& p) {
  std::istringstream in{read_file(p)};
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  auto const split = [](std::string const& l) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (auto const c : l) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.push_back(cell);
        cell.clear();
      } else if (c != '\r') {
        cell += c;
      }
    }
    out.push_back(cell);
    return out;
  };
  while (std::getline(in, line)) {
    if (header.empty()) {
      if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
      header = split(line);
      continue;
    }
    auto const cells = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

long num(std::string const& s) { return std::stol(s); }

// "HH:MM:SS" (hours may pass 24) in seconds; -1 when empty.
long gtfs_time(std::string const& s) {
  if (s.empty()) return -1;
  int h = 0, m = 0, sec = 0;
  if (std::sscanf(s.c_str(), "%d:%d:%d", &h, &m, &sec) != 3) return -1;
  return h * 3600L + m * 60L + sec;
}

struct departures {
  // (trip_id, stop_id) -> departure / arrival seconds, from the feeds' stop_times.txt rows that have one.
  std::map<std::pair<std::string, std::string>, long> at, arrives;
  void add_feed(fs::path const& dir, std::string const& prefix) {
    for (auto const& r : read_table(dir / "stop_times.txt")) {
      auto const key = std::make_pair(prefix + r.at("trip_id"), prefix + r.at("stop_id"));
      if (auto const t = gtfs_time(r.at("departure_time")); t >= 0) at[key] = t;
      if (auto const t = gtfs_time(r.at("arrival_time")); t >= 0) arrives[key] = t;
    }
  }
};

struct run_check {
  std::size_t journeys{0}, connections{0}, kept{0}, departures_checked{0}, last_miles{0}, arrivals_checked{0};
};

// Recounts the journey KPIs from journeys.csv and checks every booked first mile against its train.
run_check check_run(fs::path const& dir, departures const& timetable) {
  run_check out;
  auto const scenario = json::parse(read_file(dir / "scenario.json"));
  REQUIRE(scenario["kind"] == "journeys");
  auto const buffer = scenario["rules"]["intermodal"]["transfer_buffer_s"].get<long>();
  auto const kpis = json::parse(read_file(dir / "kpis.json"));
  auto const rows = read_table(dir / "journeys.csv");
  std::map<std::string, std::map<std::string, std::string>> legs;
  for (auto& r : read_table(dir / "requests.csv")) legs[r.at("request_id")] = r;
  std::map<std::string, std::size_t> modes;
  for (auto const& j : rows) {
    INFO("journey " << j.at("journey_id"));
    ++out.journeys;
    ++modes[j.at("mode")];
    if (!j.at("last_leg").empty()) {
      // A last mile: picked up no earlier than the train's arrival + buffer.
      ++out.last_miles;
      auto const arr = num(j.at("last_arrival"));
      CHECK(num(j.at("pickup_from")) == arr + buffer);
      if (auto const it = timetable.arrives.find({j.at("last_trip"), j.at("last_stop")}); it != timetable.arrives.end()) {
        ++out.arrivals_checked;
        CHECK(it->second == arr % 86'400);
      }
      auto const& leg = legs.at(j.at("last_leg"));
      CHECK(num(leg.at("promised_pickup_start")) >= arr + buffer);
      if (!leg.at("pickup_at").empty()) CHECK(num(leg.at("pickup_at")) >= arr + buffer);
    }
    if (j.at("first_leg").empty()) {
      CHECK(j.at("connection").empty());
      continue;
    }
    ++out.connections;
    auto const dep = num(j.at("first_departure"));
    CHECK(num(j.at("dropoff_by")) == dep - buffer);
    // The train's departure as the feed gives it (rows with a time; the EPTC feed times only its timepoints).
    if (auto const it = timetable.at.find({j.at("first_trip"), j.at("first_stop")}); it != timetable.at.end()) {
      ++out.departures_checked;
      CHECK(it->second == dep % 86'400);
    }
    // The first leg as the dispatcher offered and ran it.
    auto const& leg = legs.at(j.at("first_leg"));
    CHECK(num(leg.at("promised_dropoff_by")) <= dep - buffer);
    auto const dropped = j.at("first_dropoff_at");
    if (!dropped.empty()) {
      CHECK(leg.at("status") == "served");
      CHECK(leg.at("dropoff_at") == dropped);
      // Kept is by definition dropped off by departure - buffer; the dispatcher keeps every promise.
      CHECK(num(dropped) <= dep - buffer);
      if (num(dropped) <= dep - buffer) ++out.kept;
      CHECK(j.at("connection") == "kept");
    } else {
      CHECK(j.at("connection") != "kept");
    }
  }
  CHECK(kpis["journeys"].get<std::size_t>() == out.journeys);
  CHECK(kpis["connections"].get<std::size_t>() == out.connections);
  CHECK(kpis["connections_kept"].get<std::size_t>() == out.kept);
  CHECK(kpis["journeys_transit_only"].get<std::size_t>() == modes["transit_only"]);
  CHECK(kpis["journeys_first_mile"].get<std::size_t>() == modes["first_mile"]);
  CHECK(kpis["journeys_last_mile"].get<std::size_t>() == modes["last_mile"]);
  CHECK(kpis["journeys_door_to_door"].get<std::size_t>() == modes["door_to_door"]);
  CHECK(kpis["journeys_no_option"].get<std::size_t>() == modes["no_option"]);
  if (out.journeys > 0) {
    auto const od = modes["first_mile"] + modes["last_mile"] + modes["first_and_last"] + modes["door_to_door"];
    CHECK(kpis["on_demand_share"].get<double>() ==
          Approx(static_cast<double>(od) / static_cast<double>(out.journeys)).margin(1e-6));
  }
  return out;
}

}  // namespace

TEST_CASE("simulate journeys: the sample feed's 種差海岸 / 階上 example, validator and recount", "[simulate]") {
  temp_dir dir{"journeys-sample"};
  auto const r = run_nebuta("simulate --scenario " + shell_quote((examples / "aomori-hashikami-journeys.json").string()) +
                            " --out " + shell_quote(dir.path.string()) + " --validate");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("validator:") != std::string::npos);
  departures tt;
  tt.add_feed(NEBUTA_SOURCE_DIR "/data/sample", "");
  auto const c = check_run(dir.path, tt);
  CHECK(c.journeys > 100U);
  CHECK(c.connections > 10U);
  CHECK(c.departures_checked == c.connections);  // every sample train is timed
  CHECK(c.last_miles > 5U);
  CHECK(c.arrivals_checked == c.last_miles);
  CHECK(fs::exists(dir.path / "report.html"));

  // Seeds and targets take the journey KPIs too: two seeds per fleet size, the smallest fleet
  // keeping at least 90 % of the connections.
  auto const sweep = dir.path / "sweep";
  auto const s =
      run_nebuta("simulate --scenario " + shell_quote((examples / "aomori-hashikami-journeys.json").string()) +
                 " --out " + shell_quote(sweep.string()) + " --sweep fleet=1,4 --seeds 2 --threads 1 --target " +
                 shell_quote("connections_kept_rate>=0.9"));
  INFO(s.out << s.err);
  REQUIRE(s.exit_code == 0);
  for (auto const* run : {"run-0001", "run-0002"}) {
    auto const k = json::parse(read_file(sweep / run / "kpis.json"));
    auto const& across = k["across_seeds"];
    REQUIRE(across["mean"].contains("connections_kept_rate"));
    CHECK(across["seeds"].size() == 2U);
    CHECK(read_file(sweep / run / "seeds.csv").find(",connections_kept_rate,") != std::string::npos);
  }
  auto const targets = json::parse(read_file(sweep / "targets.json"));
  CHECK(targets["targets"][0]["kpi"] == "connections_kept_rate");
}

TEST_CASE("simulate journeys: Porto Alegre bus + metro on OSM, validator, recount, same seed same bytes", "[simulate]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  temp_dir dir{"journeys-poa"};
  auto const scenario = shell_quote((examples / "portoalegre-journeys.json").string());
  // A tenth of the day's demand keeps the test short under ASan; the same run twice.
  for (auto const* out : {"a", "b"}) {
    auto const r = run_nebuta("simulate --scenario " + scenario + " --out " + shell_quote((dir.path / out).string()) +
                              " --seed 5 --sweep demand_scale=0.1 --threads 1 --validate");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  departures tt;
  auto const poa = nebuta::test::shared_data_root() / "br-portoalegre-bus-metro-osm";
  tt.add_feed(poa / "gtfs-eptc-bus", "gtfs-eptc-bus:");
  tt.add_feed(poa / "gtfs-trensurb-metro", "gtfs-trensurb-metro:");
  auto const c = check_run(dir.path / "a/run-0001", tt);
  CHECK(c.journeys > 100U);
  CHECK(c.connections > 0U);
  for (auto const* f : {"journeys.csv", "requests.csv", "events.csv", "vehicles.csv", "kpis.json"}) {
    INFO(f);
    CHECK(read_file(dir.path / "a/run-0001" / f) == read_file(dir.path / "b/run-0001" / f));
  }
}

TEST_CASE("simulate journeys: a journeys scenario needs a timetable", "[simulate]") {
  temp_dir dir{"journeys-bad"};
  auto const file = dir.path / "s.json";
  {
    std::ofstream{file} << R"({"kind": "journeys", "fleet": {"count": 1, "depots": [[40.5, 141.6]]},
      "demand": {"generate": {"requests_per_day": 5, "origins": {"zones": [{"lat": 40.5, "lon": 141.6, "radius_m": 3000}]}}}})";
  }
  auto const r = run_nebuta("simulate --scenario " + shell_quote(file.string()) + " --out " +
                            shell_quote((dir.path / "out").string()));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("transit: required by \"kind\": \"journeys\"") != std::string::npos);
  { std::ofstream{file} << R"({"kind": "trips"})"; }
  auto const r2 = run_nebuta("simulate --scenario " + shell_quote(file.string()) + " --out " +
                             shell_quote((dir.path / "out").string()));
  CHECK(r2.exit_code != 0);
  CHECK(r2.err.find("kind: must be \"rides\" or \"journeys\"") != std::string::npos);
}
