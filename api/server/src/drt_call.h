// One request to the on-demand API as its handlers see it (drt_api.cc routes it to one handler
// per resource: drt_offers.cc, drt_requests.cc, drt_vehicles.cc), and the parsing they share.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "drt_state.h"
#include "message_response.h"

namespace nebuta::api_server {

struct drt_call {
  drt_state& m;
  http_request const& req;
  std::string_view path;
  std::vector<std::string> seg;  // decoded path segments: "v1", "drt", ...
  format fmt;
  endpoint& ep;
  std::optional<std::string> bearer;  // the token of "Authorization: Bearer <token>"

  bool is_get() const { return req.method == "GET" || req.method == "HEAD"; }
  // Throws 405 unless the method is one of `methods` (GET allows HEAD).
  void allow(std::initializer_list<std::string_view> methods) const;
  bool is_operator() const;
  void require_operator() const;  // 401 without a token, 403 with another one
};

// The handlers, one per resource.
http_response drt_offers(drt_call& c);
http_response drt_requests(drt_call& c);
http_response drt_vehicles(drt_call& c);

// Parses the body into `m`; an empty body leaves `m` empty when allowed.
void parse_body(http_request const& req, google::protobuf::Message& m, std::size_t max_bytes, bool allow_empty);
latlon require_coordinate(double lat, double lon, std::string const& what);
std::optional<std::uint32_t> parse_index(std::string const& s);
bool valid_vehicle_id(std::string const& id);
std::vector<std::string> split_path(std::string_view path);
std::string lower(std::string_view s);
std::string trim(std::string_view s);

}  // namespace nebuta::api_server
