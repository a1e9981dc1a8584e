// The rides bound (rides_bound.h): the fewest rides between every stop and a set of seeds,
// against a fixpoint written here from the definition, and searches that prune with it against
// the same searches without it, on real feeds (Tampa's trips all run on through blocks).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "nebuta/raptor/index.h"
#include "nebuta/raptor/journey.h"
#include "nebuta/raptor/rides_bound.h"
#include "nebuta/raptor/router.h"
#include "same_answers.h"
#include "shared_feeds.h"

using namespace nebuta;
using namespace nebuta::raptor;

namespace {

constexpr unsigned far = std::numeric_limits<unsigned>::max() / 2;

struct values {
  std::vector<unsigned> ride, foot;
};

// The fewest rides to (to_seeds) or from the seeds, by relaxing until nothing changes, with the
// rounds' walking rule: after arriving by vehicle one walk (a footpath or walking link) may
// follow before the next ride, after a walk none. One ride goes from any stop of a route to any
// later one, and on through every route its trips run on as, transitively.
values brute_force(index const& idx, bool to_seeds, std::vector<stop_idx> const& foot_seeds,
                   std::vector<stop_idx> const& ride_seeds, double radius) {
  auto const& tt = idx.tt();
  values v{std::vector<unsigned>(tt.n_stops(), far), std::vector<unsigned>(tt.n_stops(), far)};
  for (auto const s : foot_seeds) v.foot[s.v()] = 0U;
  for (auto const s : ride_seeds) v.ride[s.v()] = 0U;
  // Route-level continuations from the trips' links, closed transitively.
  std::vector<std::vector<std::uint32_t>> next(tt.n_routes());
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    for (auto const& l : idx.seated(t, true)) {
      auto const a = tt.trip_route[t].v(), b = tt.trip_route[l.other].v();
      if (to_seeds) next[a].push_back(b);
      else next[b].push_back(a);
    }
  }
  std::vector<std::vector<std::uint32_t>> closure(tt.n_routes());
  for (auto r = 0U; r < tt.n_routes(); ++r) {
    std::vector<char> seen(tt.n_routes(), 0);
    std::vector<std::uint32_t> stack = next[r];
    while (!stack.empty()) {
      auto const x = stack.back();
      stack.pop_back();
      if (seen[x] != 0) continue;
      seen[x] = 1;
      closure[r].push_back(x);
      for (auto const y : next[x]) stack.push_back(y);
    }
  }
  for (auto changed = true; changed;) {
    changed = false;
    auto const lower = [&](std::vector<unsigned>& d, stop_idx s, unsigned x) {
      if (x < d[s.v()]) {
        d[s.v()] = x;
        changed = true;
      }
    };
    for (auto u = stop_idx{0}; u.v() < tt.n_stops(); ++u) {
      lower(v.ride, u, v.foot[u.v()]);
      // One walk between a vehicle and the next: to_seeds, from u to w; else from w to u.
      for (auto const& fp : tt.stop_footpaths[u]) {
        if (to_seeds) lower(v.ride, u, v.foot[fp.target.v()]);
        else lower(v.ride, fp.target, v.foot[u.v()]);
      }
      for (auto const& l : tt.stop_walk_links[u]) {
        if (l.distance_m <= radius + 1.0) lower(v.ride, u, v.foot[l.target.v()]);
      }
    }
    for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
      auto const stops = tt.route_stops[r];
      for (std::size_t p = 0; p < stops.size(); ++p) {
        for (auto q = p + 1; q < stops.size(); ++q) {
          if (to_seeds) lower(v.foot, stops[p], v.ride[stops[q].v()] + 1U);
          else lower(v.foot, stops[q], v.ride[stops[p].v()] + 1U);
        }
      }
      auto best = far;
      for (auto const o : closure[r.v()]) {
        for (auto const s : tt.route_stops[route_idx{o}]) best = std::min(best, v.ride[s.v()]);
      }
      for (auto const s : stops) lower(v.foot, s, best + 1U);
    }
  }
  return v;
}

std::vector<stop_idx> served_stops(timetable const& tt) {
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  return served;
}

}  // namespace

TEST_CASE("the rides bound equals the fewest rides of a fixpoint over routes, blocks and single walks", "[reference]") {
  for (auto const* name : {"hachinohe", "tampa", "bart", "portliner"}) {
    auto const l = test::load_case(name);
    if (!l) continue;
    INFO(name);
    index const idx{l->tt};
    auto const served = served_stops(l->tt);
    std::mt19937_64 rng{0x51de5};
    rides_bound b;
    auto differ = 0U, checked = 0U;
    std::vector<unsigned> levels_seen(4, 0U);
    for (auto q = 0U; q < 6U; ++q) {
      // A target stop and, as a query's walks to it, the stops of its walking links; or a set of
      // egress stops with no foot seed, as for a coordinate.
      auto const target = served[rng() % served.size()];
      std::vector<stop_idx> foot_seeds, ride_seeds{target};
      if (q % 3 == 2) ride_seeds.push_back(served[rng() % served.size()]);
      else foot_seeds.push_back(target);
      if (q % 2 == 0) {
        for (auto const& w : l->tt.stop_walk_links[target]) ride_seeds.push_back(w.target);
      }
      for (auto const to_seeds : {true, false}) {
        auto const max_level = q % 2 == 0 ? 8U : 2U;
        auto const radius = q % 2 == 0 ? 400.0 : 1000.0;
        b.compute(idx, to_seeds, foot_seeds, ride_seeds, max_level, true, radius);
        auto const want = brute_force(idx, to_seeds, foot_seeds, ride_seeds, radius);
        for (auto s = 0U; s < l->tt.n_stops(); ++s) {
          auto const cap = [&](unsigned x) { return x <= max_level ? x : unsigned{rides_bound::unknown}; };
          checked += 2U;
          if (b.ride()[s] != cap(want.ride[s])) ++differ;
          if (b.foot()[s] != cap(want.foot[s])) ++differ;
          if (want.foot[s] < levels_seen.size()) ++levels_seen[want.foot[s]];
        }
      }
    }
    CHECK(checked > 0U);
    CHECK(differ == 0U);
    CHECK(levels_seen[2] > 0U);  // the feeds need several rides between some stops
    WARN(name << ": stops by fewest rides on foot (0, 1, 2, 3): " << levels_seen[0] << ", " << levels_seen[1] << ", "
              << levels_seen[2] << ", " << levels_seen[3]);
  }
}

TEST_CASE("searches pruned by the rides bound give the journeys of the searches without it", "[reference]") {
  // From round 1 (the strongest pruning) against never, with 1, 2 and 8 legs allowed, between
  // stops and between sets of stops:
  // earliest arrival, latest departure and range, journeys compared whole.
  for (auto const* name : {"hachinohe", "tampa", "portoalegre"}) {
    auto const l = test::load_case(name);
    if (!l) continue;
    INFO(name);
    auto const& tt = l->tt;
    index const idx{tt};
    router pruned{idx}, plain{idx};
    pruned.set_rides_round(1);  // the strongest pruning: from round 1
    plain.set_rides_round(0);
    auto const date = test::parse_date(test::find_case(name).date);
    auto const served = served_stops(tt);
    std::mt19937_64 rng{0x71de5};
    auto differ = 0U, reachable = 0U, unreachable = 0U;
    for (auto q = 0U; q < 120U; ++q) {
      // Every fourth query between two sets of two stops (places of several poles).
      std::array<stop_idx, 2> const from_set{served[rng() % served.size()], served[rng() % served.size()]};
      std::array<stop_idx, 2> const to_set{served[rng() % served.size()], served[rng() % served.size()]};
      auto const sets = q % 4 == 3;
      auto const from = sets ? place::at_stops(from_set) : place::at_stop(from_set[0]);
      auto const to = sets ? place::at_stops(to_set) : place::at_stop(to_set[0]);
      auto const t = static_cast<seconds_t>(5 * 3600 + rng() % (17 * 3600));
      options opt;
      opt.max_legs = q % 3 == 0 ? 8U : q % 3 == 1 ? 1U : 2U;
      for (auto const fwd : {true, false}) {
        auto found = false;
        differ += test::same_search(tt, pruned, plain, fwd, from, to, date, t, opt, found) ? 0U : 1U;
        (found ? reachable : unreachable) += 1U;
      }
      if (q % 4 == 0) differ += test::same_range(pruned, plain, from, to, date, t, t + 3600, opt) ? 0U : 1U;
    }
    CHECK(reachable > 50U);
    CHECK(unreachable > 10U);  // with 1 or 2 legs, many pairs are out of reach: the bound cuts them
    CHECK(differ == 0U);
  }
}
