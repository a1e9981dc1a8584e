// The router with a realtime overlay on inline fixtures, journeys checked whole against answers
// worked out by hand from the fixture's times: cancellation, delays and the transfers they break,
// overtaking (a trip moved to a route of its own), skipped stops, added trips and NO_SERVICE
// alerts; forward, arrive-by and range queries; realtime=false (null) keeps the timetable.
#include <catch2/catch.hpp>

#include "nebuta/raptor/router.h"
#include "nebuta/rt/build.h"
#include "rt_world.h"

using namespace nebuta;
using test::hm;

namespace {

// S1 ... S5 by A (08:00-08:40), B (08:05-08:45) and C (10:00-10:40), ten minutes between stops,
// two minutes' dwell at S3; then S5 -> S6 by D1 (08:44-08:50) and D2 (09:14-09:20).
struct fixture : test::rt_world {
  raptor::index idx;
  raptor::router r;

  fixture() : rt_world{6}, idx{(build(), tt)}, r{idx} {}

  void build() {
    f.add_trip(
        "A",
        {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20), 0, 0, hm(8, 22)}, {"S4", hm(8, 30)}, {"S5", hm(8, 40)}});
    f.add_trip(
        "B",
        {{"S1", hm(8, 5)}, {"S2", hm(8, 15)}, {"S3", hm(8, 25), 0, 0, hm(8, 27)}, {"S4", hm(8, 35)}, {"S5", hm(8, 45)}});
    f.add_trip("C", {{"S1", hm(10, 0)},
                     {"S2", hm(10, 10)},
                     {"S3", hm(10, 20), 0, 0, hm(10, 22)},
                     {"S4", hm(10, 30)},
                     {"S5", hm(10, 40)}});
    f.add_trip("D1", {{"S5", hm(8, 44)}, {"S6", hm(8, 50)}});
    f.add_trip("D2", {{"S5", hm(9, 14)}, {"S6", hm(9, 20)}});
    finish();
  }

  // Trip `id` running `delay` seconds late from its first stop on.
  rt::trip_update late(std::string_view id, std::int32_t delay) const {
    auto u = update(id);
    auto x = stu(u.trip_id == "D1" || u.trip_id == "D2" ? "S5" : "S1");
    x.departure.delay = delay;
    x.arrival.delay = delay;
    u.stops.push_back(x);
    return u;
  }

  // The earliest-arrival journey with the fewest legs among the fastest, as text ("-" when none).
  std::string plan(std::string const& from, std::string const& to, seconds_t t, rt::state const* realtime,
                   bool literal = false) {
    raptor::options o;
    o.realtime = realtime;
    o.gtfs_literal = literal;
    auto const res =
        r.earliest_arrival(raptor::place::at_stop(stop(from)), raptor::place::at_stop(stop(to)), test::rt_day, t, o);
    if (!res.reachable) return "-";
    raptor::journey j;
    REQUIRE(r.reconstruct(res.legs, j));
    return raptor::to_string(tt, j);
  }
  std::string arrive_by(std::string const& from, std::string const& to, seconds_t t, rt::state const* realtime) {
    raptor::options o;
    o.realtime = realtime;
    auto const res =
        r.latest_departure(raptor::place::at_stop(stop(from)), raptor::place::at_stop(stop(to)), test::rt_day, t, o);
    if (!res.reachable) return "-";
    raptor::journey j;
    REQUIRE(r.reconstruct(res.legs, j));
    return raptor::to_string(tt, j);
  }
  raptor::journey journey(std::string const& from, std::string const& to, seconds_t t, rt::state const* realtime) {
    raptor::options o;
    o.realtime = realtime;
    auto const res =
        r.earliest_arrival(raptor::place::at_stop(stop(from)), raptor::place::at_stop(stop(to)), test::rt_day, t, o);
    raptor::journey j;
    if (res.reachable) REQUIRE(r.reconstruct(res.legs, j));
    return j;
  }
};

}  // namespace

TEST_CASE("a cancelled trip is not offered, the schedule still has it", "[rt][planner]") {
  fixture fx;
  auto c = fx.update("A");
  c.relationship = rt::trip_relationship::canceled;
  auto const st = fx.apply({c});
  CHECK(fx.plan("S1", "S5", hm(8, 0), nullptr) == "08:00-08:40, 1 ride\n  08:00-08:40 ride A S1 -> S5\n");
  CHECK(fx.plan("S1", "S5", hm(8, 0), st.get()) == "08:05-08:45, 1 ride\n  08:05-08:45 ride B S1 -> S5\n");
  CHECK(fx.plan("S1", "S5", hm(8, 0), st.get(), true) == "08:05-08:45, 1 ride\n  08:05-08:45 ride B S1 -> S5\n");
  // Arrive by 08:42: only A would have done it today; yesterday's C is what remains.
  CHECK(fx.arrive_by("S1", "S5", hm(8, 42), nullptr) == "08:00-08:40, 1 ride\n  08:00-08:40 ride A S1 -> S5\n");
  CHECK(fx.arrive_by("S1", "S5", hm(8, 42), st.get()) ==
        "10:00-1d-10:40-1d, 1 ride\n  10:00-1d-10:40-1d ride C@-1d S1 -> S5\n");
  // And the schedule answer of the same router afterwards is unchanged (no state left behind).
  CHECK(fx.plan("S1", "S5", hm(8, 0), nullptr) == "08:00-08:40, 1 ride\n  08:00-08:40 ride A S1 -> S5\n");
}

TEST_CASE("transfers are checked against realtime times: a late arrival misses the connection", "[rt][planner]") {
  fixture fx;
  // A reaches S5 at 08:45 instead of 08:40: D1 (08:44) is missed, D2 (09:14) taken; B (08:45)
  // would be as late, so the later of the equal rides is not the question: the arrival is.
  auto const st = fx.apply({fx.late("A", 300), fx.late("B", 600)});
  CHECK(fx.plan("S1", "S6", hm(8, 0), nullptr) ==
        "08:00-08:50, 2 rides\n  08:00-08:40 ride A S1 -> S5\n  08:44-08:50 ride D1 S5 -> S6\n");
  CHECK(fx.plan("S1", "S6", hm(8, 0), st.get()) ==
        "08:05-09:20, 2 rides\n  08:05-08:45 ride A S1 -> S5\n  09:14-09:20 ride D2 S5 -> S6\n");
  // D1 late too (4 minutes): the connection holds again, with a minute to change.
  auto const st2 = fx.apply({fx.late("A", 300), fx.late("D1", 240)});
  CHECK(fx.plan("S1", "S6", hm(8, 0), st2.get()) ==
        "08:05-08:54, 2 rides\n  08:05-08:45 ride A S1 -> S5\n  08:48-08:54 ride D1 S5 -> S6\n");
  auto const j = fx.journey("S1", "S6", hm(8, 0), st2.get());
  REQUIRE(j.legs.size() == 2);
  CHECK(j.legs[0].realtime);
  CHECK(j.legs[0].extra_route == raptor::leg::no_extra_route);
  // Every stop time of the leg carries both times.
  std::vector<raptor::stop_visit> v;
  raptor::ride_stops(fx.tt, st2.get(), test::rt_day, j.legs[0], v, true);
  REQUIRE(v.size() == 5);
  CHECK(v[2].sched_arrival == hm(8, 20));
  CHECK(v[2].arrival == hm(8, 25));
  CHECK(v[2].departure == hm(8, 27));
  CHECK(v[4].arrival == hm(8, 45));
}

TEST_CASE("a trip that overtakes another runs as a route of its own", "[rt][planner]") {
  fixture fx;
  // A leaves S1 ten minutes late (08:10), behind B (08:05): A moves to an extra route.
  auto const st = fx.apply({fx.late("A", 600)});
  CHECK(st->stats().overtaking == 1U);
  REQUIRE(st->extra_routes().size() == 1U);
  // At 08:06, B is gone: A is the next vehicle, arriving 08:50.
  CHECK(fx.plan("S1", "S5", hm(8, 6), nullptr) == "10:00-10:40, 1 ride\n  10:00-10:40 ride C S1 -> S5\n");
  CHECK(fx.plan("S1", "S5", hm(8, 6), st.get()) == "08:10-08:50, 1 ride\n  08:10-08:50 ride A S1 -> S5\n");
  CHECK(fx.plan("S1", "S5", hm(8, 0), st.get()) == "08:05-08:45, 1 ride\n  08:05-08:45 ride B S1 -> S5\n");
  auto const j = fx.journey("S1", "S5", hm(8, 6), st.get());
  REQUIRE(j.legs.size() == 1);
  CHECK(j.legs[0].extra_route == 0U);
  CHECK(j.legs[0].trip == fx.trip("A"));
  // Arrive by 08:52 leaving as late as possible: A at 08:10 (B leaves earlier).
  CHECK(fx.arrive_by("S1", "S5", hm(8, 52), st.get()) == "08:10-08:50, 1 ride\n  08:10-08:50 ride A S1 -> S5\n");
}

TEST_CASE("a skipped stop is neither boarded nor left", "[rt][planner]") {
  fixture fx;
  auto u = fx.update("A");
  auto x = fx.stu("S3");
  x.relationship = rt::stop_relationship::skipped;
  u.stops.push_back(x);
  auto const st = fx.apply({u});
  CHECK(fx.plan("S1", "S3", hm(8, 0), nullptr) == "08:00-08:20, 1 ride\n  08:00-08:20 ride A S1 -> S3\n");
  CHECK(fx.plan("S1", "S3", hm(8, 0), st.get()) == "08:05-08:25, 1 ride\n  08:05-08:25 ride B S1 -> S3\n");
  CHECK(fx.plan("S3", "S5", hm(8, 19), st.get()) == "08:27-08:45, 1 ride\n  08:27-08:45 ride B S3 -> S5\n");
  // Riding through it is fine.
  CHECK(fx.plan("S1", "S5", hm(8, 0), st.get()) == "08:00-08:40, 1 ride\n  08:00-08:40 ride A S1 -> S5\n");
  auto const j = fx.journey("S1", "S5", hm(8, 0), st.get());
  std::vector<raptor::stop_visit> v;
  raptor::ride_stops(fx.tt, st.get(), test::rt_day, j.legs.at(0), v);
  REQUIRE(v.size() == 3);
  CHECK((v[1].rt_flags & rt::stop_flags::skipped) != 0U);
}

TEST_CASE("an added trip is offered with its own stops and times", "[rt][planner]") {
  fixture fx;
  rt::trip_update u;
  u.entity_id = "x";
  u.relationship = rt::trip_relationship::new_trip;
  u.trip_id = "X";
  u.line = fx.tt.trip_line[fx.trip("A")];
  u.start_date = test::rt_day;
  for (auto const& [s, t] : std::vector<std::pair<std::string, seconds_t>>{{"S2", hm(8, 12)}, {"S5", hm(8, 30)}}) {
    auto x = fx.stu(s);
    x.arrival.time = fx.at(t);
    x.departure.time = fx.at(t);
    u.stops.push_back(x);
  }
  auto const st = fx.apply({u});
  CHECK(!st->lower_bound_slack());
  CHECK(fx.plan("S2", "S5", hm(8, 11), st.get()) == "08:12-08:30, 1 ride\n  08:12-08:30 ride (added) S2 -> S5\n");
  CHECK(fx.plan("S2", "S5", hm(8, 11), nullptr) == "08:15-08:45, 1 ride\n  08:15-08:45 ride B S2 -> S5\n");
  // Reached from a timetabled ride, and on to D1.
  CHECK(fx.plan("S1", "S6", hm(8, 0), st.get()) ==
        "08:00-08:50, 2 rides\n  08:00-08:40 ride A S1 -> S5\n  08:44-08:50 ride D1 S5 -> S6\n");
  CHECK(fx.plan("S1", "S4", hm(8, 0), st.get()) == "08:00-08:30, 1 ride\n  08:00-08:30 ride A S1 -> S4\n");
  auto const j = fx.journey("S2", "S6", hm(8, 11), st.get());
  REQUIRE(j.rides == 2U);
  CHECK(!j.legs[0].trip.valid());
  CHECK(j.legs[0].extra_route != raptor::leg::no_extra_route);
  CHECK(j.arrival == hm(8, 50));
}

TEST_CASE("NO_SERVICE alerts: closed stops, lines and trips are avoided", "[rt][planner]") {
  fixture fx;
  rt::alert a;
  a.id = "closed";
  a.effect = rt::alert_effect::no_service;
  a.active_periods.push_back({fx.at(hm(7, 0)), fx.at(hm(9, 0))});
  rt::informed_entity e;
  e.stop = fx.stop("S4");
  a.informed.push_back(e);
  auto const st = fx.apply({}, {a});
  CHECK(fx.plan("S1", "S4", hm(8, 0), nullptr) == "08:00-08:30, 1 ride\n  08:00-08:30 ride A S1 -> S4\n");
  // No trip serves S4 until the alert ends: C at 10:30 is the first.
  CHECK(fx.plan("S1", "S4", hm(8, 0), st.get()) == "10:00-10:30, 1 ride\n  10:00-10:30 ride C S1 -> S4\n");
  CHECK(fx.plan("S1", "S5", hm(8, 0), st.get()) == "08:00-08:40, 1 ride\n  08:00-08:40 ride A S1 -> S5\n");

  rt::alert b = a;
  b.informed = {rt::informed_entity{}};
  b.informed[0].trip = fx.trip("A");
  auto const st2 = fx.apply({}, {b});
  CHECK(fx.plan("S1", "S5", hm(8, 0), st2.get()) == "08:05-08:45, 1 ride\n  08:05-08:45 ride B S1 -> S5\n");

  rt::alert c = a;
  c.informed = {rt::informed_entity{}};
  c.informed[0].line = fx.tt.trip_line[fx.trip("D1")];  // every trip of the fixture is on line L
  auto const st3 = fx.apply({}, {c});
  // Nothing of the line runs until the alert ends at 09:00; D1 tomorrow is the first to S6.
  CHECK(fx.plan("S1", "S6", hm(8, 0), st3.get()) ==
        "10:00-08:50+1d, 2 rides\n  10:00-10:40 ride C S1 -> S5\n  08:44+1d-08:50+1d ride D1@+1d S5 -> S6\n");
  CHECK(fx.plan("S1", "S6", hm(8, 0), st3.get(), true) == "-");  // literal mode: today and yesterday only
  CHECK(fx.plan("S1", "S5", hm(9, 30), st3.get()) == "10:00-10:40, 1 ride\n  10:00-10:40 ride C S1 -> S5\n");
}

TEST_CASE("range queries list realtime departures only", "[rt][planner]") {
  fixture fx;
  auto c = fx.update("A");
  c.relationship = rt::trip_relationship::canceled;
  auto const st = fx.apply({c, fx.late("B", 120)});
  raptor::options o;
  std::vector<raptor::range_entry> out;
  fx.r.range(raptor::place::at_stop(fx.stop("S1")), raptor::place::at_stop(fx.stop("S5")), test::rt_day, hm(7, 55),
             hm(8, 10), o, out);
  REQUIRE(out.size() == 2U);
  CHECK(out[0].departure == hm(8, 5));
  CHECK(out[1].departure == hm(8, 0));
  o.realtime = st.get();
  fx.r.range(raptor::place::at_stop(fx.stop("S1")), raptor::place::at_stop(fx.stop("S5")), test::rt_day, hm(7, 55),
             hm(8, 10), o, out);
  REQUIRE(out.size() == 1U);
  CHECK(out[0].departure == hm(8, 7));
  CHECK(out[0].arrival == hm(8, 47));
}

namespace {

// Stay seated with a realtime state: X1 (S1 08:00 - S3 08:20) runs on as Y1 (S3 08:25 - S5
// 08:45), both of block b; Y2 (S3 08:55 - S5 09:15) is another trip of Y's route.
struct block_fixture : test::rt_world {
  raptor::index idx;
  raptor::router r;

  block_fixture() : rt_world{5}, idx{(build(), tt)}, r{idx} {}

  void build() {
    f.add_trip("X1", {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20)}}, "all", 0, "b");
    f.add_trip("Y1", {{"S3", hm(8, 25)}, {"S4", hm(8, 35)}, {"S5", hm(8, 45)}}, "all", 0, "b");
    f.add_trip("Y2", {{"S3", hm(8, 55)}, {"S4", hm(9, 5)}, {"S5", hm(9, 15)}}, "all", 0, "");
    finish();
  }
  rt::trip_update late(std::string_view id, std::int32_t delay, std::string const& first_stop) const {
    auto u = update(id);
    auto x = stu(first_stop);
    x.departure.delay = delay;
    x.arrival.delay = delay;
    u.stops.push_back(x);
    return u;
  }
  std::string plan(seconds_t t, rt::state const* realtime) {
    raptor::options o;
    o.realtime = realtime;
    auto const res =
        r.earliest_arrival(raptor::place::at_stop(stop("S1")), raptor::place::at_stop(stop("S5")), test::rt_day, t, o);
    if (!res.reachable) return "-";
    raptor::journey j;
    REQUIRE(r.reconstruct(res.legs, j));
    return raptor::to_string(tt, j);
  }
  std::string arrive_by(seconds_t t, rt::state const* realtime) {
    raptor::options o;
    o.realtime = realtime;
    auto const res =
        r.latest_departure(raptor::place::at_stop(stop("S1")), raptor::place::at_stop(stop("S5")), test::rt_day, t, o);
    if (!res.reachable) return "-";
    raptor::journey j;
    REQUIRE(r.reconstruct(res.legs, j));
    return raptor::to_string(tt, j);
  }
};

}  // namespace

TEST_CASE("stay seated with realtime: delays carried through the block, a broken or cancelled continuation is a change",
          "[rt][planner][seated]") {
  block_fixture fx;
  auto const seated =
      "08:00-08:45, 1 ride\n  08:00-08:20 ride X1 S1 -> S3\n  08:25-08:45 ride Y1 (stay seated) S3 -> S5\n";
  CHECK(fx.plan(hm(7, 50), nullptr) == seated);
  CHECK(fx.arrive_by(hm(8, 50), nullptr) == seated);

  // The whole block three minutes late: still one ride, at the realtime times.
  auto const both_late = fx.apply({fx.late("X1", 180, "S1"), fx.late("Y1", 180, "S3")});
  auto const seated_late =
      "08:03-08:48, 1 ride\n  08:03-08:23 ride X1 S1 -> S3\n  08:28-08:48 ride Y1 (stay seated) S3 -> S5\n";
  CHECK(fx.plan(hm(7, 50), both_late.get()) == seated_late);
  CHECK(fx.arrive_by(hm(8, 50), both_late.get()) == seated_late);
  // An unchanged state changes nothing.
  auto const nothing = fx.apply({});
  CHECK(fx.plan(hm(7, 50), nothing.get()) == seated);

  // X1 ten minutes late reaches S3 at 08:30, after Y1 left (08:25, no update): no seat; Y2 it is.
  auto const broken = fx.apply({fx.late("X1", 600, "S1")});
  CHECK(fx.plan(hm(7, 50), broken.get()) ==
        "08:10-09:15, 2 rides\n  08:10-08:30 ride X1 S1 -> S3\n  08:55-09:15 ride Y2 S3 -> S5\n");
  // Arriving by 08:50 today is no longer possible: yesterday's block, seated, is the answer.
  CHECK(fx.arrive_by(hm(8, 50), broken.get()) ==
        "08:00-1d-08:45-1d, 1 ride\n  08:00-1d-08:20-1d ride X1@-1d S1 -> S3\n  08:25-1d-08:45-1d ride Y1@-1d (stay seated) S3 -> S5\n");

  // Y1 cancelled: the rider changes to Y2.
  auto c = fx.update("Y1");
  c.relationship = rt::trip_relationship::canceled;
  auto const cancelled = fx.apply({c});
  CHECK(fx.plan(hm(7, 50), cancelled.get()) ==
        "08:00-09:15, 2 rides\n  08:00-08:20 ride X1 S1 -> S3\n  08:55-09:15 ride Y2 S3 -> S5\n");
}
