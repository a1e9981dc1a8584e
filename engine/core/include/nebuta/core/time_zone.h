// IANA time zones through the system's tz database (Howard Hinnant's date/tz, Debian's
// libhowardhinnant-date-dev + libdate-tz3 reading /usr/share/zoneinfo). Nothing here touches
// the process's TZ or libc's localtime state, so any number of threads may use zones at once.
//
// GTFS times are seconds from "noon minus 12 h" of the service date in the agency's zone (the
// spec's definition), which is local midnight except on the days a clock change happens before
// noon. service_time_to_unix() implements exactly that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nebuta/core/civil_time.h"

namespace date {
class time_zone;
}

namespace nebuta::civil {

class time_zone {
 public:
  // Throws std::invalid_argument naming the zone when the database does not know it.
  static time_zone locate(std::string_view name);
  static bool known(std::string_view name);
  static time_zone utc();

  std::string const& name() const;

  // The zone's offset from UTC, in seconds east, at an instant.
  std::int32_t utc_offset_at(std::int64_t unix_s) const;
  // The instant of GTFS time `t` (seconds, may be negative or past 24 h) of service date `d`.
  std::int64_t service_time_to_unix(date_t d, std::int64_t t) const;
  // The instant of a wall-clock time on a date; in a gap or an overlap the earlier reading.
  std::int64_t local_to_unix(date_t d, std::int64_t seconds_of_day) const;
  // The local calendar date at an instant.
  date_t local_date(std::int64_t unix_s) const;
  // "2026-04-08T09:05:00+09:00": the local wall time at the instant, with that instant's offset.
  std::string iso(std::int64_t unix_s) const;
  // The offset in force at an instant, and the instants [begin, end) it holds for: a caller
  // printing many instants (an answer's stop times) looks it up again only past `end`.
  struct offset_span {
    std::int64_t begin, end;
    std::int32_t offset;
    bool holds(std::int64_t unix_s) const { return unix_s >= begin && unix_s < end; }
  };
  offset_span offset_span_at(std::int64_t unix_s) const;
  // iso() with the offset given (the one in force at unix_s).
  static std::string iso(std::int64_t unix_s, std::int32_t offset);

 private:
  explicit time_zone(::date::time_zone const* tz) : tz_{tz} {}
  ::date::time_zone const* tz_;
};

}  // namespace nebuta::civil
