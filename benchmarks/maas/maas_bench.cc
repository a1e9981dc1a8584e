// Intermodal /v1/plan on Porto Alegre (EPTC bus + Trensurb metro + OSM roads) with the on-demand
// service beside it: 200 vehicles with 3 open bookings each, then plan requests between random
// points of the OSM extract through the whole pipeline (api::handle, no sockets), on_demand=true
// (dispatcher offers included, each journaled in SQLite) and on_demand=false alternately.
// Reports wall and thread CPU time per request (p50/p90/p99) and what the answers held.
//   bench_maas DATA_DIR [N_QUERIES] [DB_DIR]
// e.g. build/benchmarks/bench_maas ../shared/data/br-portoalegre-bus-metro-osm 300 /tmp
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../bench_timing.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/service.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"

namespace {

namespace as = nebuta::api_server;
using nebuta::bench::percentile;
using nebuta::bench::thread_cpu_us;
using json = nlohmann::json;

double wall_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Tue 2019-05-14 07:00 in America/Sao_Paulo (UTC-3 in 2019): the feeds' good test date.
constexpr std::int64_t tue_7am = 1'557'828'000;  // 2019-05-14T10:00:00Z

// The OSM extract's node box (data README), a little inside its edges.
constexpr double lat0 = -30.10, lat1 = -30.00, lon0 = -51.26, lon1 = -51.14;

as::http_response call(as::api& a, nebuta::raptor::router& r, std::string const& method, std::string const& target,
                       std::string const& body = {}) {
  as::http_request req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.content_type = "application/json";
  req.accept = "application/json";
  req.headers = {{"host", "x"}, {"content-type", "application/json"}, {"accept", "application/json"}};
  as::endpoint ep{};
  return a.handle(req, r, ep);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_maas DATA_DIR [N_QUERIES] [DB_DIR]\n");
    return 2;
  }
  std::filesystem::path const data{argv[1]};
  auto const n_queries = argc > 2 ? std::stoi(argv[2]) : 300;
  std::filesystem::path const db_dir = argc > 3 ? argv[3] : std::filesystem::temp_directory_path().string();
  auto const db = db_dir / ("nebuta-bench-maas-" + std::to_string(::getpid()) + ".sqlite");

  nebuta::api::timetable_source src;
  src.feeds = {(data / "gtfs-eptc-bus").string(), (data / "gtfs-trensurb-metro").string()};
  auto const loaded = nebuta::api::load_timetable(src);
  nebuta::api_service::limits lim;
  lim.strict_dates = true;
  lim.max_compute = std::chrono::milliseconds{2000};
  nebuta::api_service::service const svc{loaded.tt, lim};

  auto graph = nebuta::osm::load_road_graph(data / "poa_osm.pbf");
  auto model = std::make_unique<nebuta::road::road_network_model>(std::move(graph.graph));

  std::mt19937 rng{20190514};
  std::uniform_real_distribution<double> lat{lat0, lat1}, lon{lon0, lon1};
  nebuta::dispatch::rules rules;
  rules.service_area = {{{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}}};
  as::drt_options o;
  o.db = db;
  o.timezone = "America/Sao_Paulo";
  o.operator_token = "bench-maas-operator-token";
  o.reoptimise_every_s = 0;
  std::int64_t now = tue_7am;
  o.clock = [&now] { return now; };
  for (int v = 0; v < 200; ++v) {
    nebuta::dispatch::shift_pattern sp;
    sp.vehicle.name = "v" + std::to_string(v);
    sp.vehicle.seats = 4;
    sp.vehicle.depot = {lat(rng), lon(rng)};
    sp.start = 5 * 3600;
    sp.end = 23 * 3600;
    o.shifts.push_back(sp);
  }
  as::drt_service drt{std::move(model), rules, std::move(o)};
  drt.register_shifts();
  as::server_config cfg;
  cfg.access_log = false;
  as::api api{&svc, &drt, cfg};
  nebuta::raptor::router router{svc.raptor_index()};

  // 3 open bookings per vehicle: offers accepted until 600 are booked.
  std::size_t booked = 0, tries = 0;
  while (booked < 600 && tries < 3000) {
    ++tries;
    char when[64];
    std::snprintf(when, sizeof when, "2019-05-14T%02zu:%02zu:00-03:00", 7 + tries % 3, 10 + tries % 50);
    json const body{{"pickup", {{"lat", lat(rng)}, {"lon", lon(rng)}}},
                    {"dropoff", {{"lat", lat(rng)}, {"lon", lon(rng)}}},
                    {"earliest_pickup_time", when}};
    auto const r = call(api, router, "POST", "/v1/drt/offers", body.dump());
    if (r.status != 200) {
      if (tries == 1) std::fprintf(stderr, "bench_maas: offer answered %d %s\n", r.status, r.body.c_str());
      continue;
    }
    auto const j = json::parse(r.body);
    if (!j.value("offered", false)) continue;
    auto const a = [&] {
      as::http_request req;
      req.method = "POST";
      req.target = "/v1/drt/requests/" + j["request_id"].get<std::string>() + "/accept";
      req.authorization = "Bearer " + j["rider_token"].get<std::string>();
      req.accept = "application/json";
      req.headers = {{"host", "x"}, {"authorization", req.authorization}, {"accept", "application/json"}};
      as::endpoint ep{};
      return api.handle(req, router, ep);
    }();
    if (a.status == 200) ++booked;
    else if (booked == 0) std::fprintf(stderr, "bench_maas: accept answered %d %s\n", a.status, a.body.c_str());
  }
  std::fprintf(stderr, "bench_maas: %zu bookings accepted of %zu offers asked\n", booked, tries);

  std::vector<double> od_wall, od_cpu, tr_wall, tr_cpu;
  std::size_t with_od = 0, answered = 0, offers_dropped = 0;
  for (int i = 0; i <= n_queries; ++i) {  // query 0 warms up (the stop catalogue is built there)
    char target[256];
    std::snprintf(target, sizeof target, "/v1/plan?from=%.5f,%.5f&to=%.5f,%.5f&date=2019-05-14&depart=%02d:%02d",
                  lat(rng), lon(rng), lat(rng), lon(rng), 7 + i % 3, (i * 7) % 60);
    for (auto const on : {true, false}) {
      auto const t = std::string{target} + (on ? "&on_demand=true" : "&on_demand=false");
      auto const w0 = wall_us();
      auto const c0 = thread_cpu_us();
      auto const r = call(api, router, "GET", t);
      auto const c1 = thread_cpu_us();
      auto const w1 = wall_us();
      if (i == 0) continue;
      (on ? od_wall : tr_wall).push_back(w1 - w0);
      (on ? od_cpu : tr_cpu).push_back(c1 - c0);
      if (!on || r.status != 200) continue;
      ++answered;
      auto const j = json::parse(r.body);
      offers_dropped += j.value("on_demand_dropped", 0U);
      for (auto const& jj : j.value("journeys", json::array())) {
        if (jj.value("on_demand", false)) {
          ++with_od;
          break;
        }
      }
    }
  }
  auto const row = [](char const* what, std::vector<double> const& v) {
    std::printf("| %s | %.2f | %.2f | %.2f |\n", what, percentile(v, 0.5) / 1e3, percentile(v, 0.9) / 1e3,
                percentile(v, 0.99) / 1e3);
  };
  std::printf(
      "%d plan requests each way; %zu on-demand answers 200, %zu with an on-demand journey, %zu variants "
      "dropped; %zu open bookings on 200 vehicles\n\n",
      n_queries, answered, with_od, offers_dropped, booked);
  std::printf("| /v1/plan (ms) | p50 | p90 | p99 |\n|---|---|---|---|\n");
  row("on_demand=true, wall", od_wall);
  row("on_demand=true, thread CPU", od_cpu);
  row("on_demand=false, wall", tr_wall);
  row("on_demand=false, thread CPU", tr_cpu);
  std::error_code ec;
  for (auto const* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ec);
  return 0;
}
