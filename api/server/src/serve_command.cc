// `nebuta serve (--feed F... | --snapshot FILE) [--port 8080] [--threads N]`
#include <cstdio>
#include <iostream>
#include <memory>

#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/drt_command.h"
#include "nebuta/api_server/serve_command.h"
#include "nebuta/api_server/server.h"

namespace nebuta::api_server {
namespace {

struct serve_options {
  nebuta::api::timetable_source src;
  server_config cfg;
  unsigned max_compute_ms{2000};
  unsigned max_window_min{360};
  bool quiet{false};
  drt_cli_options drt;  // on-demand dispatch beside the planner, when --db is given
};

void run_serve(serve_options const& o) {
  if (o.src.feeds.empty() == o.src.snapshot.empty()) throw std::runtime_error{"give --feed (one or more) or --snapshot"};
  // Signals are blocked before any thread starts, so that only sigwait below receives them.
  block_shutdown_signals();
  auto const loaded = nebuta::api::load_timetable(o.src);
  api_service::limits lim;
  lim.strict_dates = true;
  lim.max_compute = std::chrono::milliseconds{o.max_compute_ms};
  lim.max_window_s = static_cast<seconds_t>(o.max_window_min) * 60;
  api_service::service const svc{loaded.tt, lim};
  auto cfg = o.cfg;
  cfg.access_log = !o.quiet;
  std::unique_ptr<drt_service> drt;
  if (!o.drt.db.empty()) {
    auto const& tt = loaded.tt;
    drt = make_drt_service(
        o.drt,
        [&tt](std::string const& id) -> std::optional<latlon> {
          auto const s = tt.find_stop(id);
          if (!s || tt.stop_has_coords[*s] == 0) return std::nullopt;
          return tt.stop_coords[*s];
        },
        "nebuta serve");
  }
  http_server server{&svc, drt.get(), cfg};
  server.start();
  if (drt) drt->start_background();
  std::fprintf(stderr, "nebuta serve: %zu stops, %zu trips loaded in %.2f s; listening on http://%s:%u (%u threads); web app at http://%s:%u/\n",
               loaded.tt.n_stops(), loaded.tt.n_trips(), loaded.load_seconds, cfg.address.c_str(), server.port(),
               cfg.threads, cfg.address == "0.0.0.0" ? "127.0.0.1" : cfg.address.c_str(), server.port());
  auto const sig = wait_for_shutdown_signal();
  std::fprintf(stderr, "nebuta serve: signal %d, shutting down\n", sig);
  server.stop();
  if (drt) drt->stop_background();
}

}  // namespace

void register_serve(CLI::App& app) {
  auto o = std::make_shared<serve_options>();
  o->cfg.threads = 2;
  auto* cmd = app.add_subcommand("serve", "serve the HTTP/protobuf API (see README: HTTP API)");
  cmd->add_option("--feed", o->src.feeds, "GTFS feed folder or .zip, as PATH or NAME=PATH (repeatable)");
  cmd->add_option("--snapshot", o->src.snapshot, "compiled timetable written by `nebuta import`");
  cmd->add_option("--walk-links", o->src.walk_link_radius_m, "radius in metres of precomputed walking links")
      ->capture_default_str();
  cmd->add_option("--address", o->cfg.address, "address to listen on")->capture_default_str();
  cmd->add_option("--port", o->cfg.port, "TCP port")->capture_default_str();
  cmd->add_option("--threads", o->cfg.threads, "worker threads (each with its own router)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 256U));
  cmd->add_option("--max-body", o->cfg.max_body_bytes, "largest request body in bytes")->capture_default_str();
  cmd->add_option("--max-compute-ms", o->max_compute_ms, "computing time per request before 503 deadline_exceeded")
      ->capture_default_str();
  cmd->add_option("--max-window", o->max_window_min, "longest range-query window in minutes")->capture_default_str();
  cmd->add_flag("--quiet", o->quiet, "no access log on stderr");
  // The web app at / (docs/web-app.md).
  cmd->add_option("--web-root", o->cfg.web_root, "folder of the web app served at / (default: api/web of the "
                                                  "source tree, else the installed share/nebuta/web)");
  cmd->add_option("--leaflet-dir", o->cfg.leaflet_root, "Leaflet served at /vendor/leaflet/ (default: libjs-leaflet's)");
  cmd->add_option("--tiles", o->cfg.tiles_url,
                  "map tile URL template for the web app, e.g. https://tile.example/{z}/{x}/{y}.png (default: no tiles, "
                  "nothing leaves the machine)");
  cmd->add_option("--tiles-attribution", o->cfg.tiles_attribution, "attribution shown under the map for --tiles");
  add_drt_options(*cmd, o->drt, false);
  cmd->callback([o] { run_serve(*o); });
}

}  // namespace nebuta::api_server
