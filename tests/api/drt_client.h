// Helpers of the on-demand API tests: any-method HTTP requests on 127.0.0.1, a temporary folder,
// an independent haversine for hand-computed travel times of the straight-line model, and Japan's
// date now for fleets of tests whose dispatcher runs on the real clock.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <optional>
#include <string>

#include "server_client.h"

namespace nebuta::test {

inline http_reply http_call(std::uint16_t port, std::string const& method, std::string const& target,
                            std::string const& body = {}, std::string const& headers = {},
                            std::string const& content_type = "application/json") {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!body.empty() && !content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n" + headers + "\r\n" + body;
  return http_raw(port, req);
}

inline std::string bearer(std::string const& token) { return "Authorization: Bearer " + token + "\r\n"; }

// A call to a server that may die under it: nullopt unless a complete reply came (a reset
// connection throws or yields status 0), so only complete replies count as acknowledged.
inline std::optional<http_reply> try_http_call(std::uint16_t port, std::string const& method, std::string const& target,
                                               std::string const& body = {}, std::string const& headers = {}) {
  try {
    auto r = http_call(port, method, target, body, headers);
    if (r.status == 0) return std::nullopt;
    return r;
  } catch (std::exception const&) {
    return std::nullopt;
  }
}

struct drt_temp_dir {
  std::filesystem::path path;
  explicit drt_temp_dir(std::string const& name) {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("nebuta-drt-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name);
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~drt_temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Great-circle distance on a sphere of radius 6,371 km (written here, not taken from the engine).
inline double test_haversine_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double r = 6'371'000.0;
  auto const rad = std::numbers::pi / 180.0;
  auto const a = std::pow(std::sin((lat2 - lat1) * rad / 2), 2) +
                 std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::pow(std::sin((lon2 - lon1) * rad / 2), 2);
  return 2 * r * std::asin(std::sqrt(a));
}

// The in-process server of a test: 127.0.0.1, a free port, no access log.
inline api_server::server_config loopback_config(unsigned threads = 2) {
  api_server::server_config cfg;
  cfg.address = "127.0.0.1";
  cfg.port = 0;
  cfg.threads = threads;
  cfg.access_log = false;
  return cfg;
}

// Seconds of the straight-line model: distance x detour / speed.
inline double test_drive_s(double lat1, double lon1, double lat2, double lon2, double detour = 1.3, double kmh = 30.0) {
  return test_haversine_m(lat1, lon1, lat2, lon2) * detour / (kmh / 3.6);
}

// Now in Japan (UTC+9, no daylight saving; the dispatcher's default zone), from the system clock:
// the date (YYYY-MM-DD) and the seconds of that day.
struct jst_now {
  std::string date;
  int seconds{0};
};
inline jst_now japan_now() {
  auto const t = std::chrono::system_clock::now() + std::chrono::hours{9};
  auto const day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day const ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return {buf, static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(t - day).count())};
}

// A shift for a fleet.csv row with a `days` column, for a dispatcher on the real clock: one shift
// from 00:00 of Japan's date today for 48 h. A daily 00:00-24:00 shift ends at midnight, so a ride
// asked for just before it cannot be served; a daily 48-h shift overlaps the next day's, which is
// left out, so every other midnight has the same gap.
inline std::string two_day_shift_today() { return "00:00,47:59," + japan_now().date; }

}  // namespace nebuta::test
