// Routing, parameters, content negotiation and errors of the HTTP API (no sockets here).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/json.h"
#include "nebuta/api_service/text_fold.h"
#include "message_response.h"
#include "negotiation.h"
#include "static_files.h"

namespace nebuta::api_server {

using api_service::api_error;
using api_service::lang_chain;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; '+' is a space in query strings. A malformed escape is kept as written.
std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct query_params {
  std::vector<std::pair<std::string, std::string>> items;
  std::string const* find(std::string_view k) const {
    for (auto const& [key, v] : items) {
      if (key == k) return &v;
    }
    return nullptr;
  }
  std::string get(std::string_view k) const {
    auto const* v = find(k);
    return v == nullptr ? std::string{} : *v;
  }
};

query_params parse_query(std::string_view q, server_config const& cfg) {
  query_params out;
  std::size_t start = 0;
  while (start < q.size()) {
    auto const end = std::min(q.find('&', start), q.size());
    auto const item = q.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    if (out.items.size() >= cfg.max_params) throw api_error{400, "too_many_parameters", {std::to_string(cfg.max_params)}};
    auto const eq = item.find('=');
    auto key = url_decode(item.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::string{} : url_decode(item.substr(eq + 1), true);
    if (key.size() > 64 || !api_service::valid_utf8(key)) throw api_error{400, "unknown_parameter", {"?"}};
    if (value.size() > cfg.max_param_bytes) {
      throw api_error{400, "parameter_too_long", {key, std::to_string(cfg.max_param_bytes)}};
    }
    if (!api_service::valid_utf8(value)) throw api_error{400, "invalid_utf8", {key}};
    if (out.find(key) != nullptr) throw api_error{400, "duplicate_parameter", {key}};
    out.items.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

void check_allowed(query_params const& q, std::initializer_list<std::string_view> allowed) {
  for (auto const& [k, v] : q.items) {
    if (k == "lang") continue;
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) throw api_error{400, "unknown_parameter", {k}};
  }
}

bool parse_bool(query_params const& q, std::string_view name) {
  auto const* v = q.find(name);
  if (v == nullptr) return false;
  auto const l = lower(*v);
  if (l.empty() || l == "1" || l == "true" || l == "yes") return true;
  if (l == "0" || l == "false" || l == "no") return false;
  throw api_error{400, "invalid_parameter", {std::string{name}, "must be true or false"}};
}

std::optional<long> parse_int(query_params const& q, std::string_view name, long lo, long hi) {
  auto const* v = q.find(name);
  if (v == nullptr) return std::nullopt;
  long out = 0;
  auto const [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || p != v->data() + v->size() || v->empty() || out < lo || out > hi) {
    throw api_error{400, "invalid_parameter",
                    {std::string{name}, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)}};
  }
  return out;
}

std::optional<double> parse_double(query_params const& q, std::string_view name) {
  auto const* v = q.find(name);
  if (v == nullptr) return std::nullopt;
  char* end = nullptr;
  auto const out = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size() || !std::isfinite(out) ||
      v->find_first_of("xXnN") != std::string::npos) {
    throw api_error{400, "invalid_parameter", {std::string{name}, "must be a number"}};
  }
  return out;
}

double require_coordinate(query_params const& q, std::string_view name, double limit) {
  auto const* raw = q.find(name);
  if (raw == nullptr || raw->empty()) throw api_error{400, "missing_parameter", {std::string{name}}};
  std::optional<double> v;
  try {
    v = parse_double(q, name);
  } catch (api_error const&) {
    throw api_error{400, "invalid_coordinate", {std::string{name} + "=" + *raw}};
  }
  if (*v < -limit || *v > limit) throw api_error{400, "invalid_coordinate", {std::string{name} + "=" + *raw}};
  return *v;
}

format negotiate(std::string_view accept) {
  if (auto const f = negotiate_format(accept, format::json)) return *f;
  throw api_error{406, "not_acceptable", {std::string{accept.substr(0, 100)}}};
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto const end = std::min(path.find('/', start), path.size());
    out.push_back(url_decode(path.substr(start, end - start), false));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();  // trailing slash
  return out;
}

raptor::router& thread_router(timetable const& tt, std::uint64_t owner) {
  // The router is not thread-safe: each server thread keeps its own, built on first use.
  thread_local std::unique_ptr<raptor::router> router;
  thread_local std::uint64_t router_owner = 0;
  if (!router || router_owner != owner) {
    router = std::make_unique<raptor::router>(tt);
    router_owner = owner;
  }
  return *router;
}

std::atomic<std::uint64_t> next_api_id{1};

// lang=: comma-separated BCP 47 tags.
bool valid_lang_param(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto const end = std::min(s.find(',', start), s.size());
    auto const tag = s.substr(start, end - start);
    if (tag.empty() || tag.size() > 35 || !std::isalpha(static_cast<unsigned char>(tag.front())) ||
        !std::all_of(tag.begin(), tag.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; })) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

api::api(api_service::service const& svc, server_config const& cfg) : api{&svc, nullptr, cfg} {}

api::api(api_service::service const* svc, drt_service* drt, server_config const& cfg)
    : svc_{svc}, drt_{drt}, cfg_{cfg}, openapi_{make_openapi_json()}, web_{std::make_shared<static_files const>(cfg)} {
  v1::Health h;
  h.set_status("ok");
  health_json_ = api_service::to_json(h);
  health_pb_ = h.SerializeAsString();
  id_ = next_api_id.fetch_add(1);
}

http_response api::serve(http_request const& req) {
  auto const t0 = std::chrono::steady_clock::now();
  auto ep = endpoint::other;
  auto res = handle_with(req, svc_ != nullptr ? &thread_router(svc_->tt(), id_) : nullptr, ep);
  metrics_.record(ep, res.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return res;
}

http_response api::handle(http_request const& req, raptor::router& router, endpoint& ep) {
  return handle_with(req, &router, ep);
}

http_response api::handle_with(http_request const& req, raptor::router* router_ptr, endpoint& ep) {
  if (drt_ != nullptr && drt_->owns(req.target)) return drt_->handle(req, ep);
  if (auto page = web_->serve(req)) return *std::move(page);  // the web app at / (static_files.cc)
  auto const qpos = req.target.find('?');
  std::string_view const path = std::string_view{req.target}.substr(0, qpos);
  std::string_view const query = qpos == std::string::npos ? std::string_view{} : std::string_view{req.target}.substr(qpos + 1);

  // Errors before the language is known are written in English.
  lang_chain chain = api_service::make_lang_chain({}, req.accept_language);
  auto fmt = format::json;
  try {
    fmt = negotiate(req.accept);
    if (req.target.size() > cfg_.max_uri_bytes) throw api_error{414, "uri_too_long", {std::to_string(cfg_.max_uri_bytes)}};
    auto const params = parse_query(query, cfg_);
    if (auto const* lang = params.find("lang")) {
      if (!valid_lang_param(*lang)) {
        throw api_error{400, "invalid_parameter", {"lang", "must be a comma-separated list of language tags"}};
      }
      chain = api_service::make_lang_chain(*lang, req.accept_language);
    }
    if (req.method == "OPTIONS") {  // CORS preflight; the headers are added by the transport
      ep = endpoint::other;
      return {204, {}, {}, {}, {}};
    }
    auto const seg = split_path(path);
    auto const is_get = req.method == "GET" || req.method == "HEAD";
    auto const only_get = [&](char const* allow = "GET") {
      if (!is_get) throw api_error{405, "method_not_allowed", {req.method, allow}};
    };

    if (path == "/healthz") {
      ep = endpoint::healthz;
      only_get();
      http_response r;
      r.content_type = fmt == format::protobuf ? protobuf_type : json_type;
      r.body = fmt == format::protobuf ? health_pb_ : health_json_;
      return r;
    }
    if (path == "/metrics") {
      ep = endpoint::metrics;
      only_get();
      return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.prometheus_text(), {}, {}};
    }
    if (path == "/v1/openapi.json" || path == "/openapi.json") {
      ep = endpoint::openapi;
      only_get();
      return {200, std::string{json_type}, openapi_, {}, {}};
    }
    if (seg.size() >= 2 && seg[0] == "v1" && svc_ != nullptr && router_ptr != nullptr) {
      auto const& svc = *svc_;
      auto& router = *router_ptr;
      auto const& what = seg[1];
      if (what == "plan" && seg.size() == 2) {
        ep = endpoint::plan;
        v1::PlanRequest pr;
        if (req.method == "POST") {
          if (req.body.size() > cfg_.max_body_bytes) {
            throw api_error{413, "body_too_large", {std::to_string(cfg_.max_body_bytes)}};
          }
          check_allowed(params, {});
          auto const ct = lower(req.content_type.substr(0, req.content_type.find(';')));
          auto ct_trim = ct;
          while (!ct_trim.empty() && ct_trim.back() == ' ') ct_trim.pop_back();
          if (ct_trim == protobuf_type || ct_trim == "application/protobuf" || ct_trim == "application/octet-stream") {
            if (!pr.ParseFromString(req.body)) throw api_error{400, "malformed_body", {"not a nebuta.v1.PlanRequest"}};
          } else if (ct_trim.empty() || ct_trim == json_type) {
            if (req.body.empty()) throw api_error{400, "malformed_body", {"empty body"}};
            if (!api_service::valid_utf8(req.body)) throw api_error{400, "malformed_body", {"not UTF-8"}};
            if (auto const err = api_service::from_json(req.body, pr); !err.empty()) {
              throw api_error{400, "malformed_body", {err.substr(0, 200)}};
            }
          } else {
            throw api_error{415, "unsupported_media_type", {req.content_type.substr(0, 100)}};
          }
          for (auto const* s : {&pr.from(), &pr.to(), &pr.date(), &pr.depart(), &pr.arrive(), &pr.window(), &pr.lang()}) {
            if (s->size() > cfg_.max_param_bytes) throw api_error{400, "malformed_body", {"a field is too long"}};
          }
        } else if (is_get) {
          check_allowed(params, {"from", "to", "date", "depart", "arrive", "window", "wheelchair", "max_legs",
                                 "walk_radius", "walk_speed", "transfer_slack", "gtfs_literal", "sort", "max_fare"});
          pr.set_from(params.get("from"));
          pr.set_to(params.get("to"));
          pr.set_date(params.get("date"));
          pr.set_depart(params.get("depart"));
          pr.set_arrive(params.get("arrive"));
          pr.set_window(params.get("window"));
          pr.set_lang(params.get("lang"));
          pr.set_wheelchair(parse_bool(params, "wheelchair"));
          pr.set_gtfs_literal(parse_bool(params, "gtfs_literal"));
          if (auto v = parse_int(params, "max_legs", 1, raptor::max_legs_limit)) pr.set_max_legs(static_cast<std::uint32_t>(*v));
          if (auto v = parse_double(params, "walk_radius")) pr.set_walk_radius(*v);
          if (auto v = parse_double(params, "walk_speed")) pr.set_walk_speed(*v);
          if (auto v = parse_int(params, "transfer_slack", 0, 3600)) pr.set_transfer_slack(static_cast<std::int32_t>(*v));
          pr.set_sort(params.get("sort"));  // fares (docs/fares.md)
          if (auto v = parse_double(params, "max_fare")) pr.set_max_fare(*v);
        } else {
          throw api_error{405, "method_not_allowed", {req.method, "GET, POST"}};
        }
        if (!pr.lang().empty()) chain = api_service::make_lang_chain(pr.lang(), req.accept_language);
        return message_response(svc.plan(pr, chain, router), fmt);
      }
      if (what == "stops") {
        if (seg.size() == 2) {
          ep = endpoint::stops_search;
          only_get();
          check_allowed(params, {"q", "limit"});
          auto const limit = parse_int(params, "limit", 1, svc.config().max_results).value_or(10);
          return message_response(svc.search_stops(params.get("q"), static_cast<unsigned>(limit), chain), fmt);
        }
        if (seg.size() == 3) {
          ep = endpoint::stop;
          only_get();
          check_allowed(params, {});
          return message_response(svc.stop(seg[2], chain), fmt);
        }
        if (seg.size() == 4 && seg[3] == "departures") {
          ep = endpoint::departures;
          only_get();
          check_allowed(params, {"date", "time", "n"});
          auto const n = parse_int(params, "n", 1, svc.config().max_results).value_or(10);
          return message_response(
              svc.departures(seg[2], params.get("date"), params.get("time"), static_cast<unsigned>(n), chain), fmt);
        }
      }
      if (what == "nearby" && seg.size() == 2) {
        ep = endpoint::nearby;
        only_get();
        check_allowed(params, {"lat", "lon", "radius", "limit"});
        auto const lat = require_coordinate(params, "lat", 90.0);
        auto const lon = require_coordinate(params, "lon", 180.0);
        auto const radius = parse_double(params, "radius").value_or(500.0);
        auto const limit = parse_int(params, "limit", 1, svc.config().max_results).value_or(20);
        return message_response(svc.nearby(lat, lon, radius, static_cast<unsigned>(limit), chain), fmt);
      }
      if (what == "routes" && seg.size() <= 3) {
        ep = seg.size() == 2 ? endpoint::routes : endpoint::route;
        only_get();
        check_allowed(params, {});
        if (seg.size() == 2) return message_response(svc.routes(chain), fmt);
        return message_response(svc.route(seg[2], chain), fmt);
      }
      if (what == "trips" && seg.size() == 3) {
        ep = endpoint::trip;
        only_get();
        check_allowed(params, {"date"});
        return message_response(svc.trip(seg[2], params.get("date"), chain), fmt);
      }
      if (what == "feeds" && seg.size() == 2) {
        ep = endpoint::feeds;
        only_get();
        check_allowed(params, {});
        return message_response(svc.feeds(chain), fmt);
      }
    }
    throw api_error{404, "not_found", {std::string{path.substr(0, 200)}}};
  } catch (api_error const& e) {
    auto r = message_response(api_service::error_to_message(e, chain), fmt, e.status());
    if (e.status() == 405 && e.args().size() > 1) r.allow = e.args()[1];
    return r;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "nebuta serve: internal error on %s: %s\n", req.target.substr(0, 200).c_str(), e.what());
    return message_response(api_service::error_to_message(api_error{500, "internal"}, chain), fmt, 500);
  }
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
      "plan",        "stops_search", "stop",          "departures",    "nearby",      "routes",
      "route",       "trip",         "feeds",         "healthz",       "metrics",     "openapi",
      "drt_offer",   "drt_request",  "drt_vehicle",   "drt_telemetry", "drt_gtfs_rt", "drt_other",
      "other"};
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
      "bad_framing",   "uri_too_long",       "headers_too_large",  "body_too_large", "version_not_supported",
      "expectation_failed", "rate_limited",  "connection_refused", "connection_evicted", "header_timeout",
      "body_timeout",  "slow_client",        "idle_timeout"};
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
