// libFuzzer target: the on-demand API (/v1/drt/, api_server::drt_service::handle): JSON and
// protobuf body parsing, auth, the dispatcher commands behind them, the SQLite journal.
// The input is up to `max_requests` requests separated by the byte 0x1E, each in the format of
// fuzz::parse_request, run in order on a fresh service (so offer → accept → cancel sequences can
// be found, and every crash replays from its input alone). Two Authorization values are
// replaced: "op" by the operator's bearer token, "rider N" by the rider token of request N.
// The database lives under /dev/shm when there is one (a synced commit per command).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_http.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/road/travel_model.h"

namespace fs = std::filesystem;
namespace as = nebuta::api_server;

namespace {

constexpr std::size_t max_requests = 8;
constexpr char separator = '\x1E';
constexpr std::int64_t tokyo_8am_2026_11_22 = 1795273200 + 8 * 3600;
std::string const operator_token = "fuzz-operator-token";

fs::path const& state_dir() {
  static fs::path const dir = [] {
    std::error_code ec;
    auto const base = fs::is_directory("/dev/shm", ec) ? fs::path{"/dev/shm"} : fs::temp_directory_path();
    auto d = base / ("nebuta-fuzz-drt-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

struct remove_at_exit {
  ~remove_at_exit() {
    std::error_code ec;
    fs::remove_all(state_dir(), ec);
  }
};

std::unique_ptr<as::drt_service> fresh_service() {
  std::error_code ec;
  for (auto const* f : {"state.sqlite", "state.sqlite-wal", "state.sqlite-shm"}) fs::remove(state_dir() / f, ec);
  as::drt_options o;
  o.db = state_dir() / "state.sqlite";
  o.timezone = "Asia/Tokyo";
  o.operator_token = operator_token;
  o.reoptimise_every_s = 0;
  o.clock = [] { return tokyo_8am_2026_11_22; };
  o.stop_lookup = [](std::string const& id, std::vector<std::string> const&) -> std::optional<nebuta::latlon> {
    if (id == "tokyo") return nebuta::latlon{35.6812, 139.7671};
    return std::nullopt;
  };
  nebuta::dispatch::shift_pattern v1;  // every day 06:00-22:00
  v1.vehicle.name = "v1";
  v1.vehicle.depot = {35.6812, 139.7671};
  v1.start = 6 * 3600;
  v1.end = 22 * 3600;
  o.shifts = {v1};
  return std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.3, 30.0),
                                           nebuta::dispatch::rules{}, std::move(o));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static remove_at_exit const cleanup;
  auto drt = fresh_service();
  std::string_view rest{reinterpret_cast<char const*>(data), size};
  for (std::size_t i = 0; i < max_requests && !rest.empty(); ++i) {
    auto const end = rest.find(separator);
    auto req = nebuta::fuzz::parse_request(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (req.authorization == "op") {
      req.authorization = "Bearer " + operator_token;
    } else if (req.authorization.starts_with("rider ")) {
      auto const n = std::strtoul(req.authorization.c_str() + 6, nullptr, 10);
      req.authorization = "Bearer " + drt->rider_token(static_cast<std::uint32_t>(n));
    }
    as::endpoint ep{};
    nebuta::fuzz::check_response(drt->handle(req, ep));
  }
  return 0;
}
