// The router in GTFS-literal mode against the independent reference (reference.h) on every
// feed of ../shared/data, plus arrive-by, range and Pareto answers checked against repeated
// earliest-arrival queries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>

#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"
#include "reference.h"
#include "shared_data.h"
#include "shared_feeds.h"

using namespace nebuta;
using namespace nebuta::raptor;
using test::feed_case;
using test::feed_cases;
using test::load_case;
using test::loaded_feeds;
using test::parse_date;

namespace {

constexpr unsigned ref_max_legs = 16;

std::string describe(loaded_feeds const& l, test::ref::network const& net, std::uint32_t from, std::uint32_t to,
                     seconds_t t, seconds_t slack) {
  std::ostringstream o;
  o << net.stops[from].feed << ":" << net.stops[from].id << " -> " << net.stops[to].feed << ":" << net.stops[to].id
    << " at " << t << " slack " << slack;
  (void)l;
  return o.str();
}

struct query {
  std::uint32_t from, to;
  seconds_t t;
  seconds_t slack;
};

// Returns the number of disagreements.
void compare_with_reference(feed_case const& fc, unsigned n_queries) {
  auto const t0 = std::chrono::steady_clock::now();
  auto const l = load_case(fc);
  if (!l) return;
  auto const date = parse_date(fc.date);
  index const idx{l->tt};
  router r{idx};
  journey j;

  for (auto const radius : {0.0, 300.0}) {
    test::ref::network net{l->inputs, date, radius, 1.2};
    std::vector<stop_idx> map(net.stops.size(), stop_idx::invalid());
    for (auto s = stop_idx{0}; s.v() < l->tt.n_stops(); ++s) {
      auto const ri = net.find(l->tt.stop_feed[s].v(), l->tt.strings[l->tt.stop_ids[s]]);
      if (ri) map[*ri] = s;
    }
    std::vector<std::uint32_t> served, all;
    for (auto i = 0U; i < net.stops.size(); ++i) {
      if (!map[i].valid()) continue;
      all.push_back(i);
      if (net.stops[i].served) served.push_back(i);
    }
    INFO(fc.name << " radius " << radius << ": " << all.size() << " of " << net.stops.size()
                 << " stops in the timetable, " << served.size() << " served");
    CHECK(all.size() == net.stops.size());
    if (all.empty()) continue;
    if (served.empty()) served = all;

    std::mt19937_64 rng{0x5eed0000ULL + static_cast<std::uint64_t>(radius) + std::hash<std::string_view>{}(fc.name)};
    auto const pick = [&]() {
      auto const& v = (rng() % 10 == 0) ? all : served;
      return v[rng() % v.size()];
    };
    unsigned mismatches = 0, reachable = 0, legs_total = 0, seated = 0;
    std::vector<std::string> examples;
    for (auto q = 0U; q < n_queries; ++q) {
      auto const from = pick();
      auto const to = (q % 50 == 0) ? from : pick();
      auto const t = static_cast<seconds_t>(rng() % (30 * 3600));
      auto const slack = static_cast<seconds_t>(q % 4 == 3 ? 120 : 0);
      auto const full = q % 5 == 0;  // the whole Pareto profile is compared on these
      auto const want = net.query(from, to, t, slack, ref_max_legs, full);

      options o;
      o.gtfs_literal = true;
      o.max_legs = ref_max_legs;
      o.walk_radius_m = radius;
      o.transfer_slack_s = slack;
      auto const got = r.earliest_arrival(place::at_stop(map[from]), place::at_stop(map[to]), date, t, o);

      std::string why;
      auto ok = got.reachable == want.reachable;
      if (ok && want.reachable) {
        ok = got.time == want.arrival && got.legs == want.legs;
        ++reachable;
        legs_total += want.legs;
      }
      // The whole Pareto profile: best arrival with at most k legs, for every k.
      if (ok && full) {
        auto next = 0U;
        auto best = static_cast<std::int64_t>(test::ref::network::inf);
        for (auto k = 0U; k <= ref_max_legs && ok; ++k) {
          while (next < got.pareto.size() && got.pareto[next].legs <= k) best = got.pareto[next++].time;
          ok = best == want.best_with_legs[k];
          if (!ok)
            why = "pareto k=" + std::to_string(k) + " got " + std::to_string(best) + " want " +
                  std::to_string(want.best_with_legs[k]);
        }
        for (auto i = 1U; i < got.pareto.size(); ++i) {
          ok = ok && got.pareto[i].legs > got.pareto[i - 1].legs && got.pareto[i].time < got.pareto[i - 1].time;
        }
      }
      // Every Pareto journey reconstructs into consistent legs.
      if (ok && got.reachable) {
        auto const pareto = std::vector<pareto_entry>(got.pareto.begin(), got.pareto.end());
        for (auto const& e : pareto) {
          ok = ok && r.reconstruct(e.legs, j) && j.rides == e.legs && j.arrival == e.time && j.departure >= t;
          seated += ok && std::any_of(j.legs.begin(), j.legs.end(), [](leg const& lg) { return lg.stay_seated; });
          if (!ok && why.empty())
            why = "reconstruct " + std::to_string(e.legs) + ": rides " + std::to_string(j.rides) + " arr " +
                  std::to_string(j.arrival) + " dep " + std::to_string(j.departure);
          for (auto x = 0U; ok && x < j.legs.size(); ++x) {
            auto const& lg = j.legs[x];
            ok = lg.end >= lg.start;
            if (x > 0U) {
              auto const& prev = j.legs[x - 1];
              ok = ok && prev.to == lg.from;
              // Staying on board needs no change time.
              auto const need = prev.kind == leg_kind::ride && lg.kind == leg_kind::ride && !lg.stay_seated ? slack : 0;
              ok = ok && prev.end + need <= lg.start;
              ok = ok && !(prev.kind == leg_kind::walk && lg.kind == leg_kind::walk);
            }
            if (lg.kind == leg_kind::ride) {
              // A continuation is neither a boarding nor an alighting where the vehicle runs on.
              auto const seated_on = x + 1 < j.legs.size() && j.legs[x + 1].stay_seated;
              ok = ok && (lg.stay_seated || l->tt.can_board(lg.route, lg.board_pos)) &&
                   (seated_on || l->tt.can_alight(lg.route, lg.alight_pos));
              ok = ok &&
                   (!lg.stay_seated || (x > 0U && j.legs[x - 1].kind == leg_kind::ride && lg.board_pos == 0U &&
                                        j.legs[x - 1].alight_pos + 1U == l->tt.route_stops[j.legs[x - 1].route].size()));
            }
          }
        }
      }
      if (!ok) {
        ++mismatches;
        if (examples.size() < 8) {
          std::ostringstream m;
          m << describe(*l, net, from, to, t, slack) << ": want "
            << (want.reachable ? std::to_string(want.arrival) + "/" + std::to_string(want.legs) : "-") << " got "
            << (got.reachable ? std::to_string(got.time) + "/" + std::to_string(got.legs) : "-") << " " << why;
          if (want.reachable) {
            m << " | reference journey: " << net.explain(to, want.legs, net.foot_label(to, want.legs) == want.arrival);
          }
          examples.push_back(m.str());
        }
      }
    }
    for (auto const& e : examples) UNSCOPED_INFO(e);
    INFO(fc.name << " radius " << radius << ": " << n_queries << " queries, " << reachable << " reachable, mean legs "
                 << (reachable ? static_cast<double>(legs_total) / reachable : 0.0));
    CHECK(mismatches == 0U);
    WARN(fc.name << " radius " << radius << ": " << mismatches << " mismatches of " << n_queries << ", " << reachable
                 << " reachable, " << seated << " Pareto journeys staying seated");
  }
  WARN(fc.name << ": " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s");
}

unsigned queries_per_radius() {
  if (auto const* n = std::getenv("NEBUTA_RAPTOR_QUERIES")) return static_cast<unsigned>(std::atoi(n));
  return 500;
}

}  // namespace

TEST_CASE("raptor literal mode equals the reference on every shared feed", "[reference]") {
  auto const only = std::getenv("NEBUTA_RAPTOR_FEED");
  for (auto const& fc : feed_cases()) {
    if (only != nullptr && std::string_view{only} != fc.name) continue;
    compare_with_reference(fc, queries_per_radius());
  }
}

namespace {

// Arrive-by, range and Pareto answers against repeated earliest-arrival queries.
void check_against_repeated_queries(feed_case const& fc, unsigned n_queries) {
  auto const l = load_case(fc);
  if (!l) return;
  auto const& tt = l->tt;
  auto const date = parse_date(fc.date);
  index const idx{tt};
  router r{idx};
  router ea{idx};
  std::mt19937_64 rng{42};
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  REQUIRE(!served.empty());
  unsigned bad_back = 0, bad_range = 0, n_back = 0, n_range_entries = 0, bad_mc = 0, n_mc = 0;
  std::vector<walk_pareto_entry> mc;
  std::vector<std::string> examples;
  std::vector<range_entry> entries;
  journey j;

  for (auto const radius : {0.0, 300.0}) {
    options o;
    o.gtfs_literal = true;
    o.max_legs = 8;
    o.walk_radius_m = radius;
    for (auto q = 0U; q < n_queries; ++q) {
      auto const from = place::at_stop(served[rng() % served.size()]);
      auto const to = place::at_stop(served[rng() % served.size()]);
      o.transfer_slack_s = q % 3 == 2 ? 90 : 0;

      // --- arrive-by: the latest departure t* arrives by T; departing one second later does not.
      auto const deadline = static_cast<seconds_t>(6 * 3600 + rng() % (20 * 3600));
      auto const back = r.latest_departure(from, to, date, deadline, o);
      auto const pareto_back = std::vector<pareto_entry>(back.pareto.begin(), back.pareto.end());
      if (back.reachable) {
        ++n_back;
        auto const at = ea.earliest_arrival(from, to, date, back.time, o);
        auto ok = at.reachable && at.time <= deadline;
        // Fewest legs: the first Pareto entry of the forward search that makes the deadline.
        for (auto const& e : at.pareto) {
          if (e.time <= deadline) {
            ok = ok && e.legs == back.legs;
            break;
          }
        }
        auto const later = ea.earliest_arrival(from, to, date, back.time + 1, o);
        ok = ok && (!later.reachable || later.time > deadline);
        // Pareto of the backward search: with at most k legs, departing at the entry's time
        // arrives in time, one second later does not.
        for (auto const& e : pareto_back) {
          auto ok_k = true;
          o.max_legs = e.legs;
          auto const a1 = ea.earliest_arrival(from, to, date, e.time, o);
          auto const a2 = ea.earliest_arrival(from, to, date, e.time + 1, o);
          ok_k = a1.reachable && a1.time <= deadline && (!a2.reachable || a2.time > deadline);
          o.max_legs = 8;
          ok = ok && ok_k;
        }
        REQUIRE(r.reconstruct(back.legs, j));
        ok = ok && j.departure == back.time && j.arrival <= deadline && j.rides == back.legs;
        if (!ok) {
          ++bad_back;
          if (examples.size() < 8) {
            examples.push_back("arrive-by " + std::to_string(from.stop.v()) + "->" + std::to_string(to.stop.v()) +
                               " by " + std::to_string(deadline) + ": got " + std::to_string(back.time));
          }
        }
      } else {
        auto const at = ea.earliest_arrival(from, to, date, -seconds_per_day, o);
        if (at.reachable && at.time <= deadline) {
          ++bad_back;
          examples.push_back("arrive-by unreachable but forward works: " + std::to_string(from.stop.v()) + "->" +
                             std::to_string(to.stop.v()) + " by " + std::to_string(deadline));
        }
      }

      // --- McRAPTOR (normal mode): the earliest arrival per number of legs equals the RAPTOR
      // Pareto set; every entry reconstructs with its arrival and walking time.
      if (q % 4 == 1) {
        options n;
        n.walk_radius_m = 400.0;
        n.stay_seated = false;  // McRAPTOR does not ride stay-seated continuations (docs/planner.md)
        auto const t = static_cast<seconds_t>(6 * 3600 + rng() % (14 * 3600));
        r.walk_pareto(from, to, date, t, n, mc);
        auto const a = ea.earliest_arrival(from, to, date, t, n);
        auto ok = true;
        auto best = unreachable_time;
        auto next = 0U;
        for (auto k = 0U; k <= 8U; ++k) {
          auto mc_best = unreachable_time;
          for (auto const& e : mc) {
            if (e.legs <= k) mc_best = std::min(mc_best, e.arrival);
          }
          while (next < a.pareto.size() && a.pareto[next].legs <= k) best = a.pareto[next++].time;
          ok = ok && mc_best == best;
        }
        for (auto i = 0U; i < mc.size(); ++i) {
          ok = ok && r.reconstruct_walk_pareto(i, j) && j.arrival == mc[i].arrival && j.rides == mc[i].legs;
          auto walked = 0;
          for (auto const& lg : j.legs) walked += lg.kind == leg_kind::walk ? lg.end - lg.start : 0;
          ok = ok && walked == mc[i].walk_s;
          for (auto x = 0U; x < mc.size(); ++x) {
            auto const& y = mc[x];
            ok = ok && (x == i || !(y.legs <= mc[i].legs && y.arrival <= mc[i].arrival && y.walk_s <= mc[i].walk_s));
          }
        }
        ++n_mc;
        if (!ok) {
          ++bad_mc;
          if (examples.size() < 8) {
            examples.push_back("mc " + std::to_string(from.stop.v()) + "->" + std::to_string(to.stop.v()) + " at " +
                               std::to_string(t));
          }
        }
      }

      // --- range: every entry is the earliest-arrival answer at its departure with its legs;
      // every departure in the window is answered by the entries departing no earlier.
      if (q % 2 == 0) {
        auto const w0 = static_cast<seconds_t>(5 * 3600 + rng() % (15 * 3600));
        auto const w1 = w0 + 2 * 3600;
        r.range(from, to, date, w0, w1, o, entries);
        n_range_entries += static_cast<unsigned>(entries.size());
        auto ok = true;
        std::string why;
        for (auto i = 0U; i < entries.size(); ++i) {
          auto const& e = entries[i];
          ok = ok && e.departure >= w0 && e.departure <= w1;
          if (i > 0U) ok = ok && e.departure <= entries[i - 1].departure;
          o.max_legs = e.legs;
          auto const a = ea.earliest_arrival(from, to, date, e.departure, o);
          o.max_legs = 8;
          ok = ok && a.reachable && a.time == e.arrival;
          if (!ok && why.empty()) {
            why = "entry " + std::to_string(e.departure) + "/" + std::to_string(e.arrival) + "/" +
                  std::to_string(e.legs) + " ea " + std::to_string(a.time);
          }
        }
        for (auto x = 0; x < 5; ++x) {
          auto const tau = w0 + static_cast<seconds_t>(rng() % (w1 - w0 + 1));
          auto const a = ea.earliest_arrival(from, to, date, tau, o);
          if (!a.reachable || a.legs == 0U) continue;
          REQUIRE(ea.reconstruct(a.legs, j));
          auto best = unreachable_time;
          for (auto const& e : entries) {
            if (e.departure >= tau) best = std::min(best, e.arrival);
          }
          if (j.departure <= w1) {
            ok = ok && best == a.time;
          } else {
            ok = ok && best >= a.time;
          }
          if (!ok && why.empty()) {
            why = "tau " + std::to_string(tau) + " ea " + std::to_string(a.time) + "/" + std::to_string(a.legs) +
                  " dep " + std::to_string(j.departure) + " best " + std::to_string(best);
          }
        }
        if (!ok) {
          ++bad_range;
          if (examples.size() < 8) {
            examples.push_back("range " + std::to_string(from.stop.v()) + "->" + std::to_string(to.stop.v()) + " [" +
                               std::to_string(w0) + "," + std::to_string(w1) + "] r" + std::to_string(radius) +
                               " slack " + std::to_string(o.transfer_slack_s) + " " + why);
          }
        }
      }
    }
  }
  std::string all;
  for (auto const& e : examples) all += e + "\n";
  INFO(all);
  CHECK(bad_back == 0U);
  CHECK(bad_range == 0U);
  CHECK(bad_mc == 0U);
  WARN(fc.name << ": arrive-by " << n_back << " reachable, range entries " << n_range_entries << ", McRAPTOR queries "
               << n_mc);
}

}  // namespace

TEST_CASE("raptor arrive-by and range agree with repeated earliest-arrival queries", "[reference]") {
  auto const only = std::getenv("NEBUTA_RAPTOR_FEED");
  for (auto const& fc : feed_cases()) {
    if (only != nullptr && std::string_view{only} != fc.name) continue;
    if (only == nullptr && std::string_view{fc.name} != "hachinohe" && std::string_view{fc.name} != "tampa" &&
        std::string_view{fc.name} != "portoalegre" && std::string_view{fc.name} != "bart") {
      continue;
    }
    check_against_repeated_queries(fc, 100);
  }
}

namespace {

// Tight journeys (tight.h) against the reference: each keeps the reference's best arrival for
// its number of rides, and departing one second later (with at most as many rides) the
// reference cannot arrive as early. Counts how many forward journeys the backward pass moved.
void check_tightness(feed_case const& fc, unsigned n_queries) {
  auto const l = load_case(fc);
  if (!l) return;
  auto const date = parse_date(fc.date);
  index const idx{l->tt};
  router r{idx};
  test::ref::network net{l->inputs, date, 0.0, 1.2};
  std::vector<std::uint32_t> ref_of(l->tt.n_stops(), std::numeric_limits<std::uint32_t>::max());
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < l->tt.n_stops(); ++s) {
    if (auto const ri = net.find(l->tt.stop_feed[s].v(), l->tt.strings[l->tt.stop_ids[s]])) ref_of[s.v()] = *ri;
    if (!l->tt.stop_routes[s].empty() && ref_of[s.v()] != std::numeric_limits<std::uint32_t>::max())
      served.push_back(s);
  }
  REQUIRE(!served.empty());
  options o;
  o.gtfs_literal = true;
  o.max_legs = 6;
  o.walk_radius_m = 0.0;
  std::mt19937_64 rng{0x7157ULL};
  std::vector<journey> tight;
  unsigned n_journeys = 0, moved = 0, bad = 0;
  std::vector<std::string> examples;
  for (auto q = 0U; q < n_queries; ++q) {
    auto const from = served[rng() % served.size()];
    auto const to = served[rng() % served.size()];
    auto const t = static_cast<seconds_t>(5 * 3600 + rng() % (18 * 3600));
    auto const forward = r.earliest_arrival(place::at_stop(from), place::at_stop(to), date, t, o);
    std::vector<seconds_t> forward_departure;
    for (auto const& e : forward.pareto) {
      journey j;
      forward_departure.push_back(r.reconstruct(e.legs, j) ? j.departure : -1);
    }
    tight_journeys(r, place::at_stop(from), place::at_stop(to), date, t, false, o, tight);
    for (std::size_t i = 0; i < tight.size(); ++i) {
      auto const& j = tight[i];
      if (j.rides == 0) continue;
      ++n_journeys;
      if (i < forward_departure.size() && forward_departure[i] < j.departure) ++moved;
      auto const at_t = net.query(ref_of[from.v()], ref_of[to.v()], t, 0, j.rides, true);
      auto const later = net.query(ref_of[from.v()], ref_of[to.v()], j.departure + 1, 0, j.rides, true);
      auto const ok =
          j.departure >= t && at_t.best_with_legs[j.rides] == j.arrival && later.best_with_legs[j.rides] > j.arrival;
      if (!ok) {
        ++bad;
        if (examples.size() < 5) {
          examples.push_back(describe(*l, net, ref_of[from.v()], ref_of[to.v()], t, 0) + ": departs " +
                             std::to_string(j.departure) + " arrives " + std::to_string(j.arrival) + " with " +
                             std::to_string(j.rides) + " rides; reference later " +
                             std::to_string(later.best_with_legs[j.rides]));
        }
      }
    }
  }
  std::string all_examples;
  for (auto const& e : examples) all_examples += "\n  " + e;
  INFO(fc.name << ": " << n_journeys << " journeys, " << moved << " left later after the backward pass" << all_examples);
  CHECK(n_journeys > n_queries / 4);
  CHECK(bad == 0U);
  std::printf("tightness %s: %u journeys, %u moved later by the backward pass, %u not tight\n", fc.name, n_journeys,
              moved, bad);
}

}  // namespace

TEST_CASE("raptor tight journeys: no later departure reaches the same arrival with as many rides", "[reference]") {
  auto const only = std::getenv("NEBUTA_RAPTOR_FEED");
  for (auto const& fc : feed_cases()) {
    if (only != nullptr && std::string_view{only} != fc.name) continue;
    if (only == nullptr && std::string_view{fc.name} != "hachinohe" && std::string_view{fc.name} != "tampa") continue;
    check_tightness(fc, 1000);
  }
}
