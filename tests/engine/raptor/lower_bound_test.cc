// The per-query lower bounds (lower_bound.h): exact distances on the lower-bound graph (against a
// plain Dijkstra written here), and true lower bounds of the real earliest-arrival travel time
// (against the independent reference, reference.h) on random queries of real feeds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "mini_feed.h"
#include "nebuta/raptor/index.h"
#include "nebuta/raptor/journey.h"
#include "nebuta/raptor/lower_bound.h"
#include "nebuta/raptor/router.h"
#include "nebuta/timetable/snapshot.h"
#include "reference.h"
#include "same_answers.h"
#include "shared_feeds.h"

using namespace nebuta;
using namespace nebuta::raptor;

namespace {

constexpr std::uint32_t clamp_s = lower_bound_graph::unreachable;

// Dijkstra over the arcs (reversed for distances to the seeds), clamped like the bounds.
std::vector<std::uint32_t> dijkstra(std::size_t n, std::vector<lb_arc> const& arcs, lb_direction dir,
                                    std::vector<lb_seed> const& seeds) {
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> adj(n);
  for (auto const& a : arcs) {
    if (dir == lb_direction::to_seeds) {
      adj[a.to.v()].emplace_back(a.from.v(), a.w);
    } else {
      adj[a.from.v()].emplace_back(a.to.v(), a.w);
    }
  }
  std::vector<std::uint32_t> dist(n, std::numeric_limits<std::uint32_t>::max());
  using entry = std::pair<std::uint32_t, std::uint32_t>;
  std::priority_queue<entry, std::vector<entry>, std::greater<>> pq;
  for (auto const& s : seeds) {
    if (s.offset_s < dist[s.stop.v()]) {
      dist[s.stop.v()] = s.offset_s;
      pq.push({s.offset_s, s.stop.v()});
    }
  }
  while (!pq.empty()) {
    auto const [d, v] = pq.top();
    pq.pop();
    if (d != dist[v]) continue;
    for (auto const& [u, w] : adj[v]) {
      if (d + w < dist[u]) {
        dist[u] = d + w;
        pq.push({d + w, u});
      }
    }
  }
  for (auto& d : dist) d = std::min(d, clamp_s);
  return dist;
}

// Compares the index's bounds (per query from the table and by the sweep, and the table's rows)
// with the Dijkstra for random single targets and random egress sets of 1 to 5 stops (over
// lower_bounds::table_max_seeds: the sweep), in both directions; returns the number of stops
// that differ.
std::size_t compare_with_dijkstra(timetable const& tt, unsigned n_queries, std::uint64_t seed) {
  index const idx{tt};
  auto valid = false;
  auto const arcs = lower_bound_arcs(tt, idx.link_distances(), valid);
  REQUIRE(valid);
  REQUIRE(idx.lb_graph().valid());
  lower_bounds lbs;
  std::mt19937_64 rng{seed};
  std::size_t bad = 0;
  for (auto q = 0U; q < n_queries; ++q) {
    std::vector<lb_seed> seeds;
    auto const n_seeds = q % 4 == 3 ? 1U + rng() % 5 : 1U;
    for (auto i = 0U; i < n_seeds; ++i) {
      seeds.push_back({stop_idx{static_cast<std::uint32_t>(rng() % tt.n_stops())},
                       n_seeds == 1U ? 0U : static_cast<std::uint32_t>(rng() % 600)});
    }
    auto const dir = q % 2 == 0 ? lb_direction::to_seeds : lb_direction::from_seeds;
    auto const want = dijkstra(tt.n_stops(), arcs, dir, seeds);
    // compute reads the table for a few seeds when there is one; the sweep never does.
    lbs.compute(idx.lb_graph(), dir, seeds);
    for (auto s = 0U; s < tt.n_stops(); ++s) bad += lbs.values()[s] != want[s] ? 1U : 0U;
    lbs.sweep(idx.lb_graph(), dir, seeds);
    for (auto s = 0U; s < tt.n_stops(); ++s) bad += lbs.values()[s] != want[s] ? 1U : 0U;
    // The graph's table (timetables up to table_max_stops stops) holds the same bounds to
    // single stops.
    auto const row = idx.lb_graph().to_stop(seeds.front().stop);
    CHECK(row.empty() == (tt.n_stops() > lower_bound_graph::table_max_stops));
    if (n_seeds == 1U && dir == lb_direction::to_seeds && !row.empty()) {
      for (auto s = 0U; s < tt.n_stops(); ++s) bad += row[s] != want[s] ? 1U : 0U;
    }
  }
  return bad;
}

}  // namespace

TEST_CASE("lower bounds: a tiny graph by hand") {
  // A -5 min-> B -10 min-> C on one trip, C and D 100 m apart (walk 83 s at 1.2 m/s), and a
  // footpath A -> E of 2 min. Bounds to C: A 15 min, B 10 min, C 0, D 83 s, E none.
  test::mini_feed f;
  f.add_stop("A", 35.0, 139.0);
  f.add_stop("B", 35.1, 139.0);
  f.add_stop("C", 35.2, 139.0);
  f.add_stop("D", 35.2 + 100.0 / 111'194.93, 139.0);
  f.add_stop("E", 35.3, 139.0);
  f.add_trip("t", {{"A", test::hm(8, 0)}, {"B", test::hm(8, 5)}, {"C", test::hm(8, 15)}});
  f.add_trip("u", {{"A", test::hm(9, 0)}, {"B", test::hm(9, 7)}, {"C", test::hm(9, 17)}});
  f.add_transfer("A", "E", 120);
  auto const tt = f.compile();
  index const idx{tt};
  auto const id = [&](char const* s) { return *tt.find_stop(s); };
  lower_bounds lbs;
  std::vector<lb_seed> const to_c{{id("C"), 0U}};
  lbs.compute(idx.lb_graph(), lb_direction::to_seeds, to_c);
  CHECK(lbs[id("A")] == 15 * 60);
  CHECK(lbs[id("B")] == 10 * 60);
  CHECK(lbs[id("C")] == 0);
  CHECK(lbs[id("D")] == 83);  // floor(100 m / 1.2 m/s), rounded down
  CHECK(lbs[id("E")] == lower_bound_graph::unreachable);
  // From A: E by the footpath, D over C.
  std::vector<lb_seed> const from_a{{id("A"), 0U}};
  lbs.compute(idx.lb_graph(), lb_direction::from_seeds, from_a);
  CHECK(lbs[id("E")] == 120);
  CHECK(lbs[id("D")] == 15 * 60 + 83);
  // Two seeds with offsets: the best of both.
  std::vector<lb_seed> const two{{id("C"), 300U}, {id("B"), 0U}};
  lbs.compute(idx.lb_graph(), lb_direction::to_seeds, two);
  CHECK(lbs[id("A")] == 5 * 60);
  CHECK(lbs[id("C")] == 300);
  CHECK(lbs[id("D")] == 383);
}

TEST_CASE("lower bounds equal a Dijkstra on the lower-bound graph", "[reference]") {
  for (auto const* name : {"hachinohe", "tampa", "portoalegre", "bart"}) {
    auto const l = test::load_case(name);
    if (!l) continue;
    INFO(name);
    CHECK(compare_with_dijkstra(l->tt, 40, 0x1b0) == 0U);
  }
}

TEST_CASE("lower bounds never exceed the earliest-arrival travel time of the reference", "[reference]") {
  // Literal mode with walks of 0 and 300 m at 1.2 m/s and change times of 0 and 120 s: the
  // bound of the origin towards the destination (and of the destination from the origin) is at
  // most the reference's earliest arrival minus the departure.
  for (auto const* name : {"hachinohe", "tampa", "portoalegre", "bart", "wmata"}) {
    auto const l = test::load_case(name);
    if (!l) continue;
    auto const date = test::parse_date(test::find_case(name).date);
    index const idx{l->tt};
    lower_bounds to_dst, from_src;
    unsigned checked = 0, bad = 0;
    double tightness = 0.0;
    std::vector<std::string> examples;
    for (auto const radius : {0.0, 300.0}) {
      test::ref::network net{l->inputs, date, radius, 1.2};
      std::vector<stop_idx> stop_of(net.stops.size(), stop_idx::invalid());
      for (auto s = stop_idx{0}; s.v() < l->tt.n_stops(); ++s) {
        if (auto const ri = net.find(l->tt.stop_feed[s].v(), l->tt.strings[l->tt.stop_ids[s]])) stop_of[*ri] = s;
      }
      std::vector<std::uint32_t> served;
      for (auto i = 0U; i < net.stops.size(); ++i) {
        if (stop_of[i].valid() && net.stops[i].served) served.push_back(i);
      }
      REQUIRE(!served.empty());
      std::mt19937_64 rng{0x10b0ULL + static_cast<std::uint64_t>(radius)};
      for (auto q = 0U; q < 150U; ++q) {
        auto const from = served[rng() % served.size()];
        auto const to = served[rng() % served.size()];
        auto const t = static_cast<seconds_t>(5 * 3600 + rng() % (18 * 3600));
        auto const slack = q % 2 == 0 ? 0 : 120;
        auto const want = net.query(from, to, t, slack, 8);
        if (!want.reachable) continue;
        std::vector<lb_seed> const dst{{stop_of[to], 0U}}, src{{stop_of[from], 0U}};
        to_dst.compute(idx.lb_graph(), lb_direction::to_seeds, dst);
        from_src.compute(idx.lb_graph(), lb_direction::from_seeds, src);
        auto const travel = want.arrival - t;
        auto const lb1 = static_cast<std::int64_t>(to_dst[stop_of[from]]);
        auto const lb2 = static_cast<std::int64_t>(from_src[stop_of[to]]);
        ++checked;
        tightness +=
            travel > 0 ? static_cast<double>(std::min<std::int64_t>(lb1, travel)) / static_cast<double>(travel) : 1.0;
        // A clamped bound (65,535) stands for "at least that", so it may only meet journeys as long.
        if (lb1 > travel || lb1 != lb2) {
          ++bad;
          if (examples.size() < 5) {
            examples.push_back(net.stops[from].id + " -> " + net.stops[to].id + " at " + std::to_string(t) +
                               ": travel " + std::to_string(travel) + " s, bounds " + std::to_string(lb1) + " / " +
                               std::to_string(lb2));
          }
        }
      }
    }
    std::string all;
    for (auto const& e : examples) all += "\n  " + e;
    INFO(name << ": " << checked << " reachable queries" << all);
    CHECK(checked > 100U);
    CHECK(bad == 0U);
    WARN(name << ": " << checked << " queries, bound / travel time on average "
              << (checked > 0U ? tightness / checked : 0.0));
  }
}

TEST_CASE("routers give the same journeys with the table of bounds and with the per-query sweep", "[reference]") {
  // The table (timetables up to table_max_stops stops) only saves the sweep: every answer must
  // be the one the sweep gives. Default options (walking links), forward, arrive-by and range.
  for (auto const* name : {"hachinohe", "portoalegre"}) {
    auto const l = test::load_case(name);
    if (!l) continue;
    INFO(name);
    auto const& tt = l->tt;
    index const with_table{tt};
    index const without{tt, 0U};
    REQUIRE(!with_table.lb_graph().to_stop(stop_idx{0}).empty());
    REQUIRE(without.lb_graph().to_stop(stop_idx{0}).empty());
    router a{with_table}, b{without};
    auto const date = test::parse_date(test::find_case(name).date);
    std::vector<stop_idx> served;
    for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
      if (!tt.stop_routes[s].empty()) served.push_back(s);
    }
    std::mt19937_64 rng{0x7ab1e};
    options const opt;
    auto differ = 0U, reachable = 0U, reachable_sets = 0U;
    for (auto q = 0U; q < 60U; ++q) {
      auto const from = place::at_stop(served[rng() % served.size()]);
      auto const to = place::at_stop(served[rng() % served.size()]);
      auto const t = static_cast<seconds_t>(5 * 3600 + rng() % (17 * 3600));
      for (auto const fwd : {true, false}) {
        auto found = false;
        differ += test::same_search(tt, a, b, fwd, from, to, date, t, opt, found) ? 0U : 1U;
        reachable += found ? 1U : 0U;
      }
      differ += test::same_range(a, b, from, to, date, t, t + 3600, opt) ? 0U : 1U;
      // Sets of stops (a place's poles), of 2 to 6: up to lower_bounds::table_max_seeds the
      // bounds are the table's rows or columns, above it the sweep's.
      std::vector<stop_idx> from_set, to_set;
      for (auto i = 0U; i < 2U + q % 5U; ++i) from_set.push_back(served[rng() % served.size()]);
      for (auto i = 0U; i < 2U + (q / 5U) % 5U; ++i) to_set.push_back(served[rng() % served.size()]);
      std::sort(from_set.begin(), from_set.end());
      from_set.erase(std::unique(from_set.begin(), from_set.end()), from_set.end());
      std::sort(to_set.begin(), to_set.end());
      to_set.erase(std::unique(to_set.begin(), to_set.end()), to_set.end());
      for (auto const fwd : {true, false}) {
        auto found = false;
        differ +=
            test::same_search(tt, a, b, fwd, place::at_stops(from_set), place::at_stops(to_set), date, t, opt, found)
                ? 0U
                : 1U;
        reachable_sets += found ? 1U : 0U;
      }
    }
    CHECK(reachable > 60U);
    CHECK(reachable_sets > 60U);
    CHECK(differ == 0U);
  }
}

TEST_CASE("a lower-bound graph stored as bytes gives the same bounds, a damaged or foreign one is rebuilt",
          "[reference][snapshot]") {
  for (auto const* name : {"hachinohe", "portoalegre"}) {
    auto const l = test::load_case(name);
    if (!l) continue;
    INFO(name);
    auto const& tt = l->tt;
    // With the table of bounds to every stop (the default for these sizes) and without it; Porto
    // Alegre (4,011 stops) without, to keep the test short under ASan.
    auto const with_table = std::string_view{name} == "hachinohe";
    for (auto const table_max : {with_table ? lower_bound_graph::table_max_stops : std::size_t{16}, std::size_t{16}}) {
      INFO("table_max_stops " << table_max);
      index const built{tt, table_max};
      REQUIRE(!built.lb_graph_stored());
      auto const bytes = built.lb_graph().to_bytes();

      // Through a snapshot, as `nebuta import` writes it and `serve --snapshot` reads it.
      std::vector<snapshot_section> const sections{{std::string{lower_bound_graph::snapshot_section_name}, bytes}};
      std::vector<snapshot_section> read_back;
      auto const tt2 = read_snapshot(write_snapshot(tt, sections), &read_back);
      REQUIRE(read_back.size() == 1U);
      CHECK(read_back[0].name == lower_bound_graph::snapshot_section_name);
      auto const stored = lower_bound_graph::from_bytes(read_back[0].bytes, tt2.n_stops(), table_max);
      REQUIRE(stored.has_value());
      CHECK((stored->to_bytes() == bytes));
      CHECK(stored->build_stats().n_shortcuts == built.lb_graph().build_stats().n_shortcuts);

      // Bounds (per-query sweeps in both directions and the table's rows) equal the built graph's.
      lower_bounds a, b;
      std::mt19937_64 rng{0x5eed};
      std::size_t differ = 0;
      for (auto q = 0U; q < 30U; ++q) {
        std::vector<lb_seed> const seeds{{stop_idx{static_cast<std::uint32_t>(rng() % tt.n_stops())}, 0U}};
        auto const dir = q % 2 == 0 ? lb_direction::to_seeds : lb_direction::from_seeds;
        a.compute(built.lb_graph(), dir, seeds);
        b.compute(*stored, dir, seeds);
        differ += std::equal(a.values().begin(), a.values().end(), b.values().begin()) ? 0U : 1U;
        auto const ra = built.lb_graph().to_stop(seeds[0].stop);
        auto const rb = stored->to_stop(seeds[0].stop);
        CHECK(ra.size() == rb.size());
        differ += std::equal(ra.begin(), ra.end(), rb.begin(), rb.end()) ? 0U : 1U;
      }
      CHECK(differ == 0U);

      // An index given the stored bytes uses them (and answers like the built one).
      index const from_stored{tt2, stored_index::find(read_back)};
      if (table_max == lower_bound_graph::table_max_stops) CHECK(from_stored.lb_graph_stored());

      // Another stop count, another table limit, a truncated or extended image: rebuilt.
      CHECK(!lower_bound_graph::from_bytes(bytes, tt.n_stops() + 1U, table_max));
      CHECK(!lower_bound_graph::from_bytes(bytes, tt.n_stops(),
                                           table_max == 16U ? lower_bound_graph::table_max_stops : 16U));
      for (auto const cut : {std::size_t{0}, std::size_t{7}, bytes.size() / 3, bytes.size() - 1}) {
        CHECK(!lower_bound_graph::from_bytes(std::span{bytes}.first(cut), tt.n_stops(), table_max));
      }
      auto longer = bytes;
      longer.push_back('\0');
      CHECK(!lower_bound_graph::from_bytes(longer, tt.n_stops(), table_max));
      // Damaged arc heads or offsets are refused by the shape checks, never read out of bounds.
      std::mt19937_64 flip{7};
      for (auto i = 0U; i < 200U; ++i) {
        auto damaged = bytes;
        damaged[flip() % damaged.size()] ^= static_cast<char>(1U << (flip() % 8));
        auto const g = lower_bound_graph::from_bytes(damaged, tt.n_stops(), table_max);
        if (!g) continue;
        lower_bounds scratch;
        std::vector<lb_seed> const seeds{{stop_idx{static_cast<std::uint32_t>(flip() % tt.n_stops())}, 0U}};
        scratch.compute(*g, lb_direction::to_seeds, seeds);  // ASan: in bounds
        scratch.compute(*g, lb_direction::from_seeds, seeds);
      }
    }
  }
}
