// Simulation speed: simulated requests per second of wall time for one service day (default:
// 10,000 requests, 50 vehicles, examples/portoalegre-feeder.json on the Porto Alegre OSM
// network), single-threaded, and a sweep of 20 such runs (fleet sizes 50..69) on all cores.
// Only sim::simulate is timed (not loading, the travel-time table, or writing files); those are
// reported separately.
//
// bench_sim [--scenario FILE] [--requests N] [--fleet N] [--runs N] [--threads N]
//           [--startup-days D [--compact-every N] [--journal FILE]]
//
// --startup-days D: instead, the scenario (its own demand and fleet) is simulated for D days
// with every dispatcher command journaled in SQLite (appended in batches of --compact-every
// commands, then compacted into a snapshot of the dispatcher's state, as the service does) and
// then the start-up of a service on that journal is timed: reading the latest snapshot,
// restoring it, replaying the commands after it. The travel model is built before, as the service
// builds it before it opens its database (its time is reported apart).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/scenario_file.h"
#include "nebuta/storage/journal.h"

using namespace nebuta;
using clk = std::chrono::steady_clock;

namespace {

double since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Simulates `days` days with a compacted journal, then times a start-up on it.
int startup_after(sim_io::scenario_file const& file, road::travel_model const& model, int days,
                  std::int64_t compact_every, std::string const& journal_path) {
  auto setup = sim_io::make_run(file, {}, std::nullopt);
  setup.sc.days = days;
  std::remove(journal_path.c_str());
  for (auto const* suffix : {"-wal", "-shm"}) std::remove((journal_path + suffix).c_str());
  struct batching_journal : dispatch::journal {
    std::vector<dispatch::command> pending;
    void record(dispatch::command const& c) override { pending.push_back(c); }
  } batch;
  std::size_t n_commands = 0, n_compactions = 0;
  double compact_s = 0;
  auto t = clk::now();
  {
    storage::sqlite_journal journal{journal_path};
    sim::sim_options opt;
    opt.journal = &batch;
    opt.after_command = [&](dispatch::dispatcher const& d) {
      if (static_cast<std::int64_t>(batch.pending.size()) < compact_every) return;
      n_commands += batch.pending.size();
      journal.record_batch(batch.pending);
      batch.pending.clear();
      auto const c0 = clk::now();
      journal.compact(d);
      compact_s += since(c0);
      ++n_compactions;
    };
    auto const res = sim::simulate(setup.sc, model, opt);
    n_commands += batch.pending.size();
    journal.record_batch(batch.pending);  // the tail after the last snapshot, as a crash leaves it
    std::printf(
        "%d days simulated in %.1f s: %zu requests, %zu served, %zu dispatcher commands, %zu compactions "
        "(%.1f s, %.0f ms each)\n",
        days, since(t), res.requests.size(), res.k.served, n_commands, n_compactions, compact_s,
        n_compactions > 0 ? 1e3 * compact_s / static_cast<double>(n_compactions) : 0.0);
  }
  // The service's start-up on that database: read, restore, replay.
  t = clk::now();
  auto const cpu0 = thread_cpu_s();
  auto contents = storage::load_journal(journal_path);
  auto const t_read = since(t);
  dispatch::dispatcher d{model, setup.sc.rules};
  std::size_t n_vehicles = 0, n_requests = 0;
  if (contents.base) {
    n_vehicles = contents.base->vehicles.size();
    n_requests = contents.base->requests.size();
    if (!d.restore(std::move(contents.base->vehicles), std::move(contents.base->requests))) {
      std::fprintf(stderr, "bench_sim: the snapshot does not restore\n");
      return 1;
    }
  }
  auto const t_restore = since(t) - t_read;
  for (auto const& c : contents.commands) d.apply(c);
  auto const wall = since(t), cpu = thread_cpu_s() - cpu0;
  std::printf(
      "start-up after %d days: wall %.3f s (read %.3f s, restore %.3f s of %zu vehicle shifts and %zu "
      "requests, replay %.3f s of %zu commands), thread CPU %.3f s; database %.1f MiB\n",
      days, wall, t_read, t_restore, n_vehicles, n_requests, wall - t_read - t_restore, contents.commands.size(), cpu,
      static_cast<double>(std::filesystem::file_size(journal_path)) / (1024.0 * 1024.0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = std::string{NEBUTA_SOURCE_DIR} + "/examples/portoalegre-feeder.json";
  double requests = 10'000;
  int fleet = 50, runs = 20;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  int startup_days = 0;
  std::int64_t compact_every = 20'000;
  std::string journal_path = "bench_sim_journal.sqlite";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string const a = argv[i];
    if (a == "--scenario") scenario = argv[i + 1];
    else if (a == "--requests") requests = std::atof(argv[i + 1]);
    else if (a == "--fleet") fleet = std::atoi(argv[i + 1]);
    else if (a == "--runs") runs = std::atoi(argv[i + 1]);
    else if (a == "--threads") threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (a == "--startup-days") startup_days = std::atoi(argv[i + 1]);
    else if (a == "--compact-every") compact_every = std::atoll(argv[i + 1]);
    else if (a == "--journal") journal_path = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  try {
    auto t = clk::now();
    auto file = sim_io::load_scenario(scenario);
    auto const transit = sim_io::load_transit(file);
    auto const t_scenario = since(t);
    t = clk::now();
    auto const models = sim_io::load_travel_model(file);
    auto const t_model = since(t);
    std::printf("scenario %s: loaded in %.2f s, travel model (graph + table) in %.2f s\n", file.base.name.c_str(),
                t_scenario, t_model);
    if (startup_days > 0) return startup_after(file, models.model(), startup_days, compact_every, journal_path);

    auto const setup = sim_io::make_run(file, {{"fleet", fleet}, {"requests_per_day", requests}}, std::nullopt);
    t = clk::now();
    auto const cpu0 = thread_cpu_s();
    auto const res = sim::simulate(setup.sc, models.model());
    auto const wall = since(t);
    auto const cpu = thread_cpu_s() - cpu0;
    std::printf("one day, 1 thread: %zu requests, %d vehicles, %zu served (%.1f %%), %zu dispatcher commands\n",
                res.requests.size(), fleet, res.k.served, 100.0 * res.k.served_rate.value_or(0), res.n_commands);
    std::printf("  wall %.3f s = %.0f requests/s; thread CPU %.3f s = %.0f requests/s\n", wall,
                static_cast<double>(res.requests.size()) / wall, cpu, static_cast<double>(res.requests.size()) / cpu);

    // With the scenario's timetable: the planning of every request's transit alternative
    // (sim/transit.h) timed on its own, thread CPU, 3 rounds over the same day's requests; and
    // what it makes of the day's requests/s (simulation CPU + planning CPU).
    if (transit) {
      sim::sim_options with;
      transit.attach(with);
      auto day = res;
      for (int round = 1; round <= 3; ++round) {
        auto const c0 = thread_cpu_s();
        sim::add_transit_alternatives(day, *with.transit_index, with.transit);
        auto const c = thread_cpu_s() - c0;
        auto const n = static_cast<double>(day.requests.size());
        std::size_t found = 0;
        for (auto const& q : day.requests) found += q.transit && q.transit->found ? 1 : 0;
        std::printf(
            "  round %d: transit alternative of %zu requests (%zu with a journey): thread CPU %.3f s = %.0f plans/s; "
            "the day with it: %.0f requests/s\n",
            round, day.requests.size(), found, c, n / c, n / (cpu + c));
      }
    }

    // Sweep: fleet sizes fleet .. fleet + runs - 1, on `threads` threads, the table shared.
    std::atomic<int> next{0};
    std::atomic<std::size_t> total_requests{0};
    std::atomic<long long> cpu_us{0};
    t = clk::now();
    auto const worker = [&] {
      auto const c0 = thread_cpu_s();
      while (true) {
        auto const k = next.fetch_add(1);
        if (k >= runs) {
          cpu_us += static_cast<long long>((thread_cpu_s() - c0) * 1e6);
          return;
        }
        auto const s = sim_io::make_run(file, {{"fleet", fleet + k}, {"requests_per_day", requests}}, std::nullopt);
        total_requests += sim::simulate(s.sc, models.model()).requests.size();
      }
    };
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    auto const sweep_wall = since(t);
    std::printf(
        "sweep of %d runs (fleet %d..%d) on %u threads: wall %.2f s = %.2f runs/s, %.0f requests/s; CPU of all "
        "threads %.2f s\n",
        runs, fleet, fleet + runs - 1, threads, sweep_wall, runs / sweep_wall,
        static_cast<double>(total_requests.load()) / sweep_wall, static_cast<double>(cpu_us.load()) / 1e6);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "bench_sim: %s\n", e.what());
    return 1;
  }
  return 0;
}
