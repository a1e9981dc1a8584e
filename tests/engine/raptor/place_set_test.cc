// A place that is a set of stops (place::at_stops), searched once, against the references it must
// match: journeys worked out by hand on a small inline timetable, and on the real Hachinohe
// timetable the best over every pair of its stops searched one by one with the single-stop search
// (brute force in the test).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <tuple>

#include "mini_feed.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"
#include "shared_data.h"

using namespace nebuta;
using namespace nebuta::raptor;
using nebuta::test::hm;
using nebuta::test::mini_feed;

namespace {

stop_idx S(timetable const& tt, std::string_view id) {
  auto const s = tt.find_stop(id);
  REQUIRE(s.has_value());
  return *s;
}

// Two places of two poles each, 33 m apart (a walking link between them), 5.5 km from each other;
// M lies between them, 2.2 km from both.
//   t1  S1 08:00 -> T1 08:40
//   t2  S2 08:05 -> T2 08:30
//   t3  S1 08:10 -> M 08:15,  t4  M 08:17 -> T1 08:25
mini_feed two_pole_feed() {
  mini_feed f;
  f.add_stop("S1", 35.0, 139.0);
  f.add_stop("S2", 35.0003, 139.0);
  f.add_stop("M", 35.02, 139.0);
  f.add_stop("T1", 35.05, 139.0);
  f.add_stop("T2", 35.0503, 139.0);
  f.add_trip("t1", {{"S1", hm(8, 0)}, {"T1", hm(8, 40)}});
  f.add_trip("t2", {{"S2", hm(8, 5)}, {"T2", hm(8, 30)}});
  f.add_trip("t3", {{"S1", hm(8, 10)}, {"M", hm(8, 15)}});
  f.add_trip("t4", {{"M", hm(8, 17)}, {"T1", hm(8, 25)}});
  return f;
}

constexpr date_t mini_day = std::chrono::year{2024} / 3 / 6;  // a Wednesday

std::vector<std::string> as_text(timetable const& tt, std::vector<journey> const& js) {
  std::vector<std::string> out;
  for (auto const& j : js) out.push_back(to_string(tt, j));
  return out;
}

}  // namespace

TEST_CASE("place set: two poles each side, journeys worked out by hand", "[raptor][place_set]") {
  auto const f = two_pole_feed();
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  std::vector<stop_idx> const from{S(tt, "S1"), S(tt, "S2")}, to{S(tt, "T1"), S(tt, "T2")};
  options opt;
  std::vector<journey> js;

  // Depart at 07:50: with one ride the earliest arrival is t2's 08:30 (t1 arrives 08:40); with two
  // rides t3 + t4 arrive at 08:25. Each starts at the pole it boards: no walk between S1 and S2,
  // no leg for entering the place. t1 (08:00-08:40) is dominated by t2 on arrival and rides and is
  // not listed, though a search from S1 alone would list it.
  tight_journeys(r, place::at_stops(from), place::at_stops(to), mini_day, hm(7, 50), false, opt, js);
  CHECK(as_text(tt, js) == std::vector<std::string>{"08:05-08:30, 1 ride\n  08:05-08:30 ride t2 S2 -> T2\n",
                                                    "08:10-08:25, 2 rides\n  08:10-08:15 ride t3 S1 -> M\n"
                                                    "  08:17-08:25 ride t4 M -> T1\n"});
  REQUIRE(js.size() == 2U);
  CHECK(js[0].legs.front().from == S(tt, "S2"));

  // Arrive by 08:35: the latest departures are 08:05 with one ride and 08:10 with two.
  tight_journeys(r, place::at_stops(from), place::at_stops(to), mini_day, hm(8, 35), true, opt, js);
  CHECK(as_text(tt, js) == std::vector<std::string>{"08:05-08:30, 1 ride\n  08:05-08:30 ride t2 S2 -> T2\n",
                                                    "08:10-08:25, 2 rides\n  08:10-08:15 ride t3 S1 -> M\n"
                                                    "  08:17-08:25 ride t4 M -> T1\n"});

  // After 08:06 only t3 + t4 remain; and a set of one stop is that stop.
  tight_journeys(r, place::at_stops(from), place::at_stops(std::span{to}.first(1)), mini_day, hm(8, 6), false, opt, js);
  CHECK(as_text(tt, js) ==
        std::vector<std::string>{"08:10-08:25, 2 rides\n  08:10-08:15 ride t3 S1 -> M\n  08:17-08:25 ride t4 M -> T1\n"});

  // A range from 07:50 to 08:20: t2 leaving S2 at 08:05 (1 ride) and t3 leaving S1 at 08:10 (2
  // rides); t1 at 08:00 is dominated by t2, which leaves later and arrives earlier. Today's trips
  // only (tomorrow's t2 would add "leave at 08:10, arrive tomorrow 08:30 with one ride").
  auto today = opt;
  today.extra_days = 0;
  std::vector<range_entry> entries;
  r.range(place::at_stops(from), place::at_stops(to), mini_day, hm(7, 50), hm(8, 20), today, entries);
  std::vector<std::tuple<seconds_t, seconds_t, unsigned>> got;
  for (auto const& e : entries) got.emplace_back(e.departure, e.arrival, e.legs);
  std::sort(got.begin(), got.end());
  CHECK(got ==
        std::vector<std::tuple<seconds_t, seconds_t, unsigned>>{{hm(8, 5), hm(8, 30), 1U}, {hm(8, 10), hm(8, 25), 2U}});

  // To a coordinate 33 m north of S2 (67 m from S1): the walk starts at S2, the nearer pole.
  auto const res = r.earliest_arrival(place::at_stops(from), place::at_coord({35.0006, 139.0}), mini_day, hm(7, 50), opt);
  REQUIRE(res.reachable);
  journey walk;
  REQUIRE(r.reconstruct(0, walk));
  REQUIRE(walk.legs.size() == 1U);
  CHECK(walk.legs[0].from == S(tt, "S2"));
  CHECK(walk.legs[0].walk == walk_kind::direct);
  CHECK(walk.arrival - walk.departure == 28);  // ceil(33.4 m / 1.2 m/s)

  // The McRAPTOR search takes the set too: the same two journeys (arrival x rides), from the
  // boarded pole.
  std::vector<walk_pareto_entry> mc;
  r.walk_pareto(place::at_stops(from), place::at_stops(to), mini_day, hm(7, 50), opt, mc);
  std::vector<std::pair<unsigned, seconds_t>> mc_got;
  for (auto const& e : mc) mc_got.emplace_back(e.legs, e.arrival);
  std::sort(mc_got.begin(), mc_got.end());
  CHECK(mc_got == std::vector<std::pair<unsigned, seconds_t>>{{1U, hm(8, 30)}, {2U, hm(8, 25)}});
}

namespace {

timetable const& hachinohe(std::filesystem::path const& p) {
  static auto const loaded = gtfs_import::load({{"hachinohe", p}});
  return loaded.tt;
}

// The poles of one stop: Hachinohe's stop ids are "<stop>-<pole>" (509-01, 509-02, ...).
std::vector<std::vector<stop_idx>> multi_pole_places(timetable const& tt) {
  std::map<std::string, std::vector<stop_idx>> by_stop;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_location_type[s] != 0U) continue;
    auto const id = tt.external_stop_id(s);
    auto const dash = id.rfind('-');
    if (dash == std::string::npos) continue;
    by_stop[id.substr(0, dash)].push_back(s);
  }
  std::vector<std::vector<stop_idx>> out;
  for (auto& [_, poles] : by_stop) {
    if (poles.size() >= 2) out.push_back(std::move(poles));
  }
  return out;
}

}  // namespace

TEST_CASE("place set: Hachinohe, the best over every pole pair searched alone", "[raptor][place_set][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const& tt = hachinohe(path);
  index const idx{tt};
  router r{idx};
  date_t const date = std::chrono::year{2026} / 4 / 8;  // a Wednesday
  auto const places = multi_pole_places(tt);
  REQUIRE(places.size() > 20U);

  std::mt19937 rng{20260408};
  std::uniform_int_distribution<std::size_t> pick{0, places.size() - 1};
  std::uniform_int_distribution<seconds_t> when{hm(5, 0), hm(23, 0)};
  // extra_days = 0: one pass over today's trips (and last night's), so that the Pareto set does
  // not depend on whether today's best arrives before tomorrow's first trip (router::search).
  options opt;
  opt.extra_days = 0;
  std::vector<journey> set_js, one;
  auto n_journeys = 0U, n_compared = 0U;
  for (auto q = 0; q < 250; ++q) {
    auto const& from = places[pick(rng)];
    auto const& to = places[pick(rng)];
    if (&from == &to) continue;
    auto const t = when(rng);
    auto const arrive_by = q % 4 == 3;
    INFO("query " << q << ": " << tt.external_stop_id(from[0]) << " -> " << tt.external_stop_id(to[0]) << " at " << t
                  << (arrive_by ? " arrive by" : " depart"));
    tight_journeys(r, place::at_stops(from), place::at_stops(to), date, t, arrive_by, opt, set_js);

    // The reference: every pair of poles on its own, its Pareto journeys; per number of rides
    // the best time (arrival, or departure for arrive-by) with at most that many.
    std::map<unsigned, seconds_t> best;  // rides -> best key (smaller is better)
    for (auto const f : from) {
      for (auto const d : to) {
        tight_journeys(r, place::at_stop(f), place::at_stop(d), date, t, arrive_by, opt, one);
        for (auto const& j : one) {
          auto const key = arrive_by ? -j.departure : j.arrival;
          auto& b = best.try_emplace(j.rides, key).first->second;
          b = std::min(b, key);
        }
      }
    }
    std::vector<std::pair<unsigned, seconds_t>> front;  // strictly improving with rides
    for (auto const& [rides, key] : best) {
      if (front.empty() || key < front.back().second) front.emplace_back(rides, key);
    }
    std::vector<std::pair<unsigned, seconds_t>> got;
    for (auto const& j : set_js) got.emplace_back(j.rides, arrive_by ? -j.departure : j.arrival);
    CHECK(got == front);
    if (got != front) continue;

    // Tightened: the latest departure (arrive-by: the earliest arrival) of any pole pair with at
    // most the journey's rides that arrives by (departs from) the journey's own.
    for (auto const& j : set_js) {
      if (j.rides == 0U) continue;
      auto o = opt;
      o.max_legs = j.rides;
      std::optional<seconds_t> tight;
      for (auto const f : from) {
        for (auto const d : to) {
          auto const res = arrive_by ? r.earliest_arrival(place::at_stop(f), place::at_stop(d), date, j.departure, o)
                                     : r.latest_departure(place::at_stop(f), place::at_stop(d), date, j.arrival, o);
          if (!res.reachable) continue;
          auto const key = arrive_by ? -res.time : res.time;
          if (!tight || key > *tight) tight = key;
        }
      }
      REQUIRE(tight.has_value());
      CHECK((arrive_by ? -j.arrival : j.departure) == *tight);
      // The journey names the poles it really uses: it leaves from a pole of the origin and
      // ends at one of the destination, with no walk from one pole of a place to another (each
      // pole is entered at no cost, so such a walk is never needed).
      REQUIRE(!j.legs.empty());
      auto const in = [](std::vector<stop_idx> const& set, stop_idx s) {
        return std::find(set.begin(), set.end(), s) != set.end();
      };
      CHECK(in(from, j.legs.front().from));
      CHECK(in(to, j.legs.back().to));
      if (j.legs.front().kind != leg_kind::ride) CHECK_FALSE(in(from, j.legs.front().to));
      if (j.legs.back().kind != leg_kind::ride) CHECK_FALSE(in(to, j.legs.back().from));
      ++n_compared;
    }
    n_journeys += static_cast<unsigned>(set_js.size());
  }
  // The campaign compared journeys, not only empty answers.
  CHECK(n_compared > 150U);
  CHECK(n_journeys >= n_compared);
}

TEST_CASE("place set: Hachinohe ranges and default options against every pole pair", "[raptor][place_set][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const& tt = hachinohe(path);
  index const idx{tt};
  router r{idx};
  date_t const date = std::chrono::year{2026} / 4 / 8;
  auto const places = multi_pole_places(tt);
  std::mt19937 rng{11};
  std::uniform_int_distribution<std::size_t> pick{0, places.size() - 1};
  std::uniform_int_distribution<seconds_t> when{hm(5, 0), hm(23, 30)};
  options const opt;  // the next day's trips too
  using entry = std::tuple<seconds_t, seconds_t, unsigned>;
  std::vector<range_entry> entries;
  auto n_entries = 0U;
  for (auto q = 0; q < 60; ++q) {
    auto const& from = places[pick(rng)];
    auto const& to = places[pick(rng)];
    if (&from == &to) continue;
    auto const t = when(rng);
    INFO("query " << q << ": " << tt.external_stop_id(from[0]) << " -> " << tt.external_stop_id(to[0]) << " at " << t);

    // The earliest arrival of the place is the earliest of every pole pair's.
    auto const set_res = r.earliest_arrival(place::at_stops(from), place::at_stops(to), date, t, opt);
    std::optional<seconds_t> best;
    for (auto const f : from) {
      for (auto const d : to) {
        auto const res = r.earliest_arrival(place::at_stop(f), place::at_stop(d), date, t, opt);
        if (res.reachable && (!best || res.time < *best)) best = res.time;
      }
    }
    CHECK(set_res.reachable == best.has_value());
    if (best && set_res.reachable) CHECK(set_res.time == *best);

    // A one-hour range: the place's entries are the union of every pair's with what another
    // pair dominates (leaves no earlier, arrives no later, no more rides) taken out.
    r.range(place::at_stops(from), place::at_stops(to), date, t, t + 3600, opt, entries);
    std::vector<entry> got;
    for (auto const& e : entries) got.emplace_back(e.departure, e.arrival, e.legs);
    std::vector<entry> all;
    for (auto const f : from) {
      for (auto const d : to) {
        r.range(place::at_stop(f), place::at_stop(d), date, t, t + 3600, opt, entries);
        for (auto const& e : entries) all.emplace_back(e.departure, e.arrival, e.legs);
      }
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    std::vector<entry> want;
    for (auto const& e : all) {
      auto const dominated = std::any_of(all.begin(), all.end(), [&](entry const& o) {
        return o != e && std::get<0>(o) >= std::get<0>(e) && std::get<1>(o) <= std::get<1>(e) &&
               std::get<2>(o) <= std::get<2>(e);
      });
      if (!dominated) want.push_back(e);
    }
    std::sort(got.begin(), got.end());
    CHECK(got == want);
    n_entries += static_cast<unsigned>(got.size());
  }
  CHECK(n_entries > 50U);
}
