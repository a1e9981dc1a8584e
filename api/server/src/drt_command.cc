#include "nebuta/api_server/drt_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "nebuta/drt_config/config.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"

namespace nebuta::api_server {

void add_drt_options(CLI::App& cmd, drt_cli_options& o, bool required_db) {
  auto* db = cmd.add_option("--db", o.db, "SQLite database of the dispatcher (created when missing; replayed on start)");
  if (required_db) db->required();
  cmd.add_option("--osm", o.osm, "OSM extract (.osm.pbf) for road travel times; without it: straight lines")
      ->check(CLI::ExistingFile);
  cmd.add_option("--fleet", o.fleet, "fleet CSV; vehicles not in the database yet are registered")
      ->check(CLI::ExistingFile);
  cmd.add_option("--rules", o.rules, "service rules JSON (defaults without it)")->check(CLI::ExistingFile);
  cmd.add_option("--operator-token-file", o.operator_token_file,
                 "file holding the operator bearer token (else env NEBUTA_OPERATOR_TOKEN)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--timezone", o.timezone, "time zone of the service day (IANA name)")->capture_default_str();
  cmd.add_option("--service-date", o.service_date,
                 "service date YYYY-MM-DD, fixed when the database is created (default: today in --timezone)");
  cmd.add_option("--detour", o.detour, "straight-line model: detour factor over the great-circle distance")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 10.0));
  cmd.add_option("--speed", o.speed_kmh, "straight-line model: speed in km/h")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 200.0));
  cmd.add_option("--reoptimise-every", o.reoptimise_every_s, "seconds between background re-optimisations (0: off)")
      ->capture_default_str();
}

std::string read_operator_token(drt_cli_options const& o) {
  std::string token;
  if (!o.operator_token_file.empty()) {
    std::ifstream in{o.operator_token_file};
    if (!in) throw std::runtime_error{"cannot read " + o.operator_token_file};
    std::ostringstream s;
    s << in.rdbuf();
    token = s.str();
  } else if (auto const* env = std::getenv("NEBUTA_OPERATOR_TOKEN")) {
    token = env;
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  if (token.size() < 16)
    throw std::runtime_error{
        "the operator token (--operator-token-file or NEBUTA_OPERATOR_TOKEN) is missing or shorter than 16 characters"};
  return token;
}

std::unique_ptr<drt_service> make_drt_service(
    drt_cli_options const& o, std::function<std::optional<latlon>(std::string const&)> stop_lookup,
    char const* log) {
  auto const t0 = std::chrono::steady_clock::now();
  drt_options opt;
  opt.db = o.db;
  opt.timezone = o.timezone;
  opt.service_date = o.service_date;
  opt.operator_token = read_operator_token(o);
  opt.reoptimise_every_s = o.reoptimise_every_s;
  opt.stop_lookup = std::move(stop_lookup);

  auto const rules = o.rules.empty() ? dispatch::rules{} : drt_config::load_rules(o.rules);
  std::unique_ptr<road::travel_model> model;
  if (!o.osm.empty()) {
    auto loaded = osm::load_road_graph(o.osm);
    std::fprintf(stderr, "%s: road graph of %s: %zu nodes, %zu edges\n", log, o.osm.c_str(), loaded.graph.n_nodes(),
                 loaded.graph.n_edges());
    model = std::make_unique<road::road_network_model>(std::move(loaded.graph));
    opt.travel_model_name = "osm";
  } else {
    model = std::make_unique<road::straight_line_model>(o.detour, o.speed_kmh);
    opt.travel_model_name = "straight_line";
  }
  auto svc = std::make_unique<drt_service>(std::move(model), rules, std::move(opt));
  std::size_t n_added = 0;
  if (!o.fleet.empty()) {
    auto const fleet = drt_config::load_fleet_csv(o.fleet);
    for (auto const& e : fleet.errors) std::fprintf(stderr, "%s: %s\n", log, e.c_str());
    n_added = svc->add_missing_vehicles(fleet.vehicles);
  }
  std::fprintf(stderr, "%s: database %s (service date %s, %s): %zu commands replayed, %zu vehicles added, %zu in the "
               "fleet; ready in %.2f s\n",
               log, o.db.c_str(), svc->clock().service_date.c_str(), svc->clock().timezone.c_str(), svc->n_replayed(),
               n_added, svc->n_vehicles(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return svc;
}

}  // namespace nebuta::api_server
