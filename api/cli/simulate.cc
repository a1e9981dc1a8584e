// `nebuta simulate`: one scenario, or a sweep of every combination of parameter values on all
// cores, into a folder of CSV/JSON files (schema in docs/simulation.md) and HTML reports.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "nebuta/api/progress.h"
#include "nebuta/report/report.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/output.h"
#include "nebuta/sim_io/scenario_file.h"
#include "nebuta/sim_io/seeds.h"
#include "nebuta/sim_io/sweep.h"

namespace nebuta::cli {

namespace fs = std::filesystem;

namespace {

struct simulate_options {
  std::string scenario;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sweeps;
  std::string shard;  // "I/N": this job's share of the sweep
  unsigned threads{0};
  unsigned seeds{1};
  std::vector<std::string> targets;
  std::string report_lang{"en"};
  bool validate{false};
};

// The targets of --target and the run that meets them with the fewest vehicles, for sweep.html
// (targets.json; docs/simulation.md).
void write_targets(fs::path const& out, std::vector<sim_io::target> const& targets, sim_io::sweep_summary const& summary) {
  if (targets.empty()) return;
  auto const best = sim_io::smallest_fleet_meeting(targets, summary.kpis, summary.fleet_size);
  nlohmann::json j;
  j["targets"] = nlohmann::json::array();
  for (auto const& t : targets)
    j["targets"].push_back({{"kpi", t.kpi}, {"op", t.op}, {"value", t.value}, {"text", t.text}});
  j["suggested_run"] = best ? nlohmann::json(*best + 1) : nlohmann::json(nullptr);
  j["suggested_dir"] = best ? nlohmann::json(sim_io::run_dir_name(*best + 1)) : nlohmann::json(nullptr);
  j["suggested_fleet"] = best ? nlohmann::json(summary.fleet_size[*best]) : nlohmann::json(nullptr);
  std::ofstream file{out / "targets.json", std::ios::binary | std::ios::trunc};
  if (!(file << j.dump(2) << "\n") || !file.flush())
    throw std::runtime_error{(out / "targets.json").string() + ": cannot write"};
  if (best) {
    std::printf("smallest fleet meeting the targets: %.0f vehicles (%s)\n", summary.fleet_size[*best],
                sim_io::run_dir_name(*best + 1).c_str());
  } else {
    std::printf("no run meets the targets\n");
  }
}

// Validation errors end the command with an error (after the files are written).
void check_validation(sim::result const& r, std::string const& where) {
  if (r.validation_errors.empty()) return;
  std::string msg = where + ": the validator found " + std::to_string(r.validation_errors.size()) + " problem(s):";
  for (auto const& e : r.validation_errors) msg += "\n  " + e;
  throw std::runtime_error{msg};
}

void run_simulate(simulate_options const& o) {
  api::progress progress;
  if (o.seeds < 1 || o.seeds > 1000) throw std::runtime_error{"--seeds must be between 1 and 1000"};
  std::vector<sim_io::target> targets;
  for (auto const& t : o.targets) targets.push_back(sim_io::parse_target(t));
  if (!targets.empty() && o.sweeps.empty())
    throw std::runtime_error{"--target needs --sweep (it picks among the runs)"};
  report::options ropt;
  ropt.lang = o.report_lang;
  auto file = sim_io::load_scenario(o.scenario);
  std::size_t shown = 0;
  for (auto const& w : file.warnings) {
    if (shown++ < 20) std::cerr << "warning: " << w << "\n";
  }
  if (file.warnings.size() > 20) std::cerr << "warning: ... " << file.warnings.size() - 20 << " more rows skipped\n";

  auto const transit = sim_io::load_transit(file, [&](std::string const& s) { progress.stage(s); });
  auto const write_reports_for_run = [&transit, ropt](fs::path const& dir) {
    transit.write_network(dir);
    report::write_run_report(dir, ropt);
  };
  // Every combination is checked before any work starts.
  auto const plan = sim_io::plan_sweep(file, o.sweeps, o.seed);
  sim_io::sweep_shard const shard = o.shard.empty() ? sim_io::sweep_shard{} : sim_io::parse_sweep_shard(o.shard);
  if (shard.count > 1 && plan.axes.empty()) throw sim_io::scenario_error{"--shard needs --sweep"};
  // The fleet suggestion compares every run of the sweep, which no shard has.
  if (shard.count > 1 && !o.targets.empty())
    throw sim_io::scenario_error{"--target needs the whole sweep, not a --shard"};
  auto const models = sim_io::load_travel_model(file, [&](std::string const& s) { progress.stage(s); });
  fs::path const out{o.out};
  fs::create_directories(out);
  sim::sim_options sopt;
  sopt.validate = o.validate;
  transit.attach(sopt);
  auto const started = std::chrono::steady_clock::now();

  if (plan.axes.empty()) {
    auto const run = sim_io::make_run(file, {}, o.seed);
    sopt.progress = [&](std::size_t done, std::size_t total) {
      progress.stage("simulating: " + std::to_string(done) + "/" + std::to_string(total) + " requests");
    };
    auto const res = sim::simulate(run.sc, models.model(), sopt);
    progress.stage("writing " + out.string());
    sim_io::write_run(out, run.echo, res);
    if (o.seeds > 1) {
      // The other seeds: only their KPIs are kept (out/ holds the first seed's files).
      std::vector<std::uint64_t> seeds{run.sc.seed};
      std::vector<nlohmann::json> kpis{sim_io::kpis_to_json(res.k)};
      auto quiet = sopt;
      quiet.progress = {};
      for (unsigned k = 1; k < o.seeds; ++k) {
        progress.stage("seed " + std::to_string(k + 1) + "/" + std::to_string(o.seeds));
        auto const other = sim_io::make_run(file, {}, run.sc.seed + k);
        auto const r = sim::simulate(other.sc, models.model(), quiet);
        if (o.validate) check_validation(r, out.string() + " seed " + std::to_string(other.sc.seed));
        seeds.push_back(other.sc.seed);
        kpis.push_back(sim_io::kpis_to_json(r.k));
      }
      sim_io::write_seed_summary(out, seeds, kpis);
    }
    write_reports_for_run(out);
    progress.done();
    auto const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto const& k = res.k;
    std::printf("%s: %zu requests, %zu served (%.1f %%), wait mean %.0f s, p95 %.0f s; %.2f s (%.0f requests/s)\n",
                out.string().c_str(), k.requests, k.served, 100.0 * k.served_rate.value_or(0.0),
                k.wait_mean_s.value_or(0.0), k.wait_p95_s.value_or(0.0), secs,
                secs > 0 ? static_cast<double>(k.requests) / secs : 0.0);
    if (auto const& j = k.journeys) {  // a journeys run (docs/simulation.md, "Journeys")
      std::printf(
          "journeys: %zu (%.0f journeys/s), on demand %.1f %% (first mile %.1f %%, last mile %.1f %%, door to "
          "door %.1f %%), connections kept %zu of %zu, %.1f vehicle-km per connected rider\n",
          j->journeys, secs > 0 ? static_cast<double>(j->journeys) / secs : 0.0,
          100.0 * j->on_demand_share.value_or(0.0), 100.0 * j->first_mile_share.value_or(0.0),
          100.0 * j->last_mile_share.value_or(0.0), 100.0 * j->door_to_door_share.value_or(0.0), j->connections_kept,
          j->connections, j->vehicle_km_per_connected_rider.value_or(0.0));
    }
    if (o.validate) {
      check_validation(res, out.string());
      std::printf("validator: %zu checks, no problem\n", res.n_checks);
    }
    return;
  }

  sim_io::sweep_options sw;
  sw.seed = o.seed;
  sw.threads = o.threads;
  sw.shard = shard;
  sw.seeds = o.seeds;
  sw.sim = sopt;
  sw.after_run = write_reports_for_run;
  sw.progress = [&](std::size_t done, std::size_t total) {
    progress.stage("sweep: " + std::to_string(done) + "/" + std::to_string(total) + " runs (with seeds)");
  };
  sim_io::sweep_summary summary;
  try {
    summary = sim_io::run_sweep(file, plan, models.model(), out, sw);
  } catch (...) {
    progress.done();
    throw;
  }
  if (shard.count == 1) {  // a shard's rows wait for the merge (`nebuta report --sweep DIR...`)
    write_targets(out, targets, summary);
    report::write_sweep_report(out, ropt);
  }
  progress.done();
  auto const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (shard.count > 1)
    std::printf(
        "%s: shard %zu/%zu: %zu of %zu runs on %u threads in %.2f s, rows in %s; merge the shards with "
        "`nebuta report --sweep DIR...`\n",
        out.string().c_str(), shard.index, shard.count, summary.n_runs, plan.n_runs, summary.n_threads, secs,
        sim_io::sweep_shard_file(shard).c_str());
  else
    std::printf("%s: %zu runs on %u threads in %.2f s (%.2f runs/s); see sweep.csv\n", out.string().c_str(),
                summary.n_runs, summary.n_threads, secs, secs > 0 ? static_cast<double>(summary.n_runs) / secs : 0.0);
  if (o.validate) {
    std::string msg;
    for (auto const& v : summary.validation) msg += "\n  " + v;
    if (!msg.empty()) throw std::runtime_error{"the validator found problems:" + msg};
    std::printf("validator: no problem in any run\n");
  }
}

}  // namespace

void register_simulate(CLI::App& app) {
  auto opt = std::make_shared<simulate_options>();
  auto* cmd = app.add_subcommand("simulate", "simulate an on-demand service area: KPIs, CSV/JSON files, reports");
  cmd->add_option("--scenario", opt->scenario, "scenario JSON file")->required();
  cmd->add_option("--out", opt->out, "output folder (created)")->required();
  cmd->add_option("--seed", opt->seed, "random seed (overrides the scenario's)");
  std::string keys;
  for (auto const& k : sim_io::sweepable_keys()) keys += (keys.empty() ? "" : ", ") + k;
  cmd->add_option("--sweep", opt->sweeps,
                  "key=a..b:step or key=v1,v2,... (repeatable; every combination is run). Keys: " + keys);
  cmd->add_option("--threads", opt->threads, "threads for a sweep (default: all cores)");
  cmd->add_option("--shard", opt->shard,
                  "I/N: run only this job's share of the sweep (runs r with r % N == I, 0-based), writing "
                  "sweep.shard-I-of-N.csv; `nebuta report --sweep DIR...` merges the shards");
  cmd->add_option("--seeds", opt->seeds,
                  "run each configuration with N seeds (s, s+1, ...): KPIs as mean and 5-95 % range")
      ->capture_default_str();
  cmd->add_option("--target", opt->targets,
                  "with --sweep: KPI>=x, KPI<=x, KPI>x or KPI<x (repeatable); sweep.html marks the smallest fleet "
                  "meeting them all, e.g. --target served_rate>=0.9 --target wait_p95_s<=900");
  cmd->add_option("--report-lang", opt->report_lang, "language of report.html and sweep.html: en or ja")
      ->check(CLI::IsMember({"en", "ja"}))
      ->capture_default_str();
  cmd->add_flag("--validate", opt->validate,
                "run the dispatcher's independent validator after every command (slow); fail on any problem");
  cmd->callback([opt] {
    try {
      run_simulate(*opt);
    } catch (sim_io::scenario_error const& e) {
      throw std::runtime_error{e.what()};
    }
  });
}

}  // namespace nebuta::cli
