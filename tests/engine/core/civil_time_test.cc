// The core's dates, clocks, ISO 8601 and time zones. Expected instants and offsets were computed
// with Python's zoneinfo (an independent tz implementation), e.g.
//   int(datetime(2026, 3, 8, 12, tzinfo=ZoneInfo("America/New_York")).timestamp()) - 12 * 3600
#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>
#include <vector>

#include "nebuta/core/civil_time.h"
#include "nebuta/core/time_zone.h"

using namespace nebuta::civil;
using std::chrono::year_month_day;

namespace {
nebuta::date_t ymd(int y, unsigned m, unsigned d) {
  return nebuta::date_t{year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}};
}
}  // namespace

TEST_CASE("core: dates and clocks parse strictly and format back", "[core]") {
  CHECK(parse_date("2026-04-08") == ymd(2026, 4, 8));
  CHECK(parse_date("2024-02-29") == ymd(2024, 2, 29));
  for (auto const* bad :
       {"", "2026-4-08", "2026-02-29", "2026-13-01", "1899-12-31", "2026/04/08", "2026-04-08x", "２０２６-04-08"})
    CHECK_FALSE(parse_date(bad).has_value());
  CHECK(parse_compact_date("20260408") == ymd(2026, 4, 8));
  CHECK_FALSE(parse_compact_date("2026048").has_value());
  CHECK(format_date(ymd(2026, 4, 8)) == "2026-04-08");

  CHECK(parse_clock("9:05") == 9 * 3600 + 300);
  CHECK(parse_clock("09:05") == 9 * 3600 + 300);
  CHECK(parse_clock("25:10:30") == 25 * 3600 + 600 + 30);
  CHECK(parse_clock("47:59:59") == 47 * 3600 + 59 * 60 + 59);
  for (auto const* bad : {"", "48:00", "09:60", "09:05:60", "0905", ":05", "09:5", "09:05:", "-1:00", "09:05 "})
    CHECK_FALSE(parse_clock(bad).has_value());
  CHECK(parse_clock("100:00:00", 999) == 360000);
  CHECK(parse_clock_or_seconds("3600") == 3600);
  CHECK_FALSE(parse_clock_or_seconds("-60").has_value());
  CHECK(parse_clock_or_seconds("-60", 47, true) == -60);
  CHECK_FALSE(parse_clock_or_seconds("9999999999999").has_value());
  CHECK(format_clock(25 * 3600 + 610) == "25:10:10");
  CHECK(format_clock(9 * 3600 + 300, false) == "09:05");
  CHECK(format_clock(-60) == "-00:01:00");
}

TEST_CASE("core: ISO 8601 date-times with and without offsets", "[core]") {
  auto const a = parse_iso_datetime("2026-04-08T09:05:00+09:00");
  REQUIRE(a);
  CHECK(a->day == ymd(2026, 4, 8));
  CHECK(a->seconds == 9 * 3600 + 300);
  CHECK(a->utc_offset == 9 * 3600);
  CHECK(parse_iso_datetime("2026-04-08T09:05Z")->utc_offset == 0);
  CHECK(parse_iso_datetime("2026-04-08 09:05:00.123-0330")->utc_offset == -(3 * 3600 + 1800));
  CHECK(parse_iso_datetime("2026-04-08t09:05:00+05")->utc_offset == 5 * 3600);
  CHECK_FALSE(parse_iso_datetime("2026-04-08T09:05:00")->utc_offset.has_value());
  CHECK(parse_iso_datetime("2026-04-08T24:00:00")->seconds == 86'400);
  for (auto const* bad : {"2026-04-08", "2026-04-08T9:05", "2026-04-08T09:05+24:00", "2026-04-08T09:05+09:0",
                          "2026-04-08T25:00:00", "2026-04-08T09:05:00.x", "2026-02-30T09:05Z", "2026-04-08X09:05"})
    CHECK_FALSE(parse_iso_datetime(bad).has_value());
  CHECK(format_utc_offset(9 * 3600) == "+09:00");
  CHECK(format_utc_offset(-(3 * 3600 + 1800)) == "-03:30");
  CHECK(format_utc_offset(5 * 3600 + 45 * 60) == "+05:45");
  CHECK(to_unix(ymd(2026, 4, 8), 9 * 3600, 9 * 3600) == 1775574000 + 9 * 3600);
}

TEST_CASE("core: GTFS service-day times through the tz database, across DST changes", "[core]") {
  auto const tokyo = time_zone::locate("Asia/Tokyo");
  CHECK(tokyo.name() == "Asia/Tokyo");
  CHECK(tokyo.service_time_to_unix(ymd(2026, 4, 8), 0) == 1775574000);
  CHECK(tokyo.iso(1775574000 + 9 * 3600 + 300) == "2026-04-08T09:05:00+09:00");
  CHECK(tokyo.iso(tokyo.service_time_to_unix(ymd(2026, 4, 8), 25 * 3600 + 600)) == "2026-04-09T01:10:00+09:00");
  CHECK(tokyo.local_date(1775574000 - 1) == ymd(2026, 4, 7));
  CHECK(tokyo.local_date(1775574000) == ymd(2026, 4, 8));
  CHECK(tokyo.utc_offset_at(1775574000) == 9 * 3600);

  // US spring forward (2026-03-08 02:00 EST → 03:00 EDT): time 0 is 23:00 EST of the day before.
  auto const ny = time_zone::locate("America/New_York");
  auto const spring = ny.service_time_to_unix(ymd(2026, 3, 8), 0);
  CHECK(spring == 1772942400);
  CHECK(ny.iso(spring) == "2026-03-07T23:00:00-05:00");
  CHECK(ny.iso(spring + 9 * 3600) == "2026-03-08T09:00:00-04:00");
  // The offset's span ends at the change (07:00Z, 02:00 EST -> 03:00 EDT; hand-computed): a
  // printer of many times (service::day_clock) keeps an offset while the instant is inside it.
  auto const change = spring + 3 * 3600;
  auto const before = ny.offset_span_at(change - 1);
  CHECK(before.offset == -5 * 3600);
  CHECK(before.end == change);
  CHECK(before.holds(change - 1));
  CHECK_FALSE(before.holds(change));
  auto const after = ny.offset_span_at(change);
  CHECK(after.offset == -4 * 3600);
  CHECK(after.begin == change);
  // A day's times, minute by minute, as day_clock prints them: two lookups, every text as iso's.
  auto span = ny.offset_span_at(spring);
  auto lookups = 1, differ = 0;
  for (auto t = spring; t < spring + 24 * 3600; t += 60) {
    if (!span.holds(t)) {
      span = ny.offset_span_at(t);
      ++lookups;
    }
    if (time_zone::iso(t, span.offset) != ny.iso(t)) ++differ;
  }
  CHECK(lookups == 2);
  CHECK(differ == 0);
  // Fall back (2026-11-01 02:00 EDT → 01:00 EST): time 0 is 01:00 EDT.
  auto const fall = ny.service_time_to_unix(ymd(2026, 11, 1), 0);
  CHECK(fall == 1793509200);
  CHECK(ny.iso(fall) == "2026-11-01T01:00:00-04:00");
  CHECK(ny.iso(fall + 9 * 3600) == "2026-11-01T09:00:00-05:00");
  CHECK(time_zone::locate("America/Los_Angeles").service_time_to_unix(ymd(2026, 3, 8), 0) == 1772953200);
  // A wall time in the spring gap reads as the earlier offset; an ordinary one is exact.
  CHECK(ny.local_to_unix(ymd(2026, 3, 8), 9 * 3600) == 1772942400 + 9 * 3600);

  CHECK(time_zone::known("Europe/Berlin"));
  CHECK_FALSE(time_zone::known("Mars/Olympus"));
  CHECK_FALSE(time_zone::known(""));
  CHECK_THROWS_AS(time_zone::locate("Mars/Olympus"), std::invalid_argument);
  CHECK(time_zone::utc().iso(0) == "1970-01-01T00:00:00+00:00");
}

TEST_CASE("core: zones ignore TZ and are safe from many threads at once", "[core]") {
  ::setenv("TZ", "America/New_York", 1);
  auto const tokyo = time_zone::locate("Asia/Tokyo");
  CHECK(tokyo.iso(1775574000) == "2026-04-08T00:00:00+09:00");
  ::unsetenv("TZ");
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &wrong] {
      auto const z = time_zone::locate(i % 2 == 0 ? "Asia/Tokyo" : "America/New_York");
      for (int k = 0; k < 2000; ++k) {
        auto const t0 = z.service_time_to_unix(ymd(2026, 3, 8), 0);
        if (t0 != (i % 2 == 0 ? 1772895600 : 1772942400)) ++wrong[static_cast<std::size_t>(i)];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto const w : wrong) CHECK(w == 0);
}
