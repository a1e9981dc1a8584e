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

// The value below which a fraction p of the values lie (nearest rank, rounded down).
inline double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace nebuta::bench
