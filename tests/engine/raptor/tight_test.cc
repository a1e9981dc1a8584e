// Tight journeys (tight.h) with the backward passes pruned by the forward search's labels
// (router::keep_first_pass), against the same passes unpruned, run here one by one as tight.cc
// ran them before the pruning: every journey keeps its departure, arrival and rides. The
// reference test (router_reference_test.cc) checks tightness on stops in GTFS-literal mode; this
// one covers what it does not: the default mode (change times, walking links, the next and
// previous days' trips) and coordinates as origin and destination.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"
#include "shared_feeds.h"

namespace nebuta::raptor {
namespace {

// The tight journeys without pruning: the forward search, then per Pareto journey one latest
// departure arriving by it with at most its rides, departing no earlier.
// Counts in `moved` the journeys the backward pass made leave later.
std::vector<journey> unpruned(router& r, place const& from, place const& to, date_t date, seconds_t t,
                              options const& opt, unsigned& moved) {
  std::vector<journey> out;
  std::vector<unsigned> legs;
  auto const first = r.earliest_arrival(from, to, date, t, opt);
  for (auto const& e : first.pareto) {
    journey j;
    if (r.reconstruct(e.legs, j)) {
      out.push_back(j);
      legs.push_back(e.legs);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].rides == 0) continue;
    auto o = opt;
    o.max_legs = legs[i];
    auto const back = r.latest_departure(from, to, date, out[i].arrival, o, out[i].departure);
    journey better;
    if (!back.reachable || !r.reconstruct(back.pareto.back().legs, better)) continue;
    if (better.departure >= out[i].departure && better.arrival <= out[i].arrival && better.rides <= out[i].rides) {
      if (better.departure > out[i].departure) ++moved;
      out[i] = better;
    }
  }
  return out;
}

void check_case(char const* name, unsigned n_queries) {
  auto const l = test::load_case(name);
  if (!l) return;
  auto const date = test::parse_date(test::find_case(name).date);
  index const idx{l->tt};
  router r{idx};
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < l->tt.n_stops(); ++s) {
    if (!l->tt.stop_routes[s].empty() && l->tt.stop_has_coords[s] != 0U) served.push_back(s);
  }
  REQUIRE(!served.empty());
  std::mt19937_64 rng{0x71647ULL};
  std::vector<journey> tight;
  unsigned n_journeys = 0, moved = 0, coords = 0;
  for (auto q = 0U; q < n_queries; ++q) {
    auto const a = served[rng() % served.size()];
    auto const b = served[rng() % served.size()];
    auto const t = static_cast<seconds_t>(rng() % (26 * 3600));
    options o;
    o.walk_radius_m = 400.0;
    auto from = place::at_stop(a);
    auto to = place::at_stop(b);
    if (q % 2 == 1U) {
      // About 100 m off the stops: the walks to and from the coordinates decide.
      auto ca = l->tt.stop_coords[a];
      auto cb = l->tt.stop_coords[b];
      ca.lat += 0.0009;
      cb.lon -= 0.0011;
      from = place::at_coord(ca);
      to = place::at_coord(cb);
      ++coords;
    }
    auto const expected = unpruned(r, from, to, date, t, o, moved);
    tight_journeys(r, from, to, date, t, false, o, tight);
    INFO(name << " query " << q << ": stops " << a.v() << " -> " << b.v() << " at " << t);
    REQUIRE(tight.size() == expected.size());
    for (std::size_t i = 0; i < tight.size(); ++i) {
      CHECK(tight[i].departure == expected[i].departure);
      CHECK(tight[i].arrival == expected[i].arrival);
      CHECK(tight[i].rides == expected[i].rides);
      if (tight[i].rides != 0U) ++n_journeys;
    }
    // Once more without pruning: the pruned passes left the router as they found it.
    unsigned again_moved = 0;
    auto const again = unpruned(r, from, to, date, t, o, again_moved);
    REQUIRE(again.size() == expected.size());
    for (std::size_t i = 0; i < again.size(); ++i) CHECK(again[i].departure == expected[i].departure);
  }
  std::printf("tight pruned %s: %u journeys (%u queries from coordinates), %u moved later, all as unpruned\n", name,
              n_journeys, coords, moved);
  CHECK(n_journeys > n_queries / 4);
  CHECK(moved > 0U);
}

}  // namespace

TEST_CASE("raptor tight journeys: the pruned backward passes find what the plain ones find", "[tight]") {
  check_case("hachinohe", 400);
  check_case("tampa", 200);
}

}  // namespace nebuta::raptor
