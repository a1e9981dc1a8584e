// Journey booking (issue 16): the wall time of one accept_journey command of two legs, including
// its durable write (one synced SQLite commit, WAL + synchronous=FULL), on a fleet with open
// bookings. Straight-line model (detour 1.3, 30 km/h) over Porto Alegre's centre; each round asks
// two offers (first mile to a station for a train, last mile after another) and books them as one
// journey; every few rounds vehicles are told to drop riders so the fleet keeps room.
//   bench_journey [vehicles=200] [journeys=2000] [db=/tmp/nebuta-journey-bench.sqlite]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"

using namespace nebuta;
using namespace nebuta::dispatch;

int main(int argc, char** argv) {
  auto const n_vehicles = argc > 1 ? std::atoi(argv[1]) : 200;
  auto const n_journeys = argc > 2 ? std::atoi(argv[2]) : 2000;
  std::filesystem::path const db = argc > 3 ? argv[3] : "/tmp/nebuta-journey-bench.sqlite";
  for (auto const* ext : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + ext);

  road::straight_line_model const model{1.3, 30.0};
  rules r;
  r.offer_ttl = 600;
  dispatcher d{model, r};
  storage::sqlite_journal journal{db};
  d.set_journal(&journal);
  std::mt19937_64 rng{42};
  std::uniform_real_distribution<double> u(-0.05, 0.05);
  auto const place = [&] { return latlon{-30.05 + u(rng), -51.20 + u(rng)}; };
  instant const day0 = 1'795'273'200;
  for (int v = 0; v < n_vehicles; ++v)
    d.add_vehicle(day0, {"V" + std::to_string(v), 4, 1, place(), day0, day0 + 86'400});
  std::vector<latlon> const stations{{-30.03, -51.23}, {-30.05, -51.20}, {-30.07, -51.19}, {-30.02, -51.18}};

  std::vector<double> wall_us, cpu_us;  // wall: what a rider waits for; CPU: without the disk's sync
  std::size_t n_ok = 0, n_refused = 0, n_open_max = 0;
  instant now = day0 + 6 * 3600;
  for (int i = 0; i < n_journeys; ++i) {
    now += 5;
    auto const& st = stations[static_cast<std::size_t>(i) % stations.size()];
    auto const dep = now + 3600 + static_cast<instant>(u(rng) * 1000);
    request_spec first{place(), st, 1, 0, now};
    first.latest_dropoff = dep - 300;
    auto const a = d.request_offer(now, first);
    auto const arr = now + 1800;
    auto const b = d.request_offer(now, {st, place(), 1, 0, arr + 300});
    std::vector<journey_leg> legs;
    if (a.ok()) legs.push_back({a.request, {connection::kind::before_departure, "T", "S", dep, 300}});
    if (b.ok()) legs.push_back({b.request, {connection::kind::after_arrival, "U", "S", arr, 300}});
    if (legs.empty()) continue;
    auto const t0 = std::chrono::steady_clock::now();
    auto const c0 = bench::thread_cpu_us();
    auto const res = d.accept_journey(now, legs);
    cpu_us.push_back(bench::thread_cpu_us() - c0);
    wall_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    (res.ok() ? n_ok : n_refused) += 1;
    std::size_t open = 0;
    for (auto const& q : d.requests()) open += q.status == request_status::assigned;
    n_open_max = std::max(n_open_max, open);
    // Keep the fleet from filling up: cancel the oldest journeys beyond 3 open bookings a vehicle.
    if (open > static_cast<std::size_t>(3 * n_vehicles)) {
      for (auto j = journey_idx{0}; j.v() < d.journeys().size() && open > static_cast<std::size_t>(2 * n_vehicles); ++j) {
        if (d.journey(j).cancelled) continue;
        d.cancel_journey(now, j, cancelled_by::rider);
        open -= d.journey(j).legs.size();
      }
    }
  }
  if (wall_us.empty()) return 1;
  std::printf(
      "journey booking (accept_journey of 1-2 legs + synced SQLite commit), %d vehicles, up to %zu open "
      "bookings: %zu booked, %zu refused\n  wall p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
      n_vehicles, n_open_max, n_ok, n_refused, bench::percentile(wall_us, 0.5) / 1e3,
      bench::percentile(wall_us, 0.9) / 1e3, bench::percentile(wall_us, 0.99) / 1e3,
      bench::percentile(wall_us, 1.0) / 1e3);
  std::printf("  thread CPU p50 %.3f ms  p99 %.3f ms (the rest of the wall time is the synced write)\n",
              bench::percentile(cpu_us, 0.5) / 1e3, bench::percentile(cpu_us, 0.99) / 1e3);
  for (auto const* ext : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + ext);
  return 0;
}
