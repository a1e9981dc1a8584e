// One JSON form for every front end: protobuf's canonical mapping with the field names of the
// .proto files (snake_case) and every field printed, compact.
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace nebuta::api_service {

std::string to_json(google::protobuf::Message const& m);
// The same text by protobuf's own printer (util::MessageToJsonString): the reference to_json is
// checked against, and what it falls back to for what its own walk does not cover.
std::string to_json_by_protobuf(google::protobuf::Message const& m);

// Fills m from JSON; returns an error text (empty on success). Unknown fields are errors.
std::string from_json(std::string_view json, google::protobuf::Message& m);

}  // namespace nebuta::api_service
