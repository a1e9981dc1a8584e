// The one way both the planner API and the on-demand API write a protobuf message as an HTTP
// answer: binary protobuf, or its canonical JSON mapping.
#pragma once

#include <string_view>

#include <google/protobuf/message.h>

#include "nebuta/api_server/server.h"
#include "nebuta/api_service/json.h"

namespace nebuta::api_server {

inline constexpr std::string_view json_type = "application/json";
inline constexpr std::string_view protobuf_type = "application/x-protobuf";

enum class format { json, protobuf };

inline http_response message_response(google::protobuf::Message const& m, format f, int status = 200) {
  http_response r;
  r.status = status;
  if (f == format::protobuf) {
    r.content_type = protobuf_type;
    r.body = m.SerializeAsString();
  } else {
    r.content_type = json_type;
    r.body = api_service::to_json(m);
  }
  return r;
}

}  // namespace nebuta::api_server
