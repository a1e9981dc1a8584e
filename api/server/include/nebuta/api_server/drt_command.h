// Command-line options of the on-demand service, shared by `nebuta dispatch` (the dispatcher
// alone) and `nebuta serve` (beside the journey planner), and the start-up that turns them into
// a running drt_service: travel model, rules, journal replay, fleet registration.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "nebuta/api_server/drt_api.h"

namespace nebuta::api_service {
class service;
}

namespace nebuta::api_server {

struct drt_cli_options {
  std::string osm;                      // .osm.pbf; empty: straight-line model
  std::string fleet;                    // fleet.csv
  std::string rules;                    // rules.json
  std::string db;                       // state.sqlite, or postgresql://...
  std::string service_area{"default"};  // a PostgreSQL database's rows are keyed by it
  std::string advertise;                // the leader's address a standby names (default: listen address)
  std::string operator_token_file;
  std::string timezone{"Asia/Tokyo"};
  std::string service_date;  // refused: the service runs every day (a one-day database converts)
  double detour{1.3};
  double speed_kmh{30.0};
  unsigned reoptimise_every_s{30};
  std::int64_t compact_every{20'000};
  bool accept_new_travel_model{false};
  bool strict{false};                // refuse to start on a warning about the configuration
  drt_options::publication publish;  // GET /v1/drt/gtfs-flex.zip
};

// `required_db`: --db is mandatory (nebuta dispatch); otherwise the service starts only with it.
void add_drt_options(CLI::App& cmd, drt_cli_options& o, bool required_db);

// The operator's bearer token: --operator-token-file, else env NEBUTA_OPERATOR_TOKEN (also what
// POST /v1/rt/NAME needs). Throws when it is missing or shorter than 16 characters.
std::string read_operator_token(drt_cli_options const& o);

// What the service uses of the timetable the planner loaded (`nebuta serve`; empty: none): place
// search and stop names (drt_options), and every stop's coordinate for the start-up check.
struct drt_timetable {
  decltype(drt_options::stop_lookup) stop_lookup;
  decltype(drt_options::stop_at) stop_at;
  std::vector<latlon> stops;
};
// The planner's service as the on-demand service sees it (drt_timetable.cc); `svc` must outlive
// the functions.
drt_timetable timetable_access(api_service::service const& svc);

// Builds and starts the service: checks the configuration (warnings on stderr; with --strict a
// warning refuses the start), restores and replays the journal, registers the fleet's shifts.
// Throws with context on bad files, a missing operator token, a database to convert (naming the
// command that converts it) or another travel model. `log` prefixes start-up messages.
std::unique_ptr<drt_service> make_drt_service(drt_cli_options const& o, drt_timetable tt, char const* log);

// `nebuta dispatch --db F --migrate-db`: converts a one-day database (journal format 1) in place,
// keeping a copy of it as F.format1; prints what it did.
void migrate_drt_database(std::string const& db, char const* log);

}  // namespace nebuta::api_server
