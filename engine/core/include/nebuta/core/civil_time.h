// Dates, times of day and instants as people and feeds write them, in one place: every parser
// of "YYYY-MM-DD", "HH:MM[:SS]" or ISO 8601 in Nebuta is one of these. Parsers return nullopt
// for malformed text; each caller turns that into its own error (a 400, a file:line problem).
// Time zones are in time_zone.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nebuta/core/time.h"  // date_t

namespace nebuta::civil {

// "2026-04-08" (year 1900 or later) / "20260408" as GTFS writes dates.
std::optional<date_t> parse_date(std::string_view s);
std::optional<date_t> parse_compact_date(std::string_view s);
std::string format_date(date_t d);  // "2026-04-08"

// A time of day: "H:MM", "HH:MM" or "HH:MM:SS" (also "HHH:MM:SS" when max_hours allows), hours
// at most max_hours, minutes and seconds at most 59. Seconds since midnight.
std::optional<std::int32_t> parse_clock(std::string_view s, int max_hours = 47);
// parse_clock, or whole seconds ("3600", "-60" when negative is allowed).
std::optional<std::int64_t> parse_clock_or_seconds(std::string_view s, int max_hours = 47, bool negative = false);
std::string format_clock(std::int64_t seconds_of_day, bool with_seconds = true);  // "09:05:00", "25:10:00"

// ISO 8601 / RFC 3339 date and time: YYYY-MM-DD(T|t| )HH:MM[:SS][.fff][Z|±HH:MM|±HHMM|±HH].
// Fractions of a second are dropped; 24:00:00 is the end of the day.
struct iso_datetime {
  date_t day;
  std::int32_t seconds{0};                 // of the day, 0 .. 86,400
  std::optional<std::int32_t> utc_offset;  // seconds east of UTC; none when the text has none
};
std::optional<iso_datetime> parse_iso_datetime(std::string_view s);

// "+09:00", "-04:00", "+05:45".
std::string format_utc_offset(std::int32_t offset_s);

// Seconds since the epoch of a date and a time of day at a fixed UTC offset.
std::int64_t to_unix(date_t d, std::int64_t seconds_of_day, std::int32_t utc_offset_s);

}  // namespace nebuta::civil
