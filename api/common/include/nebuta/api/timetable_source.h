// One way for every command to get a timetable: parse feeds (--feed) or load a snapshot
// (--snapshot). Errors are exceptions with a message meant for the person at the terminal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/snapshot.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::api {

struct timetable_source {
  std::vector<std::string> feeds;  // --feed PATH or NAME=PATH
  std::string snapshot;            // --snapshot FILE
  float walk_link_radius_m{1000.0F};
};

struct loaded_timetable {
  timetable tt;
  std::vector<snapshot_section> sections;      // stored beside the timetable; empty for feeds
  std::vector<gtfs_import::problem> problems;  // empty for snapshots
  double load_seconds{0.0};
  bool from_snapshot{false};
};

loaded_timetable load_timetable(timetable_source const& src);

std::vector<char> read_file_bytes(std::filesystem::path const& p);
void write_file_bytes(std::filesystem::path const& p, std::vector<char> const& bytes);

}  // namespace nebuta::api
