// Sweeps: the keys a sweep may vary, one run's scenario with its overrides, sweep axes, and the
// runner that simulates every combination on several threads.
#include "scenario_internal.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "nebuta/drt_config/config.h"
#include "nebuta/sim_io/output.h"
#include "nebuta/sim_io/seeds.h"
#include "nebuta/sim_io/sweep.h"

namespace nebuta::sim_io {

using namespace detail;

namespace {

struct key_info {
  char const* key;
  bool integer;
};

std::vector<key_info> const& key_table() {
  static std::vector<key_info> const keys{{"fleet", true},
                                          {"seats", true},
                                          {"max_wait_s", true},
                                          {"ride_factor", false},
                                          {"ride_offset_s", true},
                                          {"dwell_s", true},
                                          {"offer_ttl_s", true},
                                          {"no_show_wait_s", true},
                                          {"promise_slack_s", true},
                                          {"max_booking_ahead_s", true},
                                          {"max_passengers", true},
                                          {"passenger_weight", false},
                                          {"max_walk_m", false},
                                          {"demand_scale", false},
                                          {"requests_per_day", false},
                                          {"decline_probability", false},
                                          {"cancel_probability", false},
                                          {"no_show_probability", false},
                                          {"reoptimise_every_s", true}};
  return keys;
}

}  // namespace

std::vector<std::string> const& sweepable_keys() {
  static std::vector<std::string> const keys = [] {
    std::vector<std::string> k;
    for (auto const& i : key_table()) k.emplace_back(i.key);
    return k;
  }();
  return keys;
}

run_setup make_run(scenario_file const& f, std::vector<std::pair<std::string, double>> const& overrides,
                   std::optional<std::uint64_t> seed) {
  run_setup run{f.base, f.echo};
  auto& sc = run.sc;
  auto& e = run.echo;
  std::optional<int> fleet_size;
  std::optional<std::uint16_t> seats;
  for (auto const& [key, v] : overrides) {
    auto const i = static_cast<long long>(std::llround(v));
    auto const s = [&] { return static_cast<seconds_t>(i); };
    auto& r = sc.rules;
    auto const need_generator = [&] {
      if (!sc.generated) throw scenario_error{f.file.string() + ": --sweep " + key + " needs demand.generate"};
    };
    auto const probability = [&] {
      if (v < 0 || v > 1) throw scenario_error{"--sweep " + key + ": a probability must be in [0, 1]"};
      return v;
    };
    auto const non_negative = [&] {
      if (v < 0) throw scenario_error{"--sweep " + key + ": must not be negative"};
    };
    non_negative();
    if (key == "fleet") {
      fleet_size = static_cast<int>(i);
    } else if (key == "seats") {
      seats = static_cast<std::uint16_t>(i);
    } else if (key == "max_wait_s") {
      r.max_wait = s();
    } else if (key == "ride_factor") {
      r.ride_alpha = v;
    } else if (key == "ride_offset_s") {
      r.ride_beta = s();
    } else if (key == "dwell_s") {
      r.dwell = s();
    } else if (key == "offer_ttl_s") {
      r.offer_ttl = s();
    } else if (key == "no_show_wait_s") {
      r.no_show_wait = s();
    } else if (key == "promise_slack_s") {
      r.promise_slack = s();
    } else if (key == "max_booking_ahead_s") {
      r.max_booking_ahead = s();
    } else if (key == "max_passengers") {
      r.max_passengers = static_cast<std::uint16_t>(i);
    } else if (key == "passenger_weight") {
      r.passenger_weight = v;
    } else if (key == "max_walk_m") {
      r.max_walk_m = v;
    } else if (key == "demand_scale") {
      need_generator();
      sc.generated->scale = v;
      e["demand"]["generate"]["scale"] = v;
    } else if (key == "requests_per_day") {
      need_generator();
      sc.generated->requests_per_day = v;
      e["demand"]["generate"]["requests_per_day"] = v;
    } else if (key == "decline_probability") {
      sc.riders.decline_probability = probability();
      e["riders"][key] = v;
    } else if (key == "cancel_probability") {
      sc.riders.cancel_probability = probability();
      e["riders"][key] = v;
    } else if (key == "no_show_probability") {
      sc.riders.no_show_probability = probability();
      e["riders"][key] = v;
    } else if (key == "reoptimise_every_s") {
      sc.reoptimise_every = s();
      e["simulation"][key] = s();
    } else {
      throw scenario_error{"--sweep: unknown key " + key};
    }
  }
  if (fleet_size || seats) {
    if (f.fleet_gen) {
      auto g = *f.fleet_gen;
      if (fleet_size) g.count = *fleet_size;
      if (seats) g.seats = *seats;
      sc.fleet = generate_fleet(g);
      e["fleet"]["count"] = g.count;
      e["fleet"]["seats"] = g.seats;
    } else {
      if (fleet_size) {
        if (static_cast<std::size_t>(*fleet_size) > f.fleet_csv.size()) {
          throw scenario_error{"--sweep fleet=" + std::to_string(*fleet_size) + ": the fleet CSV has only " +
                               std::to_string(f.fleet_csv.size()) + " vehicles"};
        }
        sc.fleet.assign(f.fleet_csv.begin(), f.fleet_csv.begin() + *fleet_size);
        e["fleet"]["vehicles"] = *fleet_size;
      }
      if (seats) {
        for (auto& v : sc.fleet) v.seats = *seats;
        e["fleet"]["seats"] = *seats;
      }
    }
  }
  if (seed) sc.seed = *seed;
  drop_unusable_meeting_points(sc.rules);
  e["seed"] = sc.seed;
  auto intermodal = e["rules"].contains("intermodal") ? e["rules"]["intermodal"] : json{};
  e["rules"] = drt_config::rules_to_json(sc.rules);
  if (!intermodal.is_null()) e["rules"]["intermodal"] = std::move(intermodal);  // a journeys run's settings
  return run;
}

sweep_axis parse_sweep(std::string const& text) {
  auto const fail = [&](std::string const& why) -> void { throw scenario_error{"--sweep " + text + ": " + why}; };
  auto const eq = text.find('=');
  if (eq == std::string::npos || eq == 0) fail("expected key=a..b:step or key=v1,v2,...");
  sweep_axis a;
  a.key = text.substr(0, eq);
  auto const it = std::find_if(key_table().begin(), key_table().end(), [&](key_info const& k) { return a.key == k.key; });
  if (it == key_table().end()) {
    std::string list;
    for (auto const& k : sweepable_keys()) list += (list.empty() ? "" : ", ") + k;
    fail("unknown key '" + a.key + "' (sweepable: " + list + ")");
  }
  auto const rest = text.substr(eq + 1);
  auto const num = [&](std::string const& s) {
    char* end = nullptr;
    auto const v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) fail("'" + s + "' is not a number");
    if (it->integer && v != std::floor(v)) fail(a.key + " takes integers, not '" + s + "'");
    return v;
  };
  auto const label = [&](double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.10g", v);
    return std::string{buf};
  };
  auto const dots = rest.find("..");
  if (dots != std::string::npos) {
    auto const colon = rest.find(':', dots);
    auto const lo = num(rest.substr(0, dots));
    auto const hi = num(rest.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2));
    auto const step = colon == std::string::npos ? 1.0 : num(rest.substr(colon + 1));
    if (step <= 0) fail("the step must be positive");
    if (hi < lo) fail("the range is empty");
    auto const n = static_cast<long long>(std::floor((hi - lo) / step + 1e-9)) + 1;
    if (n > 10'000) fail("more than 10,000 values");
    for (long long k = 0; k < n; ++k) {
      auto const v = lo + static_cast<double>(k) * step;
      auto const rounded = it->integer ? std::round(v) : std::round(v * 1e9) / 1e9;
      a.values.push_back(rounded);
    }
  } else {
    std::size_t start = 0;
    while (start <= rest.size()) {
      auto const comma = rest.find(',', start);
      a.values.push_back(num(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (a.values.size() > 10'000) fail("more than 10,000 values");
  }
  for (auto const v : a.values) {
    if (v < 0) fail("values must not be negative");
    a.labels.push_back(label(v));
  }
  return a;
}

// --- the runner ---

std::string run_dir_name(std::size_t run) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "run-%04zu", run);
  return buf;
}

sweep_plan plan_sweep(scenario_file const& f, std::vector<std::string> const& sweeps, std::optional<std::uint64_t> seed) {
  sweep_plan plan;
  for (auto const& s : sweeps) {
    auto a = parse_sweep(s);
    for (auto const& b : plan.axes) {
      if (b.key == a.key) throw scenario_error{"--sweep " + a.key + " given twice"};
    }
    plan.axes.push_back(std::move(a));
  }
  plan.n_runs = 1;
  for (auto const& a : plan.axes) {
    plan.n_runs *= a.values.size();
    if (plan.n_runs > 100'000) throw scenario_error{"--sweep: more than 100,000 combinations"};
  }
  for (std::size_t run = 0; run < plan.n_runs && !plan.axes.empty(); ++run) {
    (void)make_run(f, sweep_overrides(plan, run), seed);
  }
  return plan;
}

std::vector<std::pair<std::string, double>> sweep_overrides(sweep_plan const& plan, std::size_t run,
                                                            std::vector<std::string>* labels) {
  auto const& axes = plan.axes;
  std::vector<std::pair<std::string, double>> ov;
  if (labels != nullptr) labels->assign(axes.size(), {});
  auto rest = run;
  for (std::size_t k = axes.size(); k-- > 0;) {
    auto const i = rest % axes[k].values.size();
    ov.insert(ov.begin(), {axes[k].key, axes[k].values[i]});
    if (labels != nullptr) (*labels)[k] = axes[k].labels[i];
    rest /= axes[k].values.size();
  }
  return ov;
}

sweep_summary run_sweep(scenario_file const& f, sweep_plan const& plan, road::travel_model const& model,
                        fs::path const& out, sweep_options const& o) {
  if (o.shard.count == 0 || o.shard.index >= o.shard.count) throw scenario_error{"--shard: I must be below N"};
  std::vector<std::size_t> mine;  // this shard's runs, 0-based
  for (auto r = o.shard.index; r < plan.n_runs; r += o.shard.count) mine.push_back(r);
  auto const n_runs = mine.size();
  auto const n_seeds = std::max(1U, o.seeds);
  auto const n_jobs = n_runs * n_seeds;
  auto const first_seed = o.seed.value_or(f.base.seed);
  std::vector<std::uint64_t> seeds;
  for (unsigned k = 0; k < n_seeds; ++k) seeds.push_back(first_seed + k);
  std::vector<std::string> keys;
  for (auto const& a : plan.axes) keys.push_back(a.key);
  auto sopt = o.sim;
  sopt.progress = {};
  std::vector<std::string> rows(n_runs);
  std::vector<std::string> validation(n_jobs);
  std::vector<std::vector<json>> kpis_of(n_runs, std::vector<json>(n_seeds));
  std::vector<std::atomic<unsigned>> seeds_done(n_runs);
  sweep_summary summary;
  summary.fleet_size.assign(n_runs, 0.0);
  summary.kpis.assign(n_runs, json::object());
  std::atomic<std::size_t> next{0}, finished{0};
  std::mutex error_mutex, progress_mutex;
  std::exception_ptr error;
  // The job of (this shard's run i, seed k) is i * n_seeds + k; the last seed of a run to finish
  // writes its summary.
  auto const worker = [&] {
    while (true) {
      auto const job = next.fetch_add(1);
      if (job >= n_jobs) return;
      {
        std::lock_guard const lock{error_mutex};
        if (error) return;
      }
      try {
        auto const i = job / n_seeds, k = job % n_seeds;  // i: this shard's i-th run
        auto const run = mine[i];
        std::vector<std::string> labels;
        auto const setup = make_run(f, sweep_overrides(plan, run, &labels), seeds[k]);
        auto const res = sim::simulate(setup.sc, model, sopt);
        auto const dir = run_dir_name(run + 1);
        if (k == 0) {
          write_run(out / dir, setup.echo, res);
          summary.fleet_size[i] = static_cast<double>(setup.sc.fleet.size());
        }
        kpis_of[i][k] = kpis_to_json(res.k);
        if (!res.validation_errors.empty()) {
          validation[job] =
              dir + (n_seeds > 1 ? " seed " + std::to_string(seeds[k]) : "") + ": " + res.validation_errors.front();
        }
        if (++seeds_done[i] == n_seeds) {
          if (n_seeds > 1) {
            write_seed_summary(out / dir, seeds, kpis_of[i]);
            auto with_ranges = kpis_of[i][0];
            with_ranges["across_seeds"] = across_seeds(seeds, kpis_of[i]);
            rows[i] = sweep_csv_row(run + 1, dir, labels, seeds[0], with_ranges);
            summary.kpis[i] = with_ranges["across_seeds"]["mean"];
          } else {
            rows[i] = sweep_csv_row(run + 1, dir, labels, seeds[0], res.k);
            summary.kpis[i] = kpis_of[i][0];
          }
          if (o.after_run) o.after_run(out / dir);
        }
        auto const done = ++finished;
        std::lock_guard const lock{progress_mutex};
        if (o.progress) o.progress(done, n_jobs);
      } catch (...) {
        std::lock_guard const lock{error_mutex};
        if (!error) error = std::current_exception();
      }
    }
  };
  summary.n_runs = n_runs;
  auto n_threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  summary.n_threads = static_cast<unsigned>(std::clamp<std::size_t>(n_jobs, 1, n_threads));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < summary.n_threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  std::string csv = sweep_csv_header(keys, n_seeds > 1);
  for (auto const& r : rows) csv += r;
  write_file(out / (o.shard.count == 1 ? std::string{"sweep.csv"} : sweep_shard_file(o.shard)), csv);
  for (auto& v : validation) {
    if (!v.empty()) summary.validation.push_back(std::move(v));
  }
  return summary;
}

}  // namespace nebuta::sim_io
