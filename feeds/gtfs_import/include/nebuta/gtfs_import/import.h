// Reads GTFS / GTFS-JP feeds (folders or zips) and compiles them into one timetable.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/fare/build.h"
#include "nebuta/gtfs/reader.h"
#include "nebuta/timetable/builder.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::gtfs_import {

struct feed_spec {
  std::string name;  // namespace of the feed's ids ("name:id" when several feeds are loaded)
  std::filesystem::path path;
};

// "NAME=PATH" or "PATH"; the name defaults to the folder or zip name without extension.
feed_spec parse_feed_arg(std::string_view arg);

using nebuta::problem;  // nebuta/core/problem.h

struct load_result {
  timetable tt;
  std::vector<problem> problems;  // every skipped row or record, with file:line
  double load_seconds{0.0};
};

// Called with a short stage description ("reading stop_times.txt of hachinohe") as work progresses.
using progress_fn = std::function<void(std::string_view)>;

// Maps reader records to builder records; the views stay valid while `source` lives.
build::feed to_build_feed(gtfs::feed const& source, std::string name);

// Maps the reader's fare records (v1 and v2) to the fare builder's; same lifetime as above.
fare::feed to_fare_feed(gtfs::feed const& source, std::string name);

// Throws gtfs::feed_error for a missing feed, file or column.
load_result load(std::vector<feed_spec> const& feeds, build::options const& opt = {}, progress_fn const& progress = {});

}  // namespace nebuta::gtfs_import
