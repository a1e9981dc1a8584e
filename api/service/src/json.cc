#include "nebuta/api_service/json.h"

#include <google/protobuf/util/json_util.h>

namespace nebuta::api_service {

std::string to_json(google::protobuf::Message const& m) {
  google::protobuf::util::JsonPrintOptions opt;
  opt.preserve_proto_field_names = true;
  opt.always_print_primitive_fields = true;
  std::string out;
  auto const status = google::protobuf::util::MessageToJsonString(m, &out, opt);
  if (!status.ok()) return R"({"code":"internal","message":"cannot print JSON"})";
  return out;
}

std::string from_json(std::string_view json, google::protobuf::Message& m) {
  google::protobuf::util::JsonParseOptions opt;
  opt.ignore_unknown_fields = false;
  auto const status = google::protobuf::util::JsonStringToMessage(json, &m, opt);
  if (status.ok()) return {};
  auto msg = std::string{status.message()};
  return msg.empty() ? "invalid JSON" : msg;
}

}  // namespace nebuta::api_service
