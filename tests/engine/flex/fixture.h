// A small flex model written by hand: two square zones A and B side by side with a hole in A, a
// location group of one stop, and booking rules of each type. Coordinates near 40°N, 0°E.
#pragma once

#include <chrono>

#include "nebuta/flex/model.h"

namespace nebuta::flex::test {

using namespace std::chrono_literals;

// [lat0, lat1] x [lon0, lon1] as one closed-free ring (the form feeds/io hands out).
inline std::vector<latlon> square(double lat0, double lon0, double lat1, double lon1) {
  return {{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}};
}

inline seconds_t hms(int h, int m, int s = 0) { return h * 3600 + m * 60 + s; }

// Local instant computed with std::chrono, independently of flex::local_instant.
inline std::int64_t local(date_t day, int h, int m, int s = 0) {
  auto const t =
      std::chrono::sys_seconds{day} + std::chrono::hours{h} + std::chrono::minutes{m} + std::chrono::seconds{s};
  return t.time_since_epoch().count();
}

}  // namespace nebuta::flex::test
