// `nebuta accessibility`'s work without the file output (issue 18's performance target): a grid of
// 250 m cells over Hachinohe (40.465-40.575 N, 141.422-141.600 E: 2,989 cells), one destination
// set (the stops named 八戸駅), a 07:00-09:00 window on Wed 2026-04-08, the five R5 percentiles.
//   bench_access FEED [--cell M] [--threads-list 1,2] [--with-service]
// Prints per-origin thread CPU time (p50/p90/p99, one thread, every origin), then per thread
// count the wall time of the whole analysis and the process CPU time it took.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "../bench_timing.h"
#include "nebuta/access/analysis.h"
#include "nebuta/gtfs_import/import.h"

using namespace nebuta;

namespace {
double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_access FEED [--cell M] [--threads-list 1,2] [--with-service]\n");
    return 2;
  }
  double cell = 250;
  std::vector<unsigned> threads{1, 2};
  bool with_service = false;
  for (int i = 2; i < argc; ++i) {
    std::string const a = argv[i];
    if (a == "--cell" && i + 1 < argc) cell = std::atof(argv[++i]);
    else if (a == "--threads-list" && i + 1 < argc) {
      threads.clear();
      for (char const* p = argv[++i]; *p != '\0';) {
        threads.push_back(static_cast<unsigned>(std::strtoul(p, const_cast<char**>(&p), 10)));
        if (*p == ',') ++p;
      }
    } else if (a == "--with-service") with_service = true;
  }
  auto const t0 = std::chrono::steady_clock::now();
  auto const loaded = gtfs_import::load({{"hachinohe", argv[1]}});
  auto const& tt = loaded.tt;
  raptor::index const idx{tt};
  std::printf("load + index: %.2f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  access::area a;
  a.bounds = {40.465, 141.422, 40.575, 141.600};
  auto const cells = access::regular_grid(a, cell);
  std::vector<latlon> station;
  for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
    if (tt.text(tt.stop_names[s]) == "八戸駅") station.push_back(tt.stop_coords[s]);
  }
  std::vector<std::vector<latlon>> const sets{station};
  access::analysis_options opt;
  opt.w = {std::chrono::year{2026} / 4 / 8, 7 * 3600, 9 * 3600};
  std::printf("cells: %zu, destination points: %zu, departures per origin: %zu\n", cells.size(), station.size(),
              opt.w.departures());

  road::straight_line_model const model;
  access::on_demand_service svc;  // examples/drt/hachinohe/area.geojson's box
  svc.area = {{{40.500, 141.425}, {40.500, 141.500}, {40.522, 141.500}, {40.522, 141.425}}};
  access::on_demand_edges const edges{idx, svc, model};

  // Per origin, one thread: what one cell costs.
  {
    raptor::router r{idx};
    access::travel_times calc{r};
    access::destination_set const set{idx, station, opt.travel};
    std::vector<seconds_t> times;
    std::vector<std::int16_t> out(opt.percentiles.size());
    std::vector<double> us;
    std::vector<raptor::access_edge> acc;
    for (auto const& c : cells) {
      auto const t = bench::thread_cpu_us();
      acc.clear();
      if (with_service) edges.access(c.at, acc);
      calc.from(c.at, acc, set, opt.w, opt.travel, -1, times);
      access::percentile_minutes(times, opt.percentiles, opt.travel.max_duration, out);
      us.push_back(bench::thread_cpu_us() - t);
    }
    double sum = 0;
    for (auto const v : us) sum += v;
    std::printf("per origin (thread CPU, 1 thread%s): p50 %.0f us  p90 %.0f us  p99 %.0f us  max %.0f us  total %.2f s\n",
                with_service ? ", with the on-demand access" : "", bench::percentile(us, 0.5),
                bench::percentile(us, 0.9), bench::percentile(us, 0.99), bench::percentile(us, 1.0), sum / 1e6);
  }
  for (auto const n : threads) {
    opt.threads = n;
    auto const cpu0 = process_cpu_s();
    auto const w0 = std::chrono::steady_clock::now();
    auto const res = access::analyse(idx, cells, sets, opt);
    std::optional<access::analysis_result> with;
    if (with_service) with = access::analyse(idx, cells, sets, opt, &edges, &res);
    auto const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    std::size_t reached = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) reached += res.at(i, 0, 2) != access::unreachable_minutes;
    std::printf("analyse, %u thread(s)%s: wall %.2f s, CPU %.2f s, %.0f origins/s; %zu cells reach the set (median)\n",
                n, with_service ? " (without + with the service)" : "", wall, process_cpu_s() - cpu0,
                static_cast<double>(cells.size()) / wall, reached);
  }
  return 0;
}
