// Booking windows hand-computed from the rule texts of GTFS booking_rules.txt.
#include <catch2/catch.hpp>

#include "fixture.h"
#include "nebuta/flex/booking.h"

using namespace nebuta;
using namespace nebuta::flex;
using namespace nebuta::flex::test;
using namespace std::chrono;

namespace {

booking_rule rule(booking_type t) {
  booking_rule r;
  r.id = "r";
  r.type = t;
  return r;
}

}  // namespace

TEST_CASE("flex booking: real time is bookable up to the ride", "[flex][booking]") {
  model m;
  auto const day = date_t{2021y / November / 2};
  auto const w = booking_window_for(m, rule(booking_type::real_time), day, hms(7, 40));
  REQUIRE(w);
  CHECK_FALSE(w->earliest);
  CHECK(w->latest == local(day, 7, 40));
  CHECK(w->allows(local(day, 7, 40)));
  CHECK_FALSE(w->allows(local(day, 7, 40, 1)));
  CHECK(w->allows(local(date_t{2021y / January / 1}, 0, 0)));
}

TEST_CASE("flex booking: same day, minimum and maximum notice (CobbLinc's rule 1)", "[flex][booking]") {
  // CobbLinc: booking_type 1, prior_notice_duration_min 120, prior_notice_duration_max 1440.
  model m;
  auto r = rule(booking_type::same_day);
  r.prior_notice_duration_min = 120;
  r.prior_notice_duration_max = 1440;
  auto const day = date_t{2021y / November / 2};
  auto const w = booking_window_for(m, r, day, hms(7, 40));
  REQUIRE(w);
  // 120 min before 07:40 is 05:40 the same day; 1440 min before is 07:40 the day before.
  CHECK(w->latest == local(day, 5, 40));
  CHECK(w->earliest == local(date_t{2021y / November / 1}, 7, 40));
  CHECK(w->allows(local(day, 5, 40)));
  CHECK_FALSE(w->allows(local(day, 5, 40, 1)));
  CHECK(w->allows(local(date_t{2021y / November / 1}, 12, 0)));
  CHECK_FALSE(w->allows(local(date_t{2021y / November / 1}, 7, 39, 59)));
}

TEST_CASE("flex booking: same day with a start day (C-TRAN's rules)", "[flex][booking]") {
  // C-TRAN: booking_type 1, prior_notice_duration_min 0, prior_notice_start_day 2 at 00:00:00.
  model m;
  auto r = rule(booking_type::same_day);
  r.prior_notice_duration_min = 0;
  r.prior_notice_start_day = 2;
  r.prior_notice_start_time = 0;
  auto const day = date_t{2025y / November / 4};
  auto const w = booking_window_for(m, r, day, hms(10, 0));
  REQUIRE(w);
  CHECK(w->latest == local(day, 10, 0));
  CHECK(w->earliest == local(date_t{2025y / November / 2}, 0, 0));
  CHECK_FALSE(w->allows(local(date_t{2025y / November / 1}, 23, 59, 59)));
}

TEST_CASE("flex booking: a ride past midnight counts from its service day", "[flex][booking]") {
  model m;
  auto r = rule(booking_type::same_day);
  r.prior_notice_duration_min = 30;
  auto const day = date_t{2025y / November / 4};
  auto const w = booking_window_for(m, r, day, hms(24, 10));  // 00:10 on Nov 5
  REQUIRE(w);
  CHECK(w->latest == local(date_t{2025y / November / 4}, 23, 40));
}

TEST_CASE("flex booking: prior days, last day and time, start day", "[flex][booking]") {
  model m;
  auto r = rule(booking_type::prior_days);
  r.prior_notice_last_day = 1;
  r.prior_notice_last_time = hms(17, 0);
  auto const day = date_t{2021y / November / 2};  // a Tuesday
  auto w = booking_window_for(m, r, day, hms(7, 40));
  REQUIRE(w);
  CHECK(w->latest == local(date_t{2021y / November / 1}, 17, 0));
  CHECK_FALSE(w->earliest);
  CHECK(w->allows(local(date_t{2021y / November / 1}, 17, 0)));
  CHECK_FALSE(w->allows(local(date_t{2021y / November / 1}, 17, 0, 1)));
  CHECK_FALSE(w->allows(local(day, 6, 0)));  // the same day is too late, however early

  r.prior_notice_start_day = 7;
  r.prior_notice_start_time = hms(8, 0);
  w = booking_window_for(m, r, day, hms(7, 40));
  REQUIRE(w);
  CHECK(w->earliest == local(date_t{2021y / October / 26}, 8, 0));

  SECTION("days counted on a weekday service (prior_notice_service_id)") {
    service weekdays;
    weekdays.id = "weekdays";
    weekdays.weekdays = 0b0011111;
    weekdays.start = date_t{2021y / January / 1};
    weekdays.end = date_t{2021y / December / 31};
    r.prior_notice_service = m.services.push_back(weekdays);
    r.prior_notice_start_day = 5;
    // A Monday ride: the last day before it is Friday Oct 29; five service days before is Mon Oct 25.
    auto const monday = date_t{2021y / November / 1};
    auto const v = booking_window_for(m, r, monday, hms(7, 40));
    REQUIRE(v);
    CHECK(v->latest == local(date_t{2021y / October / 29}, 17, 0));
    CHECK(v->earliest == local(date_t{2021y / October / 25}, 8, 0));
    CHECK_FALSE(v->allows(local(date_t{2021y / October / 31}, 12, 0)));  // Sunday: after the cut-off
  }
  SECTION("a service with no earlier day cannot be evaluated") {
    service none;
    none.id = "none";
    r.prior_notice_service = m.services.push_back(none);
    CHECK_FALSE(booking_window_for(m, r, day, hms(7, 40)));
  }
}

TEST_CASE("flex booking: a prior-days rule without its last day cannot be evaluated", "[flex][booking]") {
  model m;
  auto r = rule(booking_type::prior_days);
  CHECK_FALSE(booking_window_for(m, r, date_t{2021y / November / 2}, hms(7, 40)));
}

TEST_CASE("flex service: calendar rule with added and removed dates", "[flex][service]") {
  service s;
  s.weekdays = 0b0011111;  // Monday to Friday
  s.start = date_t{2021y / October / 19};
  s.end = date_t{2022y / January / 19};
  s.added = {date_t{2021y / November / 6}};     // a Saturday
  s.removed = {date_t{2021y / November / 25}};  // a Thursday
  CHECK(s.runs_on(date_t{2021y / November / 2}));
  CHECK_FALSE(s.runs_on(date_t{2021y / November / 7}));
  CHECK(s.runs_on(date_t{2021y / November / 6}));
  CHECK_FALSE(s.runs_on(date_t{2021y / November / 25}));
  CHECK_FALSE(s.runs_on(date_t{2021y / October / 18}));
  CHECK(s.runs_on(date_t{2022y / January / 19}));
  CHECK_FALSE(s.runs_on(date_t{2022y / January / 20}));
}
