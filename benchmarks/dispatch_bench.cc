// Dispatcher offer latency over a reproducible random request set, single-threaded.
//   bench_dispatch [--queries N] [--seed S] [--bookings-per-vehicle B] [--fleets 50,200,1000]
// For each fleet size: vehicles spread over Porto Alegre (lat -30.11..-29.99, lon -51.27..-51.13),
// filled with accepted bookings (immediate and pre-booked up to 2 h ahead) until about B per
// vehicle are open, then N offers are timed against that state (offers do not change schedules).
// Travel times: the straight-line model (haversine x 1.3 at 30 km/h). Then one full
// re-optimisation pass is timed. Prints markdown rows.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "nebuta/dispatch/dispatcher.h"

namespace {

struct stats {
  double p50, p90, p99, per_s;
};

stats summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto const at = [&](double p) {
    return us[std::min(us.size() - 1, static_cast<std::size_t>(p * static_cast<double>(us.size())))];
  };
  double sum = 0;
  for (auto const v : us) sum += v;
  return {at(0.5), at(0.9), at(0.99), static_cast<double>(us.size()) / (sum / 1e6)};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nebuta;
  using namespace nebuta::dispatch;
  std::size_t n_queries = 2000;
  unsigned seed = 42;
  double per_vehicle = 3.0;
  std::vector<std::size_t> fleets{50, 200, 1000};
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--queries")
      n_queries = std::stoul(next());
    else if (arg == "--seed")
      seed = static_cast<unsigned>(std::stoul(next()));
    else if (arg == "--bookings-per-vehicle")
      per_vehicle = std::stod(next());
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
                   "usage: bench_dispatch [--queries N] [--seed S] [--bookings-per-vehicle B] [--fleets a,b,c]\n");
      return 2;
    }
  }

  road::straight_line_model const model{};
  std::printf(
      "| vehicles | open bookings | stops/vehicle | offers | feasible | p50 µs | p90 µs | p99 µs | offers/s | "
      "reoptimise ms (moved) |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (auto const n_vehicles : fleets) {
    std::mt19937_64 rng{seed};
    std::uniform_real_distribution<double> lat{-30.11, -29.99}, lon{-51.27, -51.13};
    auto const place = [&] { return latlon{lat(rng), lon(rng)}; };
    seconds_t const now = 8 * 3600;
    dispatcher d{model, rules{}};
    for (std::size_t i = 0; i < n_vehicles; ++i) {
      d.add_vehicle(0, {"v" + std::to_string(i), 6, 1, place(), 6 * 3600, 20 * 3600});
    }
    std::uniform_int_distribution<seconds_t> ahead{0, 7200};
    auto const target = static_cast<std::size_t>(per_vehicle * static_cast<double>(n_vehicles));
    std::size_t open = 0;
    for (std::size_t attempt = 0; open < target && attempt < 50 * target; ++attempt) {
      auto const o = d.request_offer(now, {place(), place(), 1, 0, now + ahead(rng)});
      if (o.ok() && d.accept(now, o.request).ok()) ++open;
    }
    std::size_t n_stops = 0;
    for (auto const& v : d.vehicles()) n_stops += v.stops.size();

    std::vector<request_spec> queries(n_queries);
    for (auto& q : queries) q = {place(), place(), 1, 0, now + ahead(rng)};
    std::vector<double> us;
    us.reserve(n_queries);
    std::size_t feasible = 0;
    for (auto const& q : queries) {
      auto const t0 = std::chrono::steady_clock::now();
      auto const o = d.request_offer(now, q);
      auto const t1 = std::chrono::steady_clock::now();
      feasible += o.ok();
      us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    auto const s = summarise(us);
    auto const r0 = std::chrono::steady_clock::now();
    auto const moved = d.reoptimise(now).n_moved;
    auto const reopt_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - r0).count();
    std::printf("| %zu | %zu | %.1f | %zu | %.0f%% | %.0f | %.0f | %.0f | %.0f | %.0f (%u) |\n", n_vehicles, open,
                static_cast<double>(n_stops) / static_cast<double>(n_vehicles), n_queries,
                100.0 * static_cast<double>(feasible) / static_cast<double>(n_queries), s.p50, s.p90, s.p99, s.per_s,
                reopt_ms, moved);
  }
  return 0;
}
