#include "nebuta/api_server/drt_command.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "nebuta/drt_config/calendar.h"
#include "nebuta/drt_config/checks.h"
#include "nebuta/drt_config/config.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/migrate.h"
#include "nebuta/storage/store.h"

namespace nebuta::api_server {

void add_drt_options(CLI::App& cmd, drt_cli_options& o, bool required_db) {
  auto* db = cmd.add_option("--db", o.db,
                            "the dispatcher's database: a SQLite file (created when missing), or a PostgreSQL "
                            "connection URI postgresql://USER@HOST:PORT/DBNAME (tables created when missing); its "
                            "journal is replayed on start");
  if (required_db) db->required();
  cmd.add_option("--service-area", o.service_area,
                 "id of the service area in a PostgreSQL database that several areas share (its rows are keyed "
                 "by it; a SQLite file holds one area)")
      ->capture_default_str();
  cmd.add_option("--advertise", o.advertise,
                 "with a PostgreSQL --db: this process's URL, recorded when it leads the service area; a standby "
                 "names it in its 503 answers to writes (default: http://ADDRESS:PORT it listens on)");
  cmd.add_option("--osm", o.osm, "OSM extract (.osm.pbf) for road travel times; without it: straight lines")
      ->check(CLI::ExistingFile);
  cmd.add_option("--fleet", o.fleet,
                 "fleet CSV (shifts with their days); each shift is registered for every date up to the booking "
                 "horizon")
      ->check(CLI::ExistingFile);
  cmd.add_option("--rules", o.rules, "service rules JSON (defaults without it)")->check(CLI::ExistingFile);
  cmd.add_option("--operator-token-file", o.operator_token_file,
                 "file holding the operator bearer token (else env NEBUTA_OPERATOR_TOKEN)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--timezone", o.timezone, "time zone of the service (IANA name)")->capture_default_str();
  cmd.add_option("--service-date", o.service_date, "gone: the service runs every day")->group("");
  cmd.add_option("--detour", o.detour, "straight-line model: detour factor over the great-circle distance")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 10.0));
  cmd.add_option("--speed", o.speed_kmh, "straight-line model: speed in km/h")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 200.0));
  cmd.add_option("--reoptimise-every", o.reoptimise_every_s, "seconds between background re-optimisations (0: off)")
      ->capture_default_str();
  cmd.add_option("--compact-every", o.compact_every, "commands between two snapshots of the journal")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  cmd.add_flag("--accept-new-travel-model", o.accept_new_travel_model,
               "start although the database was written under another travel model: re-plan the open bookings "
               "and report the promises that cannot be kept");
  auto const pub = [&](char const* name, std::string& field, char const* what) {
    cmd.add_option(name, field, what)->group("GTFS-Flex export (GET /v1/drt/gtfs-flex.zip)");
  };
  pub("--publish-name", o.publish.name, "the service's name in the feed (zone, meeting points, route)");
  pub("--publish-agency", o.publish.agency_name, "agency_name");
  pub("--publish-agency-url", o.publish.agency_url, "agency_url");
  pub("--publish-lang", o.publish.agency_lang, "agency_lang and feed_lang (e.g. ja)");
  pub("--publish-phone", o.publish.phone, "phone number to book (booking_rules.txt and agency_phone)");
  pub("--publish-info-url", o.publish.info_url, "info_url of the booking rule");
  pub("--publish-booking-url", o.publish.booking_url, "booking_url of the booking rule (e.g. the web app)");
  pub("--publish-message", o.publish.message, "message of the booking rule");
  cmd.add_flag("--strict", o.strict,
               "refuse to start when depots, meeting points or the feed's stops lie outside the service area");
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

std::unique_ptr<drt_service> make_drt_service(drt_cli_options const& o, drt_timetable tt, char const* log) {
  auto const t0 = std::chrono::steady_clock::now();
  if (!o.service_date.empty())
    throw std::runtime_error{
        "--service-date is gone: the service runs every day on one database (a database of one "
        "service date converts once with nebuta dispatch --db FILE --migrate-db)"};
  drt_options opt;
  opt.db = o.db;
  opt.service_area = o.service_area;
  opt.advertise = o.advertise;
  opt.timezone = o.timezone;
  opt.publish = o.publish;
  opt.operator_token = read_operator_token(o);
  opt.reoptimise_every_s = o.reoptimise_every_s;
  opt.compact_every = o.compact_every;
  opt.accept_new_travel_model = o.accept_new_travel_model;
  opt.stop_lookup = std::move(tt.stop_lookup);
  opt.stop_at = std::move(tt.stop_at);

  drt_config::holiday_list holidays;
  auto const rules = o.rules.empty() ? dispatch::rules{} : drt_config::load_rules(o.rules, &holidays, &opt.intermodal);
  for (auto const& e : holidays.errors) std::fprintf(stderr, "%s: %s\n", log, e.c_str());
  opt.holidays = dispatch::holiday_calendar{std::move(holidays.days)};
  if (!o.fleet.empty()) {
    auto fleet = drt_config::load_fleet_csv(o.fleet);
    for (auto const& e : fleet.errors) std::fprintf(stderr, "%s: %s\n", log, e.c_str());
    opt.shifts = std::move(fleet.shifts);
  }
  auto const warnings = drt_config::area_warnings(rules, opt.shifts, tt.stops);
  for (auto const& w : warnings) std::fprintf(stderr, "%s: warning: %s\n", log, w.c_str());
  if (o.strict && !warnings.empty())
    throw std::runtime_error{std::to_string(warnings.size()) +
                             " warning(s) about the configuration and --strict: " + warnings.front()};

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
  opt.travel_model_fingerprint = drt_config::travel_model_fingerprint(o.osm, o.detour, o.speed_kmh);
  std::unique_ptr<drt_service> svc;
  try {
    svc = std::make_unique<drt_service>(std::move(model), rules, std::move(opt));
  } catch (storage::journal_needs_migration const& e) {
    throw std::runtime_error{std::string{e.what()} + ". Convert it once with: nebuta dispatch --db " + o.db +
                             " --migrate-db (a copy of it is kept as " + o.db + ".format1)"};
  }
  for (auto const& note : svc->startup_notes()) std::fprintf(stderr, "%s: %s\n", log, note.c_str());
  std::fprintf(stderr, "%s: database %s (%s): %zu commands replayed, %zu vehicle shifts; ready in %.2f s\n", log,
               storage::printable_location(o.db).c_str(), svc->clock().timezone.c_str(), svc->n_replayed(),
               svc->n_vehicles(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return svc;
}

void migrate_drt_database(std::string const& db, char const* log) {
  if (storage::is_postgresql_uri(db))
    throw std::runtime_error{"--migrate-db converts a SQLite database of format 1; a PostgreSQL journal never had it"};
  auto const backup = db + ".format1";
  auto const r = storage::migrate_to_instants(db, backup);
  std::fprintf(stderr,
               "%s: converted %s: %zu commands of service date %s (%s) now in Unix times; the original is "
               "kept as %s\n",
               log, db.c_str(), r.n_commands, r.service_date.c_str(), r.timezone.c_str(), backup.c_str());
}

}  // namespace nebuta::api_server
