// Command-line options of the on-demand service, shared by `nebuta dispatch` (the dispatcher
// alone) and `nebuta serve` (beside the journey planner), and the start-up that turns them into
// a running drt_service: travel model, rules, journal replay, fleet registration.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "nebuta/api_server/drt_api.h"

namespace nebuta::api_server {

struct drt_cli_options {
  std::string osm;    // .osm.pbf; empty: straight-line model
  std::string fleet;  // fleet.csv
  std::string rules;  // rules.json
  std::string db;     // state.sqlite
  std::string operator_token_file;
  std::string timezone{"Asia/Tokyo"};
  std::string service_date;
  double detour{1.3};
  double speed_kmh{30.0};
  unsigned reoptimise_every_s{30};
};

// `required_db`: --db is mandatory (nebuta dispatch); otherwise the service starts only with it.
void add_drt_options(CLI::App& cmd, drt_cli_options& o, bool required_db);

// The operator's bearer token: --operator-token-file, else env NEBUTA_OPERATOR_TOKEN (also what
// POST /v1/rt/NAME needs). Throws when it is missing or shorter than 16 characters.
std::string read_operator_token(drt_cli_options const& o);

// Builds and starts the service (replay, then fleet vehicles not yet registered). Throws with
// context on bad files or a missing operator token. `log` prefixes start-up messages.
std::unique_ptr<drt_service> make_drt_service(
    drt_cli_options const& o, std::function<std::optional<latlon>(std::string const&)> stop_lookup,
    char const* log);

}  // namespace nebuta::api_server
