// `nebuta simulate`: one scenario, or a sweep of every combination of parameter values on all
// cores, into a folder of CSV/JSON files (schema in docs/simulation.md) and HTML reports.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "nebuta/api/progress.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/output.h"
#include "nebuta/sim_io/scenario_file.h"
#include "nebuta/sim_io/sweep.h"
#include "nebuta/report/report.h"

namespace nebuta::cli {

namespace fs = std::filesystem;

namespace {

struct simulate_options {
  std::string scenario;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sweeps;
  unsigned threads{0};
  bool validate{false};
};

void write_reports_for_run(fs::path const& dir) { report::write_run_report(dir); }

// Validation errors end the command with an error (after the files are written).
void check_validation(sim::result const& r, std::string const& where) {
  if (r.validation_errors.empty()) return;
  std::string msg = where + ": the validator found " + std::to_string(r.validation_errors.size()) + " problem(s):";
  for (auto const& e : r.validation_errors) msg += "\n  " + e;
  throw std::runtime_error{msg};
}

void run_simulate(simulate_options const& o) {
  api::progress progress;
  auto file = sim_io::load_scenario(o.scenario);
  std::size_t shown = 0;
  for (auto const& w : file.warnings) {
    if (shown++ < 20) std::cerr << "warning: " << w << "\n";
  }
  if (file.warnings.size() > 20) std::cerr << "warning: ... " << file.warnings.size() - 20 << " more rows skipped\n";

  auto const transit = sim_io::load_transit(file, [&](std::string const& s) { progress.stage(s); });
  // Every combination is checked before any work starts.
  auto const plan = sim_io::plan_sweep(file, o.sweeps, o.seed);
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
    write_reports_for_run(out);
    progress.done();
    auto const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto const& k = res.k;
    std::printf("%s: %zu requests, %zu served (%.1f %%), wait mean %.0f s, p95 %.0f s; %.2f s (%.0f requests/s)\n",
                out.string().c_str(), k.requests, k.served, 100.0 * k.served_rate.value_or(0.0),
                k.wait_mean_s.value_or(0.0), k.wait_p95_s.value_or(0.0), secs,
                secs > 0 ? static_cast<double>(k.requests) / secs : 0.0);
    if (o.validate) {
      check_validation(res, out.string());
      std::printf("validator: %zu checks, no problem\n", res.n_checks);
    }
    return;
  }

  sim_io::sweep_options sw;
  sw.seed = o.seed;
  sw.threads = o.threads;
  sw.sim = sopt;
  sw.after_run = write_reports_for_run;
  sw.progress = [&](std::size_t done, std::size_t total) {
    progress.stage("sweep: " + std::to_string(done) + "/" + std::to_string(total) + " runs");
  };
  sim_io::sweep_summary summary;
  try {
    summary = sim_io::run_sweep(file, plan, models.model(), out, sw);
  } catch (...) {
    progress.done();
    throw;
  }
  report::write_sweep_report(out);
  progress.done();
  auto const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
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
