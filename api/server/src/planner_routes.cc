// The journey planner's resources: one handler each, and their route table.
#include <array>

#include <google/protobuf/arena.h>

#include "plan_on_demand.h"
#include "routes.h"

namespace nebuta::api_server {

namespace {

// Every planner answer is printed with the service's JSON plans (json.h), made once for the API's
// messages: the text is the same as without them.
http_response answer(planner const& p, call const& c, google::protobuf::Message const& m) {
  return message_response(m, c.fmt, 200, &p.svc.json());
}

// The answer is built on an arena and printed from there: its hundreds of strings (a stop call
// has six) are neither allocated one by one nor freed one by one. The first block holds a
// typical answer (on the Hachinohe query set of benchmarks/http: 15 KiB on average, 79 KiB at most).
http_response plan_response(planner& p, v1::PlanRequest const& pr, call const& c) {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 32 * 1024;
  options.max_block_size = 1024 * 1024;
  google::protobuf::Arena arena{options};
  auto* const out = google::protobuf::Arena::CreateMessage<v1::PlanResponse>(&arena);
  plan_answer(p, pr, c.chain, *out);
  return answer(p, c, *out);
}

// GET /v1/plan?from=&to=&date=&depart=|arrive=&window=&...
http_response plan_get(planner& p, call& c) {
  v1::PlanRequest pr;
  pr.set_from(c.param_or_empty("from"));
  pr.set_to(c.param_or_empty("to"));
  pr.set_date(c.param_or_empty("date"));
  pr.set_depart(c.param_or_empty("depart"));
  pr.set_arrive(c.param_or_empty("arrive"));
  pr.set_window(c.param_or_empty("window"));
  pr.set_lang(c.param_or_empty("lang"));
  pr.set_wheelchair(c.param_bool("wheelchair"));
  pr.set_gtfs_literal(c.param_bool("gtfs_literal"));
  if (auto v = c.param_int("max_legs", 1, raptor::max_legs_limit)) pr.set_max_legs(static_cast<std::uint32_t>(*v));
  if (auto v = c.param_double("walk_radius")) pr.set_walk_radius(*v);
  if (auto v = c.param_double("walk_speed")) pr.set_walk_speed(*v);
  if (auto v = c.param_int("transfer_slack", 0, 3600)) pr.set_transfer_slack(static_cast<std::int32_t>(*v));
  pr.set_sort(c.param_or_empty("sort"));  // fares (docs/fares.md)
  if (auto v = c.param_double("max_fare")) pr.set_max_fare(*v);
  if (c.param("realtime") != nullptr) pr.set_realtime(c.param_bool("realtime"));     // docs/realtime.md
  if (c.param("on_demand") != nullptr) pr.set_on_demand(c.param_bool("on_demand"));  // docs/maas.md
  return plan_response(p, pr, c);
}

// POST /v1/plan with a PlanRequest
http_response plan_post(planner& p, call& c) {
  v1::PlanRequest pr;
  c.parse_body(pr);
  if (!pr.lang().empty()) c.chain = api_service::make_lang_chain(pr.lang(), c.req.accept_language);
  return plan_response(p, pr, c);
}

// GET /v1/stops?q=&limit=&date= (docs/search.md)
http_response stop_search(planner& p, call& c) {
  auto const limit = c.param_int("limit", 1, p.svc.config().max_results).value_or(10);
  return answer(
      p, c, p.svc.search_stops(c.param_or_empty("q"), static_cast<unsigned>(limit), c.chain, c.param_or_empty("date")));
}

// GET /v1/places?q=&limit=&date=: gazetteer places and stops (docs/search.md)
http_response place_search(planner& p, call& c) {
  auto const limit = c.param_int("limit", 1, p.svc.config().max_results).value_or(10);
  return answer(
      p, c, p.svc.search_places(c.param_or_empty("q"), static_cast<unsigned>(limit), c.chain, c.param_or_empty("date")));
}

// GET /v1/places/{id}: one gazetteer place ("place:ID" or ID)
http_response place_by_id(planner& p, call& c) { return answer(p, c, p.svc.place(c.seg[2], c.chain)); }

// GET /v1/stops/{id}
http_response stop(planner& p, call& c) { return answer(p, c, p.svc.stop(c.seg[2], c.chain)); }

// GET /v1/stops/{id}/departures?date=&time=&n=
http_response departures(planner& p, call& c) {
  auto const n = c.param_int("n", 1, p.svc.config().max_results).value_or(10);
  return answer(p, c,
                p.svc.departures(c.seg[2], c.param_or_empty("date"), c.param_or_empty("time"), static_cast<unsigned>(n),
                                 c.chain, p.realtime));
}

// GET /v1/nearby?lat=&lon=&radius=&limit=
http_response nearby(planner& p, call& c) {
  auto const lat = c.param_coordinate("lat", 90.0);
  auto const lon = c.param_coordinate("lon", 180.0);
  auto const radius = c.param_double("radius").value_or(500.0);
  auto const limit = c.param_int("limit", 1, p.svc.config().max_results).value_or(20);
  return answer(p, c, p.svc.nearby(lat, lon, radius, static_cast<unsigned>(limit), c.chain));
}

// GET /v1/routes
http_response routes(planner& p, call& c) { return answer(p, c, p.svc.routes(c.chain)); }

// GET /v1/routes/{id}
http_response route_by_id(planner& p, call& c) { return answer(p, c, p.svc.route(c.seg[2], c.chain)); }

// GET /v1/trips/{id}?date=
http_response trip(planner& p, call& c) {
  return answer(p, c, p.svc.trip(c.seg[2], c.param_or_empty("date"), c.chain));
}

// GET /v1/feeds
http_response feeds(planner& p, call& c) { return answer(p, c, p.svc.feeds(c.chain)); }

constexpr std::array<route<planner>, 12> table{{
    {"/v1/plan", "GET",
     "from to date depart arrive window wheelchair max_legs walk_radius walk_speed transfer_slack gtfs_literal sort "
     "max_fare realtime on_demand",
     endpoint::plan, plan_get, true},
    {"/v1/plan", "POST", "", endpoint::plan, plan_post, true},
    {"/v1/stops", "GET", "q limit date", endpoint::stops_search, stop_search},
    {"/v1/places", "GET", "q limit date", endpoint::stops_search, place_search},
    {"/v1/places/{}", "GET", "", endpoint::stop, place_by_id},
    {"/v1/stops/{}", "GET", "", endpoint::stop, stop},
    {"/v1/stops/{}/departures", "GET", "date time n", endpoint::departures, departures},
    {"/v1/nearby", "GET", "lat lon radius limit", endpoint::nearby, nearby},
    {"/v1/routes", "GET", "", endpoint::routes, routes},
    {"/v1/routes/{}", "GET", "", endpoint::route, route_by_id},
    {"/v1/trips/{}", "GET", "date", endpoint::trip, trip},
    {"/v1/feeds", "GET", "", endpoint::feeds, feeds},
}};

}  // namespace

std::span<route<planner> const> planner_routes() { return table; }

}  // namespace nebuta::api_server
