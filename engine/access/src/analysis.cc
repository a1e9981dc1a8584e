#include "nebuta/access/analysis.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace nebuta::access {

analysis_result analyse(raptor::index const& idx, std::span<origin const> origins,
                        std::span<std::vector<latlon> const> sets, analysis_options const& opt,
                        on_demand_edges const* on_demand, analysis_result const* without) {
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

  std::vector<destination_set> targets;
  bool any_inside = false;  // a set has a point the service reaches
  for (auto const& points : sets) {
    std::vector<raptor::access_edge> egress;
    if (on_demand != nullptr) {
      egress = on_demand->egress(points);
      any_inside = any_inside ||
                   std::any_of(points.begin(), points.end(), [&](latlon p) { return on_demand->service().inside(p); });
    }
    targets.emplace_back(idx, points, opt.travel, egress);
  }
  auto const can_copy = on_demand != nullptr && without != nullptr && !any_inside &&
                        without->n_origins == res.n_origins && without->n_sets == res.n_sets &&
                        without->n_percentiles == res.n_percentiles;

  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;
  std::exception_ptr error;
  std::mutex error_mutex;
  auto const worker = [&] {
    try {
      raptor::router router{idx};
      travel_times calc{router};
      std::vector<seconds_t> times;
      std::vector<raptor::access_edge> access;
      while (true) {
        auto const o = next.fetch_add(1);
        if (o >= origins.size()) return;
        auto const at = origins[o].at;
        access.clear();
        if (on_demand != nullptr) on_demand->access(at, access);
        auto const stride = res.n_sets * res.n_percentiles;
        if (can_copy && access.empty()) {
          std::copy_n(without->minutes.begin() + static_cast<std::ptrdiff_t>(o * stride), stride,
                      res.minutes.begin() + static_cast<std::ptrdiff_t>(o * stride));
        } else {
          for (std::size_t s = 0; s < sets.size(); ++s) {
            auto const direct = on_demand != nullptr ? on_demand->direct(at, sets[s]) : seconds_t{-1};
            calc.from(at, access, targets[s], opt.w, opt.travel, direct, times);
            percentile_minutes(times, opt.percentiles, opt.travel.max_duration,
                               std::span{res.minutes}.subspan(o * stride + s * res.n_percentiles, res.n_percentiles));
          }
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
  auto const n_threads =
      std::max(1U, std::min<unsigned>(opt.threads, static_cast<unsigned>(std::max<std::size_t>(1, origins.size()))));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return res;
}

bool weighted_by_people(std::span<origin const> origins) {
  if (origins.empty()) return false;
  return std::all_of(origins.begin(), origins.end(), [](origin const& o) { return o.has_people; });
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
