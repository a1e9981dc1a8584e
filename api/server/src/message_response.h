// The one way both the planner API and the on-demand API write a protobuf message as an HTTP
// answer: binary protobuf, or its canonical JSON mapping.
#pragma once

#include <stdexcept>
#include <string_view>

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include "nebuta/api_server/server.h"
#include "nebuta/api_service/json.h"

namespace nebuta::api_server {

inline constexpr std::string_view json_type = "application/json";
inline constexpr std::string_view protobuf_type = "application/x-protobuf";

enum class format { json, protobuf };

// `plans`: how the service prints its messages, planned once (json.h); the text is the same.
inline http_response message_response(google::protobuf::Message const& m, format f, int status = 200,
                                      api_service::json_plans const* plans = nullptr) {
  http_response r;
  r.status = status;
  if (f == format::protobuf) {
    r.content_type = protobuf_type;
    r.body = m.SerializeAsString();
  } else {
    r.content_type = json_type;
    r.body = plans != nullptr ? api_service::to_json(m, *plans) : api_service::to_json(m);
  }
  return r;
}

// GTFS-RT (proto2) as JSON: only the fields that are set (defaults such as bearing 0 would read
// as measurements), field names as in the specification.
inline http_response gtfs_rt_json_response(google::protobuf::Message const& m) {
  google::protobuf::util::JsonPrintOptions opt;
  opt.preserve_proto_field_names = true;
  http_response r;
  r.content_type = json_type;
  if (!google::protobuf::util::MessageToJsonString(m, &r.body, opt).ok())
    throw std::runtime_error{"cannot print the feed as JSON"};
  return r;
}

}  // namespace nebuta::api_server
