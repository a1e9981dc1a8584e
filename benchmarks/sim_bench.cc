// Simulation speed: simulated requests per second of wall time for one service day (default:
// 10,000 requests, 50 vehicles, examples/portoalegre-feeder.json on the Porto Alegre OSM
// network), single-threaded, and a sweep of 20 such runs (fleet sizes 50..69) on all cores.
// Only sim::simulate is timed (not loading, the travel-time table, or writing files); those are
// reported separately.
//
// bench_sim [--scenario FILE] [--requests N] [--fleet N] [--runs N] [--threads N]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/scenario_file.h"

using namespace nebuta;
using clk = std::chrono::steady_clock;

namespace {

double since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = std::string{NEBUTA_SOURCE_DIR} + "/examples/portoalegre-feeder.json";
  double requests = 10'000;
  int fleet = 50, runs = 20;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string const a = argv[i];
    if (a == "--scenario") scenario = argv[i + 1];
    else if (a == "--requests") requests = std::atof(argv[i + 1]);
    else if (a == "--fleet") fleet = std::atoi(argv[i + 1]);
    else if (a == "--runs") runs = std::atoi(argv[i + 1]);
    else if (a == "--threads") threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  try {
    auto t = clk::now();
    auto const file = sim_io::load_scenario(scenario);
    auto const t_scenario = since(t);
    t = clk::now();
    auto const models = sim_io::load_travel_model(file);
    auto const t_model = since(t);
    std::printf("scenario %s: loaded in %.2f s, travel model (graph + table) in %.2f s\n", file.base.name.c_str(),
                t_scenario, t_model);

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
