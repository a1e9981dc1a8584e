// The output files of `nebuta simulate` (schema in docs/simulation.md): scenario.json, requests.csv,
// vehicles.csv, events.csv, kpis.json per run, and sweep.csv. Numbers are printed with fixed
// formats, so the same result gives the same bytes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebuta/sim/simulation.h"

namespace nebuta::sim_io {

// Creates `dir` when needed and writes the five files (six with journeys.csv of a journeys run). Throws std::runtime_error on I/O errors.
void write_run(std::filesystem::path const& dir, nlohmann::json const& scenario_as_run, sim::result const& r);

// The contents of requests.csv, vehicles.csv and events.csv (what write_run writes; the on-demand
// API's day export writes a live service's day with them too).
std::string requests_csv(sim::result const& r);
std::string vehicles_csv(sim::result const& r);
std::string events_csv(sim::result const& r);
// A journeys run: one row per journey (docs/simulation.md, "Journeys").
std::string journeys_csv(sim::result const& r);

nlohmann::json kpis_to_json(sim::kpis const& k);

// With seed_ranges (--seeds N > 1): the KPI columns are means over the seeds, followed by
// `seeds` and a `<kpi>_p5,<kpi>_p95` pair per KPI column (docs/simulation.md).
std::string sweep_csv_header(std::vector<std::string> const& keys, bool seed_ranges = false);
std::string sweep_csv_row(std::size_t run, std::string const& dir, std::vector<std::string> const& labels,
                          std::uint64_t seed, sim::kpis const& k);
// From a kpis.json object; with its "across_seeds", the means and ranges (header with seed_ranges).
std::string sweep_csv_row(std::size_t run, std::string const& dir, std::vector<std::string> const& labels,
                          std::uint64_t seed, nlohmann::json const& kpis);

}  // namespace nebuta::sim_io
