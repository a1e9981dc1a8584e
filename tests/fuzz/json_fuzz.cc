// libFuzzer target: the JSON printer of every answer (api_service::to_json, a walk over the
// message) against protobuf's own printer (util::MessageToJsonString), byte for byte. Input: the
// full name of a message type of the API ("nebuta.v1.PlanResponse"), a line feed, then the
// message in binary protobuf; inputs that do not parse are skipped.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "nebuta/api_service/json.h"
#include "nebuta/v1/drt.pb.h"
#include "nebuta/v1/nebuta.pb.h"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  namespace pb = google::protobuf;
  std::string_view const input{reinterpret_cast<char const*>(data), size};
  auto const eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  // Both files are linked in: the generated pool knows every type of the API.
  static auto const* plan = nebuta::v1::PlanResponse::descriptor();
  static auto const* drt = nebuta::v1::DrtInfo::descriptor();
  auto const* d = plan->file()->pool()->FindMessageTypeByName(std::string{input.substr(0, eol)});
  if (d == nullptr || (d->file() != plan->file() && d->file() != drt->file())) return 0;
  std::unique_ptr<pb::Message> m{pb::MessageFactory::generated_factory()->GetPrototype(d)->New()};
  auto const wire = input.substr(eol + 1);
  if (!m->ParseFromArray(wire.data(), static_cast<int>(wire.size()))) return 0;
  auto const ours = nebuta::api_service::to_json(*m);
  auto const reference = nebuta::api_service::to_json_by_protobuf(*m);
  if (ours != reference) {
    std::fprintf(stderr, "json_fuzz: %s prints\n%s\nbut protobuf prints\n%s\n", d->full_name().c_str(), ours.c_str(),
                 reference.c_str());
    std::abort();
  }
  return 0;
}
