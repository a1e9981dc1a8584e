// /v1/journeys on a planner with remote areas (drt_remote.h): a journey's on-demand legs are all of
// one area (plan_on_demand.cc), so booking is one POST /v1/journeys at that area's dispatcher, all
// or nothing there. The token "AREA~<token>" names the area; the dispatcher checks the signature
// (a token changed to name another area is refused there: it is signed for one area only). An
// answer that never comes is 503 area_unavailable: the booking may or may not be made, and the
// same token posted again books nothing twice (the dispatcher answers 200 with the journey).
#include <algorithm>
#include <array>

#include "drt_remote.h"
#include "message_response.h"
#include "nebuta/v1/journeys.pb.h"
#include "pipeline.h"
#include "rt_fetch.h"

namespace nebuta::api_server {

namespace {

struct book_context {
  std::span<remote_endpoint const> areas;
};

remote_endpoint const& area_named(book_context const& b, std::string const& name) {
  auto const it = std::find_if(b.areas.begin(), b.areas.end(), [&](auto const& e) { return e.name == name; });
  if (it == b.areas.end()) throw api_error{404, "unknown_journey"};
  return *it;
}

// The dispatcher's answer as this call's: a journey (named with its area) or its error.
http_response forward(remote_endpoint const& area, call& c, std::string const& method, std::string const& path,
                      std::string const& body, std::vector<std::string> headers) {
  headers.emplace_back("Accept: application/x-protobuf");
  std::string langs;
  for (auto const& l : c.chain) langs += (langs.empty() ? "" : ", ") + l;
  if (!langs.empty()) headers.push_back("Accept-Language: " + langs);
  fetch_limits lim;
  lim.timeout_s = area.timeout_s;
  lim.max_bytes = 16U << 20U;
  auto const r = http_exchange(method, area.url + path, body, headers, lim);
  if (r.status == 0) throw api_error{503, "area_unavailable", {area.name, r.error}};
  if (r.status == 200 || r.status == 201) {
    v1::BookedJourney j;
    if (!j.ParseFromString(r.body)) throw api_error{503, "area_unavailable", {area.name, "no BookedJourney"}};
    j.set_area(area.name);
    return message_response(j, c.fmt, static_cast<int>(r.status));
  }
  v1::Error e;
  if (!e.ParseFromString(r.body) || e.code().empty())
    throw api_error{503, "area_unavailable", {area.name, "HTTP " + std::to_string(r.status)}};
  return message_response(e, c.error_fmt, static_cast<int>(r.status));
}

// POST /v1/journeys
http_response book(book_context& b, call& c) {
  v1::BookJourneyRequest in;
  c.parse_body(in);
  if (in.token().empty()) throw api_error{400, "missing_field", {"token"}};
  auto const tilde = in.token().find('~');
  if (tilde == std::string::npos) throw api_error{400, "invalid_journey_token"};
  auto const name = in.token().substr(0, tilde);
  auto const it = std::find_if(b.areas.begin(), b.areas.end(), [&](auto const& e) { return e.name == name; });
  if (it == b.areas.end()) throw api_error{400, "invalid_journey_token"};
  v1::BookJourneyRequest out;
  out.set_token(in.token().substr(tilde + 1));
  return forward(*it, c, "POST", "/v1/journeys", out.SerializeAsString(), {"Content-Type: application/x-protobuf"});
}

// The caller's bearer token goes along: the dispatcher checks it.
std::vector<std::string> authorization(call const& c) {
  auto const bearer = c.bearer();
  if (!bearer) throw api_error{401, "unauthorized.journey"};
  return {"Authorization: Bearer " + *bearer};
}

std::string journey_path(call const& c) {
  auto const& id = c.seg[2];
  if (id.empty() || id.size() > 10 || !std::all_of(id.begin(), id.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    throw api_error{404, "unknown_journey"};
  return "/v1/journeys/" + id;
}

// GET /v1/journeys/{id}?area=AREA
http_response get(book_context& b, call& c) {
  auto const& area = area_named(b, c.param_or_empty("area"));
  return forward(area, c, "GET", journey_path(c), "", authorization(c));
}

// POST /v1/journeys/{id}/cancel?area=AREA
http_response cancel(book_context& b, call& c) {
  auto const& area = area_named(b, c.param_or_empty("area"));
  return forward(area, c, "POST", journey_path(c) + "/cancel", "", authorization(c));
}

constexpr std::array<route<book_context>, 3> table{{
    {"/v1/journeys", "POST", "", endpoint::drt_request, book, true},
    {"/v1/journeys/{}", "GET", "area", endpoint::drt_request, get},
    {"/v1/journeys/{}/cancel", "POST", "area", endpoint::drt_request, cancel},
}};

}  // namespace

std::optional<http_response> route_remote_journeys(std::span<remote_endpoint const> areas, call& c) {
  book_context b{areas};
  if (auto const* r = find_route(std::span<route<book_context> const>{table}, c)) return dispatch(*r, b, c);
  return std::nullopt;
}

}  // namespace nebuta::api_server
