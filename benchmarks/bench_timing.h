// What the benchmark programs share: thread CPU time (the machine is often shared, and wall time
// would count other processes' slices) and percentiles of measured times.
#pragma once

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <vector>

namespace nebuta::bench {

inline double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// The value below which a fraction p of the sorted values lie (nearest rank, rounded down).
inline double sorted_percentile(std::vector<double> const& sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

inline double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return sorted_percentile(v, p);
}

// What a benchmark row reports of its measured times (µs): p50, p90, p99, and how many such
// measurements one second holds (queries or offers per second of the time measured).
struct summary {
  double p50{0}, p90{0}, p99{0}, per_s{0};
};

inline summary summarise(std::vector<double> us) {
  if (us.empty()) return {};
  std::sort(us.begin(), us.end());
  auto sum = 0.0;
  for (auto const v : us) sum += v;
  return {sorted_percentile(us, 0.5), sorted_percentile(us, 0.9), sorted_percentile(us, 0.99),
          static_cast<double>(us.size()) / (sum / 1e6)};
}

}  // namespace nebuta::bench
