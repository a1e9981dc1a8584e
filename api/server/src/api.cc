// The server's own pages (/healthz, /metrics, OpenAPI, the web app) and the entry of every
// request into the pipeline (pipeline.h), with the planner's and the on-demand API's routes.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>

#include "message_response.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/realtime.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/json.h"
#include "plan_on_demand.h"
#include "rate_limiter.h"
#include "routes.h"
#include "static_files.h"

namespace nebuta::api_server {

namespace {

// GET /healthz (with the realtime sources' state when there are any)
http_response healthz(server_pages& s, call& c) {
  if (s.rt != nullptr) {
    v1::Health h;
    h.set_status("ok");
    s.rt->fill_health(h);
    return message_response(h, c.fmt);
  }
  http_response r;
  r.content_type = c.fmt == format::protobuf ? protobuf_type : json_type;
  r.body = c.fmt == format::protobuf ? s.health_pb : s.health_json;
  return r;
}

// GET /readyz: 200 once the server takes traffic (it listens only once the timetable is loaded;
// with --rt, once a realtime source has delivered), 503 while draining (docs/http.md). The body
// is a Health message whose status says which.
http_response readyz(server_pages& s, call& c) {
  auto const realtime_in = [&] {
    if (s.rt == nullptr) return true;
    auto const sources = s.rt->store().sources();
    return std::any_of(sources.begin(), sources.end(), [](auto const& h) { return h.messages != 0; });
  };
  v1::Health h;
  h.set_status(s.draining ? "draining" : realtime_in() ? "ready" : "waiting_for_realtime");
  auto r = message_response(h, c.fmt);
  if (h.status() != "ready") r.status = 503;
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// GET /metrics (Prometheus text)
http_response metrics_page(server_pages& s, call&) {
  auto text = s.stats.prometheus_text();
  if (s.drt != nullptr) text += s.drt->prometheus_text();  // the on-demand service's own counters
  if (s.rt != nullptr) text += s.rt->prometheus_text();
  return {200, "text/plain; version=0.0.4; charset=utf-8", std::move(text), {}, {}};
}

// GET /v1/openapi.json
http_response openapi(server_pages& s, call&) { return {200, std::string{json_type}, s.openapi, {}, {}}; }

// The web app: /, /index.html, /config.json, /app/..., /vendor/leaflet/...
http_response web_file(server_pages& s, call& c) {
  if (auto page = s.web.serve(c.req)) return *std::move(page);
  throw api_error{404, "not_found", {std::string{c.path.substr(0, 200)}}};
}

constexpr std::array<route<server_pages>, 10> pages{{
    {"/healthz", "GET", "", endpoint::healthz, healthz},
    {"/readyz", "GET", "", endpoint::healthz, readyz},
    {"/metrics", "GET", "", endpoint::metrics, metrics_page},
    {"/v1/openapi.json", "GET", "", endpoint::openapi, openapi},
    {"/openapi.json", "GET", "", endpoint::openapi, openapi},
    {"/", "GET", "", endpoint::other, web_file, false, answers::files},
    {"/index.html", "GET", "", endpoint::other, web_file, false, answers::files},
    {"/config.json", "GET", "", endpoint::other, web_file, false, answers::files},
    {"/app/**", "GET", "", endpoint::other, web_file, false, answers::files},
    {"/vendor/**", "GET", "", endpoint::other, web_file, false, answers::files},
}};

}  // namespace

std::span<route<server_pages> const> server_page_routes() { return pages; }

api::api(api_service::service const& svc, server_config const& cfg) : api{&svc, nullptr, cfg} {}

api::api(api_service::service const* svc, drt_service* drt, server_config const& cfg)
    : svc_{svc},
      drt_{drt},
      cfg_{cfg},
      openapi_{make_openapi_json()},
      web_{std::make_shared<static_files const>(cfg)},
      limiter_{std::make_shared<rate_limiter>(cfg.rate_limit_per_s, cfg.rate_burst)} {
  v1::Health h;
  h.set_status("ok");
  health_json_ = api_service::to_json(h);
  health_pb_ = h.SerializeAsString();
  // A router is not thread-safe: each request borrows one of the pool's (see serve()).
  if (svc_ != nullptr) routers_ = std::make_unique<raptor::router_pool>(svc_->raptor_index());
  if (drt_ != nullptr) areas_.push_back(local_area(*drt_));
}

void api::set_remote_areas(std::vector<std::shared_ptr<on_demand_area>> areas, journeys_route journeys) {
  areas_.insert(areas_.end(), areas.begin(), areas.end());
  remote_journeys_ = std::move(journeys);
}

http_response api::serve(http_request const& req) {
  auto const t0 = std::chrono::steady_clock::now();
  auto ep = endpoint::other;
  auto res = [&] {
    if (!routers_) return handle_with(req, nullptr, ep);
    auto const router = routers_->acquire();
    return handle_with(req, &*router, ep);
  }();
  if (res.status == 429) metrics_.count(metrics::gate_event::rate_limited);
  metrics_.record(ep, res.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return res;
}

http_response api::handle(http_request const& req, raptor::router& router, endpoint& ep) {
  return handle_with(req, &router, ep);
}

http_response api::handle_with(http_request const& req, raptor::router* router_ptr, endpoint& ep) {
  return run_pipeline(req, cfg_, limiter_.get(), ep, [&](call& c) -> std::optional<http_response> {
    server_pages sp{health_json_, health_pb_, openapi_, metrics_, *web_, drt_, rt_, draining()};
    if (auto const* r = find_route(server_page_routes(), c)) return dispatch(*r, sp, c);
    auto realtime_state = rt_ != nullptr ? rt_->current() : nullptr;  // one state for the whole request
    if (rt_ != nullptr) {
      realtime_api ra{*rt_, realtime_state};
      if (auto const* r = find_route(realtime_routes(), c)) return dispatch(*r, ra, c);
    }
    if (svc_ != nullptr && router_ptr != nullptr) {
      planner p{*svc_, *router_ptr, std::move(realtime_state), areas_};
      if (auto const* r = find_route(planner_routes(), c)) return dispatch(*r, p, c);
    }
    if (drt_ != nullptr) return drt_->route_call(c);
    if (remote_journeys_) return remote_journeys_(c);
    return std::nullopt;
  });
}

// ------------------------------------------------------------------ metrics

void metrics::record(endpoint e, int status, double seconds) {
  auto& m = eps_[static_cast<std::size_t>(e)];
  auto code_i = codes.size() - 1;  // other
  for (std::size_t i = 0; i + 1 < codes.size(); ++i) {
    if (codes[i] == status) code_i = i;
  }
  m.by_code[code_i].fetch_add(1, std::memory_order_relaxed);
  auto b = n_buckets;
  for (std::size_t i = 0; i < n_buckets; ++i) {
    if (seconds <= bucket_bounds[i]) {
      b = i;
      break;
    }
  }
  m.buckets[b].fetch_add(1, std::memory_order_relaxed);
  m.sum_us.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string metrics::prometheus_text() const {
  static constexpr std::array<char const*, n_ep> names{
      "plan",      "stops_search", "stop",        "departures",    "nearby",      "routes",
      "route",     "trip",         "feeds",       "healthz",       "metrics",     "openapi",
      "drt_offer", "drt_request",  "drt_vehicle", "drt_telemetry", "drt_gtfs_rt", "drt_other",
      "alerts",    "rt_push",      "gtfs_rt",     "other"};
  std::string out;
  out += "# HELP nebuta_http_requests_total HTTP requests by endpoint and status code.\n";
  out += "# TYPE nebuta_http_requests_total counter\n";
  char buf[256];
  for (std::size_t e = 0; e < n_ep; ++e) {
    for (std::size_t c = 0; c < codes.size(); ++c) {
      auto const v = eps_[e].by_code[c].load(std::memory_order_relaxed);
      if (v == 0) continue;
      auto const code = codes[c] == 0 ? std::string{"other"} : std::to_string(codes[c]);
      std::snprintf(buf, sizeof(buf), "nebuta_http_requests_total{endpoint=\"%s\",code=\"%s\"} %llu\n", names[e],
                    code.c_str(), static_cast<unsigned long long>(v));
      out += buf;
    }
  }
  out += "# HELP nebuta_http_request_duration_seconds Time to compute a response, by endpoint.\n";
  out += "# TYPE nebuta_http_request_duration_seconds histogram\n";
  for (std::size_t e = 0; e < n_ep; ++e) {
    std::uint64_t cum = 0;
    for (std::size_t b = 0; b <= n_buckets; ++b) {
      cum += eps_[e].buckets[b].load(std::memory_order_relaxed);
      if (b < n_buckets) {
        std::snprintf(buf, sizeof(buf), "nebuta_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} %llu\n",
                      names[e], bucket_bounds[b], static_cast<unsigned long long>(cum));
      } else {
        std::snprintf(buf, sizeof(buf), "nebuta_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} %llu\n",
                      names[e], static_cast<unsigned long long>(cum));
      }
      out += buf;
    }
    std::snprintf(buf, sizeof(buf), "nebuta_http_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n", names[e],
                  static_cast<double>(eps_[e].sum_us.load(std::memory_order_relaxed)) / 1e6);
    out += buf;
    std::snprintf(buf, sizeof(buf), "nebuta_http_request_duration_seconds_count{endpoint=\"%s\"} %llu\n", names[e],
                  static_cast<unsigned long long>(cum));
    out += buf;
  }
  static constexpr std::array<char const*, static_cast<std::size_t>(gate_event::n)> gate_names{
      "bad_framing",        "uri_too_long", "headers_too_large",  "body_too_large",     "version_not_supported",
      "expectation_failed", "rate_limited", "connection_refused", "connection_evicted", "header_timeout",
      "body_timeout",       "slow_client",  "idle_timeout"};
  out += "# HELP nebuta_http_gate_total Requests and connections the HTTP gate refused or closed, by reason.\n";
  out += "# TYPE nebuta_http_gate_total counter\n";
  for (std::size_t i = 0; i < gate_names.size(); ++i) {
    std::snprintf(buf, sizeof(buf), "nebuta_http_gate_total{reason=\"%s\"} %llu\n", gate_names[i],
                  static_cast<unsigned long long>(gate_[i].load(std::memory_order_relaxed)));
    out += buf;
  }
  out += "# HELP nebuta_http_open_connections Connections open now.\n";
  out += "# TYPE nebuta_http_open_connections gauge\n";
  out += "nebuta_http_open_connections " + std::to_string(open_connections.load()) + "\n";
  return out;
}

}  // namespace nebuta::api_server
