#include "nebuta/core/civil_time.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace nebuta::civil {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value of a short run of digits (the caller checked all_digits and the length).
int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<date_t> make_date(int y, int m, int d) {
  std::chrono::year_month_day const ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1900) return std::nullopt;
  return date_t{ymd};
}

}  // namespace

std::optional<date_t> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto const y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  return make_date(to_int(y), to_int(m), to_int(d));
}

std::optional<date_t> parse_compact_date(std::string_view s) {
  if (s.size() != 8 || !all_digits(s)) return std::nullopt;
  return make_date(to_int(s.substr(0, 4)), to_int(s.substr(4, 2)), to_int(s.substr(6, 2)));
}

std::string format_date(date_t d) {
  std::chrono::year_month_day const ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<std::int32_t> parse_clock(std::string_view s, int max_hours) {
  auto const c1 = s.find(':');
  if (c1 == std::string_view::npos || c1 == 0 || c1 > 3) return std::nullopt;
  auto const h = s.substr(0, c1);
  auto const rest = s.substr(c1 + 1);
  if (!all_digits(h) || rest.size() < 2 || !all_digits(rest.substr(0, 2))) return std::nullopt;
  int sec = 0;
  if (rest.size() == 5 && rest[2] == ':' && all_digits(rest.substr(3, 2))) {
    sec = to_int(rest.substr(3, 2));
  } else if (rest.size() != 2) {
    return std::nullopt;
  }
  auto const hh = to_int(h), mm = to_int(rest.substr(0, 2));
  if (hh > max_hours || mm > 59 || sec > 59) return std::nullopt;
  return hh * 3600 + mm * 60 + sec;
}

std::optional<std::int64_t> parse_clock_or_seconds(std::string_view s, int max_hours, bool negative) {
  auto digits = s;
  if (negative && digits.size() > 1 && digits.front() == '-') digits.remove_prefix(1);
  if (all_digits(digits)) {
    if (digits.size() > 12) return std::nullopt;
    std::int64_t v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return digits.size() == s.size() ? v : -v;
  }
  if (auto const c = parse_clock(s, max_hours)) return *c;
  return std::nullopt;
}

std::string format_clock(std::int64_t t, bool with_seconds) {
  auto const neg = t < 0;
  auto const a = neg ? -t : t;
  char buf[48];
  if (with_seconds) {
    std::snprintf(buf, sizeof buf, "%s%02lld:%02lld:%02lld", neg ? "-" : "", static_cast<long long>(a / 3600),
                  static_cast<long long>(a / 60 % 60), static_cast<long long>(a % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%s%02lld:%02lld", neg ? "-" : "", static_cast<long long>(a / 3600),
                  static_cast<long long>(a / 60 % 60));
  }
  return buf;
}

std::optional<iso_datetime> parse_iso_datetime(std::string_view s) {
  if (s.size() < 16 || s.size() > 40 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  auto const day = parse_date(s.substr(0, 10));
  if (!day) return std::nullopt;
  auto rest = s.substr(11);
  auto const zpos = rest.find_first_of("Zz+-");
  auto hms = rest.substr(0, zpos);
  auto const zone = zpos == std::string_view::npos ? std::string_view{} : rest.substr(zpos);
  if (auto const dot = hms.find('.'); dot != std::string_view::npos) {  // fractions are dropped
    if (!all_digits(hms.substr(dot + 1))) return std::nullopt;
    hms = hms.substr(0, dot);
  }
  if (hms.size() != 5 && hms.size() != 8) return std::nullopt;
  auto const t = parse_clock(hms, 24);
  if (!t || *t > 86'400) return std::nullopt;
  iso_datetime out{*day, *t, std::nullopt};
  if (zone.empty()) return out;
  if (zone == "Z" || zone == "z") {
    out.utc_offset = 0;
    return out;
  }
  auto const sign = zone[0] == '-' ? -1 : 1;
  auto const z = zone.substr(1);
  std::string_view hh, mm{"00"};
  if (z.size() == 5 && z[2] == ':') {
    hh = z.substr(0, 2), mm = z.substr(3, 2);
  } else if (z.size() == 4) {
    hh = z.substr(0, 2), mm = z.substr(2, 2);
  } else if (z.size() == 2) {
    hh = z;
  } else {
    return std::nullopt;
  }
  if (!all_digits(hh) || !all_digits(mm)) return std::nullopt;
  auto const oh = to_int(hh), om = to_int(mm);
  if (oh > 23 || om > 59) return std::nullopt;
  out.utc_offset = sign * (oh * 3600 + om * 60);
  return out;
}

std::string format_utc_offset(std::int32_t offset_s) {
  auto const a = std::abs(offset_s);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  return buf;
}

std::int64_t to_unix(date_t d, std::int64_t seconds_of_day, std::int32_t utc_offset_s) {
  return static_cast<std::int64_t>(d.time_since_epoch().count()) * 86'400 + seconds_of_day - utc_offset_s;
}

}  // namespace nebuta::civil
