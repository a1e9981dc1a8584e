// OpenAPI 3 description of the API. Schemas are generated from the protobuf descriptors, so they
// cannot drift from the messages the server sends.
#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

#include "nebuta/api_server/server.h"

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
      s = {{"type", "string"}, {"format", "int64"}, {"description", "64-bit integer as a decimal string (canonical JSON)"}};
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
          {"application/x-protobuf", {{"schema", {{"type", "string"}, {"format", "binary"},
                                                  {"description", "nebuta.v1." + message}}}}}};
}

json operation(std::string summary, std::string const& message, json params) {
  params.push_back(query_param("lang", "string",
                               "language chain for names and messages, e.g. en or ko,en (else Accept-Language)"));
  params.push_back({{"name", "Accept-Language"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}});
  json responses = {{"200", {{"description", "OK"}, {"content", content_of(message)}}}};
  for (auto const* code : {"400", "404", "405", "406", "413", "414", "415", "503"}) {
    responses[code] = {{"description", "error (code and message)"}, {"content", content_of("Error")}};
  }
  return {{"summary", std::move(summary)}, {"parameters", std::move(params)}, {"responses", std::move(responses)}};
}

}  // namespace

std::string make_openapi_json() {
  json schemas = json::object();
  auto const* file = v1::PlanResponse::descriptor()->file();
  for (int i = 0; i < file->message_type_count(); ++i) {
    auto const* m = file->message_type(i);
    json props = json::object();
    for (int k = 0; k < m->field_count(); ++k) props[m->field(k)->name()] = field_schema(m->field(k));
    schemas[m->name()] = {{"type", "object"}, {"properties", props}};
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
  });
  json paths;
  paths["/v1/plan"]["get"] = operation("Journeys (earliest arrival, arrive-by, range)", "PlanResponse", plan_params);
  auto post = operation("Journeys, request as a body", "PlanResponse", json::array());
  post["requestBody"] = {{"required", true}, {"content", content_of("PlanRequest")}};
  paths["/v1/plan"]["post"] = post;
  paths["/v1/stops"]["get"] = operation(
      "Stop search by name in any language (prefix, typos, kana and width folded); stations group platforms",
      "StopSearchResponse",
      json::array({query_param("q", "string", "search text", true), query_param("limit", "integer", "results (default 10)")}));
  paths["/v1/stops/{id}"]["get"] = operation("One stop or station", "Stop", json::array({path_param("id", "stop id")}));
  paths["/v1/stops/{id}/departures"]["get"] = operation(
      "Departure board", "DeparturesResponse",
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
  paths["/metrics"]["get"] = {
      {"summary", "Prometheus metrics: request counts and latency histograms per endpoint"},
      {"responses", {{"200", {{"description", "OK"}, {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}}}};
  paths["/v1/openapi.json"]["get"] = {
      {"summary", "This description"},
      {"responses", {{"200", {{"description", "OK"}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}}}};

  json doc = {{"openapi", "3.0.3"},
              {"info",
               {{"title", "Nebuta journey planner API"},
                {"version", "1"},
                {"description",
                 "Journeys, stops, departures and routes over GTFS / GTFS-JP. JSON (protobuf canonical mapping) by "
                 "default; binary protobuf (nebuta.v1) with Accept: application/x-protobuf."}}},
              {"paths", paths},
              {"components", {{"schemas", schemas}}}};
  return doc.dump();
}

}  // namespace nebuta::api_server
