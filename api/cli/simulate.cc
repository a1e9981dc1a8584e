// `nebuta simulate`: one scenario, or a sweep of every combination of parameter values on all
// cores, into a folder of CSV/JSON files (schema in docs/simulation.md) and HTML reports.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "commands.h"
#include "nebuta/api/progress.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/output.h"
#include "nebuta/sim_io/scenario_file.h"
#ifdef NEBUTA_HAVE_REPORT
#include "nebuta/report/report.h"
#endif

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

std::string run_dir_name(std::size_t run) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "run-%04zu", run);
  return buf;
}

void write_reports_for_run(fs::path const& dir) {
#ifdef NEBUTA_HAVE_REPORT
  report::write_run_report(dir);
#else
  (void)dir;
#endif
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
  auto const file = sim_io::load_scenario(o.scenario);
  std::size_t shown = 0;
  for (auto const& w : file.warnings) {
    if (shown++ < 20) std::cerr << "warning: " << w << "\n";
  }
  if (file.warnings.size() > 20) std::cerr << "warning: ... " << file.warnings.size() - 20 << " more rows skipped\n";

  std::vector<sim_io::sweep_axis> axes;
  for (auto const& s : o.sweeps) {
    auto a = sim_io::parse_sweep(s);
    for (auto const& b : axes) {
      if (b.key == a.key) throw std::runtime_error{"--sweep " + a.key + " given twice"};
    }
    axes.push_back(std::move(a));
  }
  // Every combination: first key slowest, as nested loops in command-line order.
  std::size_t n_runs = 1;
  for (auto const& a : axes) {
    n_runs *= a.values.size();
    if (n_runs > 100'000) throw std::runtime_error{"--sweep: more than 100,000 combinations"};
  }
  // Check every combination before any work starts.
  for (std::size_t run = 0; run < n_runs && !axes.empty(); ++run) {
    std::vector<std::pair<std::string, double>> ov;
    auto rest = run;
    for (std::size_t k = axes.size(); k-- > 0;) {
      ov.insert(ov.begin(), {axes[k].key, axes[k].values[rest % axes[k].values.size()]});
      rest /= axes[k].values.size();
    }
    (void)sim_io::make_run(file, ov, o.seed);
  }

  auto const models = sim_io::load_travel_model(file, [&](std::string const& s) { progress.stage(s); });
  fs::path const out{o.out};
  fs::create_directories(out);
  sim::sim_options sopt;
  sopt.validate = o.validate;
  auto const started = std::chrono::steady_clock::now();

  if (axes.empty()) {
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

  std::vector<std::string> keys;
  for (auto const& a : axes) keys.push_back(a.key);
  std::vector<std::string> rows(n_runs);
  std::vector<std::string> validation(n_runs);
  std::atomic<std::size_t> next{0}, finished{0};
  std::mutex error_mutex, progress_mutex;
  std::exception_ptr error;
  auto const worker = [&] {
    while (true) {
      auto const run = next.fetch_add(1);
      if (run >= n_runs) return;
      {
        std::lock_guard const lock{error_mutex};
        if (error) return;
      }
      try {
        std::vector<std::pair<std::string, double>> ov;
        std::vector<std::string> labels(axes.size());
        auto rest = run;
        for (std::size_t k = axes.size(); k-- > 0;) {
          auto const i = rest % axes[k].values.size();
          ov.insert(ov.begin(), {axes[k].key, axes[k].values[i]});
          labels[k] = axes[k].labels[i];
          rest /= axes[k].values.size();
        }
        auto const setup = sim_io::make_run(file, ov, o.seed);
        auto const res = sim::simulate(setup.sc, models.model(), sopt);
        auto const dir = run_dir_name(run + 1);
        sim_io::write_run(out / dir, setup.echo, res);
        write_reports_for_run(out / dir);
        rows[run] = sim_io::sweep_csv_row(run + 1, dir, labels, setup.sc.seed, res.k);
        if (!res.validation_errors.empty()) {
          validation[run] = dir + ": " + res.validation_errors.front();
        }
        auto const done = ++finished;
        std::lock_guard const lock{progress_mutex};
        progress.stage("sweep: " + std::to_string(done) + "/" + std::to_string(n_runs) + " runs");
      } catch (...) {
        std::lock_guard const lock{error_mutex};
        if (!error) error = std::current_exception();
      }
    }
  };
  auto n_threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  n_threads = static_cast<unsigned>(std::min<std::size_t>(n_threads, n_runs));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) {
    progress.done();
    std::rethrow_exception(error);
  }
  std::string csv = sim_io::sweep_csv_header(keys);
  for (auto const& r : rows) csv += r;
  {
    std::ofstream f{out / "sweep.csv", std::ios::binary | std::ios::trunc};
    if (!(f << csv) || !f.flush()) throw std::runtime_error{(out / "sweep.csv").string() + ": cannot write"};
  }
#ifdef NEBUTA_HAVE_REPORT
  report::write_sweep_report(out);
#endif
  progress.done();
  auto const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%s: %zu runs on %u threads in %.2f s (%.2f runs/s); see sweep.csv\n", out.string().c_str(), n_runs,
              n_threads, secs, secs > 0 ? static_cast<double>(n_runs) / secs : 0.0);
  if (o.validate) {
    std::string msg;
    for (auto const& v : validation) {
      if (!v.empty()) msg += "\n  " + v;
    }
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
