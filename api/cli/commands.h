// Each subcommand registers itself on the CLI11 app; main() only dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include "nebuta/api/timetable_source.h"

namespace nebuta::cli {

void register_inspect(CLI::App& app);
void register_import(CLI::App& app);
void register_plan(CLI::App& app);
void register_report(CLI::App& app);  // report.cc
void register_dispatch(CLI::App& app);
void register_simulate(CLI::App& app);       // simulate.cc
void register_rt_simulate(CLI::App& app);    // rt_simulate.cc
void register_flex_info(CLI::App& app);      // flex_info.cc
void register_accessibility(CLI::App& app);  // accessibility.cc

// --feed / --snapshot, shared by every command that needs a timetable.
inline void add_timetable_options(CLI::App& cmd, api::timetable_source& src, bool allow_snapshot = true) {
  cmd.add_option("--feed", src.feeds, "GTFS feed folder or .zip, as PATH or NAME=PATH (repeatable)");
  if (allow_snapshot) cmd.add_option("--snapshot", src.snapshot, "compiled timetable written by `nebuta import`");
  cmd.add_option("--walk-links", src.walk_link_radius_m,
                 "radius in metres up to which walking links between stops are precomputed")
      ->capture_default_str();
}

}  // namespace nebuta::cli
