#include "nebuta/core/time_zone.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <date/tz.h>

namespace nebuta::civil {
namespace {

using std::chrono::seconds;

::date::time_zone const* find_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return ::date::locate_zone(name);
  } catch (std::runtime_error const&) {  // date/tz reports an unknown zone this way
    return nullptr;
  }
}

}  // namespace

time_zone time_zone::locate(std::string_view name) {
  auto const* tz = find_zone(name);
  if (tz == nullptr) throw std::invalid_argument{"unknown time zone \"" + std::string{name} + "\""};
  return time_zone{tz};
}

time_zone time_zone::utc() { return locate("UTC"); }

bool time_zone::known(std::string_view name) { return find_zone(name) != nullptr; }

std::string const& time_zone::name() const { return tz_->name(); }

std::int32_t time_zone::utc_offset_at(std::int64_t unix_s) const {
  ::date::sys_seconds const at{seconds{unix_s}};
  return static_cast<std::int32_t>(tz_->get_info(at).offset.count());
}

std::int64_t time_zone::local_to_unix(date_t d, std::int64_t seconds_of_day) const {
  ::date::local_seconds const local{::date::local_days{d.time_since_epoch()} + seconds{seconds_of_day}};
  return tz_->to_sys(local, ::date::choose::earliest).time_since_epoch().count();
}

std::int64_t time_zone::service_time_to_unix(date_t d, std::int64_t t) const {
  return local_to_unix(d, 12 * 3600) - 12 * 3600 + t;
}

date_t time_zone::local_date(std::int64_t unix_s) const {
  ::date::sys_seconds const at{seconds{unix_s}};
  auto const local = tz_->to_local(at);
  return date_t{std::chrono::floor<std::chrono::days>(local).time_since_epoch()};
}

time_zone::offset_span time_zone::offset_span_at(std::int64_t unix_s) const {
  ::date::sys_seconds const at{seconds{unix_s}};
  auto const info = tz_->get_info(at);
  return {info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(),
          static_cast<std::int32_t>(info.offset.count())};
}

std::string time_zone::iso(std::int64_t unix_s) const { return iso(unix_s, offset_span_at(unix_s).offset); }

std::string time_zone::iso(std::int64_t unix_s, std::int32_t offset) {
  auto const local = unix_s + offset;
  auto const day = std::chrono::floor<std::chrono::days>(seconds{local});
  auto const s = local - std::chrono::duration_cast<seconds>(day).count();
  std::chrono::year_month_day const ymd{std::chrono::sys_days{day}};
  auto const year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld%s", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                  static_cast<long long>(s % 60), format_utc_offset(static_cast<std::int32_t>(offset)).c_str());
    return buf;
  }
  // By hand rather than snprintf: an answer of the journey planner formats dozens of these, and
  // snprintf was most of their cost.
  auto const two = [](char* p, long long v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  std::string out(25, '\0');
  auto* p = out.data();
  two(p, year / 100);
  two(p + 2, year % 100);
  p[4] = '-';
  two(p + 5, static_cast<unsigned>(ymd.month()));
  p[7] = '-';
  two(p + 8, static_cast<unsigned>(ymd.day()));
  p[10] = 'T';
  two(p + 11, s / 3600);
  p[13] = ':';
  two(p + 14, s / 60 % 60);
  p[16] = ':';
  two(p + 17, s % 60);
  auto const a = std::abs(offset);
  p[19] = offset < 0 ? '-' : '+';
  two(p + 20, a / 3600 % 100);
  p[22] = ':';
  two(p + 23, a / 60 % 60);
  return out;
}

}  // namespace nebuta::civil
