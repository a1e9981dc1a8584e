// The service calendar of the on-demand service, read at the edge: on which dates a fleet CSV row's
// shift runs (its `days` column) and which dates are holidays.
//
// Days (fleet CSV column `days`, optional, default "daily"): items separated by spaces, commas or
// semicolons, case-insensitive:
//   mon tue wed thu fri sat sun   that weekday, when it is not a holiday
//   mon-fri, fri-mon              a range of weekdays (it may wrap past Sunday)
//   hol (or holidays)             holidays
//   daily                         every date: every weekday and holidays
//   2026-12-31, 2026-12-29..2027-01-03   these dates (inclusive range), whatever they are
//   !item                         not on these: !hol, !sat, !2026-12-31, !2026-12-29..2027-01-03
// Examples: "mon-fri" (平日), "sat sun hol" (土日祝), "daily !2026-12-31..2027-01-03".
//
// Holidays come from one of (rules JSON key "holidays"):
//   - a holiday list file: one date YYYY-MM-DD per line, optionally followed by a comma and a
//     name; '#' starts a comment; bad lines are reported as "file:line: reason" and skipped;
//   - a GTFS feed ({"gtfs": path}, or a path that is a folder or a .zip): the dates on which the
//     feed runs its Sunday timetable on another weekday, i.e. a service that calendar.txt runs on
//     Sundays only is added by calendar_dates.txt (exception_type 1) on a date that is no Sunday
//     (Japanese feeds such as Hachinohe's 2_日祝 are added on national holidays and the year-end
//     and Obon days the operator treats alike);
//   - an array of "YYYY-MM-DD".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/core/civil_time.h"
#include "nebuta/dispatch/fleet_calendar.h"

namespace nebuta::drt_config {

// nullopt and a reason in `error` when the text is not a days expression.
std::optional<dispatch::day_rule> parse_days(std::string_view text, std::string* error = nullptr);

struct holiday_list {
  std::vector<date_t> days;
  std::vector<std::string> errors;  // "file:line: reason" for every skipped line
};
// A holiday list file, or (a folder or .zip) a GTFS feed's holidays. Throws config_error when the
// file cannot be read, or the feed has no calendar.txt with a Sunday-only service.
holiday_list load_holidays(std::filesystem::path const& path);
holiday_list holidays_from_gtfs(std::filesystem::path const& feed);

}  // namespace nebuta::drt_config
