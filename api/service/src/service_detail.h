// Small helpers shared by the service's source files (service.cc, format.cc, stop_search.cc,
// places.cc, plan.cc, schedule.cc); not part of the API.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "nebuta/api_service/service.h"

namespace nebuta::api_service::detail {

constexpr seconds_t day_s = seconds_per_day;

inline std::string fmt_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

inline bool is_station(timetable const& tt, stop_idx s) { return tt.stop_location_type[s] == 1; }

inline std::string str(std::string_view v) { return std::string{v}; }

}  // namespace nebuta::api_service::detail
