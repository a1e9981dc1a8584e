// The one request pipeline of both APIs (planner and on-demand) and the web app's files: every
// request, whatever answers it, goes through the same steps in the same order (run_pipeline):
//   1. the path is split into percent-decoded segments; a target over max_uri_bytes is 414;
//   2. OPTIONS (CORS preflight) is answered 204;
//   3. the router finds the route of the path in the tables (404 not_found), then of the method
//      (405 method_not_allowed with Allow);
//   4. the query string is parsed from the raw target (duplicates, too many, too long, invalid
//      UTF-8: 400) and checked against the route's parameters (400 unknown_parameter); `lang`
//      is accepted everywhere and, with Accept-Language, makes the language chain;
//   5. the answer format is negotiated (406 not_acceptable);
//   6. expensive routes take a token of the client's rate limit (429 rate_limited);
//   7. the route's handler runs; a body, if it reads one, goes through the one body parser.
// Any api_error on the way is answered from the error catalogue (errors.h) in the chain's
// language and the negotiated format (JSON when that failed); any other exception is a 500.
// Adding a resource is one entry in a route table and one handler function.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "message_response.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/errors.h"

namespace nebuta::api_server {

using api_service::api_error;
using api_service::lang_chain;

// The query string, parsed once from the raw target: pairs in the order given.
struct query_params {
  std::vector<std::pair<std::string, std::string>> items;
  std::optional<api_error> error;  // the first problem found; thrown once the route is known
  std::string const* find(std::string_view name) const;
};
query_params parse_query(std::string_view query, server_config const& cfg);

class rate_limiter;  // rate_limiter.h

// One request as every handler sees it.
struct call {
  call(http_request const& r, server_config const& c) : req{r}, cfg{c} {}

  http_request const& req;
  server_config const& cfg;
  std::string_view path, query;
  std::vector<std::string> seg;  // the path's percent-decoded segments
  query_params params;
  lang_chain chain;                // of names and error messages
  format fmt{format::json};        // of the answer
  format error_fmt{format::json};  // of an error: as the client prefers, JSON when it does not say
  endpoint ep{endpoint::other};    // for the metrics
  rate_limiter* limiter{nullptr};  // null: no rate limits (the CLI, tests)

  bool is_get() const { return req.method == "GET" || req.method == "HEAD"; }

  // Query parameters by name: absent → nullptr / "" / nullopt / false; malformed → 400.
  std::string const* param(std::string_view name) const { return params.find(name); }
  std::string param_or_empty(std::string_view name) const;
  bool param_bool(std::string_view name) const;
  std::optional<long> param_int(std::string_view name, long lo, long hi) const;
  std::optional<double> param_double(std::string_view name) const;
  double param_coordinate(std::string_view name, double limit) const;  // required

  // The one body parser: JSON (valid UTF-8, no unknown fields) or binary protobuf by
  // Content-Type (415 otherwise), at most max_body_bytes (413), every string field at most
  // max_param_bytes. An empty body is 400 unless `allow_empty` (then `m` stays empty).
  void parse_body(google::protobuf::Message& m, bool allow_empty = false) const;

  // The token of "Authorization: Bearer <token>", if there is one.
  std::optional<std::string> bearer() const;
};

// What a route answers: messages preferably as JSON or as protobuf when the client accepts both
// (negotiated, 406 when it accepts neither), or files of the web app (not negotiated; their
// query string is the page's state and is not parsed).
enum class answers : std::uint8_t { json, protobuf, files };

// A route: a path pattern ("/v1/stops/{}/departures": "{}" matches one non-empty segment, a
// final "**" one or more), a method (GET answers HEAD too), the query parameters it takes
// besides `lang` (space-separated), the endpoint it is counted under, whether it is
// rate-limited, what it answers, and the handler.
template <typename Context>
struct route {
  using handler = http_response (*)(Context&, call&);
  std::string_view pattern, method, params;
  endpoint ep;
  handler handle;
  bool rate_limited{false};
  answers kind{answers::json};
};

bool path_matches(std::string_view pattern, std::span<std::string const> seg);
bool method_matches(std::string_view route_method, std::string_view method);

// Steps 4 to 6 for a route with these attributes; throws what they refuse.
void enter_route(std::string_view params, endpoint ep, bool rate_limited, answers kind, call& c);

// The route of the call in `table`: nullptr when no pattern matches; a 405 (api_error, Allow in
// its second argument) when a pattern matches but not the method.
template <typename Context>
route<Context> const* find_route(std::span<route<Context> const> table, call const& c) {
  std::string allowed;
  for (auto const& r : table) {
    if (!path_matches(r.pattern, c.seg)) continue;
    if (method_matches(r.method, c.req.method)) return &r;
    if (!allowed.empty()) allowed += ", ";
    allowed += r.method;
    if (r.method == "GET") allowed += ", HEAD";
  }
  if (!allowed.empty()) throw api_error{405, "method_not_allowed", {c.req.method, allowed}};
  return nullptr;
}

// Runs route `r` of `ctx` for the call (steps 4 to 7).
template <typename Context>
http_response dispatch(route<Context> const& r, Context& ctx, call& c) {
  enter_route(r.params, r.ep, r.rate_limited, r.kind, c);
  return r.handle(ctx, c);
}

// Steps 1 and 2 (throws what they refuse; true when the request is answered: OPTIONS).
bool begin_call(call& c);
// The answer to an error (api_error or another exception) thrown for the call.
http_response error_answer(call const& c, std::exception_ptr const& e);

// The whole pipeline. `route_call(c)` finds the call's route in its tables (find_route) and
// returns what dispatch() answers, or nullopt when no table has the path (404).
template <typename Router>
http_response run_pipeline(http_request const& req, server_config const& cfg, rate_limiter* limiter, endpoint& ep,
                           Router&& route_call) {
  call c{req, cfg};
  c.limiter = limiter;
  http_response out;
  try {
    if (begin_call(c)) {
      out = http_response{204, {}, {}, {}, {}};
    } else if (auto answer = route_call(c)) {
      out = *std::move(answer);
    } else {
      throw api_error{404, "not_found", {std::string{c.path.substr(0, 200)}}};
    }
  } catch (...) {
    out = error_answer(c, std::current_exception());
  }
  ep = c.ep;
  return out;
}

// The answer to an error in a language and format.
http_response error_response(api_error const& e, lang_chain const& chain, format f);

}  // namespace nebuta::api_server
