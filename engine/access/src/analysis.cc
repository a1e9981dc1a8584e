#include "nebuta/access/analysis.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace nebuta::access {

analysis_result analyse(timetable const& tt, std::span<origin const> origins, std::span<destination_set const> sets,
                        analysis_options const& opt) {
  if (opt.w.departures() == 0) throw std::invalid_argument{"the departure window is empty"};
  for (std::size_t i = 0; i < opt.percentiles.size(); ++i) {
    auto const p = opt.percentiles[i];
    if (!(p > 0.0 && p <= 100.0)) throw std::invalid_argument{"percentiles must lie in (0, 100]"};
    if (i > 0 && !(p > opt.percentiles[i - 1])) throw std::invalid_argument{"percentiles must be ascending"};
  }
  analysis_result res;
  res.n_origins = origins.size();
  res.n_sets = sets.size();
  res.n_percentiles = opt.percentiles.size();
  res.minutes.assign(res.n_origins * res.n_sets * res.n_percentiles, unreachable_minutes);

  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;
  std::exception_ptr error;
  std::mutex error_mutex;
  auto const worker = [&] {
    try {
      raptor::router router{tt};
      travel_times calc{router};
      std::vector<seconds_t> times;
      while (true) {
        auto const o = next.fetch_add(1);
        if (o >= origins.size()) return;
        for (std::size_t s = 0; s < sets.size(); ++s) {
          calc.from(origins[o].at, sets[s].targets, opt.w, opt.travel, times);
          percentile_minutes(times, opt.percentiles, opt.travel.max_duration,
                             std::span{res.minutes}.subspan((o * res.n_sets + s) * res.n_percentiles, res.n_percentiles));
        }
        auto const d = ++done;
        if (opt.progress && (d % 64 == 0 || d == origins.size())) {
          std::lock_guard const lock{progress_mutex};
          opt.progress(d, origins.size());
        }
      }
    } catch (...) {
      std::lock_guard const lock{error_mutex};
      if (!error) error = std::current_exception();
      next = origins.size();  // the others stop at their next origin
    }
  };
  auto const n_threads = std::max(1U, std::min<unsigned>(opt.threads, static_cast<unsigned>(std::max<std::size_t>(1, origins.size()))));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return res;
}

bool weighted_by_people(std::span<origin const> origins) {
  if (origins.empty()) return false;
  for (auto const& o : origins) {
    if (!o.has_people) return false;
  }
  return true;
}

reach_count count_reach(std::span<origin const> origins, analysis_result const& r, std::size_t set, std::size_t p,
                        int cutoff_minutes) {
  auto const people = weighted_by_people(origins);
  reach_count c;
  for (std::size_t o = 0; o < origins.size(); ++o) {
    auto const w = people ? origins[o].people : 1.0;
    c.total += w;
    auto const m = r.at(o, set, p);
    if (m != unreachable_minutes && m < cutoff_minutes) c.reached += w;
  }
  return c;
}

}  // namespace nebuta::access
