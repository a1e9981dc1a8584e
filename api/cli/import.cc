// `nebuta import`: compile feeds once into a snapshot that later commands load in milliseconds.
#include <iostream>

#include "commands.h"
#include "nebuta/raptor/index.h"
#include "nebuta/timetable/snapshot.h"

namespace nebuta::cli {

void register_import(CLI::App& app) {
  struct options {
    api::timetable_source src;
    std::string output;
  };
  auto opt = std::make_shared<options>();
  auto* cmd = app.add_subcommand("import", "compile feeds into a binary timetable snapshot");
  add_timetable_options(*cmd, opt->src, false);
  cmd->add_option("-o,--output", opt->output, "snapshot file to write")->required();
  cmd->callback([opt] {
    if (opt->src.feeds.empty()) throw std::runtime_error{"import needs at least one --feed"};
    auto const loaded = api::load_timetable(opt->src);
    // The router index's costly parts (its lower-bound graph, the stay-seated links) are most of
    // its build time on a large timetable (benchmarks/RESULTS.md, issue 10): stored here,
    // `serve --snapshot` loads them instead.
    raptor::index const idx{loaded.tt};
    auto const bytes = write_snapshot(loaded.tt, idx.snapshot_sections());
    api::write_file_bytes(opt->output, bytes);
    std::cerr << "wrote " << opt->output << ": " << bytes.size() << " bytes, " << loaded.tt.n_stop_times()
              << " stop times, " << loaded.problems.size() << " warnings\n";
  });
}

}  // namespace nebuta::cli
