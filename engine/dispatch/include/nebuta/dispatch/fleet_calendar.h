// Dated shifts of a fleet that runs every day: which vehicle works when, from weekly patterns with
// exceptions and a holiday calendar, as absolute instants in the service's time zone.
//
// Each shift a vehicle works on a date becomes a dispatcher vehicle of its own (same name, that
// shift's start and end), so bookings for tomorrow or the day after land in that day's plan, and a
// shift that ends after midnight simply ends the next morning. The service registers the shifts of
// every date up to its booking horizon (`shifts_between`), each once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "nebuta/core/civil_time.h"
#include "nebuta/core/time_zone.h"
#include "nebuta/dispatch/types.h"

namespace nebuta::dispatch {

// On which service dates a shift runs. A date is run when it is not excluded and is either
// included explicitly, or a holiday while `holidays` is set, or (not being a holiday) a weekday
// whose bit is set: so "mon-fri" leaves out a Monday that is a holiday, and "sat,sun,hol" runs on
// it, as Japanese services run 平日 and 土日祝 timetables.
struct day_rule {
  std::uint8_t weekdays{0};  // bit 0 Monday ... bit 6 Sunday
  bool holidays{false};
  std::vector<std::pair<date_t, date_t>> also, except;  // inclusive date ranges

  bool runs_on(date_t day, bool holiday) const;
  static day_rule daily() { return {0x7f, true, {}, {}}; }
};

// A vehicle's shift pattern: the vehicle (shift times unused), the shift as seconds of the service
// date (from noon minus 12 h, GTFS's rule; the end may pass 24:00), and its dates.
struct shift_pattern {
  vehicle_spec vehicle;
  seconds_t start{0}, end{0};
  day_rule days{day_rule::daily()};
};

// Dates that are holidays (sorted, unique).
class holiday_calendar {
 public:
  holiday_calendar() = default;
  explicit holiday_calendar(std::vector<date_t> days);
  bool contains(date_t d) const;
  std::span<date_t const> days() const { return days_; }

 private:
  std::vector<date_t> days_;
};

struct dated_shift {
  vehicle_spec vehicle;  // shift_start and shift_end: instants
  date_t day;
};

// Every shift of the patterns on the service dates first..last (inclusive), by date, then in
// pattern order. A shift of a vehicle that overlaps an earlier one of the same vehicle is left out
// and described in `overlaps` (when given).
std::vector<dated_shift> shifts_between(std::span<shift_pattern const> patterns, holiday_calendar const& holidays,
                                        civil::time_zone const& zone, date_t first, date_t last,
                                        std::vector<std::string>* overlaps = nullptr);

}  // namespace nebuta::dispatch
