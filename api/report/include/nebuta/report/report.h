// Self-contained HTML reports of `nebuta simulate` output: one file per run directory and one per
// sweep directory. Inline CSS and SVG only, no scripts and no external references, so a report
// opens offline, can be mailed as one file and prints well. The output is a pure function of the
// input files (byte-identical for the same input).
//
// Error policy: the input was written by the simulator, so anything unexpected is a hard error. A
// missing file throws report_error "path: cannot open"; a malformed row throws "path:line: reason"
// (wrong number of fields, missing column, a value that is not a number, an unknown status or
// event kind); invalid JSON throws "path: invalid JSON: ..." (the parser's message names the line).
// Nothing is written when reading fails.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace nebuta::report {

struct report_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct options {
  std::string lang{"en"};  // "en" or "ja": every label, unit and caption in that language
};

// Reads run_dir/{scenario.json, requests.csv, vehicles.csv, events.csv, kpis.json} and writes
// run_dir/report.html: KPI table, rules, histograms of waits and detours, requests per hour by
// status, vehicles busy over the day, a map, and the fleet table.
void write_run_report(std::filesystem::path const& run_dir, options const& opt = {});

// Reads out_dir/sweep.csv and writes out_dir/sweep.html: a table of every run (linking to its
// report.html) and line charts of served rate, cost per passenger and p95 wait against the first
// swept key, one line per combination of the other swept keys.
void write_sweep_report(std::filesystem::path const& out_dir, options const& opt = {});

}  // namespace nebuta::report
