// The on-demand service's clock (drt_api.h): instants ↔ the dates and times people read, on the
// core's time zones and ISO 8601 parser.
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "nebuta/api_server/drt_api.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/core/time_zone.h"

namespace nebuta::api_server {
namespace {

// Times accepted from clients: 1970 .. 2200, so that sums of a few of them cannot overflow.
constexpr dispatch::instant latest_accepted = 7'258'118'400;  // 2200-01-01T00:00:00Z

std::optional<dispatch::instant> in_range(std::int64_t v) {
  if (v < 0 || v > latest_accepted) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

service_clock service_clock::make(std::string const& timezone) {
  service_clock c;
  c.zone = civil::time_zone::locate(timezone);
  c.timezone = timezone;
  return c;
}

date_t service_clock::service_date(dispatch::instant t) const { return zone.local_date(t); }

dispatch::instant service_clock::day_start(date_t d) const { return zone.service_time_to_unix(d, 0); }

std::int64_t service_clock::seconds_of_day(dispatch::instant t) const { return t - day_start(service_date(t)); }

std::string service_clock::iso(dispatch::instant t) const { return zone.iso(t); }

std::optional<dispatch::instant> service_clock::parse(std::string const& text, dispatch::instant now) const {
  auto const s = trim(text);
  if (s.empty() || s.size() > 40) return std::nullopt;
  if (auto const t = civil::parse_clock_or_seconds(s, 999, true)) return in_range(day_start(service_date(now)) + *t);
  auto const dt = civil::parse_iso_datetime(s);
  if (!dt) return std::nullopt;
  auto const unix =
      dt->utc_offset ? civil::to_unix(dt->day, dt->seconds, *dt->utc_offset) : zone.local_to_unix(dt->day, dt->seconds);
  return in_range(unix);
}

}  // namespace nebuta::api_server
