// The HTTP front end of the service (Pistache): parses requests, negotiates JSON / protobuf,
// applies limits, counts metrics, writes the access log. All routing logic lives in
// handle(), which takes a transport-neutral request so that it can be tested and benchmarked
// without sockets.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/api_service/service.h"
#include "nebuta/raptor/router_pool.h"

namespace nebuta::api_server {

struct server_config {
  std::string address{"0.0.0.0"};
  // The visitor's web app at / (static_files.cc): its folder (empty: the compiled-in default),
  // Leaflet's folder, and the map tiles the operator configures (none by default).
  std::string web_root, leaflet_root, tiles_url, tiles_attribution;
  std::uint16_t port{8080};  // 0: pick a free port (see http_server::port())
  unsigned threads{0};       // 0: hardware concurrency
  std::size_t max_body_bytes{64 * 1024};
  std::size_t max_uri_bytes{4096};
  std::size_t max_params{32};
  std::size_t max_param_bytes{512};
  bool access_log{true};

  // The gate in front of Pistache (http_server.cc, request_framer.h): framing limits, slow
  // clients, connection and rate limits.
  std::size_t max_request_line{8192}, max_header_bytes{32768}, max_headers{100};
  std::chrono::milliseconds header_timeout{10000};     // the header block must arrive within this
  std::chrono::milliseconds body_timeout{10000};       // and then the body within this
  std::chrono::milliseconds keepalive_timeout{75000};  // an idle keep-alive connection is closed after this
  std::size_t min_rate_bytes_s{256};                   // slower than this (after 2 s) while a request arrives: closed
  std::size_t max_connections{0};                      // 0: the open-file limit less a reserve
  double rate_limit_per_s{30};                         // planning and offers per client address; 0: no limit
  double rate_burst{60};
  bool rate_limit_loopback{false};           // loopback clients (the operator's own machine) are not limited
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For names the client
  // SIGTERM: how long the drain may wait for requests in flight before the server stops anyway.
  std::chrono::milliseconds drain_timeout{10000};
};

struct http_request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path with the raw query string
  std::string accept, accept_language, content_type;
  std::string authorization;  // the Authorization header as sent (on-demand API)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // every header, names in lower case
  std::string client;  // the client's address (X-Forwarded-For from a trusted proxy, else the peer)
};

struct http_response {
  int status{200};
  std::string content_type;
  std::string body;
  std::string allow;                                         // for 405
  std::vector<std::pair<std::string, std::string>> headers;  // further headers (static files: caching)
};

// The endpoints metrics are kept for.
enum class endpoint : std::uint8_t {
  plan,
  stops_search,
  stop,
  departures,
  nearby,
  routes,
  route,
  trip,
  feeds,
  healthz,
  metrics,
  openapi,
  drt_offer,
  drt_request,
  drt_vehicle,
  drt_telemetry,
  drt_gtfs_rt,
  drt_other,
  alerts,
  rt_push,
  gtfs_rt,  // realtime (docs/realtime.md)
  other,
  n
};

class drt_service;
class on_demand_area;
struct call;
class realtime;  // realtime.h
class static_files;
class rate_limiter;

class metrics {
 public:
  static constexpr std::size_t n_buckets = 14;
  static constexpr std::array<double, n_buckets> bucket_bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                               0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};
  void record(endpoint e, int status, double seconds);
  std::string prometheus_text() const;

  // What the gate refused or closed before a request reached an endpoint.
  enum class gate_event : std::uint8_t {
    bad_framing,
    uri_too_long,
    headers_too_large,
    body_too_large,
    version_not_supported,
    expectation_failed,
    rate_limited,
    connection_refused,
    connection_evicted,
    header_timeout,
    body_timeout,
    slow_client,
    idle_timeout,
    n
  };
  void count(gate_event e) { gate_[static_cast<std::size_t>(e)].fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t gate_count(gate_event e) const { return gate_[static_cast<std::size_t>(e)].load(); }
  std::atomic<std::int64_t> open_connections{0};

 private:
  static constexpr std::size_t n_ep = static_cast<std::size_t>(endpoint::n);
  static constexpr std::array<int, 21> codes{200, 201, 204, 400, 401, 403, 404, 405, 406, 409, 413,
                                             414, 415, 417, 422, 429, 431, 500, 503, 505, 0};
  struct per_endpoint {
    std::array<std::atomic<std::uint64_t>, codes.size()> by_code{};
    std::array<std::atomic<std::uint64_t>, n_buckets + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> sum_us{0};
  };
  std::array<per_endpoint, n_ep> eps_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(gate_event::n)> gate_{};
};

// Request → response for one request, on the calling thread (which must own `router`).
class api {
 public:
  api(api_service::service const& svc, server_config const& cfg);
  // Without a timetable (svc null) only the on-demand API and the service endpoints answer.
  api(api_service::service const* svc, drt_service* drt, server_config const& cfg);
  http_response handle(http_request const& req, raptor::router& router, endpoint& ep);
  // handle() with metrics; borrows a router of the api's pool for the request.
  http_response serve(http_request const& req);
  metrics& stats() { return metrics_; }
  rate_limiter& limiter() { return *limiter_; }  // plans and offers per client address
  std::string const& openapi_json() const { return openapi_; }
  // The GTFS-RT sources (serve --rt), before the server starts; null: no realtime. Each request
  // takes the published state once and keeps it (planner::realtime, realtime_api::state).
  void set_realtime(realtime* rt) { rt_ = rt; }
  // On-demand areas whose dispatchers run in other processes (serve --drt, issue 19), searched by
  // /v1/plan, and the route of /v1/journeys that books at them; before the server starts.
  using journeys_route = std::function<std::optional<http_response>(call&)>;
  void set_remote_areas(std::vector<std::shared_ptr<on_demand_area>> areas, journeys_route journeys);
  // Draining: GET /readyz answers 503 (http_server::drain sets it).
  void set_draining() { draining_.store(true); }
  bool draining() const { return draining_.load(); }

 private:
  http_response handle_with(http_request const& req, raptor::router* router, endpoint& ep);

  api_service::service const* svc_;
  drt_service* drt_{nullptr};
  std::vector<std::shared_ptr<on_demand_area>> areas_;  // the local service's and remote ones
  journeys_route remote_journeys_;
  realtime* rt_{nullptr};
  std::atomic<bool> draining_{false};
  server_config cfg_;
  metrics metrics_;
  std::string openapi_;
  std::string health_json_, health_pb_;
  std::unique_ptr<raptor::router_pool> routers_;  // null without a timetable
  std::shared_ptr<static_files const> web_;
  std::shared_ptr<rate_limiter> limiter_;
};

// Builds the OpenAPI 3 description of every endpoint (message schemas from the descriptors).
std::string make_openapi_json();

// The Pistache server.
class http_server {
 public:
  http_server(api_service::service const& svc, server_config cfg);
  http_server(api_service::service const* svc, drt_service* drt, server_config cfg);  // either may be null
  ~http_server();
  void start();  // returns once listening
  void stop();   // graceful: stops accepting, finishes, joins
  // What a drain did: how long it took, the requests answered during it, the connections still
  // open when it ended (cut by stop(); 0 unless the bound was reached).
  struct drain_result {
    double seconds{0};
    std::uint64_t answered{0};
    std::size_t left_open{0};
  };
  // SIGTERM's drain (docs/http.md): /readyz turns 503, the listening socket is closed (new
  // connections are refused, so a proxy retries them elsewhere), idle keep-alive connections are
  // closed, each request in flight or arriving on an open connection is answered with
  // `Connection: close`; returns once no connection is left or after `bound`. Call stop() after.
  drain_result drain(std::chrono::milliseconds bound);
  std::uint16_t port() const { return port_; }
  api& handler_api() { return *api_; }

 private:
  struct impl;
  server_config cfg_;
  std::unique_ptr<api> api_;
  std::unique_ptr<impl> impl_;
  std::uint16_t port_{0};
};

// Blocks SIGINT and SIGTERM in the calling thread (call before starting threads), then waits
// for one of them.
void block_shutdown_signals();
int wait_for_shutdown_signal();

}  // namespace nebuta::api_server
