#include "nebuta/dispatch/fleet_calendar.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace nebuta::dispatch {

namespace {

bool in(std::vector<std::pair<date_t, date_t>> const& ranges, date_t d) {
  return std::any_of(ranges.begin(), ranges.end(), [&](auto const& r) { return r.first <= d && d <= r.second; });
}

}  // namespace

bool day_rule::runs_on(date_t day, bool holiday) const {
  if (in(except, day)) return false;
  if (in(also, day)) return true;
  if (holiday) return holidays;
  auto const monday_based = (std::chrono::weekday{day}.c_encoding() + 6) % 7;  // 0 Monday ... 6 Sunday
  return (weekdays >> monday_based & 1U) != 0;
}

holiday_calendar::holiday_calendar(std::vector<date_t> days) : days_{std::move(days)} {
  std::sort(days_.begin(), days_.end());
  days_.erase(std::unique(days_.begin(), days_.end()), days_.end());
}

bool holiday_calendar::contains(date_t d) const { return std::binary_search(days_.begin(), days_.end(), d); }

std::vector<dated_shift> shifts_between(std::span<shift_pattern const> patterns, holiday_calendar const& holidays,
                                        civil::time_zone const& zone, date_t first, date_t last,
                                        std::vector<std::string>* overlaps) {
  std::vector<dated_shift> out;
  std::map<std::string, std::vector<std::pair<instant, instant>>, std::less<>> taken;  // per vehicle
  for (auto day = first; day <= last; day += std::chrono::days{1}) {
    auto const holiday = holidays.contains(day);
    for (auto const& p : patterns) {
      if (!p.days.runs_on(day, holiday)) continue;
      dated_shift s{p.vehicle, day};
      s.vehicle.shift_start = zone.service_time_to_unix(day, p.start);
      s.vehicle.shift_end = zone.service_time_to_unix(day, p.end);
      auto& mine = taken[p.vehicle.name];
      auto const clash = std::find_if(mine.begin(), mine.end(), [&](auto const& t) {
        return s.vehicle.shift_start < t.second && t.first < s.vehicle.shift_end;
      });
      if (clash != mine.end()) {
        if (overlaps != nullptr) {
          overlaps->push_back("vehicle " + p.vehicle.name + ": the shift of " + civil::format_date(day) + " " +
                              zone.iso(s.vehicle.shift_start) + " to " + zone.iso(s.vehicle.shift_end) +
                              " overlaps its shift " + zone.iso(clash->first) + " to " + zone.iso(clash->second) +
                              "; left out");
        }
        continue;
      }
      mine.emplace_back(s.vehicle.shift_start, s.vehicle.shift_end);
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace nebuta::dispatch
