// Dispatcher offer latency over a reproducible random request set, single-threaded.
//   bench_dispatch [--queries N] [--seed S] [--bookings-per-vehicle B] [--fleets 50,200,1000]
//                  [--days D] [--osm FILE.osm.pbf] [--no-straight-line]
// For each fleet size: vehicles spread over Porto Alegre (lat -30.11..-29.99, lon -51.27..-51.13),
// filled with accepted bookings (immediate and pre-booked up to 2 h ahead) until about B per
// vehicle are open, then N offers are timed against that state (offers do not change schedules).
// With --days D > 1 every vehicle works a 06:00-20:00 shift on each of D days (a dispatcher
// vehicle per dated shift, as the service registers them), the booking horizon is D days, and
// bookings and timed offers are spread over the D days' service hours (B per vehicle and day).
// Then one full re-optimisation pass is timed. Prints markdown rows. Offers are timed in wall time
// and in thread CPU time (a loaded machine adds other processes' time slices to the wall time);
// offers/s and the re-optimisation use CPU time.
// Travel times: the straight-line model (haversine x 1.3 at 30 km/h) and, with --osm, the road
// network model of that extract (contraction hierarchy). On the road network, points are random
// road vertices inside the same box moved by up to ~100 m, so that they snap (the box also
// covers the Guaíba, where nothing would).
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"

namespace {

using nebuta::bench::summarise;
using nebuta::bench::thread_cpu_us;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void print_header() {
  std::printf(
      "| model | vehicles | open bookings | stops/vehicle | offers | feasible | p50 µs | p90 µs | p99 µs | CPU p50 / p99 µs "
      "| offers/s (CPU) | reoptimise CPU ms (moved) |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nebuta;
  using namespace nebuta::dispatch;
  std::size_t n_queries = 2000;
  unsigned seed = 42;
  double per_vehicle = 3.0;
  int days = 1;
  std::vector<std::size_t> fleets{50, 200, 1000};
  std::filesystem::path osm_file;
  bool straight_line = true;
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--queries") n_queries = std::stoul(next());
    else if (arg == "--seed") seed = static_cast<unsigned>(std::stoul(next()));
    else if (arg == "--bookings-per-vehicle") per_vehicle = std::stod(next());
    else if (arg == "--osm") osm_file = next();
    else if (arg == "--days") days = std::max(1, std::stoi(next()));
    else if (arg == "--no-straight-line") straight_line = false;
    else if (arg == "--fleets") {
      fleets.clear();
      auto const list = next();
      for (std::size_t p = 0; p < list.size();) {
        auto const q = list.find(',', p);
        fleets.push_back(std::stoul(list.substr(p, q - p)));
        p = q == std::string::npos ? list.size() : q + 1;
      }
    } else {
      std::fprintf(stderr,
                   "usage: bench_dispatch [--queries N] [--seed S] [--bookings-per-vehicle B] [--fleets a,b,c] "
                   "[--days D] [--osm FILE.osm.pbf] [--no-straight-line]\n");
      return 2;
    }
  }

  auto const run = [&](char const* name, road::travel_model const& model,
                       std::function<latlon(std::mt19937_64&)> const& make_place) {
    for (auto const n_vehicles : fleets) {
      std::mt19937_64 rng{seed};
      auto const place = [&] { return make_place(rng); };
      instant const now = 8 * 3600;
      rules r;
      r.max_booking_ahead = days * 86'400;
      dispatcher d{model, r};
      for (int day = 0; day < days; ++day) {
        for (std::size_t i = 0; i < n_vehicles; ++i) {
          auto const depot = place();
          d.add_vehicle(0, {"v" + std::to_string(i), 6, 1, depot, day * 86'400 + 6 * 3600, day * 86'400 + 20 * 3600});
        }
      }
      // One day: now .. now + 2 h, as before. Several: any day's 06:30 .. 19:00, not before now.
      std::uniform_int_distribution<instant> ahead{0, 7200};
      std::uniform_int_distribution<int> which_day{0, days - 1};
      std::uniform_int_distribution<instant> hour_of_day{6 * 3600 + 1800, 19 * 3600};
      auto const earliest = [&] {
        if (days == 1) return now + ahead(rng);
        return std::max(now, which_day(rng) * instant{86'400} + hour_of_day(rng));
      };
      auto const target = static_cast<std::size_t>(per_vehicle * static_cast<double>(n_vehicles * days));
      std::size_t open = 0;
      for (std::size_t attempt = 0; open < target && attempt < 50 * target; ++attempt) {
        auto const o = d.request_offer(now, {place(), place(), 1, 0, earliest()});
        if (o.ok() && d.accept(now, o.request).ok()) ++open;
      }
      std::size_t n_stops = 0;
      for (auto const& v : d.vehicles()) n_stops += v.stops.size();

      std::vector<request_spec> queries(n_queries);
      for (auto& q : queries) q = {place(), place(), 1, 0, earliest()};
      std::vector<double> us;
      std::vector<double> cpu_us;
      us.reserve(n_queries);
      cpu_us.reserve(n_queries);
      std::size_t feasible = 0;
      for (auto const& q : queries) {
        auto const c0 = thread_cpu_us();
        auto const t0 = std::chrono::steady_clock::now();
        auto const o = d.request_offer(now, q);
        auto const t1 = std::chrono::steady_clock::now();
        cpu_us.push_back(thread_cpu_us() - c0);
        feasible += o.ok();
        us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
      auto const s = summarise(us);
      auto const cpu = summarise(cpu_us);
      auto const r0 = thread_cpu_us();
      auto const moved = d.reoptimise(now).n_moved;
      auto const reopt_ms = (thread_cpu_us() - r0) / 1e3;
      std::printf("| %s | %zu%s | %zu | %.1f | %zu | %.0f%% | %.0f | %.0f | %.0f | %.0f / %.0f | %.0f | %.0f (%u) |\n",
                  name, n_vehicles, days > 1 ? (" x " + std::to_string(days) + " days").c_str() : "", open,
                  static_cast<double>(n_stops) / static_cast<double>(n_vehicles * days), n_queries,
                  100.0 * static_cast<double>(feasible) / static_cast<double>(n_queries), s.p50, s.p90, s.p99, cpu.p50,
                  cpu.p99, cpu.per_s, reopt_ms, moved);
      std::fflush(stdout);
    }
  };

  print_header();
  if (straight_line) {
    road::straight_line_model const model{};
    run("straight line", model, [](std::mt19937_64& rng) {
      std::uniform_real_distribution<double> lat{-30.11, -29.99}, lon{-51.27, -51.13};
      return latlon{lat(rng), lon(rng)};
    });
  }
  if (!osm_file.empty()) {
    auto const t0 = std::chrono::steady_clock::now();
    road::road_network_model const model{osm::load_road_graph(osm_file).graph};
    auto const build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto const& g = model.graph();
    std::vector<latlon> inside;
    for (auto const c : g.raw_coords()) {
      if (c.lat > -30.11 && c.lat < -29.99 && c.lon > -51.27 && c.lon < -51.13) inside.push_back(c);
    }
    auto const name = osm_file.filename().string();
    run(name.c_str(), model, [&](std::mt19937_64& rng) {
      std::uniform_int_distribution<std::size_t> pick{0, inside.size() - 1};
      std::uniform_real_distribution<double> jitter{-0.0009, 0.0009};
      auto const c = inside[pick(rng)];
      return latlon{c.lat + jitter(rng), c.lon + jitter(rng)};
    });
    std::printf(
        "\n%s: %zu nodes, %zu vertices in the box; model built in %.2f s (CH %.2f s, %zu shortcuts, %.1f MiB); "
        "peak RSS %.0f MiB\n",
        name.c_str(), g.n_nodes(), inside.size(), build_s, model.hierarchy_build_seconds(),
        model.hierarchy()->stats().n_shortcuts,
        static_cast<double>(model.hierarchy()->memory_bytes()) / (1024.0 * 1024.0), peak_rss_mib());
  }
  return 0;
}
