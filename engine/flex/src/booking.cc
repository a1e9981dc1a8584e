#include "nebuta/flex/booking.h"

namespace nebuta::flex {

local_seconds local_instant(date_t day, seconds_t time_of_day) {
  return static_cast<local_seconds>(day.time_since_epoch().count()) * seconds_per_day + time_of_day;
}

namespace {

// The n-th day before `day`: calendar days, or service days of `counted` when it is valid.
std::optional<date_t> days_before(model const& m, service_idx counted, date_t day, std::int32_t n) {
  if (n < 0) return std::nullopt;
  if (!counted.valid()) return day - std::chrono::days{n};
  constexpr int max_look_back = 1000;
  auto const& s = m.services[counted];
  auto d = day;
  for (int step = 0; step < max_look_back && n > 0; ++step) {
    d -= std::chrono::days{1};
    if (s.runs_on(d)) --n;
  }
  if (n > 0) return std::nullopt;
  return d;
}

}  // namespace

std::optional<booking_window> booking_window_for(model const& m, booking_rule const& r, date_t day,
                                                 seconds_t travel_time) {
  auto const travel = local_instant(day, travel_time);
  booking_window w;
  auto const start_from_day = [&]() -> bool {
    if (!r.prior_notice_start_day) return true;
    auto const d = days_before(m, r.prior_notice_service, day, *r.prior_notice_start_day);
    if (!d) return false;
    w.earliest = local_instant(*d, r.prior_notice_start_time.value_or(0));
    return true;
  };
  switch (r.type) {
    case booking_type::real_time: w.latest = travel; return w;
    case booking_type::same_day:
      w.latest = travel - std::int64_t{60} * r.prior_notice_duration_min.value_or(0);
      if (r.prior_notice_duration_max) w.earliest = travel - std::int64_t{60} * *r.prior_notice_duration_max;
      if (!start_from_day()) return std::nullopt;
      return w;
    case booking_type::prior_days: {
      if (!r.prior_notice_last_day || !r.prior_notice_last_time) return std::nullopt;
      auto const last = days_before(m, r.prior_notice_service, day, *r.prior_notice_last_day);
      if (!last) return std::nullopt;
      w.latest = local_instant(*last, *r.prior_notice_last_time);
      if (!start_from_day()) return std::nullopt;
      return w;
    }
  }
  return std::nullopt;
}

}  // namespace nebuta::flex
