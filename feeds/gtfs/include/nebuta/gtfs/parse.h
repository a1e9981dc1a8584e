// Field parsers for GTFS values. Each returns nullopt on malformed input; the caller reports
// the row with its file and line and skips it.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace nebuta::gtfs {

template <typename Int>
std::optional<Int> parse_int(std::string_view s) {
  static_assert(std::is_integral_v<Int>);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  Int v{};
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

inline std::optional<double> parse_double(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v{};
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Times and dates are digits only: parse_int alone would also accept a sign ("09:+1:00").
inline bool all_digits(std::string_view s) {
  for (auto const c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

namespace detail {
// Hours (any number of digits), then ":MM" and, when with_seconds, ":SS".
inline std::optional<std::int32_t> parse_clock_time(std::string_view s, bool with_seconds) {
  auto const c1 = s.find(':');
  if (c1 == std::string_view::npos || c1 == 0) return std::nullopt;
  auto const c2 = s.find(':', c1 + 1);
  auto const minutes_end = with_seconds ? c2 : s.size();
  if (with_seconds ? (c2 == std::string_view::npos || s.size() - c2 != 3) : c2 != std::string_view::npos) {
    return std::nullopt;
  }
  if (minutes_end - c1 != 3) return std::nullopt;
  auto const sec_text = with_seconds ? s.substr(c2 + 1) : std::string_view{"00"};
  if (!all_digits(s.substr(0, c1)) || !all_digits(s.substr(c1 + 1, 2)) || !all_digits(sec_text)) {
    return std::nullopt;
  }
  auto const h = parse_int<std::int32_t>(s.substr(0, c1));
  auto const m = parse_int<std::int32_t>(s.substr(c1 + 1, 2));
  auto const sec = parse_int<std::int32_t>(sec_text);
  if (!h || !m || !sec || *h < 0 || *h > 500'000 || *m < 0 || *m > 59 || *sec < 0 || *sec > 59) {
    return std::nullopt;
  }
  return *h * 3600 + *m * 60 + *sec;
}
}  // namespace detail

// H:MM:SS with any number of hour digits (hours above 23 are times past midnight).
inline std::optional<std::int32_t> parse_time(std::string_view s) { return detail::parse_clock_time(s, true); }

// H:MM / HH:MM without seconds, as nigiri's fixtures and some real feeds write times. Not GTFS:
// the reader accepts it with a warning (kind "time_without_seconds").
inline std::optional<std::int32_t> parse_time_without_seconds(std::string_view s) {
  return detail::parse_clock_time(s, false);
}

inline std::optional<std::chrono::sys_days> parse_date(std::string_view s) {
  if (s.size() != 8 || !all_digits(s)) return std::nullopt;
  auto const y = parse_int<int>(s.substr(0, 4));
  auto const m = parse_int<unsigned>(s.substr(4, 2));
  auto const d = parse_int<unsigned>(s.substr(6, 2));
  if (!y || !m || !d) return std::nullopt;
  auto const ymd = std::chrono::year{*y} / std::chrono::month{*m} / std::chrono::day{*d};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

}  // namespace nebuta::gtfs
