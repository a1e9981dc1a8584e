// Earliest arrival with a realtime overlay against the same queries on the timetable alone
// (issue 14: p50 with 30 % of the trips delayed at most 1.2x the p50 without).
//   bench_rt_plan --date YYYY-MM-DD [--queries N] [--share F] [--recover] [--rounds R] [--seed S] FEED
// The overlay delays a seeded random share of the day's trips by 1-10 minutes from their first
// stop (held to the end, as GTFS-RT propagation says); --recover makes half of them recover half
// of it at their middle stop, so that rides become faster than the timetable's and the router's
// lower bounds are lowered. Queries: pairs of served stops, departures 06:00-21:00 (seed 42).
// The timetable pass and the realtime pass alternate R times over the same queries on one router
// (thread CPU time per query); the first realtime query after the state is published, which
// derives the router's per-state tables, is reported on its own.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/raptor/router.h"
#include "nebuta/rt/build.h"

using namespace nebuta;

namespace {

using nebuta::bench::percentile;
using nebuta::bench::thread_cpu_us;

struct query {
  stop_idx from, to;
  seconds_t t;
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t n_queries = 2000;
  double share = 0.3;
  bool recover = false;
  int rounds = 3;
  unsigned seed = 42;
  std::optional<date_t> date;
  std::string feed;
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (a == "--queries") n_queries = std::stoul(next());
    else if (a == "--share") share = std::stod(next());
    else if (a == "--recover") recover = true;
    else if (a == "--rounds") rounds = std::stoi(next());
    else if (a == "--seed") seed = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--date") date = civil::parse_date(next());
    else feed = a;
  }
  if (!date || feed.empty() || n_queries == 0 || rounds < 1) {
    std::fprintf(stderr, "usage: bench_rt_plan --date YYYY-MM-DD [--queries N] [--share F] [--recover] FEED\n");
    return 2;
  }
  std::vector<gtfs_import::feed_spec> const specs{gtfs_import::parse_feed_arg(feed)};
  auto const loaded = gtfs_import::load(specs);
  auto const& tt = loaded.tt;
  rt::context const ctx{tt, gtfs_rt::read_schedule_extras(specs, tt)};
  auto const day = tt.day_of(*date);
  if (!day) {
    std::fprintf(stderr, "date outside the timetable\n");
    return 2;
  }

  // The overlay: a share of the day's trips late by 1-10 minutes.
  std::mt19937_64 rng{seed};
  std::vector<rt::trip_update> updates;
  std::size_t running = 0;
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (!tt.trip_active(t, day->v())) continue;
    ++running;
    if (std::uniform_real_distribution<double>{0.0, 1.0}(rng) >= share) continue;
    auto const delay = static_cast<std::int32_t>(60 + rng() % 541);
    rt::trip_update u;
    u.entity_id = std::to_string(t.v());
    u.trip = t;
    u.start_date = *date;
    rt::stop_time_update first;
    first.stop = ctx.stops(t)[0];
    first.arrival.delay = first.departure.delay = delay;
    u.stops.push_back(first);
    auto const n = ctx.n_stops(t);
    if (recover && rng() % 2 == 0 && n > 2) {
      rt::stop_time_update mid;
      mid.stop = ctx.stops(t)[n / 2];
      mid.arrival.delay = mid.departure.delay = delay / 2;
      u.stops.push_back(mid);
    }
    updates.push_back(std::move(u));
  }
  rt::build_input in;
  for (auto const& u : updates) in.trip_updates.push_back({&u, 0, std::nullopt});
  in.now = ctx.day_base(trip_idx{0}, *day) + 12 * 3600;
  auto const t_build = thread_cpu_us();
  auto const state = rt::build_state(ctx, in);
  auto const build_ms = (thread_cpu_us() - t_build) / 1e3;

  // Queries between served stops.
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  std::mt19937_64 qrng{42};
  std::vector<query> qs;
  for (auto i = 0U; i < n_queries; ++i) {
    qs.push_back({served[qrng() % served.size()], served[qrng() % served.size()],
                  static_cast<seconds_t>(6 * 3600 + qrng() % (15 * 3600))});
  }

  raptor::index const idx{tt};
  raptor::router r{idx};
  raptor::options schedule_opt, rt_opt;
  rt_opt.realtime = state.get();
  auto const run = [&](raptor::options const& o, std::vector<double>& us, std::vector<seconds_t>& answers) {
    answers.clear();
    for (auto const& q : qs) {
      auto const t0 = thread_cpu_us();
      auto const res = r.earliest_arrival(raptor::place::at_stop(q.from), raptor::place::at_stop(q.to), *date, q.t, o);
      us.push_back(thread_cpu_us() - t0);
      answers.push_back(res.reachable ? res.time : -1);
    }
  };
  // Warm the timetable pass; then time the first realtime query (per-state tables) alone.
  std::vector<double> schedule_us, rt_us, warm;
  std::vector<seconds_t> schedule_ans, rt_ans;
  run(schedule_opt, warm, schedule_ans);
  auto const t_first = thread_cpu_us();
  r.earliest_arrival(raptor::place::at_stop(qs[0].from), raptor::place::at_stop(qs[0].to), *date, qs[0].t, rt_opt);
  auto const first_us = thread_cpu_us() - t_first;
  for (auto k = 0; k < rounds; ++k) {
    run(schedule_opt, schedule_us, schedule_ans);
    run(rt_opt, rt_us, rt_ans);
  }
  std::size_t changed = 0;
  for (auto i = 0U; i < qs.size(); ++i) changed += schedule_ans[i] != rt_ans[i] ? 1U : 0U;

  auto const& s = state->stats();
  std::printf(
      "%s %s: %zu of %zu running trips delayed%s; state built in %.1f ms: %llu trip-days, %llu moved for order, "
      "%zu extra routes, lower-bound slack %s s; first realtime query %.0f µs; %zu of %zu answers changed\n",
      specs[0].name.c_str(), civil::format_date(*date).c_str(), updates.size(), running,
      recover ? " (half recovering half at mid-trip)" : "", build_ms, static_cast<unsigned long long>(s.applied),
      static_cast<unsigned long long>(s.overtaking), state->extra_routes().size(),
      state->lower_bound_slack() ? std::to_string(*state->lower_bound_slack()).c_str() : "none", first_us, changed,
      qs.size());
  std::printf("| pass | queries | p50 µs | p90 µs | p99 µs |\n|---|---|---|---|---|\n");
  std::printf("| timetable | %zu | %.1f | %.1f | %.1f |\n", schedule_us.size(), percentile(schedule_us, 0.5),
              percentile(schedule_us, 0.9), percentile(schedule_us, 0.99));
  std::printf("| realtime | %zu | %.1f | %.1f | %.1f |\n", rt_us.size(), percentile(rt_us, 0.5), percentile(rt_us, 0.9),
              percentile(rt_us, 0.99));
  std::printf("p50 ratio realtime / timetable: %.3f\n", percentile(rt_us, 0.5) / percentile(schedule_us, 0.5));
  return 0;
}
