// The sweep runner of api/sim_io, reached without the CLI: every run of a sweep must equal the
// single run it stands for (make_run + simulate, written by write_run), in the order of the
// axes, whatever the number of threads; and bad sweeps are refused before any work.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "nebuta/road/travel_model.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/output.h"
#include "nebuta/sim_io/scenario_file.h"
#include "nebuta/sim_io/sweep.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
namespace sim_io = nebuta::sim_io;
using nebuta::test::read_file;
using nebuta::test::temp_dir;

namespace {

// A small generated day around one point, straight lines: a few seconds per run under ASan.
constexpr char const* scenario_json = R"({
  "name": "sweep-test", "seed": 3,
  "rules": {"max_wait_s": 900, "max_walk_m": 0},
  "fleet": {"count": 2, "seats": 4, "depots": [[40.51, 141.49]], "shifts": [["06:00", "22:00"]]},
  "demand": {"generate": {"requests_per_day": 60,
                          "origins": {"zones": [{"lat": 40.51, "lon": 141.49, "radius_m": 3000}]}}},
  "travel": {"model": "straight_line", "detour_factor": 1.3, "speed_kmh": 30}
})";

std::vector<std::string> lines_of(std::string const& text) {
  std::vector<std::string> out;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("sim_io: a sweep's runs are the single runs they stand for, on any number of threads", "[sim_io][sweep]") {
  temp_dir dir{"sweep"};
  std::ofstream{dir.path / "scenario.json", std::ios::binary} << scenario_json;
  auto const f = sim_io::load_scenario(dir.path / "scenario.json");
  auto const plan = sim_io::plan_sweep(f, {"fleet=1..3", "max_wait_s=600,1200"}, 11U);
  REQUIRE(plan.n_runs == 6);
  // First axis slowest, as nested loops in command-line order.
  std::vector<std::string> labels;
  CHECK(sim_io::sweep_overrides(plan, 0, &labels) ==
        std::vector<std::pair<std::string, double>>{{"fleet", 1}, {"max_wait_s", 600}});
  CHECK(labels == std::vector<std::string>{"1", "600"});
  CHECK(sim_io::sweep_overrides(plan, 3, &labels) ==
        std::vector<std::pair<std::string, double>>{{"fleet", 2}, {"max_wait_s", 1200}});
  CHECK(labels == std::vector<std::string>{"2", "1200"});
  CHECK(sim_io::run_dir_name(12) == "run-0012");

  nebuta::road::straight_line_model const model{1.3, 30.0};
  std::string first_csv;
  for (unsigned const threads : {1U, 3U}) {
    auto const out = dir.path / ("threads-" + std::to_string(threads));
    sim_io::sweep_options o;
    o.seed = 11U;
    o.threads = threads;
    std::mutex m;
    std::vector<fs::path> written;
    std::vector<std::size_t> done;
    o.after_run = [&](fs::path const& run_dir) {
      std::lock_guard const lock{m};
      written.push_back(run_dir);
    };
    o.progress = [&](std::size_t d, std::size_t total) {
      CHECK(total == 6);
      done.push_back(d);
    };
    auto const summary = sim_io::run_sweep(f, plan, model, out, o);
    CHECK(summary.n_runs == 6);
    CHECK(summary.n_threads == threads);
    CHECK(summary.validation.empty());
    CHECK(written.size() == 6);
    CHECK(done == std::vector<std::size_t>{1, 2, 3, 4, 5, 6});
    auto const csv = read_file(out / "sweep.csv");
    if (first_csv.empty()) {
      first_csv = csv;
    } else {
      CHECK(csv == first_csv);  // the same bytes whatever the number of threads
    }
  }

  // Each row and each run's files, computed the long way: one run at a time.
  auto const rows = lines_of(first_csv);
  REQUIRE(rows.size() == 7);
  CHECK(rows[0] == lines_of(sim_io::sweep_csv_header({"fleet", "max_wait_s"}))[0]);
  std::set<std::string> distinct_requests;
  for (std::size_t run = 0; run < 6; ++run) {
    std::vector<std::string> run_labels;
    auto const setup = sim_io::make_run(f, sim_io::sweep_overrides(plan, run, &run_labels), 11U);
    auto const res = nebuta::sim::simulate(setup.sc, model, {});
    auto const name = sim_io::run_dir_name(run + 1);
    CHECK(rows[run + 1] + "\n" == sim_io::sweep_csv_row(run + 1, name, run_labels, setup.sc.seed, res.k));
    auto const direct = dir.path / "direct" / name;
    sim_io::write_run(direct, setup.echo, res);
    for (auto const* file : {"scenario.json", "requests.csv", "vehicles.csv", "events.csv", "kpis.json"}) {
      INFO(name << "/" << file);
      CHECK(read_file(dir.path / "threads-3" / name / file) == read_file(direct / file));
    }
    distinct_requests.insert(read_file(direct / "requests.csv"));
  }
  CHECK(distinct_requests.size() > 1);  // the swept values change the outcome
}

TEST_CASE("sim_io: bad sweeps are refused before any run", "[sim_io][sweep]") {
  temp_dir dir{"sweep-bad"};
  std::ofstream{dir.path / "scenario.json", std::ios::binary} << scenario_json;
  auto const f = sim_io::load_scenario(dir.path / "scenario.json");
  CHECK_THROWS_WITH(sim_io::plan_sweep(f, {"fleet=1,2", "fleet=3"}, {}), "--sweep fleet given twice");
  CHECK_THROWS_WITH(sim_io::plan_sweep(f, {"fleet=1..1000", "max_wait_s=1..101"}, {}),
                    "--sweep: more than 100,000 combinations");
  CHECK_THROWS_AS(sim_io::plan_sweep(f, {"decline_probability=0.5,2"}, {}), sim_io::scenario_error);
  auto const none = sim_io::plan_sweep(f, {}, {});
  CHECK(none.axes.empty());
  CHECK(none.n_runs == 1);
}
