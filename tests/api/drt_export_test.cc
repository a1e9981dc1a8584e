// A live service's day in the simulator's files (GET /v1/drt/export/{file}, issue 15): the
// Hachinohe example scenario is simulated with every dispatcher command journaled, exactly as live
// dispatch journals them; `nebuta dispatch`'s service then starts on that journal and exports the
// day. What the vehicles reported (every pickup, drop-off and no-show, with its time, place and
// count on board), every promise and every request's outcome must equal the simulator's own
// files row by row, the km its own tally, the summary's figures the files' counts, and the report
// must draw the exported day as it draws a simulated one.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drt_client.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/report/report.h"
#include "nebuta/road/travel_model.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/output.h"
#include "nebuta/sim_io/scenario_file.h"
#include "nebuta/storage/journal.h"
#include "shared_data.h"

namespace as = nebuta::api_server;
namespace d = nebuta::dispatch;
namespace fs = std::filesystem;
using json = nlohmann::json;
using nebuta::test::bearer;
using nebuta::test::http_call;

namespace {

std::string const op_token = "export-test-operator-token";

// A CSV file as rows of named fields (quotes as RFC 4180; written here, not the project's reader).
using row = std::map<std::string, std::string>;
std::vector<row> parse_csv(std::string const& text) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> fields{""};
  auto quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto const c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') fields.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      lines.push_back(std::move(fields));
      fields = {""};
    } else {
      fields.back() += c;
    }
  }
  std::vector<row> out;
  if (lines.empty()) return out;
  for (std::size_t l = 1; l < lines.size(); ++l) {
    REQUIRE(lines[l].size() == lines[0].size());
    row r;
    for (std::size_t k = 0; k < lines[0].size(); ++k) r[lines[0][k]] = lines[l][k];
    out.push_back(std::move(r));
  }
  return out;
}

std::string slurp(fs::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace

TEST_CASE("drt export: a Hachinohe day run through the journal exports as the simulator wrote it", "[drt][export]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  nebuta::test::drt_temp_dir dir{"export"};
  namespace sim_io = nebuta::sim_io;
  auto const file = sim_io::load_scenario(fs::path{NEBUTA_SOURCE_DIR} / "examples/hachinohe-zone.json");
  auto const setup = sim_io::make_run(file, {}, std::nullopt);
  REQUIRE(setup.sc.days == 1);
  auto models = sim_io::load_travel_model(file);

  // The simulated day, journaled (in one batch: the order is what counts) and written as files.
  struct collecting_journal : d::journal {
    std::vector<d::command> commands;
    void record(d::command const& c) override { commands.push_back(c); }
  } collected;
  nebuta::sim::sim_options opt;
  opt.journal = &collected;
  auto const simulated = nebuta::sim::simulate(setup.sc, models.model(), opt);
  sim_io::write_run(dir.path / "sim", setup.echo, simulated);
  auto const db = dir.path / "state.sqlite";
  nebuta::storage::sqlite_journal{db}.record_batch(collected.commands);
  REQUIRE(simulated.k.served > 100);

  // The service on that journal, the next morning (the simulator's day is 1970-01-01 in UTC).
  auto const* straight = dynamic_cast<nebuta::road::straight_line_model const*>(models.base.get());
  REQUIRE(straight != nullptr);
  as::drt_options o;
  o.db = db;
  o.timezone = "UTC";
  o.operator_token = op_token;
  o.reoptimise_every_s = 0;
  o.clock = [] { return std::int64_t{86'400 + 6 * 3600}; };
  as::drt_service drt{
      std::make_unique<nebuta::road::straight_line_model>(straight->detour_factor(), straight->speed_kmh()),
      setup.sc.rules, std::move(o)};
  REQUIRE(drt.n_replayed() == collected.commands.size());
  as::http_server server{nullptr, &drt, nebuta::test::loopback_config()};
  server.start();
  auto const get = [&](std::string const& target, std::string const& token = op_token, int expect = 200) {
    auto const r = http_call(server.port(), "GET", target, {}, bearer(token));
    INFO(target << " -> " << r.status << " " << r.body.substr(0, 300));
    REQUIRE(r.status == expect);
    return r.body;
  };
  auto const exported = dir.path / "exported";
  fs::create_directories(exported);
  for (auto const* name : {"scenario.json", "requests.csv", "vehicles.csv", "events.csv", "kpis.json"})
    std::ofstream{exported / name, std::ios::binary} << get(std::string{"/v1/drt/export/"} + name + "?date=1970-01-01");

  // Requests: the n-th offer command is request n, so the rows pair up in order.
  auto const sim_requests = parse_csv(slurp(dir.path / "sim/requests.csv"));
  auto const live_requests = parse_csv(slurp(exported / "requests.csv"));
  REQUIRE(live_requests.size() == sim_requests.size());
  std::map<std::string, std::string> sim_id_of;  // the export's request id -> the simulator's
  std::size_t accept_failures = 0;
  std::map<std::string, int> live_status_count;
  for (std::size_t i = 0; i < sim_requests.size(); ++i) {
    auto const& s = sim_requests[i];
    auto const& l = live_requests[i];
    INFO("request " << i << ": simulated " << s.at("request_id") << " " << s.at("status"));
    CHECK(l.at("request_id") == std::to_string(i));
    sim_id_of[l.at("request_id")] = s.at("request_id");
    ++live_status_count[l.at("status")];
    for (auto const* key : {"requested_at", "earliest_pickup", "passengers", "wheelchair", "origin_lat", "origin_lon",
                            "dest_lat", "dest_lon"})
      CHECK(l.at(key) == s.at(key));
    if (s.at("status") == "rejected" &&
        (s.at("reject_reason") == "expired" || s.at("reject_reason") == "no_longer_feasible")) {
      // The simulator counts a failed accept as rejected; the dispatcher keeps the offer unaccepted.
      CHECK(l.at("status") == "declined");
      ++accept_failures;
      continue;
    }
    CHECK(l.at("status") == s.at("status"));
    CHECK(l.at("reject_reason") == s.at("reject_reason"));
    if (s.at("status") == "rejected") continue;
    for (auto const* key : {"vehicle_id", "promised_pickup_start", "promised_pickup_end", "promised_dropoff_by",
                            "pickup_at", "dropoff_at", "wait_s", "ride_s", "direct_s", "detour_factor", "shared"})
      CHECK(l.at(key) == s.at(key));
  }
  CHECK(live_status_count["served"] == static_cast<int>(simulated.k.served));
  CHECK(live_status_count["open"] == 0);

  // Events: what the vehicles reported equals the simulator's, row for row; the depot events are
  // derived, so only their number, and the return home, are the simulator's.
  auto const sim_events = parse_csv(slurp(dir.path / "sim/events.csv"));
  auto const live_events = parse_csv(slurp(exported / "events.csv"));
  std::vector<std::string> sim_stops, live_stops;
  std::map<std::string, int> sim_departures, live_departures;
  std::multiset<std::string> sim_returns, live_returns;
  auto const collect = [](std::vector<row> const& events, auto const& id_of, std::vector<std::string>& stops,
                          std::map<std::string, int>& departures, std::multiset<std::string>& returns) {
    for (auto const& e : events) {
      if (e.at("kind") == "depart_depot") ++departures[e.at("vehicle_id")];
      else if (e.at("kind") == "return_depot") returns.insert(e.at("vehicle_id") + "@" + e.at("time"));
      else
        stops.push_back(e.at("time") + " " + e.at("vehicle_id") + " " + id_of(e.at("request_id")) + " " + e.at("kind") +
                        " " + e.at("lat") + " " + e.at("lon") + " " + e.at("onboard"));
    }
  };
  collect(
      sim_events, [](std::string const& id) { return id; }, sim_stops, sim_departures, sim_returns);
  collect(
      live_events, [&](std::string const& id) { return sim_id_of.at(id); }, live_stops, live_departures, live_returns);
  REQUIRE(live_stops.size() == sim_stops.size());
  for (std::size_t i = 0; i < sim_stops.size(); ++i) CHECK(live_stops[i] == sim_stops[i]);
  CHECK(live_departures == sim_departures);
  CHECK(live_returns == sim_returns);

  // Vehicles: the same shifts, km on the same legs, the same passengers.
  auto const sim_vehicles = parse_csv(slurp(dir.path / "sim/vehicles.csv"));
  auto const live_vehicles = parse_csv(slurp(exported / "vehicles.csv"));
  REQUIRE(live_vehicles.size() == sim_vehicles.size());
  double km = 0.0, empty_km = 0.0;
  for (std::size_t i = 0; i < sim_vehicles.size(); ++i) {
    for (auto const& [key, value] : sim_vehicles[i]) {
      INFO(sim_vehicles[i].at("vehicle_id") << " " << key);
      CHECK(live_vehicles[i].at(key) == value);
    }
    km += std::stod(live_vehicles[i].at("km_driven"));
    empty_km += std::stod(live_vehicles[i].at("km_empty"));
  }

  // The summary of the date counts what the files hold.
  auto const sum = json::parse(get("/v1/drt/summary?date=1970-01-01"));
  INFO(sum.dump());
  CHECK(sum["requests"] == live_requests.size());
  CHECK(sum["completed"] == live_status_count["served"]);
  CHECK(sum.value("no_shows", 0) == live_status_count["no_show"]);
  CHECK(sum.value("cancelled", 0) == live_status_count["cancelled"]);
  CHECK(sum.value("rejected", 0) == live_status_count["rejected"]);
  CHECK(sum.value("offered", 0) == live_status_count["declined"]);
  CHECK(sum["vehicle_km"].get<double>() == Approx(km).margin(0.001 * static_cast<double>(live_vehicles.size())));
  CHECK(sum["empty_km"].get<double>() == Approx(empty_km).margin(0.001 * static_cast<double>(live_vehicles.size())));
  CHECK(sum.value("planned_km", 0.0) == 0.0);  // the day is over: nothing is planned any more

  auto const kpis = json::parse(slurp(exported / "kpis.json"));
  CHECK(kpis["served"] == simulated.k.served);
  CHECK(kpis["requests"] == simulated.k.requests);
  CHECK(kpis["cost_per_passenger"].is_null());  // the service has no cost model
  auto const scenario = json::parse(slurp(exported / "scenario.json"));
  CHECK(scenario["travel"]["model"] == "straight_line");
  CHECK(scenario["travel"]["detour_factor"].get<double>() == Approx(straight->detour_factor()));
  CHECK(scenario["rules"]["ride_factor"].get<double>() == Approx(setup.sc.rules.ride_alpha));

  // The report draws the exported day (as `nebuta report --run` does).
  nebuta::report::write_run_report(exported);
  auto const html = slurp(exported / "report.html");
  CHECK_THAT(html, Catch::Contains("nebuta dispatch 1970-01-01"));
  CHECK(html.find("data-status=\"served\"") != std::string::npos);
  INFO("accept failures the simulator called rejected: " << accept_failures);

  // Bad calls: no token, another file, a malformed date.
  get("/v1/drt/export/requests.csv", "", 401);
  get("/v1/drt/export/requests.csv", "someone-else", 403);
  CHECK(json::parse(get("/v1/drt/export/passwords.txt", op_token, 404))["code"] == "not_found");
  CHECK(json::parse(get("/v1/drt/export/events.csv?date=1970-02-30", op_token, 400))["code"] == "invalid_date");
  server.stop();
  drt.stop_background();
}
