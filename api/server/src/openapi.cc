// OpenAPI 3 description of the API. Schemas are generated from the protobuf descriptors, so they
// cannot drift from the messages the server sends.
#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

#include "nebuta/api_server/server.h"
#include "nebuta/v1/drt.pb.h"
#include "nebuta/v1/journeys.pb.h"
#include "nebuta/v1/realtime.pb.h"

namespace nebuta::api_server {
namespace {

namespace pb = google::protobuf;
using nlohmann::json;

json field_schema(pb::FieldDescriptor const* f) {
  json s;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: s = {{"type", "string"}}; break;
    case pb::FieldDescriptor::CPPTYPE_BOOL: s = {{"type", "boolean"}}; break;
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_UINT32: s = {{"type", "integer"}, {"format", "int32"}}; break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      s = {{"type", "string"},
           {"format", "int64"},
           {"description", "64-bit integer as a decimal string (canonical JSON)"}};
      break;
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT: s = {{"type", "number"}}; break;
    case pb::FieldDescriptor::CPPTYPE_ENUM: s = {{"type", "string"}}; break;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      s = {{"$ref", "#/components/schemas/" + f->message_type()->name()}};
      break;
  }
  if (f->is_repeated()) return {{"type", "array"}, {"items", s}};
  return s;
}

json query_param(std::string name, std::string type, std::string description, bool required = false) {
  return {{"name", std::move(name)},
          {"in", "query"},
          {"required", required},
          {"description", std::move(description)},
          {"schema", {{"type", std::move(type)}}}};
}

json path_param(std::string name, std::string description) {
  return {{"name", std::move(name)},
          {"in", "path"},
          {"required", true},
          {"description", std::move(description)},
          {"schema", {{"type", "string"}}}};
}

json content_of(std::string const& message) {
  auto const ref = json{{"$ref", "#/components/schemas/" + message}};
  return {{"application/json", {{"schema", ref}}},
          {"application/x-protobuf",
           {{"schema", {{"type", "string"}, {"format", "binary"}, {"description", "nebuta.v1." + message}}}}}};
}

json operation(std::string summary, std::string const& message, json params) {
  params.push_back(
      query_param("lang", "string", "language chain for names and messages, e.g. en or ko,en (else Accept-Language)"));
  params.push_back({{"name", "Accept-Language"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}});
  json responses = {{"200", {{"description", "OK"}, {"content", content_of(message)}}}};
  for (auto const* code : {"400", "404", "405", "406", "413", "414", "415", "503"}) {
    responses[code] = {{"description", "error (code and message)"}, {"content", content_of("Error")}};
  }
  return {{"summary", std::move(summary)}, {"parameters", std::move(params)}, {"responses", std::move(responses)}};
}

// The on-demand API (/v1/drt/, drt.proto). Errors: 400 bad input, 401 no bearer token, 403 a token
// that does not allow it, 404 unknown vehicle or request, 409 state conflicts, 503 storage failed.
json drt_operation(std::string summary, std::string const& reply, json params, std::string const& body,
                   std::vector<std::string> const& security, int ok_status = 200) {
  json responses = {{std::to_string(ok_status), {{"description", "OK"}, {"content", content_of(reply)}}}};
  for (auto const* code : {"400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "503"}) {
    responses[code] = {{"description", "error (code and message)"}, {"content", content_of("Error")}};
  }
  json op = {{"summary", std::move(summary)},
             {"parameters", std::move(params)},
             {"responses", std::move(responses)},
             {"tags", json::array({"on-demand"})}};
  if (!body.empty()) op["requestBody"] = {{"required", true}, {"content", content_of(body)}};
  json sec = json::array();
  for (auto const& s : security) sec.push_back({{s, json::array()}});
  op["security"] = sec.empty() ? json::array() : sec;
  return op;
}

// A GTFS-Realtime FeedMessage: binary, or protobuf's JSON on Accept.
json gtfs_rt_responses() {
  return {{"200",
           {{"description", "OK"},
            {"content",
             {{"application/x-protobuf", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
              {"application/json", {{"schema", {{"type", "object"}}}}}}}}}};
}

void add_drt_paths(json& paths) {
  auto const none = json::array();
  auto const op = std::vector<std::string>{"operator"};
  auto const rider_or_op = std::vector<std::string>{"rider", "operator"};
  auto const request_id = json::array({path_param("id", "request id (from the offer answer)")});
  auto const vehicle_id = json::array({path_param("id", "vehicle id (fleet.csv vehicle_id)")});
  paths["/v1/drt/info"]["get"] = drt_operation("Service date, time zone, clock, fleet size", "DrtInfo", none, "", {});
  paths["/v1/drt/area"]["get"] = drt_operation(
      "The service area as a planner elsewhere needs it (serve --drt AREA=URL): polygon, meeting points, travel "
      "model, intermodal settings, the area's id",
      "DrtArea", none, "", {});
  paths["/v1/drt/offers"]["post"] =
      drt_operation("Ask for an offer: best feasible insertion into the fleet, or a rejection with a reason (public)",
                    "DrtOfferResponse", none, "DrtOfferRequest", {});
  paths["/v1/drt/requests/{id}"]["get"] =
      drt_operation("Status and ETA of a request", "DrtRequestStatus", request_id, "", rider_or_op);
  paths["/v1/drt/requests/{id}/accept"]["post"] =
      drt_operation("Accept the offer (binding once answered)", "DrtRequestStatus", request_id, "", rider_or_op);
  paths["/v1/drt/requests/{id}/cancel"]["post"] =
      drt_operation("Cancel (by the rider, or by the operator with the operator token)", "DrtRequestStatus", request_id,
                    "", rider_or_op);
  paths["/v1/drt/vehicles"]["get"] = drt_operation("The fleet", "DrtFleet", none, "", op);
  paths["/v1/drt/vehicles"]["post"] = drt_operation("Register a vehicle", "DrtVehicle", none, "DrtVehicleSpec", op, 201);
  paths["/v1/drt/vehicles/{id}"]["get"] = drt_operation("One vehicle", "DrtVehicle", vehicle_id, "", op);
  paths["/v1/drt/vehicles/{id}"]["put"] =
      drt_operation("Register a vehicle if absent (idempotent; 409 when registered with other values)", "DrtVehicle",
                    vehicle_id, "DrtVehicleSpec", op, 201);
  paths["/v1/drt/vehicles/{id}/stops"]["get"] =
      drt_operation("The vehicle's next stops (driver app)", "DrtVehicleStops", vehicle_id, "", op);
  paths["/v1/drt/vehicles/{id}/position"]["post"] =
      drt_operation("Report the vehicle's position", "DrtVehicle", vehicle_id, "DrtPositionUpdate", op);
  paths["/v1/drt/vehicles/{id}/events"]["post"] = drt_operation("Stop event: arrived, picked_up, dropped_off, no_show",
                                                                "DrtVehicleStops", vehicle_id, "DrtStopEvent", op);
  paths["/v1/drt/reoptimise"]["post"] =
      drt_operation("Re-optimise now (also runs in the background)", "DrtReoptimiseResponse", none, "", op);
  auto const date = query_param("date", "string", "service date YYYY-MM-DD (default today)");
  paths["/v1/drt/summary"]["get"] = drt_operation(
      "A service date's figures: requests by status, rejections by reason, on-time pickups, vehicle-hours and km",
      "DrtDaySummary", json::array({date}), "", op);
  paths["/v1/drt/requests"]["get"] =
      drt_operation("A service date's requests, paged", "DrtRequestList",
                    json::array({date, query_param("status", "string", "only this status"),
                                 query_param("limit", "integer", "page size, 1-1000 (default 100)"),
                                 query_param("offset", "integer", "first request of the page (default 0)")}),
                    "", op);
  auto day_file = drt_operation(
      "A service date as the simulator's output file of that name (scenario.json, requests.csv, vehicles.csv, "
      "events.csv, kpis.json): `nebuta report --run` draws the report from them",
      "Error",
      json::array({path_param("file", "scenario.json, requests.csv, vehicles.csv, events.csv or kpis.json"), date}), "",
      op);
  day_file["responses"]["200"] = {{"description", "the file (text/csv or application/json)"}};
  paths["/v1/drt/export/{file}"]["get"] = day_file;
  auto flex_feed = operation(
      "The running service as a GTFS-Flex v2 feed (.zip): service area, meeting points, hours "
      "of the fleet's shifts on each of the next days, booking rule",
      "Error", json::array({query_param("days", "integer", "service dates, 1-366 (default 30)")}));
  flex_feed["tags"] = json::array({"on-demand"});
  flex_feed["responses"]["200"] = {{"description", "the feed (application/zip)"}};
  flex_feed["responses"]["409"] = {{"description", "nothing_to_publish: no service area and no meeting point"},
                                   {"content", content_of("Error")}};
  paths["/v1/drt/gtfs-flex.zip"]["get"] = flex_feed;
  paths["/v1/drt/gtfs-rt/vehicle-positions"]["get"] = {
      {"summary",
       "GTFS-Realtime VehiclePositions of the fleet (binary transit_realtime.FeedMessage; JSON with "
       "Accept: application/json)"},
      {"tags", json::array({"on-demand"})},
      {"responses", gtfs_rt_responses()}};
  // MaaS journeys (journeys.proto, docs/drt-api.md): booked with the plan's journey token.
  auto const journey_id = json::array(
      {path_param("id", "journey id (from the booking answer)"),
       query_param("area", "string", "a planner with remote areas (serve --drt): the booking answer's area")});
  auto const rider = std::vector<std::string>{"rider", "operator"};
  paths["/v1/journeys"]["post"] = drt_operation(
      "Book a planned journey's on-demand legs, all or none (the plan's journey token; 409 when a leg no longer "
      "fits, nothing booked); the answer carries the journey's rider token",
      "BookedJourney", none, "BookJourneyRequest", {}, 201);
  paths["/v1/journeys/{id}"]["get"] =
      drt_operation("A booked journey: legs, promises, live ETAs, the realtime of its connections", "BookedJourney",
                    journey_id, "", rider);
  paths["/v1/journeys/{id}/cancel"]["post"] =
      drt_operation("Cancel every leg of the journey", "BookedJourney", journey_id, "", rider);
}

// Realtime (docs/realtime.md; only with `serve --rt`).
void add_realtime_paths(json& paths) {
  auto alerts =
      operation("Service alerts of the realtime sources, texts in the request's language chain", "AlertsResponse",
                json::array({query_param("stop", "string", "only alerts informing this stop"),
                             query_param("route", "string", "only alerts informing this route"),
                             query_param("trip", "string", "only alerts informing this trip"),
                             query_param("at", "string", "ISO 8601 time the alerts are active at (default: now)"),
                             query_param("all", "boolean", "also alerts not active at that time")}));
  alerts["tags"] = json::array({"realtime"});
  paths["/v1/alerts"]["get"] = alerts;
  auto push = drt_operation("Push a GTFS-RT FeedMessage to a realtime source", "RealtimePushResponse",
                            json::array({path_param("source", "source NAME of serve --rt NAME=...")}), "", {"operator"});
  push["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/x-protobuf",
         {{"schema", {{"type", "string"}, {"format", "binary"}, {"description", "transit_realtime.FeedMessage"}}}}}}}};
  push["tags"] = json::array({"realtime"});
  paths["/v1/rt/{source}"]["post"] = push;
  for (auto const* what : {"trip-updates", "alerts"}) {
    paths[std::string{"/v1/gtfs-rt/"} + what]["get"] = {
        {"summary", std::string{"The merged realtime state as GTFS-RT "} + what + " (what the planner applied)"},
        {"tags", json::array({"realtime"})},
        {"responses", gtfs_rt_responses()}};
  }
}

}  // namespace

std::string make_openapi_json() {
  json schemas = json::object();
  for (auto const* file : {v1::PlanResponse::descriptor()->file(), v1::DrtOfferRequest::descriptor()->file(),
                           v1::AlertsResponse::descriptor()->file(), v1::BookedJourney::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      auto const* m = file->message_type(i);
      json props = json::object();
      for (int k = 0; k < m->field_count(); ++k) props[m->field(k)->name()] = field_schema(m->field(k));
      schemas[m->name()] = {{"type", "object"}, {"properties", props}};
    }
  }

  auto const plan_params = json::array({
      query_param("from", "string", "origin: stop id, stop name in any language, or lat,lon", true),
      query_param("to", "string", "destination: stop id, stop name in any language, or lat,lon", true),
      query_param("date", "string", "service date YYYY-MM-DD", true),
      query_param("depart", "string", "departure time HH:MM (exactly one of depart and arrive)"),
      query_param("arrive", "string", "arrive-by time HH:MM"),
      query_param("window", "string", "range query with depart: 2h, 90m, 1h30m (limited by the server)"),
      query_param("wheelchair", "boolean", "only wheelchair-accessible stops and trips"),
      query_param("max_legs", "integer", "most vehicle legs (default 8)"),
      query_param("walk_radius", "number", "walking links between stops in metres (default 400; 0 with gtfs_literal)"),
      query_param("walk_speed", "number", "walking speed in m/s (default 1.2)"),
      query_param("transfer_slack", "integer", "seconds to change vehicles"),
      query_param("gtfs_literal", "boolean", "GTFS-literal comparison mode"),
      query_param("sort", "string", "departure (default) or fare: cheapest known fare first (docs/fares.md)"),
      query_param("max_fare", "number", "drop journeys whose known fare is above this, in the currency's main unit"),
      query_param("realtime", "boolean", "plan with the server's realtime state (default true; false: the timetable)"),
      query_param("on_demand", "boolean",
                  "also journeys with on-demand legs and real offers (docs/maas.md; default true when the server runs "
                  "an on-demand service, else false)"),
  });
  json paths;
  paths["/v1/plan"]["get"] = operation("Journeys (earliest arrival, arrive-by, range)", "PlanResponse", plan_params);
  auto post = operation("Journeys, request as a body", "PlanResponse", json::array());
  post["requestBody"] = {{"required", true}, {"content", content_of("PlanRequest")}};
  paths["/v1/plan"]["post"] = post;
  auto const search_params = [&] {
    return json::array(
        {query_param("q", "string", "search text", true), query_param("limit", "integer", "results (default 10)"),
         query_param("date", "string", "YYYY-MM-DD: rank equal matches by trips that day (default: the busiest day)")});
  };
  paths["/v1/stops"]["get"] =
      operation("Stop search by what visitors type in any script (docs/search.md); stations and poles of one name group",
                "StopSearchResponse", search_params());
  paths["/v1/places"]["get"] = operation("Stops and gazetteer places (--places FILE) by name; a result has stop or place",
                                         "StopSearchResponse", search_params());
  paths["/v1/places/{id}"]["get"] =
      operation("One gazetteer place", "Place", json::array({path_param("id", "place id, with or without place:")}));
  paths["/v1/stops/{id}"]["get"] = operation("One stop or station", "Stop", json::array({path_param("id", "stop id")}));
  paths["/v1/stops/{id}/departures"]["get"] =
      operation("Departure board", "DeparturesResponse",
                json::array({path_param("id", "stop or station id"), query_param("date", "string", "YYYY-MM-DD", true),
                             query_param("time", "string", "HH:MM (default 00:00)"),
                             query_param("n", "integer", "departures (default 10)")}));
  paths["/v1/nearby"]["get"] = operation(
      "Stops near a coordinate", "NearbyResponse",
      json::array({query_param("lat", "number", "latitude", true), query_param("lon", "number", "longitude", true),
                   query_param("radius", "number", "metres (default 500)"),
                   query_param("limit", "integer", "stops (default 20)")}));
  paths["/v1/routes"]["get"] = operation("Every route (line)", "RoutesResponse", json::array());
  paths["/v1/routes/{id}"]["get"] =
      operation("One route with its stop patterns", "Route", json::array({path_param("id", "route id")}));
  paths["/v1/trips/{id}"]["get"] = operation(
      "One trip with its stop times", "Trip",
      json::array({path_param("id", "trip id"), query_param("date", "string", "YYYY-MM-DD: times on that date")}));
  paths["/v1/feeds"]["get"] = operation("Loaded feeds, agencies and service dates", "FeedsResponse", json::array());
  paths["/healthz"]["get"] = {{"summary", "Liveness"},
                              {"responses", {{"200", {{"description", "OK"}, {"content", content_of("Health")}}}}}};
  paths["/readyz"]["get"] = {
      {"summary", "Readiness: 200 once loaded (with --rt, once realtime is in); 503 while starting or draining"},
      {"responses",
       {{"200", {{"description", "Ready"}, {"content", content_of("Health")}}},
        {"503",
         {{"description", "Not ready (status: waiting_for_realtime or draining)"}, {"content", content_of("Health")}}}}}};
  paths["/metrics"]["get"] = {
      {"summary", "Prometheus metrics: request counts and latency histograms per endpoint"},
      {"responses",
       {{"200", {{"description", "OK"}, {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}}}};
  paths["/v1/openapi.json"]["get"] = {
      {"summary", "This description"},
      {"responses",
       {{"200", {{"description", "OK"}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}}}};

  add_drt_paths(paths);
  add_realtime_paths(paths);

  json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Nebuta journey planner API"},
        {"version", "1"},
        {"description",
         "Journeys, stops, departures and routes over GTFS / GTFS-JP. JSON (protobuf canonical mapping) by "
         "default; binary protobuf (nebuta.v1) with Accept: application/x-protobuf."}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"securitySchemes",
         {{"operator", {{"type", "http"}, {"scheme", "bearer"}, {"description", "operator token given at start"}}},
          {"rider",
           {{"type", "http"},
            {"scheme", "bearer"},
            {"description", "rider_token of the offer answer; only for that request"}}}}}}}};
  return doc.dump();
}

}  // namespace nebuta::api_server
