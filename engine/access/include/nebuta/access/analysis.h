// An accessibility analysis: travel-time percentiles from every origin to every destination set
// over a departure window (travel_time.h), on several threads, optionally with an on-demand
// service as access, egress and door-to-door mode (on_demand.h); and what they mean in people:
// how many can reach a set within a cutoff.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "nebuta/access/grid.h"
#include "nebuta/access/on_demand.h"
#include "nebuta/access/travel_time.h"

namespace nebuta::access {

struct analysis_options {
  window w;
  travel_options travel;
  std::vector<double> percentiles{5, 25, 50, 75, 95};  // ascending, in (0, 100]
  unsigned threads{1};
  // Called now and then from the worker threads (serialised), with origins finished so far.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Percentile travel times in whole minutes (unreachable_minutes when not reached).
struct analysis_result {
  std::size_t n_origins{0}, n_sets{0}, n_percentiles{0};
  std::vector<std::int16_t> minutes;  // [(origin * n_sets + set) * n_percentiles + p]

  std::int16_t at(std::size_t origin, std::size_t set, std::size_t p) const {
    return minutes[(origin * n_sets + set) * n_percentiles + p];
  }
};

// Points of each set as given; `on_demand`: null for transit and walking alone. With it, the
// sets get the service's egress edges and door-to-door rides, and origins inside its area its
// access edges; origins it cannot change (outside the area, when no set has a point inside) copy
// `without` instead of being searched again (pass the result without the service, or null).
// Throws std::invalid_argument for an empty window, a percentile outside (0, 100] or not
// ascending.
analysis_result analyse(raptor::index const& idx, std::span<origin const> origins,
                        std::span<std::vector<latlon> const> sets, analysis_options const& opt,
                        on_demand_edges const* on_demand = nullptr, analysis_result const* without = nullptr);

// Reaching a set within a cutoff (a percentile's time below it), counted in people when every
// origin has people, else in origins.
struct reach_count {
  double total{0.0};
  double reached{0.0};
};
bool weighted_by_people(std::span<origin const> origins);
reach_count count_reach(std::span<origin const> origins, analysis_result const& r, std::size_t set, std::size_t p,
                        int cutoff_minutes);

}  // namespace nebuta::access
