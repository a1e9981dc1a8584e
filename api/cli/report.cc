// `nebuta report`: regenerate report.html of a simulation run or sweep.html of a sweep from the
// files `nebuta simulate` wrote, e.g. after editing them or after an upgrade of the report.
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.h"
#include "nebuta/report/report.h"
#include "nebuta/sim_io/sweep.h"

namespace nebuta::cli {

void register_report(CLI::App& app) {
  struct options {
    std::string run_dir;
    std::vector<std::string> sweep_dirs;
    std::string lang{"en"};
  };
  auto opt = std::make_shared<options>();
  auto* cmd = app.add_subcommand("report", "write report.html of a simulation run or sweep.html of a sweep");
  auto* run = cmd->add_option("--run", opt->run_dir, "run directory (scenario.json, requests.csv, ...)");
  auto* sweep = cmd->add_option("--sweep", opt->sweep_dirs,
                                "sweep directory (sweep.csv); several, or one holding sweep.shard-I-of-N.csv files: "
                                "the shards of `nebuta simulate --shard` are merged into the first one's sweep.csv");
  run->excludes(sweep);
  cmd->add_option("--lang", opt->lang, "language of the report: en or ja")
      ->check(CLI::IsMember({"en", "ja"}))
      ->capture_default_str();
  cmd->callback([opt] {
    if (!opt->run_dir.empty()) {
      report::write_run_report(opt->run_dir, {.lang = opt->lang});
      std::cerr << "wrote " << (std::filesystem::path{opt->run_dir} / "report.html").string() << "\n";
    } else if (!opt->sweep_dirs.empty()) {
      std::filesystem::path const out{opt->sweep_dirs.front()};
      if (opt->sweep_dirs.size() > 1 || sim_io::has_sweep_shards(out)) {
        auto const runs = sim_io::merge_sweep_shards({opt->sweep_dirs.begin(), opt->sweep_dirs.end()});
        std::cerr << "merged " << runs << " runs into " << (out / "sweep.csv").string() << "\n";
      }
      report::write_sweep_report(out, {.lang = opt->lang});
      std::cerr << "wrote " << (out / "sweep.html").string() << "\n";
    } else {
      throw std::runtime_error{"report needs --run DIR or --sweep DIR"};
    }
  });
}

}  // namespace nebuta::cli
