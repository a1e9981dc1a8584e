// Golden answers on tiny inline timetables; journeys are compared whole, as text (to_string).
#include <catch2/catch.hpp>

#include <cmath>

#include "mini_feed.h"
#include "nebuta/raptor/router.h"

using namespace nebuta;
using namespace nebuta::raptor;
using nebuta::test::hm;
using nebuta::test::mini_feed;

namespace {

constexpr date_t day = std::chrono::year{2024} / 3 / 6;  // a Wednesday

stop_idx S(timetable const& tt, std::string_view id) {
  auto const s = tt.find_stop(id);
  REQUIRE(s.has_value());
  return *s;
}

options literal(seconds_t slack = 0, double radius = 0.0) {
  options o;
  o.gtfs_literal = true;
  o.transfer_slack_s = slack;
  o.walk_radius_m = radius;
  o.max_legs = 8;
  return o;
}

// Stops ~1.1 km apart unless placed explicitly: no walking links between them at 400 m.
void add_far_stops(mini_feed& f, std::initializer_list<char const*> ids) {
  auto i = 0;
  for (auto const* id : ids) f.add_stop(id, 35.0 + 0.01 * i++, 139.0);
}

}  // namespace

TEST_CASE("raptor: overnight trips of the previous day are used, shifted by a day") {
  mini_feed f;
  add_far_stops(f, {"A", "B", "C"});
  f.add_service("prev_only", 0, std::chrono::year{2024} / 1 / 1, std::chrono::year{2024} / 12 / 31);
  f.add_date("prev_only", day - std::chrono::days{1}, 1);
  f.add_trip("night", {{"A", hm(23, 30)}, {"B", hm(24, 10)}, {"C", hm(24, 30)}}, "prev_only");
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};

  auto const res = r.earliest_arrival(place::at_stop(S(tt, "B")), place::at_stop(S(tt, "C")), day, hm(0, 5), literal());
  REQUIRE(res.reachable);
  CHECK(res.time == hm(0, 30));
  CHECK(res.legs == 1U);
  journey j;
  REQUIRE(r.reconstruct(1, j));
  CHECK(to_string(tt, j) == R"(00:10-00:30, 1 ride
  00:10-00:30 ride night@-1d B -> C
)");

  // Too late for the night trip; in literal mode D's own trips of "prev_only" do not run.
  CHECK_FALSE(
      r.earliest_arrival(place::at_stop(S(tt, "B")), place::at_stop(S(tt, "C")), day, hm(0, 11), literal()).reachable);
}

TEST_CASE("raptor: a trip after midnight of D keeps its time past 24:00") {
  mini_feed f;
  add_far_stops(f, {"A", "B"});
  f.add_trip("late", {{"A", hm(24, 10)}, {"B", hm(24, 40)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  // At 00:20 of D the trip of D-1 (00:10 shifted) is gone, the trip of D leaves at 24:10.
  auto const res = r.earliest_arrival(place::at_stop(S(tt, "A")), place::at_stop(S(tt, "B")), day, hm(0, 20), literal());
  REQUIRE(res.reachable);
  CHECK(res.time == hm(24, 40));
}

TEST_CASE("raptor: the next day's first trip is found outside literal mode") {
  mini_feed f;
  add_far_stops(f, {"A", "B"});
  f.add_trip("morning", {{"A", hm(6, 40)}, {"B", hm(6, 55)}});
  f.add_trip("evening", {{"A", hm(22, 0)}, {"B", hm(22, 15)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const a = place::at_stop(S(tt, "A"));
  auto const b = place::at_stop(S(tt, "B"));

  CHECK_FALSE(r.earliest_arrival(a, b, day, hm(23, 0), literal()).reachable);

  options normal;
  auto const res = r.earliest_arrival(a, b, day, hm(23, 0), normal);
  REQUIRE(res.reachable);
  CHECK(res.time == seconds_per_day + hm(6, 55));
  journey j;
  REQUIRE(r.reconstruct(res.legs, j));
  CHECK(to_string(tt, j) == R"(06:40+1d-06:55+1d, 1 ride
  06:40+1d-06:55+1d ride morning@+1d A -> B
)");

  normal.extra_days = 0;
  CHECK_FALSE(r.earliest_arrival(a, b, day, hm(23, 0), normal).reachable);

  // Arrive-by early in the morning finds the previous evening's trip.
  auto const back = r.latest_departure(a, b, day, hm(5, 0), options{});
  REQUIRE(back.reachable);
  CHECK(back.time == hm(22, 0) - seconds_per_day);
}

TEST_CASE("raptor: boarding and alighting are forbidden by pickup_type and drop_off_type") {
  mini_feed f;
  add_far_stops(f, {"A", "B", "C"});
  f.add_trip("t1", {{"A", hm(8, 0)}, {"B", hm(8, 10), 1, 1}, {"C", hm(8, 20)}});
  f.add_trip("t2", {{"A", hm(9, 0)}, {"B", hm(9, 10)}, {"C", hm(9, 20)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const a = place::at_stop(S(tt, "A"));
  auto const b = place::at_stop(S(tt, "B"));
  auto const c = place::at_stop(S(tt, "C"));
  CHECK(r.earliest_arrival(a, c, day, hm(7, 0), literal()).time == hm(8, 20));  // rides through B
  CHECK(r.earliest_arrival(a, b, day, hm(7, 0), literal()).time == hm(9, 10));  // no alighting
  CHECK(r.earliest_arrival(b, c, day, hm(7, 0), literal()).time == hm(9, 20));  // no boarding
  CHECK(r.latest_departure(a, b, day, hm(10, 0), literal()).time == hm(9, 0));
  // Only the trip of D-1 (shifted by a day) makes it.
  CHECK(r.latest_departure(b, c, day, hm(9, 0), literal()).time == hm(9, 10) - seconds_per_day);
}

TEST_CASE("raptor: transfer slack applies only between two vehicle legs") {
  mini_feed f;
  add_far_stops(f, {"A", "B", "C", "X", "Y"});
  f.add_trip("t1", {{"A", hm(8, 0)}, {"B", hm(8, 10)}});
  f.add_trip("t2", {{"B", hm(8, 11)}, {"C", hm(8, 30)}});
  f.add_trip("t3", {{"B", hm(8, 20)}, {"C", hm(8, 40)}});
  f.add_trip("t4", {{"Y", hm(8, 0)}, {"X", hm(8, 9)}});
  f.add_transfer("X", "B", 60);
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const a = place::at_stop(S(tt, "A"));
  auto const b = place::at_stop(S(tt, "B"));
  auto const c = place::at_stop(S(tt, "C"));
  auto const y = place::at_stop(S(tt, "Y"));

  auto res = r.earliest_arrival(a, c, day, hm(7, 0), literal(0));
  CHECK(res.time == hm(8, 30));
  CHECK(res.legs == 2U);
  res = r.earliest_arrival(a, c, day, hm(7, 0), literal(120));
  CHECK(res.time == hm(8, 40));
  CHECK(res.legs == 2U);
  // No slack at the origin.
  res = r.earliest_arrival(b, c, day, hm(8, 11), literal(120));
  CHECK(res.time == hm(8, 30));
  CHECK(res.legs == 1U);
  // No slack on top of a footpath: X at 8:09, walk 60 s to B, ready 8:10, board t2 at 8:11.
  res = r.earliest_arrival(y, c, day, hm(7, 0), literal(120));
  CHECK(res.time == hm(8, 30));
  CHECK(res.legs == 2U);
  journey j;
  REQUIRE(r.reconstruct(2, j));
  // X and B are 0.02 degrees of latitude apart: 2,224 m (the footpath's 60 s is the feed's).
  CHECK(to_string(tt, j) == R"(08:00-08:30, 2 rides
  08:00-08:09 ride t4 Y -> X
  08:09-08:10 walk footpath X -> B 2224 m
  08:11-08:30 ride t2 B -> C
)");

  // Arrive-by mirrors it.
  auto const back = r.latest_departure(a, c, day, hm(8, 40), literal(120));
  CHECK(back.time == hm(8, 0));
  CHECK(back.legs == 2U);
  CHECK(r.latest_departure(a, c, day, hm(8, 39), literal(120)).time == hm(8, 0) - seconds_per_day);
}

TEST_CASE("raptor: never two footpaths in a row, a single footpath is a journey") {
  mini_feed f;
  add_far_stops(f, {"A", "B", "C", "D", "E"});
  f.add_transfer("A", "B", 60);
  f.add_transfer("B", "C", 60);
  f.add_trip("t", {{"C", hm(8, 5)}, {"D", hm(8, 20)}});
  f.add_trip("s", {{"E", hm(8, 0)}, {"A", hm(8, 2)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const p = [&](char const* id) { return place::at_stop(S(tt, id)); };

  auto res = r.earliest_arrival(p("A"), p("B"), day, hm(8, 0), literal());
  REQUIRE(res.reachable);
  CHECK(res.time == hm(8, 1));
  CHECK(res.legs == 0U);
  CHECK_FALSE(r.earliest_arrival(p("A"), p("C"), day, hm(8, 0), literal()).reachable);
  CHECK_FALSE(r.earliest_arrival(p("A"), p("D"), day, hm(8, 0), literal()).reachable);
  res = r.earliest_arrival(p("E"), p("B"), day, hm(7, 0), literal());
  CHECK(res.time == hm(8, 3));
  CHECK(res.legs == 1U);
  CHECK_FALSE(r.earliest_arrival(p("E"), p("C"), day, hm(7, 0), literal()).reachable);
  // Origin = destination.
  res = r.earliest_arrival(p("D"), p("D"), day, hm(7, 0), literal());
  CHECK(res.time == hm(7, 0));
  CHECK(res.legs == 0U);
  CHECK(r.latest_departure(p("A"), p("B"), day, hm(9, 0), literal()).time == hm(8, 59));
  CHECK_FALSE(r.latest_departure(p("E"), p("C"), day, hm(9, 0), literal()).reachable);
}

TEST_CASE("raptor: walking links within the radius, duration ceil(distance / speed)") {
  mini_feed f;
  f.add_stop("A", 35.0, 139.0);
  f.add_stop("B", 35.001, 139.0);  // ~111 m north of A
  f.add_stop("C", 35.1, 139.0);
  f.add_trip("t", {{"B", hm(8, 0)}, {"C", hm(8, 30)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const a = place::at_stop(S(tt, "A"));
  auto const c = place::at_stop(S(tt, "C"));
  CHECK_FALSE(r.earliest_arrival(a, c, day, hm(7, 0), literal(0, 0.0)).reachable);
  CHECK_FALSE(r.earliest_arrival(a, c, day, hm(7, 0), literal(0, 100.0)).reachable);
  auto const res = r.earliest_arrival(a, c, day, hm(7, 0), literal(0, 200.0));
  CHECK(res.time == hm(8, 30));
  auto const d = haversine_m(latlon{35.0, 139.0}, latlon{35.001, 139.0});
  auto const walk = static_cast<seconds_t>(std::ceil(d / 1.2));
  CHECK(r.earliest_arrival(a, place::at_stop(S(tt, "B")), day, hm(7, 0), literal(0, 200.0)).time == hm(7, 0) + walk);
  CHECK(r.latest_departure(a, c, day, hm(9, 0), literal(0, 200.0)).time == hm(8, 0) - walk);

  // From and to coordinates.
  options o;
  o.max_walk_m = 300.0;
  auto const from = place::at_coord(latlon{35.0005, 139.0});
  auto const to = place::at_coord(latlon{35.1005, 139.0});
  auto const cr = r.earliest_arrival(from, to, day, hm(7, 0), o);
  REQUIRE(cr.reachable);
  CHECK(cr.legs == 1U);
  journey j;
  REQUIRE(r.reconstruct(1, j));
  // 0.0005 degrees of latitude (55.6 m) on foot at each end: ceil(55.6 / 1.2) = 47 s.
  CHECK(to_string(tt, j) == R"(07:59:13-08:30:47, 1 ride
  07:59:13-08:00 walk access (place) -> B 56 m
  08:00-08:30 ride t B -> C
  08:30-08:30:47 walk egress C -> (place) 56 m
)");
  CHECK(j.arrival == cr.time);
}

TEST_CASE("raptor: wheelchair mode uses accessible stops and trips only") {
  mini_feed f;
  f.add_stop("A", 35.0, 139.0, 1);
  f.add_stop("B", 35.01, 139.0, 1);
  f.add_stop("C", 35.02, 139.0, 2);
  f.add_trip("w0", {{"A", hm(8, 0)}, {"B", hm(8, 10)}}, "all", 2);
  f.add_trip("w1", {{"A", hm(8, 30)}, {"B", hm(8, 40)}}, "all", 1);
  f.add_trip("w2", {{"A", hm(8, 0)}, {"C", hm(8, 40)}}, "all", 1);
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const a = place::at_stop(S(tt, "A"));
  auto const b = place::at_stop(S(tt, "B"));
  auto const c = place::at_stop(S(tt, "C"));
  options o;
  CHECK(r.earliest_arrival(a, b, day, hm(7, 0), o).time == hm(8, 10));
  CHECK(r.earliest_arrival(a, c, day, hm(7, 0), o).time == hm(8, 40));
  o.wheelchair = true;
  CHECK(r.earliest_arrival(a, b, day, hm(7, 0), o).time == hm(8, 40));
  CHECK_FALSE(r.earliest_arrival(a, c, day, hm(7, 0), o).reachable);
}

TEST_CASE("raptor: wheelchair with unknown allowed excludes only the value 2") {
  // Every combination of trip value and stop values on its own pair of stops; a trip is offered
  // exactly when none of the three says 2 (and, strictly, when all say 1).
  mini_feed f;
  struct combo {
    std::uint8_t trip, from, to;
  };
  std::vector<combo> combos;
  for (std::uint8_t t = 0; t <= 2; ++t)
    for (std::uint8_t a = 0; a <= 2; ++a)
      for (std::uint8_t b = 0; b <= 2; ++b) combos.push_back({t, a, b});
  for (std::size_t i = 0; i < combos.size(); ++i) {
    auto const n = std::to_string(i);
    f.add_stop("F" + n, 35.0 + 0.1 * static_cast<double>(i), 139.0, combos[i].from);
    f.add_stop("T" + n, 35.0 + 0.1 * static_cast<double>(i), 139.05, combos[i].to);
    f.add_trip("t" + n, {{"F" + n, hm(8, 0)}, {"T" + n, hm(8, 10)}}, "all", combos[i].trip);
  }
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  for (std::size_t i = 0; i < combos.size(); ++i) {
    auto const n = std::to_string(i);
    auto const from = place::at_stop(S(tt, "F" + n));
    auto const to = place::at_stop(S(tt, "T" + n));
    auto const c = combos[i];
    INFO("trip " << int{c.trip} << " from " << int{c.from} << " to " << int{c.to});
    options o;
    o.walk_radius_m = 0;
    o.wheelchair = true;
    CHECK(r.earliest_arrival(from, to, day, hm(7, 0), o).reachable == (c.trip == 1 && c.from == 1 && c.to == 1));
    o.wheelchair_unknown_ok = true;
    CHECK(r.earliest_arrival(from, to, day, hm(7, 0), o).reachable == (c.trip != 2 && c.from != 2 && c.to != 2));
    o.wheelchair = false;
    CHECK(r.earliest_arrival(from, to, day, hm(7, 0), o).reachable);
  }
}

TEST_CASE("raptor: Pareto set keeps the slower journey with fewer legs") {
  mini_feed f;
  add_far_stops(f, {"A", "B", "C"});
  f.add_trip("slow", {{"A", hm(8, 0)}, {"C", hm(9, 30)}});
  f.add_trip("f1", {{"A", hm(8, 5)}, {"B", hm(8, 20)}});
  f.add_trip("f2", {{"B", hm(8, 25)}, {"C", hm(8, 50)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const res = r.earliest_arrival(place::at_stop(S(tt, "A")), place::at_stop(S(tt, "C")), day, hm(7, 0), literal());
  REQUIRE(res.pareto.size() == 2U);
  CHECK(res.pareto[0].legs == 1U);
  CHECK(res.pareto[0].time == hm(9, 30));
  CHECK(res.pareto[1].legs == 2U);
  CHECK(res.pareto[1].time == hm(8, 50));
  journey j;
  REQUIRE(r.reconstruct(1, j));
  CHECK(to_string(tt, j) == R"(08:00-09:30, 1 ride
  08:00-09:30 ride slow A -> C
)");
  REQUIRE(r.reconstruct(2, j));
  CHECK(to_string(tt, j) == R"(08:05-08:50, 2 rides
  08:05-08:20 ride f1 A -> B
  08:25-08:50 ride f2 B -> C
)");
  std::vector<stop_visit> visits;
  ride_stops(tt, j.legs[0], visits, true);
  REQUIRE(visits.size() == 2U);
  CHECK(visits[0].departure == hm(8, 5));
  CHECK(visits[1].arrival == hm(8, 20));

  // Range: 07:00-09:00, every departure with its Pareto answers.
  std::vector<range_entry> out;
  r.range(place::at_stop(S(tt, "A")), place::at_stop(S(tt, "C")), day, hm(7, 0), hm(9, 0), literal(), out);
  REQUIRE(out.size() == 2U);
  CHECK(out[0].departure == hm(8, 5));
  CHECK(out[0].arrival == hm(8, 50));
  CHECK(out[0].legs == 2U);
  CHECK(out[1].departure == hm(8, 0));
  CHECK(out[1].arrival == hm(9, 30));
  CHECK(out[1].legs == 1U);
}

TEST_CASE("raptor: minimum change time per stop outside literal mode") {
  mini_feed f;
  add_far_stops(f, {"A", "B", "C"});
  f.add_trip("t1", {{"A", hm(8, 0)}, {"B", hm(8, 10)}});
  f.add_trip("t2", {{"B", hm(8, 10, 30)}, {"C", hm(8, 30)}});
  f.add_trip("t3", {{"B", hm(8, 11)}, {"C", hm(8, 40)}});
  f.add_trip("t4", {{"B", hm(8, 20)}, {"C", hm(8, 50)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  auto const a = place::at_stop(S(tt, "A"));
  auto const c = place::at_stop(S(tt, "C"));
  options o;  // default change time 60 s
  CHECK(r.earliest_arrival(a, c, day, hm(7, 0), o).time == hm(8, 40));
  o.default_min_change_s = 0;
  CHECK(r.earliest_arrival(a, c, day, hm(7, 0), o).time == hm(8, 30));
  o.default_min_change_s = 120;
  CHECK(r.earliest_arrival(a, c, day, hm(7, 0), o).time == hm(8, 50));
  o.max_legs = 1;
  CHECK_FALSE(r.earliest_arrival(a, c, day, hm(7, 0), o).reachable);
}

TEST_CASE("raptor: McRAPTOR keeps a slower journey with less walking") {
  mini_feed f;
  f.add_stop("A", 35.0, 139.0);
  f.add_stop("B", 35.002, 139.0);  // ~222 m from A
  f.add_stop("C", 35.1, 139.0);
  f.add_stop("D", 35.2, 139.0);
  f.add_trip("from_b", {{"B", hm(8, 10)}, {"D", hm(8, 40)}});
  f.add_trip("from_a", {{"A", hm(8, 20)}, {"C", hm(8, 40)}});
  f.add_trip("c_to_d", {{"C", hm(8, 45)}, {"D", hm(9, 0)}});
  f.add_trip("slow", {{"A", hm(8, 30)}, {"D", hm(9, 30)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  options o;
  o.walk_radius_m = 300.0;
  o.default_min_change_s = 0;
  std::vector<walk_pareto_entry> out;
  r.walk_pareto(place::at_stop(S(tt, "A")), place::at_stop(S(tt, "D")), day, hm(8, 0), o, out);
  auto const walk = static_cast<seconds_t>(std::ceil(haversine_m({35.0, 139.0}, {35.002, 139.0}) / 1.2));
  // 1 leg: walk to B and ride (8:40, walk) or ride the slow trip (9:30, no walk);
  // 2 legs: A-C-D (9:00, no walk) beats the slow trip on arrival.
  REQUIRE(out.size() == 3U);
  CHECK(out[0].legs == 1U);
  CHECK(out[0].arrival == hm(8, 40));
  CHECK(out[0].walk_s == walk);
  CHECK(out[1].legs == 1U);
  CHECK(out[1].arrival == hm(9, 30));
  CHECK(out[1].walk_s == 0);
  CHECK(out[2].legs == 2U);
  CHECK(out[2].arrival == hm(9, 0));
  CHECK(out[2].walk_s == 0);
  journey j;
  REQUIRE(r.reconstruct_walk_pareto(0, j));
  // 0.002 degrees (222.4 m) at 1.2 m/s: 186 s, leaving at 08:06:54 for the 08:10 trip.
  CHECK(to_string(tt, j) == R"(08:06:54-08:40, 1 ride
  08:06:54-08:10 walk walk_link A -> B 222 m
  08:10-08:40 ride from_b B -> D
)");
  REQUIRE(r.reconstruct_walk_pareto(2, j));
  CHECK(to_string(tt, j) == R"(08:20-09:00, 2 rides
  08:20-08:40 ride from_a A -> C
  08:45-09:00 ride c_to_d C -> D
)");

  // The plain search agrees on the best arrival per number of legs.
  auto const ea = r.earliest_arrival(place::at_stop(S(tt, "A")), place::at_stop(S(tt, "D")), day, hm(8, 0), o);
  REQUIRE(ea.pareto.size() == 1U);
  CHECK(ea.pareto[0].time == hm(8, 40));
}

TEST_CASE("raptor: extra access and egress edges compete with walking and come back as access legs") {
  // A -> B -> C on one trip. The origin is 11 km from every stop, reached only by an extra edge
  // to A (10 min, tag 7); the destination is 11 km away too, with extra edges from C (5 min,
  // tag 8) and from B (25 min, tag 9): C wins (08:35 against 08:40).
  mini_feed f;
  add_far_stops(f, {"A", "B", "C"});
  f.add_trip("t", {{"A", hm(8, 0)}, {"B", hm(8, 15)}, {"C", hm(8, 30)}});
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  std::vector<access_edge> const out{{S(tt, "A"), 600, 0.0F, 7U}};
  std::vector<access_edge> const in{{S(tt, "C"), 300, 0.0F, 8U}, {S(tt, "B"), 1500, 0.0F, 9U}};
  auto const from = place::at_coord({35.1, 139.0}, out);
  auto const to = place::at_coord({35.2, 139.0}, in);
  options o;
  auto const res = r.earliest_arrival(from, to, day, hm(7, 0), o);
  REQUIRE(res.reachable);
  CHECK(res.time == hm(8, 35));
  journey j;
  REQUIRE(r.reconstruct(res.legs, j));
  CHECK(to_string(tt, j) == R"(07:50-08:35, 1 ride
  07:50-08:00 access tag 7 (place) -> A 0 m
  08:00-08:30 ride t A -> C
  08:30-08:35 access tag 8 C -> (place) 0 m
)");

  // Arrive-by leaves the destination over the same edges.
  auto const back = r.latest_departure(from, to, day, hm(9, 0), o);
  REQUIRE(back.reachable);
  CHECK(back.time == hm(7, 50));
  REQUIRE(r.reconstruct(back.legs, j));
  CHECK(to_string(tt, j) == R"(07:50-08:35, 1 ride
  07:50-08:00 access tag 7 (place) -> A 0 m
  08:00-08:30 ride t A -> C
  08:30-08:35 access tag 8 C -> (place) 0 m
)");

  // A range lists the departure; McRAPTOR counts no walking on the edges.
  std::vector<range_entry> entries;
  r.range(from, to, day, hm(7, 0), hm(9, 0), o, entries);
  REQUIRE(entries.size() == 1U);
  CHECK(entries[0].departure == hm(7, 50));
  CHECK(entries[0].arrival == hm(8, 35));
  std::vector<walk_pareto_entry> mc;
  r.walk_pareto(from, to, day, hm(7, 0), o, mc);
  REQUIRE(mc.size() == 1U);
  CHECK(mc[0].arrival == hm(8, 35));
  CHECK(mc[0].walk_s == 0);
  REQUIRE(r.reconstruct_walk_pareto(0, j));
  CHECK(to_string(tt, j) == R"(07:50-08:35, 1 ride
  07:50-08:00 access tag 7 (place) -> A 0 m
  08:00-08:30 ride t A -> C
  08:30-08:35 access tag 8 C -> (place) 0 m
)");

  // Without its edges the destination is out of walking reach.
  CHECK_FALSE(r.earliest_arrival(from, place::at_coord({35.2, 139.0}), day, hm(7, 0), o).reachable);
}
