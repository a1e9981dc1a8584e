// service::day_clock (api/service/src/format.cc): the many times of one answer printed with the
// feed zone's offset, looked up once and again only past the offset's span. Every text must be
// what the hand-checked list (Python's zoneinfo) says and what service::iso_time (one zone lookup
// per time) writes, across both DST changes of New York, before the day's time 0 and past 24:00.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "nebuta/api_service/service.h"
#include "nebuta/gtfs_import/import.h"
#include "temp_dir.h"

using namespace std::chrono;

TEST_CASE("day_clock: every time as iso_time writes it, across New York's DST changes", "[api][time]") {
  nebuta::test::temp_dir dir{"day-clock"};
  dir.write("gtfs/agency.txt", "agency_id,agency_name,agency_url,agency_timezone\na,Bus,http://x,America/New_York\n");
  dir.write("gtfs/stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nA,A,40.70,-74.00\nB,B,40.71,-74.00\n");
  dir.write("gtfs/routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nr,a,1,Line,3\n");
  dir.write("gtfs/trips.txt", "route_id,service_id,trip_id\nr,s,t1\n");
  dir.write("gtfs/stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "t1,08:10:00,08:10:00,A,1\nt1,08:20:00,08:20:00,B,2\n");
  dir.write("gtfs/calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "s,1,1,1,1,1,1,1,20260101,20261231\n");
  auto const loaded = nebuta::gtfs_import::load({{"ny", dir.path / "gtfs"}});
  nebuta::api_service::service const svc{loaded.tt};

  // Time 0 is noon minus 12 h (GTFS): 23:00 EST the evening before on the spring day (noon is
  // EDT), 01:00 EDT on the autumn day (noon is EST). Expected texts from Python's zoneinfo.
  auto const spring = sys_days{year{2026} / March / 8};
  auto const autumn = sys_days{year{2026} / November / 1};
  nebuta::api_service::service::day_clock s{svc, spring};
  CHECK(s.iso(0) == "2026-03-07T23:00:00-05:00");
  CHECK(s.iso(3600) == "2026-03-08T00:00:00-05:00");
  CHECK(s.iso(2 * 3600 + 59 * 60) == "2026-03-08T01:59:00-05:00");
  CHECK(s.iso(3 * 3600) == "2026-03-08T03:00:00-04:00");
  CHECK(s.iso(9 * 3600 + 5 * 60) == "2026-03-08T09:05:00-04:00");
  CHECK(s.iso(25 * 3600 + 10 * 60 + 7) == "2026-03-09T01:10:07-04:00");
  nebuta::api_service::service::day_clock a{svc, autumn};
  CHECK(a.iso(0) == "2026-11-01T01:00:00-04:00");
  CHECK(a.iso(3600) == "2026-11-01T01:00:00-05:00");  // the hour again, an hour later
  CHECK(a.iso(9 * 3600) == "2026-11-01T09:00:00-05:00");
  CHECK(a.iso(-60) == "2026-11-01T00:59:00-04:00");

  // Every 37 s of three days around each change (the same offset, a new offset, back in time),
  // against one fresh lookup per time.
  for (auto const day : {spring, autumn}) {
    nebuta::api_service::service::day_clock clock{svc, day};
    auto differ = 0;
    for (auto t = -6 * 3600; t < 48 * 3600; t += 37) differ += clock.iso(t) != svc.iso_time(day, t) ? 1 : 0;
    for (auto t = 47 * 3600; t > -3 * 3600; t -= 611) differ += clock.iso(t) != svc.iso_time(day, t) ? 1 : 0;
    CHECK(differ == 0);
  }
}
