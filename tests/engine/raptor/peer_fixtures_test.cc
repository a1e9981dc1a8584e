// Peers' published routing fixtures, recreated as GTFS folders (peer_fixtures/), with the answers
// the peers' own tests expect. nigiri's block_id fixture is in stay_seated_test.cc.
#include <catch2/catch.hpp>

#include "nebuta/raptor/router.h"
#include "peer_fixture.h"

using namespace nebuta;
using namespace nebuta::raptor;
using nebuta::test::stop_of;

namespace {

inline constexpr seconds_t hm(int h, int m) { return h * 3600 + m * 60; }

}  // namespace

// nigiri test/routing/shortest_fp_test.cc: the origin reaches A0, A1, A2 in 3, 5, 10 minutes, the
// destination is 30, 20, 10 minutes from C3, C4, C5. Every way through arrives at 05:00 with
// three trams; nigiri's answer takes the 5-minute footpaths A3 -> B0 and B3 -> C2 and leaves
// from C5. Our earliest arrival gives the time and the rides, forward and backward; McRAPTOR
// (arrival x rides x walking) the same footpaths (its egress stop is a tie, see below).
TEST_CASE("peer fixture: nigiri shortest footpath") {
  auto const loaded = test::load_peer_fixture("nigiri_shortest_fp");
  auto const& tt = loaded.tt;
  index const idx{tt};
  router r{idx};
  date_t const day = std::chrono::year{2024} / 6 / 8;
  std::vector<access_edge> const start = {
      {stop_of(tt, "A0"), 180, 0.0F, 23}, {stop_of(tt, "A1"), 300, 0.0F, 23}, {stop_of(tt, "A2"), 600, 0.0F, 23}};
  std::vector<access_edge> const end = {
      {stop_of(tt, "C3"), 1800, 0.0F, 42}, {stop_of(tt, "C4"), 1200, 0.0F, 42}, {stop_of(tt, "C5"), 600, 0.0F, 42}};
  // Far from every stop (they have no coordinates anyway): only the edges reach them.
  auto const from = place::at_coord({0.0, 0.0}, start);
  auto const to = place::at_coord({0.0, 1.0}, end);
  options o;
  o.walk_radius_m = 0.0;

  auto const res = r.earliest_arrival(from, to, day, hm(1, 30), o);
  REQUIRE(res.reachable);
  CHECK(res.time == hm(5, 0));
  CHECK(res.legs == 3U);

  std::vector<walk_pareto_entry> mc;
  r.walk_pareto(from, to, day, hm(1, 30), o, mc);
  REQUIRE(!mc.empty());
  auto const best = std::min_element(mc.begin(), mc.end(), [](auto const& a, auto const& b) {
    return std::tie(a.arrival, a.walk_s) < std::tie(b.arrival, b.walk_s);
  });
  CHECK(best->arrival == hm(5, 0));
  CHECK(best->legs == 3U);
  // Access and egress edges are not walking here (query.h: an on-demand ride, a bike): the
  // walking is the two footpaths, and the egress stop among C3..C5 (all at 05:00) is a tie.
  CHECK(best->walk_s == (5 + 5) * 60);
  journey j;
  REQUIRE(r.reconstruct_walk_pareto(static_cast<std::size_t>(best - mc.begin()), j));
  INFO(to_string(tt, j));
  REQUIRE(j.legs.size() == 7U);
  CHECK(j.departure == hm(1, 57));
  CHECK(j.arrival == hm(5, 0));
  CHECK(tt.external_stop_id(j.legs[0].to) == "A0");
  CHECK(tt.external_trip_id(j.legs[1].trip) == "AWE");
  CHECK((j.legs[2].kind == leg_kind::walk && tt.external_stop_id(j.legs[2].from) == "A3" &&
         tt.external_stop_id(j.legs[2].to) == "B0" && j.legs[2].end - j.legs[2].start == 300));
  CHECK(tt.external_trip_id(j.legs[3].trip) == "BWE");
  CHECK((j.legs[4].kind == leg_kind::walk && tt.external_stop_id(j.legs[4].from) == "B3" &&
         tt.external_stop_id(j.legs[4].to) == "C2" && j.legs[4].end - j.legs[4].start == 300));
  CHECK(tt.external_trip_id(j.legs[5].trip) == "CWE");

  // Backward (nigiri's second test): the latest departure arriving by 05:00 leaves at 01:57.
  auto const back = r.latest_departure(from, to, day, hm(5, 0), o);
  REQUIRE(back.reachable);
  CHECK(back.time == hm(1, 57));
  CHECK(back.legs == 3U);
}

// OpenTripPlanner mmri/AllModesAndAgenciesTest (feed 1a): from 1a1 at 2014-01-01 00:00 to 1a6,
// five legs: bus 1a1 00:01 -> 1a2 00:02, ferry 1a3 00:03 -> 1a4 00:04, train 1a5 00:05 -> 1a6
// 00:06, with the 0-second footpaths between them.
TEST_CASE("peer fixture: OpenTripPlanner mmri 1a") {
  auto const loaded = test::load_peer_fixture("otp_mmri_1a");
  auto const& tt = loaded.tt;
  index const idx{tt};
  router r{idx};
  date_t const day = std::chrono::year{2014} / 1 / 1;
  options o;
  o.walk_radius_m = 0.0;  // the stops are 111 m apart; OTP's test runs without a street network
  auto const res = r.earliest_arrival(place::at_stop(stop_of(tt, "1a1")), place::at_stop(stop_of(tt, "1a6")), day, 0, o);
  REQUIRE(res.reachable);
  journey j;
  REQUIRE(r.reconstruct(res.legs, j));
  CHECK(to_string(tt, j) == R"(00:01-00:06, 3 rides
  00:01-00:02 ride 1a|bus|1 1a1 -> 1a2
  00:02-00:02 walk footpath 1a2 -> 1a3 111 m
  00:03-00:04 ride 1a|ferry|1 1a3 -> 1a4
  00:04-00:04 walk footpath 1a4 -> 1a5 111 m
  00:05-00:06 ride 1a|train|1 1a5 -> 1a6
)");
}

// nigiri test/routing/transfer_time_settings_test.cc: the journeys of 2019-05-01 (a range over
// the day) for a change time at B of 2 minutes (nigiri's default: T1 then T2, arriving 10:22), 3
// (still T2), 4 and 10 (T3, 10:30); beside them the direct T4 (09:55 -> 10:35, one ride).
// nigiri reaches 3 and 4 minutes by factors of its 2-minute default and 10 by a minimum; here
// the change time is given as such.
TEST_CASE("peer fixture: nigiri transfer time") {
  auto const loaded = test::load_peer_fixture("nigiri_transfer_time");
  auto const& tt = loaded.tt;
  index const idx{tt};
  router r{idx};
  date_t const day = std::chrono::year{2019} / 5 / 1;
  auto const a = place::at_stop(stop_of(tt, "A")), c = place::at_stop(stop_of(tt, "C"));
  for (auto const& [change_min, second] :
       {std::pair{2, "T2"}, std::pair{3, "T2"}, std::pair{4, "T3"}, std::pair{10, "T3"}}) {
    INFO("change " << change_min << " min");
    options o;
    o.walk_radius_m = 0.0;
    o.default_min_change_s = change_min * 60;
    std::vector<range_entry> entries;
    r.range(a, c, day, 0, 24 * 3600 - 1, o, entries);
    REQUIRE(entries.size() == 2U);
    // By decreasing departure: A 10:00 with a change, then the direct 09:55.
    CHECK(entries[0].departure == 10 * 3600);
    CHECK(entries[0].arrival == (std::string_view{second} == "T2" ? 10 * 3600 + 22 * 60 : 10 * 3600 + 30 * 60));
    CHECK(entries[0].legs == 2U);
    CHECK(entries[1].departure == 9 * 3600 + 55 * 60);
    CHECK(entries[1].arrival == 10 * 3600 + 35 * 60);
    CHECK(entries[1].legs == 1U);
    auto const res = r.earliest_arrival(a, c, day, 10 * 3600, o);
    REQUIRE(res.reachable);
    journey j;
    REQUIRE(r.reconstruct(res.legs, j));
    REQUIRE(j.legs.size() == 2U);
    CHECK(tt.external_trip_id(j.legs[0].trip) == "T1");
    CHECK(tt.external_trip_id(j.legs[1].trip) == second);
  }
}
