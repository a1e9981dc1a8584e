// One JSON form for every front end: protobuf's canonical mapping with the field names of the
// .proto files (snake_case) and every field printed, compact.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace nebuta::api_service {

std::string to_json(google::protobuf::Message const& m);

// How to print each message type of some .proto files, made once by a long-lived owner (the
// service, for the API's files): to_json(m, plans) then skips making them for every answer,
// which cost about a tenth of printing a plan answer. Types outside those files are planned per
// call, as by to_json(m); the text is the same.
class json_plans {
 public:
  explicit json_plans(std::span<google::protobuf::FileDescriptor const* const> files);
  ~json_plans();
  json_plans(json_plans const&) = delete;
  json_plans& operator=(json_plans const&) = delete;
  struct impl;

 private:
  std::unique_ptr<impl> impl_;
  friend std::string to_json(google::protobuf::Message const& m, json_plans const& plans);
};
std::string to_json(google::protobuf::Message const& m, json_plans const& plans);
// The same text by protobuf's own printer (util::MessageToJsonString): the reference to_json is
// checked against, and what it falls back to for what its own walk does not cover.
std::string to_json_by_protobuf(google::protobuf::Message const& m);

// Fills m from JSON; returns an error text (empty on success). Unknown fields are errors.
std::string from_json(std::string_view json, google::protobuf::Message& m);

}  // namespace nebuta::api_service
