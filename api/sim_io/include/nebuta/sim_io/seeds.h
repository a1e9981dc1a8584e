// Decisions under uncertainty: `--seeds N` runs each configuration with the seeds s, s+1, ...,
// s+N-1 (s: --seed, else the scenario's), and every KPI is given as its mean and its 5-95 %
// range over them (nearest rank, as the KPIs' own percentiles); `--target KPI>=x` marks the
// configurations that meet every target and suggests the smallest fleet among them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebuta::sim_io {

// The KPIs of kpis.json (and sweep.csv) that are single numbers, in sweep.csv's order.
std::vector<std::string> const& numeric_kpis();
// The numeric KPIs of a journeys run (docs/simulation.md, "Journeys"): in its seed statistics
// after numeric_kpis(), and targets.
std::vector<std::string> const& journey_kpis();

// {"seeds": [..], "mean": {kpi: x}, "p5": {..}, "p95": {..}} over the kpis.json objects of each
// seed (same order as `seeds`). A KPI null in some seeds is summarised over the others; null in
// all of them stays null.
nlohmann::json across_seeds(std::vector<std::uint64_t> const& seeds, std::vector<nlohmann::json> const& kpis);

// Writes dir/kpis.json (the first seed's KPIs, which the other files of dir are, plus
// "across_seeds") and dir/seeds.csv (one row of numeric_kpis() per seed).
void write_seed_summary(std::filesystem::path const& dir, std::vector<std::uint64_t> const& seeds,
                        std::vector<nlohmann::json> const& kpis);

// One target: a KPI of numeric_kpis(), an operator (>=, <=, >, <) and a finite number.
struct target {
  std::string kpi, op;
  double value{0.0};
  std::string text;                            // as given
  bool met_by(std::optional<double> x) const;  // a missing value meets no target
};
// "served_rate>=0.9"; throws scenario_error "--target 'text': reason" for anything else.
target parse_target(std::string const& text);

// The row of sweep.csv (read back by the caller) that meets every target with the smallest
// fleet (ties: the first such row); nullopt when none does. `fleet` per row is the fleet size
// of that run.
std::optional<std::size_t> smallest_fleet_meeting(std::vector<target> const& targets,
                                                  std::vector<nlohmann::json> const& rows,
                                                  std::vector<double> const& fleet);

}  // namespace nebuta::sim_io
