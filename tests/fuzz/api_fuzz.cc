// libFuzzer target: the planner API's request handling (api_server::api::serve, everything
// after HTTP framing: routing, query-string parsing, content negotiation, the service and the
// router) on the sample feed data/sample. The input is one request in the format of
// fuzz::parse_request. Every answer must keep fuzz::check_response: no 5xx, parseable JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "fuzz_http.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/service.h"

namespace {

struct planner {
  nebuta::api::loaded_timetable loaded;
  std::unique_ptr<nebuta::api_service::service> svc;
  std::unique_ptr<nebuta::api_server::api> api;

  planner() {
    nebuta::api::timetable_source src;
    src.feeds = {NEBUTA_SOURCE_DIR "/data/sample"};
    loaded = nebuta::api::load_timetable(src);
    svc = std::make_unique<nebuta::api_service::service>(loaded.tt);
    nebuta::api_server::server_config cfg;
    cfg.access_log = false;
    api = std::make_unique<nebuta::api_server::api>(*svc, cfg);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static planner p;
  auto const req = nebuta::fuzz::parse_request({reinterpret_cast<char const*>(data), size});
  nebuta::fuzz::check_response(p.api->serve(req));
  return 0;
}
