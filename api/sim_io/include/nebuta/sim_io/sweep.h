// Sweeps of `nebuta simulate`: every combination of the swept values, each run with its own
// dispatcher on one of several threads, all sharing the read-only travel model; the files of
// every run, and sweep.csv, are the same whatever the number of threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nebuta/road/travel_model.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/scenario_file.h"

namespace nebuta::sim_io {

struct sweep_plan {
  std::vector<sweep_axis> axes;  // in command-line order
  std::size_t n_runs{0};
};

// Parses the --sweep texts and checks every combination against the scenario (make_run) before
// any work starts. Throws scenario_error for a key given twice, more than 100,000 combinations,
// or any combination the scenario cannot take.
sweep_plan plan_sweep(scenario_file const& f, std::vector<std::string> const& sweeps, std::optional<std::uint64_t> seed);

// The overrides of run `run` (0-based): first axis slowest, as nested loops in command-line
// order; `labels` gets the values as sweep.csv writes them.
std::vector<std::pair<std::string, double>> sweep_overrides(sweep_plan const& plan, std::size_t run,
                                                            std::vector<std::string>* labels = nullptr);

// One of N independent jobs of a sweep (`--shard I/N`, docs/simulation.md): it runs the runs r
// (0-based) with r % count == index, in the folder layout of the whole sweep, and writes its rows
// to sweep.shard-I-of-N.csv; merge_sweep_shards() then makes the sweep.csv of the whole sweep.
struct sweep_shard {
  std::size_t index{0};
  std::size_t count{1};
};
// "I/N" with 0 <= I < N; throws scenario_error otherwise.
sweep_shard parse_sweep_shard(std::string const& text);
// "sweep.shard-I-of-N.csv".
std::string sweep_shard_file(sweep_shard const& s);

struct sweep_options {
  std::optional<std::uint64_t> seed;  // overrides the scenario's
  unsigned threads{0};                // 0: every core
  sweep_shard shard;                  // {0, 1}: the whole sweep, into sweep.csv
  // Each combination runs with seeds s, s+1, ..., s+seeds-1 (sim_io/seeds.h): its folder holds
  // the first seed's files, kpis.json adds "across_seeds", seeds.csv; sweep.csv gives means and ranges.
  unsigned seeds{1};
  sim::sim_options sim;  // validate; its progress callback is not used
  // On a worker thread, after a run's files are written (e.g. to add its report.html).
  std::function<void(std::filesystem::path const& run_dir)> after_run;
  // After each run, one call at a time: runs finished, runs in all.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct sweep_summary {
  std::size_t n_runs{0};  // run here (the shard's share)
  unsigned n_threads{0};
  std::vector<std::string> validation;  // "run-0003: first problem", for each run the validator faulted, in order
  // Per run: its vehicles (one day's fleet) and its KPIs as sweep.csv gives them (means over seeds).
  std::vector<double> fleet_size;  // by run of this shard (all runs without --shard)
  std::vector<nlohmann::json> kpis;
};

// Runs every combination into out/run-0001/, out/run-0002/, ... (the files of a single run) and
// writes out/sweep.csv. The first exception of any run stops the others and is rethrown.
sweep_summary run_sweep(scenario_file const& f, sweep_plan const& plan, road::travel_model const& model,
                        std::filesystem::path const& out, sweep_options const& o);

// Merges the shard files (sweep.shard-I-of-N.csv) found in `dirs` into dirs[0]/sweep.csv,
// byte-identical to the sweep.csv of the same sweep run in one process, and copies the run
// folders of the other dirs into dirs[0] (one already there is kept). Refuses (std::runtime_error, nothing written) unless
// every shard 0..N-1 is there exactly once, with one header, and the runs are 1..n each once.
// Returns the number of runs.
std::size_t merge_sweep_shards(std::vector<std::filesystem::path> const& dirs);
// Whether `dir` holds a shard file.
bool has_sweep_shards(std::filesystem::path const& dir);

// "run-0001" for run 1.
std::string run_dir_name(std::size_t run);

}  // namespace nebuta::sim_io
