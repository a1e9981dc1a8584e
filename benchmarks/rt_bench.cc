// Realtime (issue 14): apply times and the VehiclePositions estimator's error.
//   bench_rt apply FEED_DIR PB [--runs N]          decode + build + publish one TripUpdates file
//   bench_rt apply-all --date D FEED [--runs N]    a synthetic update touching every trip of D
//   bench_rt estimator --date D FEED [--noise M] [--gap S] [--seed S] [--from H] [--to H] [--decay S]
//                                                   simulated day: error of the next 5 arrivals
//   bench_rt versus-tu FEED_DIR VP_PB TU_PB        estimates from positions vs the producer's TripUpdates
//   bench_rt replay --date D FEED [--every S]      a simulated day's snapshots (TripUpdates and
//                                                   VehiclePositions, as bytes) applied to a store
// Times are thread CPU time (the machine is shared), p50/p90/max over the runs.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_timing.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/build.h"
#include "nebuta/rt/simulate.h"
#include "nebuta/rt/store.h"
#include "nebuta/rt/vehicle_tracker.h"

using namespace nebuta;

namespace {

double thread_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string read_all(std::string const& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::exit(2);
  }
  std::string out;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

struct loaded {
  gtfs_import::load_result tt;
  std::unique_ptr<rt::context> ctx;
  std::unique_ptr<gtfs_rt::resolver> ids;
  explicit loaded(std::string const& path) {
    std::vector<gtfs_import::feed_spec> const specs{gtfs_import::parse_feed_arg(path)};
    tt = gtfs_import::load(specs);
    ctx = std::make_unique<rt::context>(tt.tt, gtfs_rt::read_schedule_extras(specs, tt.tt));
    ids = std::make_unique<gtfs_rt::resolver>(*ctx);
  }
};

void report_times(char const* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  std::printf("| %s | %zu | %.3f | %.3f | %.3f |\n", what, ms.size(), nebuta::bench::sorted_percentile(ms, 0.5),
              nebuta::bench::sorted_percentile(ms, 0.9), ms.back());
}

int apply_file(std::string const& feed, std::string const& pb, int runs) {
  loaded const l{feed};
  auto const bytes = read_all(pb);
  std::vector<double> decode_ms, total_ms;
  std::size_t entities = 0;
  for (auto r = 0; r < runs; ++r) {
    rt::store st{*l.ctx};
    auto const src = st.add_source("rt");
    auto const t0 = thread_ms();
    auto d = gtfs_rt::decode(bytes, *l.ids);
    auto const t1 = thread_ms();
    entities = d.message->entities;
    auto const now = d.message->timestamp.value_or(0);
    st.apply(src, std::move(*d.message), now);
    auto const t2 = thread_ms();
    decode_ms.push_back(t1 - t0);
    total_ms.push_back(t2 - t0);
  }
  std::printf("%s: %zu entities\n| step | runs | p50 ms | p90 ms | max ms |\n|---|---|---|---|---|\n", pb.c_str(),
              entities);
  report_times("decode", decode_ms);
  report_times("decode + build + publish", total_ms);
  return 0;
}

int apply_all(std::string const& feed, date_t date, int runs) {
  loaded const l{feed};
  auto const& tt = l.tt.tt;
  auto const day = tt.day_of(date);
  if (!day) return 2;
  // Every trip of the day: +120 s from its first stop, +60 s from the middle stop.
  rt::feed_message m;
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (!tt.trip_active(t, day->v())) continue;
    rt::trip_update u;
    u.entity_id = std::to_string(t.v());
    u.trip = t;
    u.start_date = date;
    auto const n = l.ctx->n_stops(t);
    rt::stop_time_update a, b;
    a.stop = l.ctx->stops(t)[0];
    a.departure.delay = 120;
    b.stop = l.ctx->stops(t)[n / 2];
    b.arrival.delay = 60;
    u.stops.push_back(a);
    if (n / 2 > 0) u.stops.push_back(b);
    m.trip_updates.push_back(std::move(u));
  }
  auto const now = l.ctx->day_base(trip_idx{0}, *day) + 12 * 3600;
  m.timestamp = now;
  // As bytes, the way a feed delivers it.
  auto const bytes = gtfs_rt::encode(m, tt);
  std::vector<double> ms, total;
  std::size_t applied = 0, moved = 0;
  for (auto r = 0; r < runs; ++r) {
    rt::store st{*l.ctx};
    auto const src = st.add_source("all");
    auto const t0 = thread_ms();
    auto d = gtfs_rt::decode(bytes, *l.ids);
    auto const t1 = thread_ms();
    st.apply(src, std::move(*d.message), now);
    auto const t2 = thread_ms();
    ms.push_back(t2 - t1);
    total.push_back(t2 - t0);
    applied = st.current()->stats().applied;
    moved = st.current()->stats().overtaking;
  }
  std::printf(
      "%zu trip updates (every trip of %s, %zu bytes), %zu trip-days applied, %zu moved for order\n"
      "| step | runs | p50 ms | p90 ms | max ms |\n|---|---|---|---|---|\n",
      m.trip_updates.size(), civil::format_date(date).c_str(), bytes.size(), applied, moved);
  report_times("build + publish", ms);
  report_times("decode + build + publish", total);
  return 0;
}

int estimator(std::string const& feed, date_t date, rt::sim_options so, rt::tracker_options to, seconds_t gap,
              int from_h, int to_h) {
  loaded const l{feed};
  rt::day_simulation const sim{*l.ctx, date, so};
  auto const day = l.tt.tt.day_of(date);
  if (!day) return 2;
  auto const base = l.ctx->day_base(trip_idx{0}, *day);
  auto const t0 = thread_ms();
  auto const e = rt::measure_estimator(sim, *l.ctx, to, gap, base + from_h * 3600, base + to_h * 3600);
  auto const ms = thread_ms() - t0;
  std::printf(
      "| noise m | gap s | decay s | instants | positions | running | estimated | wrong trip | samples | median s | p90 s | p99 s | schedule median s | schedule p90 s | cpu s |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %.0f | %d | %d | %llu | %llu | %llu | %llu | %llu | %zu | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f |\n",
              so.gps_noise_m, gap, to.decay_horizon_s, static_cast<unsigned long long>(e.instants),
              static_cast<unsigned long long>(e.positions), static_cast<unsigned long long>(e.running),
              static_cast<unsigned long long>(e.estimated), static_cast<unsigned long long>(e.wrong_trip),
              e.abs_error_s.size(), e.percentile(0.5), e.percentile(0.9), e.percentile(0.99),
              rt::estimator_error::percentile_of(e.schedule_abs_error_s, 0.5),
              rt::estimator_error::percentile_of(e.schedule_abs_error_s, 0.9), ms / 1e3);
  std::fprintf(stderr, "skipped:");
  for (auto i = 0U; i < rt::n_skip_reasons; ++i) {
    if (e.skipped.n[i] != 0)
      std::fprintf(stderr, " %s=%llu", rt::skip_reason_names[i].data(), static_cast<unsigned long long>(e.skipped.n[i]));
  }
  std::fprintf(stderr, "\n");
  return 0;
}

int versus_tu(std::string const& feed, std::string const& vp_pb, std::string const& tu_pb, rt::tracker_options const& to) {
  loaded const l{feed};
  auto const vp = gtfs_rt::decode(read_all(vp_pb), *l.ids);
  auto const tu = gtfs_rt::decode(read_all(tu_pb), *l.ids);
  if (!vp.message || !tu.message) return 2;
  rt::vehicle_tracker tracker{*l.ctx, to};
  rt::skip_counts sk;
  tracker.update(vp.message->vehicles, vp.message->timestamp, sk);
  auto const est = tracker.estimates(vp.message->timestamp.value_or(0));
  // The producer's predictions, applied like any TripUpdate (its own propagation).
  rt::build_input in;
  for (auto const& u : tu.message->trip_updates) in.trip_updates.push_back({&u, 0, tu.message->timestamp});
  in.now = tu.message->timestamp.value_or(0);
  auto const st = rt::build_state(*l.ctx, in);
  std::vector<double> err;
  auto matched = 0;
  auto const now = vp.message->timestamp.value_or(0);
  for (auto const& e : est) {
    auto const d = l.tt.tt.day_of(*e.start_date);
    auto const* ts = st->find(e.trip, *d);
    if (ts == nullptr) continue;
    ++matched;
    auto const base = l.ctx->day_base(e.trip, *d);
    auto const times = st->times(*ts);
    auto taken = 0;
    for (auto i = 0U; i < times.size() && taken < 5; ++i) {
      // The next stops as the position says: those the vehicle has not reached.
      if (!e.stops[i].arrival.time || *e.stops[i].arrival.time <= now) continue;
      err.push_back(std::abs(static_cast<double>(*e.stops[i].arrival.time - (base + times[i].arrival))));
      ++taken;
    }
  }
  std::sort(err.begin(), err.end());
  std::printf(
      "| vehicles | estimates | matched with a TripUpdate | samples | median s | p90 s | max s |\n|---|---|---|---|---|---|---|\n");
  std::printf("| %zu | %zu | %d | %zu | %.0f | %.0f | %.0f |\n", vp.message->vehicles.size(), est.size(), matched,
              err.size(), err.empty() ? 0.0 : err[err.size() / 2],
              err.empty() ? 0.0 : err[std::min(err.size() - 1, err.size() * 9 / 10)], err.empty() ? 0.0 : err.back());
  return 0;
}

int replay(std::string const& feed, date_t date, seconds_t every) {
  loaded const l{feed};
  rt::day_simulation const sim{*l.ctx, date, {}};
  rt::store st{*l.ctx};
  auto const tu_src = st.add_source("tu"), vp_src = st.add_source("vp");
  std::vector<double> tu_ms, vp_ms;
  std::size_t tu_bytes = 0, vp_bytes = 0, n = 0;
  for (auto at = sim.first_report(); at <= sim.last_report(); at += every, ++n) {
    auto const tu = gtfs_rt::encode(sim.trip_updates(at), l.tt.tt);
    auto const vp = gtfs_rt::encode(sim.vehicle_positions(at), l.tt.tt);
    tu_bytes = std::max(tu_bytes, tu.size());
    vp_bytes = std::max(vp_bytes, vp.size());
    auto t0 = thread_ms();
    st.apply(tu_src, std::move(*gtfs_rt::decode(tu, *l.ids).message), at);
    tu_ms.push_back(thread_ms() - t0);
    t0 = thread_ms();
    st.apply(vp_src, std::move(*gtfs_rt::decode(vp, *l.ids).message), at);
    vp_ms.push_back(thread_ms() - t0);
  }
  auto const srcs = st.sources();
  std::printf(
      "%zu snapshots every %d s (largest: TripUpdates %zu bytes, VehiclePositions %zu bytes); last state: "
      "%llu trip-days, %llu moved for order\n| source | applies | p50 ms | p90 ms | max ms |\n|---|---|---|---|---|\n",
      n, every, tu_bytes, vp_bytes, static_cast<unsigned long long>(st.current()->stats().applied),
      static_cast<unsigned long long>(st.current()->stats().overtaking));
  report_times("TripUpdates: decode + merge + build + publish", tu_ms);
  report_times("VehiclePositions: decode + track + build + publish", vp_ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: see the header of benchmarks/rt_bench.cc\n");
    return 2;
  }
  std::string const mode = argv[1];
  std::vector<std::string> pos;
  int runs = 20, from_h = 6, to_h = 22;
  std::optional<date_t> date;
  rt::sim_options so;
  rt::tracker_options to;
  seconds_t gap = 30, every = 15;
  for (int i = 2; i < argc; ++i) {
    std::string const a = argv[i];
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (a == "--runs") runs = std::stoi(next());
    else if (a == "--date") date = civil::parse_date(next());
    else if (a == "--noise") so.gps_noise_m = std::stod(next());
    else if (a == "--gap") gap = std::stoi(next());
    else if (a == "--seed") so.seed = std::stoull(next());
    else if (a == "--from") from_h = std::stoi(next());
    else if (a == "--to") to_h = std::stoi(next());
    else if (a == "--decay") to.decay_horizon_s = std::stoi(next());
    else if (a == "--every") every = std::stoi(next());
    else pos.push_back(a);
  }
  so.report_min_s = so.report_max_s = gap;
  if (mode == "apply" && pos.size() == 2) return apply_file(pos[0], pos[1], runs);
  if (mode == "apply-all" && pos.size() == 1 && date) return apply_all(pos[0], *date, runs);
  if (mode == "estimator" && pos.size() == 1 && date) return estimator(pos[0], *date, so, to, gap, from_h, to_h);
  if (mode == "versus-tu" && pos.size() == 3) return versus_tu(pos[0], pos[1], pos[2], to);
  if (mode == "replay" && pos.size() == 1 && date) return replay(pos[0], *date, every);
  std::fprintf(stderr, "bad arguments; see the header of benchmarks/rt_bench.cc\n");
  return 2;
}
