// `nebuta dispatch --db state.sqlite [--osm F.osm.pbf] [--fleet fleet.csv] [--rules rules.json]
//                  [--port 8080] [--threads N] [--operator-token-file F]`: the on-demand dispatcher
// alone behind the HTTP API (/v1/drt/, /healthz, /metrics). `--migrate-db` converts a database of
// one service date instead, and exits.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "nebuta/api_server/drt_command.h"
#include "nebuta/api_server/serve_command.h"
#include "nebuta/api_server/server.h"

namespace nebuta::cli {

namespace {

struct dispatch_options {
  api_server::drt_cli_options drt;
  api_server::server_config cfg;
  bool quiet{false};
  bool migrate{false};
};

void run_dispatch(dispatch_options const& o) {
  if (o.migrate) {
    api_server::migrate_drt_database(o.drt.db, "nebuta dispatch");
    return;
  }
  api_server::block_shutdown_signals();  // before any thread starts
  auto drt_options = o.drt;
  if (drt_options.advertise.empty())
    drt_options.advertise = "http://" + o.cfg.address + ":" + std::to_string(o.cfg.port);  // a standby names it
  auto drt = api_server::make_drt_service(drt_options, {}, "nebuta dispatch");
  auto cfg = o.cfg;
  cfg.access_log = !o.quiet;
  api_server::http_server server{nullptr, drt.get(), cfg};
  server.start();
  drt->start_background();
  std::fprintf(stderr, "nebuta dispatch: listening on http://%s:%u (%u threads)\n", cfg.address.c_str(), server.port(),
               cfg.threads);
  auto const sig = api_server::wait_for_shutdown_signal();
  std::fprintf(stderr, "nebuta dispatch: signal %d, draining\n", sig);
  api_server::report_drain("nebuta dispatch", server.drain(cfg.drain_timeout));
  server.stop();
  drt->stop_background();
}

}  // namespace

void register_dispatch(CLI::App& app) {
  auto o = std::make_shared<dispatch_options>();
  o->cfg.threads = 2;
  auto* cmd = app.add_subcommand("dispatch", "serve the on-demand dispatcher alone (see docs/drt-api.md)");
  api_server::add_drt_options(*cmd, o->drt, true);
  cmd->add_option("--address", o->cfg.address, "address to listen on")->capture_default_str();
  cmd->add_option("--port", o->cfg.port, "TCP port")->capture_default_str();
  cmd->add_option("--threads", o->cfg.threads, "HTTP worker threads (the dispatcher itself is serialised)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 256U));
  api_server::add_http_options(*cmd, o->cfg);
  cmd->add_flag("--quiet", o->quiet, "no access log on stderr");
  cmd->add_flag("--migrate-db", o->migrate,
                "convert a database of one service date (journal format 1) to this build's format, keeping a copy "
                "of it as DB.format1, and exit");
  cmd->callback([o] { run_dispatch(*o); });
}

}  // namespace nebuta::cli
