// The on-demand API's handlers, one per route (the table is in drt_api.cc), and the checks they
// share (drt_checks.cc). Every handler runs after the pipeline (pipeline.h) has matched its
// path and method, parsed the query string and negotiated the format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "drt_state.h"
#include "pipeline.h"

namespace nebuta::api_server {

// drt_offers.cc
http_response drt_offer(drt_state& m, call& c);
// drt_requests.cc
http_response drt_get_request(drt_state& m, call& c);
http_response drt_accept_request(drt_state& m, call& c);
http_response drt_cancel_request(drt_state& m, call& c);
// drt_vehicles.cc
http_response drt_list_vehicles(drt_state& m, call& c);
http_response drt_register_vehicle(drt_state& m, call& c);
http_response drt_put_vehicle(drt_state& m, call& c);
http_response drt_get_vehicle(drt_state& m, call& c);
http_response drt_vehicle_stops(drt_state& m, call& c);
http_response drt_vehicle_position(drt_state& m, call& c);
http_response drt_vehicle_event(drt_state& m, call& c);
// drt_summary.cc
http_response drt_summary(drt_state& m, call& c);
http_response drt_list_requests(drt_state& m, call& c);
// drt_journeys.cc
http_response drt_book_journey(drt_state& m, call& c);
http_response drt_get_journey(drt_state& m, call& c);
http_response drt_cancel_journey(drt_state& m, call& c);
// drt_export.cc
http_response drt_export(drt_state& m, call& c);
// drt_flex_export.cc
http_response drt_gtfs_flex(drt_state& m, call& c);

// Whether the call's bearer token is the operator's.
bool is_operator(drt_state const& m, call const& c);
// 401 unauthorized without a bearer token, 403 forbidden with another than the operator's.
void require_operator(drt_state const& m, call const& c);
// A coordinate of the body, or 400 invalid_coordinate naming `what`.
latlon require_coordinate(double lat, double lon, std::string const& what);
// A request id ("0" to "999999999"), or nullopt.
std::optional<std::uint32_t> parse_index(std::string const& s);
bool valid_vehicle_id(std::string const& id);

}  // namespace nebuta::api_server
