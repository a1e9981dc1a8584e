// Realtime in the service's answers (api_service::service with a std::shared_ptr<rt::state const>):
// /v1/plan uses the state by default and realtime=false gives the timetable; legs and their stop
// calls carry scheduled and realtime times, delays, skipped stops and platform changes; added
// trips are named; /v1/stops/{id}/departures shows delays, cancellations and platform changes.
// On an inline fixture whose answers are worked out by hand (times of day in the service day of
// 2024-05-15, Asia/Tokyo).
#include <catch2/catch.hpp>

#include "../engine/rt/rt_world.h"
#include "nebuta/api_service/service.h"
#include "nebuta/rt/build.h"
#include "realtime_request.h"

using namespace nebuta;
using test::hm;

namespace {

// A: S1 08:00, S2 08:10, S3 08:20/08:22, S4 08:30, S5 08:40; B five minutes later; P4 is a
// stop beside S4 (a platform realtime may move a trip to).
struct fixture : test::rt_world {
  fixture() : rt_world{5} {
    f.add_stop("P4", 35.04, 139.0001);
    f.add_trip(
        "A",
        {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20), 0, 0, hm(8, 22)}, {"S4", hm(8, 30)}, {"S5", hm(8, 40)}});
    f.add_trip(
        "B",
        {{"S1", hm(8, 5)}, {"S2", hm(8, 15)}, {"S3", hm(8, 25), 0, 0, hm(8, 27)}, {"S4", hm(8, 35)}, {"S5", hm(8, 45)}});
    finish();
  }
};

auto const& request = test::rt_plan_request;

}  // namespace

TEST_CASE("plan: realtime by default, realtime=false the timetable, delays on every stop time", "[api][rt]") {
  fixture fx;
  // A 5 minutes late from S2 on; it skips S3; B cancelled.
  auto a = fx.update("A");
  auto x = fx.stu("S2");
  x.arrival.delay = x.departure.delay = 300;
  a.stops.push_back(x);
  auto b = fx.update("B");
  b.relationship = rt::trip_relationship::canceled;
  auto const st = fx.apply({a, b});
  api_service::service const svc{fx.tt};
  raptor::router router{svc.raptor_index()};
  auto const chain = api_service::make_lang_chain("en");

  auto const rt_plan = svc.plan(request("S1", "S5", "08:00"), chain, router, st);
  CHECK(rt_plan.realtime());
  REQUIRE(rt_plan.journeys_size() == 1);
  auto const& leg = rt_plan.journeys(0).legs(0);
  CHECK(leg.trip_id() == "A");
  CHECK(leg.realtime());
  CHECK(leg.from().stop_id() == "S1");
  CHECK(leg.from().seconds() == hm(8, 0));
  CHECK(leg.from().delay_s() == 0);
  CHECK(leg.to().seconds() == hm(8, 45));
  CHECK(leg.to().scheduled_seconds() == hm(8, 40));
  CHECK(leg.to().delay_s() == 300);
  CHECK(leg.to().realtime());
  REQUIRE(leg.intermediate_stops_size() == 3);
  CHECK(leg.intermediate_stops(0).stop_id() == "S2");
  CHECK(leg.intermediate_stops(0).arrival_delay_s() == 300);
  CHECK(leg.intermediate_stops(0).scheduled_arrival() == "2024-05-15T08:10:00+09:00");
  CHECK(leg.intermediate_stops(0).arrival() == "2024-05-15T08:15:00+09:00");
  CHECK(leg.intermediate_stops(1).stop_id() == "S3");
  CHECK(leg.intermediate_stops(1).departure_delay_s() == 300);
  CHECK(!leg.intermediate_stops(1).skipped());

  auto req = request("S1", "S5", "08:00");
  req.set_realtime(false);
  auto const timetable_plan = svc.plan(req, chain, router, st);
  CHECK(!timetable_plan.realtime());
  REQUIRE(timetable_plan.journeys_size() == 1);
  CHECK(timetable_plan.journeys(0).legs(0).to().seconds() == hm(8, 40));
  CHECK(!timetable_plan.journeys(0).legs(0).realtime());
  CHECK(!timetable_plan.journeys(0).legs(0).to().has_scheduled_seconds());

  // B is cancelled: from S1 at 08:01 nothing runs any more that day (literal mode).
  CHECK(svc.plan(request("S1", "S5", "08:01"), chain, router, st).journeys_size() == 0);
  CHECK(svc.plan(request("S1", "S5", "08:01"), chain, router, nullptr).journeys_size() == 1);
}

TEST_CASE("plan: skipped stops and platform changes are shown, added trips are named", "[api][rt]") {
  fixture fx;
  auto a = fx.update("A");
  auto s3 = fx.stu("S3");
  s3.relationship = rt::stop_relationship::skipped;
  a.stops.push_back(s3);
  auto s4 = fx.stu("S4");
  s4.assigned_stop = fx.stop("P4");
  a.stops.push_back(s4);
  rt::trip_update n;
  n.entity_id = "x";
  n.relationship = rt::trip_relationship::new_trip;
  n.trip_id = "EXTRA-1";
  n.headsign = "Express";
  n.line = fx.tt.trip_line[fx.trip("A")];
  n.start_date = test::rt_day;
  for (auto const& [s, t] : std::vector<std::pair<std::string, seconds_t>>{{"S2", hm(9, 0)}, {"S5", hm(9, 10)}}) {
    auto y = fx.stu(s);
    y.arrival.time = y.departure.time = fx.at(t);
    n.stops.push_back(y);
  }
  auto const st = fx.apply({a, n});
  api_service::service const svc{fx.tt};
  raptor::router router{svc.raptor_index()};
  auto const chain = api_service::make_lang_chain("en");

  auto const p = svc.plan(request("S1", "S5", "08:00"), chain, router, st);
  REQUIRE(p.journeys_size() >= 1);
  auto const& leg = p.journeys(0).legs(0);
  CHECK(leg.trip_id() == "A");
  REQUIRE(leg.intermediate_stops_size() == 3);
  CHECK(leg.intermediate_stops(1).stop_id() == "S3");
  CHECK(leg.intermediate_stops(1).skipped());
  CHECK(leg.intermediate_stops(2).stop_id() == "P4");
  CHECK(leg.intermediate_stops(2).scheduled_stop_id() == "S4");
  // A does not stop at S3 today: to S3, B.
  auto const to_s3 = svc.plan(request("S1", "S3", "08:00"), chain, router, st);
  REQUIRE(to_s3.journeys_size() == 1);
  CHECK(to_s3.journeys(0).legs(0).trip_id() == "B");

  auto const added = svc.plan(request("S2", "S5", "08:50"), chain, router, st);
  REQUIRE(added.journeys_size() == 1);
  auto const& al = added.journeys(0).legs(0);
  CHECK(al.added());
  CHECK(al.trip_id() == "EXTRA-1");
  CHECK(al.headsign() == "Express");
  CHECK(al.route_id() == "L");
  CHECK(al.from().seconds() == hm(9, 0));
  CHECK(al.to().seconds() == hm(9, 10));
}

TEST_CASE("departures: delays, cancellations and platform changes", "[api][rt]") {
  fixture fx;
  auto a = fx.update("A");
  auto x = fx.stu("S1");
  x.departure.delay = 420;
  a.stops.push_back(x);
  auto b = fx.update("B");
  b.relationship = rt::trip_relationship::canceled;
  auto const st = fx.apply({a, b});
  api_service::service const svc{fx.tt};
  auto const chain = api_service::make_lang_chain("en");

  auto const board = svc.departures("S1", "2024-05-15", "08:01", 5, chain, st);
  CHECK(board.realtime());
  // A leaves at 08:07 (scheduled 08:00, before the time asked); B (08:05) is listed cancelled;
  // then tomorrow's trips.
  REQUIRE(board.departures_size() == 4);
  CHECK(board.departures(0).trip_id() == "B");
  CHECK(board.departures(0).cancelled());
  CHECK(board.departures(1).trip_id() == "A");
  CHECK(board.departures(1).seconds() == hm(8, 7));
  CHECK(board.departures(1).scheduled_seconds() == hm(8, 0));
  CHECK(board.departures(1).delay_s() == 420);
  CHECK(board.departures(1).realtime());

  auto const plain = svc.departures("S1", "2024-05-15", "08:01", 5, chain);
  CHECK(!plain.realtime());
  REQUIRE(plain.departures_size() == 3);
  CHECK(plain.departures(0).trip_id() == "B");
  CHECK(!plain.departures(0).cancelled());

  // A platform change: A serves P4 instead of S4.
  auto c = fx.update("A");
  auto y = fx.stu("S4");
  y.assigned_stop = fx.stop("P4");
  c.stops.push_back(y);
  auto const st2 = fx.apply({c});
  auto const at_p4 = svc.departures("P4", "2024-05-15", "08:00", 5, chain, st2);
  REQUIRE(at_p4.departures_size() >= 1);
  CHECK(at_p4.departures(0).trip_id() == "A");
  CHECK(at_p4.departures(0).stop_id() == "P4");
  CHECK(at_p4.departures(0).scheduled_stop_id() == "S4");
  auto const at_s4 = svc.departures("S4", "2024-05-15", "08:00", 5, chain, st2);
  REQUIRE(at_s4.departures_size() >= 2);
  CHECK(at_s4.departures(0).trip_id() == "A");
  CHECK(at_s4.departures(0).stop_id() == "P4");  // listed where it was due, showing where it goes
  CHECK(at_s4.departures(0).scheduled_stop_id() == "S4");
}
