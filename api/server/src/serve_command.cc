// `nebuta serve (--feed F... | --snapshot FILE) [--port 8080] [--threads N] [--db ... | --drt AREA=URL ...]`
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "drt_remote.h"
#include "nebuta/api/places_source.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/drt_command.h"
#include "nebuta/api_server/realtime.h"
#include "nebuta/api_server/serve_command.h"
#include "nebuta/api_server/server.h"
#include "replicas.h"

namespace nebuta::api_server {
namespace {

struct serve_options {
  nebuta::api::timetable_source src;
  std::string places;  // --places FILE: a gazetteer (docs/search.md)
  server_config cfg;
  unsigned max_compute_ms{2000};
  unsigned max_window_min{360};
  bool quiet{false};
  drt_cli_options drt;        // on-demand dispatch beside the planner, when --db is given
  realtime_options rt;        // GTFS-RT sources, when --rt is given (docs/realtime.md)
  unsigned replicas{1};       // --replicas: processes forked after loading, on ports port..port+N-1
  remote_area_options areas;  // --drt AREA=URL: on-demand areas of dispatchers elsewhere (issue 19)
};

// The realtime sources of --rt, over the loaded timetable (null without --rt).
std::unique_ptr<realtime> make_realtime(serve_options const& o, timetable const& tt) {
  if (o.rt.sources.empty()) return nullptr;
  auto opt = o.rt;
  // Push needs the operator token; without one configured, POST /v1/rt/NAME answers 403.
  if (!o.drt.operator_token_file.empty() || std::getenv("NEBUTA_OPERATOR_TOKEN") != nullptr)
    opt.operator_token = read_operator_token(o.drt);
  std::vector<gtfs_import::feed_spec> specs;
  for (auto const& f : o.src.feeds) specs.push_back(gtfs_import::parse_feed_arg(f));
  auto rt = std::make_unique<realtime>(tt, specs, std::move(opt));
  rt->poll_once();  // the first fetch before the first request, so that answers start with realtime
  for (auto const& h : rt->store().sources())
    std::fprintf(stderr, "nebuta serve: realtime source %s: %llu messages applied, %llu refused\n", h.name.c_str(),
                 static_cast<unsigned long long>(h.messages), static_cast<unsigned long long>(h.refused));
  return rt;
}

void run_serve(serve_options const& o) {
  if (o.src.feeds.empty() == o.src.snapshot.empty())
    throw std::runtime_error{"give --feed (one or more) or --snapshot"};
  if (o.replicas > 1 && !o.drt.db.empty())
    throw std::runtime_error{"--replicas: the dispatcher (--db) is one process; run it alone with `nebuta dispatch`"};
  if (!o.areas.areas.empty() && !o.drt.db.empty())
    throw std::runtime_error{"--drt and --db: run this area's dispatcher as `nebuta dispatch` and give it as --drt too"};
  if (o.replicas > 1 && (o.cfg.port == 0 || o.cfg.port + o.replicas - 1 > 65535))
    throw std::runtime_error{"--replicas: give a --port such that port + replicas - 1 <= 65535"};
  // Signals are blocked before any thread starts, so that only sigwait below receives them.
  block_shutdown_signals();
  auto loaded = nebuta::api::load_timetable(o.src);
  api_service::limits lim;
  lim.strict_dates = true;
  lim.max_compute = std::chrono::milliseconds{o.max_compute_ms};
  lim.max_window_s = static_cast<seconds_t>(o.max_window_min) * 60;
  auto const index_start = std::chrono::steady_clock::now();
  api_service::service const svc{loaded.tt, lim, nebuta::api::load_places(o.places), loaded.sections};
  std::fprintf(
      stderr, "nebuta serve: router index and name search ready in %.2f s (lower-bound graph %s, stay-seated links %s)\n",
      std::chrono::duration<double>(std::chrono::steady_clock::now() - index_start).count(),
      svc.raptor_index().lb_graph_stored() ? "loaded from the snapshot" : "built",
      svc.raptor_index().seated_links_stored() ? "loaded" : "built");
  loaded.sections = {};  // the index copied what it used; not kept twice for the server's life
  auto cfg = o.cfg;
  if (o.replicas > 1) {
    // From here on, N processes share the loaded timetable and index (copy-on-write).
    auto const slot = fork_replicas(o.replicas, "nebuta serve");
    if (!slot) return;  // the supervisor, after its replicas drained
    cfg.port = static_cast<std::uint16_t>(cfg.port + *slot);
  }
  cfg.access_log = !o.quiet;
  std::unique_ptr<drt_service> drt;
  if (!o.drt.db.empty()) drt = make_drt_service(o.drt, timetable_access(svc), "nebuta serve");
  auto const rt = make_realtime(o, loaded.tt);
  std::unique_ptr<remote_areas> areas;
  if (!o.areas.areas.empty()) areas = std::make_unique<remote_areas>(o.areas, loaded.tt, "nebuta serve");
  http_server server{&svc, drt.get(), cfg};
  server.handler_api().set_realtime(rt.get());
  if (areas)
    server.handler_api().set_remote_areas(areas->areas(), [&areas](call& c) { return areas->route_journeys(c); });
  if (drt) connect_journeys(*drt, svc, rt.get());  // late trains move journey legs; lost ones get an alternative
  server.start();
  if (areas) areas->start();
  if (drt) drt->start_background();
  if (rt) rt->start();
  std::fprintf(
      stderr,
      "nebuta serve: %zu stops, %zu trips loaded in %.2f s; listening on http://%s:%u (%u threads); web app at http://%s:%u/\n",
      loaded.tt.n_stops(), loaded.tt.n_trips(), loaded.load_seconds, cfg.address.c_str(), server.port(), cfg.threads,
      cfg.address == "0.0.0.0" ? "127.0.0.1" : cfg.address.c_str(), server.port());
  auto const sig = wait_for_shutdown_signal();
  std::fprintf(stderr, "nebuta serve: signal %d, draining (at most %.1f s)\n", sig,
               std::chrono::duration<double>(cfg.drain_timeout).count());
  report_drain("nebuta serve", server.drain(cfg.drain_timeout));
  if (rt) rt->stop();
  server.stop();
  if (areas) areas->stop();
  if (drt) drt->stop_background();
}

template <typename Rep, typename Period>
void add_ms_option(CLI::App& cmd, char const* name, std::chrono::duration<Rep, Period>& d, char const* what) {
  cmd.add_option_function<unsigned>(
         name, [&d](unsigned const& v) { d = std::chrono::milliseconds{v}; }, what)
      ->default_str(std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()))
      ->check(CLI::Range(1U, 3'600'000U));
}

}  // namespace

void add_http_options(CLI::App& cmd, server_config& cfg) {
  cmd.add_option("--max-body", cfg.max_body_bytes, "largest request body in bytes (413 beyond, before it is read)")
      ->capture_default_str();
  cmd.add_option("--max-request-line", cfg.max_request_line, "longest request line in bytes (414 beyond)")
      ->capture_default_str();
  cmd.add_option("--max-header-bytes", cfg.max_header_bytes, "largest header block in bytes (431 beyond)")
      ->capture_default_str();
  cmd.add_option("--max-headers", cfg.max_headers, "most header fields (431 beyond)")->capture_default_str();
  add_ms_option(cmd, "--header-timeout-ms", cfg.header_timeout, "the header block must arrive within this");
  add_ms_option(cmd, "--body-timeout-ms", cfg.body_timeout, "the body must arrive within this after the header");
  add_ms_option(cmd, "--keepalive-timeout-ms", cfg.keepalive_timeout, "idle keep-alive connections close after this");
  cmd.add_option("--min-rate", cfg.min_rate_bytes_s, "bytes/s below which a client still sending a request is dropped")
      ->capture_default_str();
  cmd.add_option("--max-connections", cfg.max_connections, "open connections at most (0: the open-file limit less 1/8)")
      ->capture_default_str();
  cmd.add_option("--rate-limit", cfg.rate_limit_per_s, "plans and offers per second per client address (0: off)")
      ->capture_default_str();
  cmd.add_option("--rate-burst", cfg.rate_burst, "burst of the per-address rate limit")->capture_default_str();
  cmd.add_flag("--rate-limit-loopback", cfg.rate_limit_loopback, "rate-limit loopback clients too");
  cmd.add_option("--trusted-proxy", cfg.trusted_proxies,
                 "address of a proxy whose X-Forwarded-For names the client (repeatable)");
  add_ms_option(cmd, "--drain-timeout", cfg.drain_timeout,
                "on SIGTERM/SIGINT: stop accepting, answer what is in flight, stop after at most this");
}

void report_drain(char const* who, http_server::drain_result const& d) {
  std::fprintf(stderr, "%s: drained in %.3f s (%llu requests answered meanwhile, %zu connections cut)\n", who,
               d.seconds, static_cast<unsigned long long>(d.answered), d.left_open);
}

void register_serve(CLI::App& app) {
  auto o = std::make_shared<serve_options>();
  o->cfg.threads = 2;
  auto* cmd = app.add_subcommand("serve", "serve the HTTP/protobuf API (see docs/planner-api.md)");
  cmd->add_option("--feed", o->src.feeds, "GTFS feed folder or .zip, as PATH or NAME=PATH (repeatable)");
  cmd->add_option("--snapshot", o->src.snapshot, "compiled timetable written by `nebuta import`");
  cmd->add_option("--walk-links", o->src.walk_link_radius_m, "radius in metres of precomputed walking links")
      ->capture_default_str();
  cmd->add_option("--places", o->places,
                  "gazetteer of places to search and plan to (GeoJSON points or CSV, "
                  "e.g. data/places/aomori.geojson; see docs/search.md)");
  cmd->add_option("--address", o->cfg.address, "address to listen on")->capture_default_str();
  cmd->add_option("--port", o->cfg.port, "TCP port")->capture_default_str();
  cmd->add_option("--threads", o->cfg.threads, "worker threads (each with its own router)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 256U));
  add_http_options(*cmd, o->cfg);
  cmd->add_option("--max-compute-ms", o->max_compute_ms, "computing time per request before 503 deadline_exceeded")
      ->capture_default_str();
  cmd->add_option("--max-window", o->max_window_min, "longest range-query window in minutes")->capture_default_str();
  cmd->add_flag("--quiet", o->quiet, "no access log on stderr");
  cmd->add_option("--replicas", o->replicas,
                  "fork N replica processes once the timetable is loaded, on ports --port..--port+N-1, sharing its "
                  "memory; one that dies is forked again (docs/deployment.md)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 64U));
  // The web app at / (docs/web-app.md).
  cmd->add_option("--web-root", o->cfg.web_root,
                  "folder of the web app served at / (default: api/web of the "
                  "source tree, else the installed share/nebuta/web)");
  cmd->add_option("--leaflet-dir", o->cfg.leaflet_root, "Leaflet served at /vendor/leaflet/ (default: libjs-leaflet's)");
  cmd->add_option("--tiles", o->cfg.tiles_url,
                  "map tile URL template for the web app, e.g. https://tile.example/{z}/{x}/{y}.png (default: no tiles, "
                  "nothing leaves the machine)");
  cmd->add_option("--tiles-attribution", o->cfg.tiles_attribution, "attribution shown under the map for --tiles");
  add_drt_options(*cmd, o->drt, false);
  // On-demand areas whose dispatchers run elsewhere (issue 19, docs/maas.md#remote-areas).
  cmd->add_option("--drt", o->areas.areas,
                  "on-demand area AREA=URL of a `nebuta dispatch` (repeatable): plans ask it for the on-demand legs "
                  "whose door end lies in its service area, POST /v1/journeys books there; needs "
                  "NEBUTA_JOURNEY_SECRET shared with the areas; not with --db");
  cmd->add_option("--drt-osm", o->areas.osm,
                  "AREA=FILE.osm.pbf: the OSM extract of an area whose dispatcher runs with --osm (the same file)");
  cmd->add_option("--drt-timeout", o->areas.timeout_s, "seconds a request to an area's dispatcher may take")
      ->capture_default_str()
      ->check(CLI::Range(1U, 60U));
  cmd->add_option("--drt-refresh", o->areas.refresh_s,
                  "seconds between two fetches of an area's description (an unreachable one: every 5 s)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 86400U));
  // Realtime (docs/realtime.md).
  cmd->add_option("--rt", o->rt.sources,
                  "GTFS-RT source NAME=URL_OR_FILE (http://, https:// or a file; NAME=push: only POST /v1/rt/NAME; "
                  "repeatable; NAME or its part before the first '-' names the static feed)");
  cmd->add_option("--rt-interval", o->rt.interval_s, "seconds between two polls of every --rt source")
      ->capture_default_str()
      ->check(CLI::Range(1U, 86400U));
  cmd->add_option("--rt-max-age", o->rt.max_age_s,
                  "seconds a source may go without delivering before its feed falls back to the schedule (0: off, "
                  "for recorded snapshots)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{7 * 86400}));
  cmd->add_option("--rt-timeout", o->rt.timeout_s, "seconds a fetch may take")
      ->capture_default_str()
      ->check(CLI::Range(1U, 600U));
  cmd->add_option("--rt-max-bytes", o->rt.max_bytes, "largest realtime feed accepted, fetched or pushed")
      ->capture_default_str();
  cmd->callback([o] { run_serve(*o); });
}

}  // namespace nebuta::api_server
