// Peers' published routing fixtures, recreated as GTFS folders (peer_fixtures/), with the answers
// the peers' own tests expect. nigiri's block_id fixture is in stay_seated_test.cc.
#include <catch2/catch.hpp>

#include "peer_fixture.h"
#include "nebuta/raptor/router.h"

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
  std::vector<access_edge> const start = {{stop_of(tt, "A0"), 180, 0.0F, 23}, {stop_of(tt, "A1"), 300, 0.0F, 23},
                                          {stop_of(tt, "A2"), 600, 0.0F, 23}};
  std::vector<access_edge> const end = {{stop_of(tt, "C3"), 1800, 0.0F, 42}, {stop_of(tt, "C4"), 1200, 0.0F, 42},
                                        {stop_of(tt, "C5"), 600, 0.0F, 42}};
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
