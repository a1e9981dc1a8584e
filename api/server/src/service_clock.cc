// The on-demand service's clock (drt_api.h): wall time ↔ seconds of the service day, on the
// core's time zones and ISO 8601 parser.
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "nebuta/api_server/drt_api.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/core/time_zone.h"

namespace nebuta::api_server {
namespace {

// Service-day seconds are kept well inside int32 so that sums of times cannot overflow.
constexpr std::int64_t max_abs_service_seconds = 400LL * 86'400;

std::optional<seconds_t> in_range(std::int64_t v) {
  if (v < -max_abs_service_seconds || v > max_abs_service_seconds) return std::nullopt;
  return static_cast<seconds_t>(v);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

service_clock service_clock::make(std::string const& timezone, std::string const& service_date) {
  auto const zone = civil::time_zone::locate(timezone);
  auto const day = civil::parse_date(service_date);
  if (!day || *day < date_t{std::chrono::days{0}}) {
    throw std::invalid_argument{"service date \"" + service_date + "\" is not a date YYYY-MM-DD"};
  }
  service_clock c;
  c.timezone = timezone;
  c.zone = zone;
  c.service_date = service_date;
  c.midnight_unix = zone.service_time_to_unix(*day, 0);
  c.utc_offset_s = zone.utc_offset_at(c.midnight_unix);
  return c;
}

std::string service_clock::today(std::string const& timezone, std::int64_t unix_now) {
  return civil::format_date(civil::time_zone::locate(timezone).local_date(unix_now));
}

seconds_t service_clock::to_service(std::int64_t unix) const {
  return static_cast<seconds_t>(std::clamp(unix - midnight_unix, -max_abs_service_seconds, max_abs_service_seconds));
}

std::string service_clock::iso(seconds_t s) const { return zone.iso(to_unix(s)); }

std::optional<seconds_t> service_clock::parse(std::string const& text) const {
  auto const s = trim(text);
  if (s.empty() || s.size() > 40) return std::nullopt;
  if (auto const t = civil::parse_clock_or_seconds(s, 999, true)) return in_range(*t);
  auto const dt = civil::parse_iso_datetime(s);
  if (!dt) return std::nullopt;
  auto const unix = dt->utc_offset ? civil::to_unix(dt->day, dt->seconds, *dt->utc_offset)
                                   : zone.local_to_unix(dt->day, dt->seconds);
  return in_range(unix - midnight_unix);
}

}  // namespace nebuta::api_server
