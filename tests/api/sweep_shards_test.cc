// Sweeps as independent jobs: a 2 x 2 x 3 sweep run as 3 shards (`nebuta simulate --shard I/3`),
// in three folders and in one shared folder, merged by `nebuta report --sweep DIR...` into the
// same bytes of sweep.csv and sweep.html (and the same run folders) as the sweep run in one
// process; a missing shard or a bad --shard is refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "run_nebuta.h"
#include "temp_dir.h"

namespace {

namespace fs = std::filesystem;
using nebuta::test::read_file;
using nebuta::test::run_nebuta;
using nebuta::test::shell_quote;

// A small generated day around one point, straight lines: well under a second per run.
constexpr char const* scenario_json = R"({
  "name": "shard-test", "seed": 5,
  "rules": {"max_wait_s": 900, "max_walk_m": 0},
  "fleet": {"count": 2, "seats": 4, "depots": [[40.51, 141.49]], "shifts": [["06:00", "22:00"]]},
  "demand": {"generate": {"requests_per_day": 40,
                          "origins": {"zones": [{"lat": 40.51, "lon": 141.49, "radius_m": 3000}]}}},
  "travel": {"model": "straight_line", "detour_factor": 1.3, "speed_kmh": 30}
})";

std::string const axes = " --sweep fleet=1,2 --sweep max_wait_s=600,1200 --sweep demand_scale=0.5,1,1.5";

}  // namespace

TEST_CASE("simulate --shard: three shards merge to the bytes of the single-process sweep", "[simulate][sweep][shard]") {
  nebuta::test::temp_dir dir{"shards"};
  auto const scenario = dir.write("scenario.json", scenario_json);
  auto const simulate = [&](fs::path const& out, std::string const& extra) {
    auto const r = run_nebuta("simulate --scenario " + shell_quote(scenario.string()) + " --out " +
                              shell_quote(out.string()) + axes + extra);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  };
  auto const single = dir.path / "single";
  simulate(single, " --threads 2");
  auto const expected_csv = read_file(single / "sweep.csv");
  auto const expected_html = read_file(single / "sweep.html");
  std::size_t lines = 0;
  for (auto const c : expected_csv) lines += c == '\n' ? 1 : 0;
  REQUIRE(lines == 13);  // header + 12 runs
  REQUIRE(expected_html.find("12 runs") != std::string::npos);

  // Three jobs, three folders (as pods with their own volumes), merged into the first.
  for (int i = 0; i < 3; ++i) {
    auto const out = dir.path / ("shard" + std::to_string(i));
    auto const r = simulate(out, " --threads 1 --shard " + std::to_string(i) + "/3");
    CHECK(r.out.find("shard " + std::to_string(i) + "/3: 4 of 12 runs on 1 threads") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "sweep.csv"));
    CHECK_FALSE(fs::exists(out / "sweep.html"));
    // Its share, round robin: runs i+1, i+4, i+7, i+10, in the folders of the whole sweep.
    auto const rows = read_file(out / ("sweep.shard-" + std::to_string(i) + "-of-3.csv"));
    std::istringstream in{rows};
    std::string line;
    std::getline(in, line);
    for (int k = 0; k < 4; ++k) {
      REQUIRE(std::getline(in, line));
      auto const run = i + 1 + 3 * k;
      char dir_name[16];
      std::snprintf(dir_name, sizeof dir_name, "run-%04d", run);
      CHECK(line.starts_with(std::to_string(run) + "," + dir_name + ","));
      CHECK(fs::exists(out / dir_name / "kpis.json"));
    }
    CHECK_FALSE(std::getline(in, line));
  }
  {
    // One shard missing: refused, nothing written.
    auto const r = run_nebuta("report --sweep " + shell_quote((dir.path / "shard0").string()) + " " +
                              shell_quote((dir.path / "shard2").string()));
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("shard 1 of 3 (sweep.shard-1-of-3.csv) is missing") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path / "shard0" / "sweep.csv"));
  }
  auto const merged = run_nebuta("report --sweep " + shell_quote((dir.path / "shard0").string()) + " " +
                                 shell_quote((dir.path / "shard1").string()) + " --sweep " +
                                 shell_quote((dir.path / "shard2").string()));
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(read_file(dir.path / "shard0" / "sweep.csv") == expected_csv);
  CHECK(read_file(dir.path / "shard0" / "sweep.html") == expected_html);
  for (int run = 1; run <= 12; ++run) {
    char dir_name[16];
    std::snprintf(dir_name, sizeof dir_name, "run-%04d", run);
    INFO(dir_name);
    for (auto const* f : {"scenario.json", "requests.csv", "vehicles.csv", "events.csv", "kpis.json", "report.html"})
      CHECK(read_file(dir.path / "shard0" / dir_name / f) == read_file(single / dir_name / f));
  }

  // Three jobs writing into one shared folder (a Slurm array on a shared file system).
  auto const shared = dir.path / "shared";
  for (int i = 0; i < 3; ++i) simulate(shared, " --threads 1 --shard " + std::to_string(i) + "/3");
  auto const again = run_nebuta("report --sweep " + shell_quote(shared.string()));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(read_file(shared / "sweep.csv") == expected_csv);
  CHECK(read_file(shared / "sweep.html") == expected_html);

  // --shard must be I/N with I < N, and needs --sweep.
  for (auto const* bad : {"3/3", "1", "a/2", "0/0", "-1/2"}) {
    INFO(bad);
    auto const r = run_nebuta("simulate --scenario " + shell_quote(scenario.string()) + " --out " +
                              shell_quote((dir.path / "bad").string()) + axes + " --shard " + bad);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("--shard") != std::string::npos);
  }
  auto const no_sweep = run_nebuta("simulate --scenario " + shell_quote(scenario.string()) + " --out " +
                                   shell_quote((dir.path / "bad").string()) + " --shard 0/2");
  CHECK(no_sweep.exit_code != 0);
  CHECK(no_sweep.err.find("--shard needs --sweep") != std::string::npos);
}
