// GTFS-Flex v2 in: a feed folder or .zip → flex::model. Reads locations.geojson (Polygon and
// MultiPolygon features), location_groups.txt + location_group_stops.txt, booking_rules.txt,
// calendar(_dates).txt for the flex trips' services, and the rows of stop_times.txt of trips that
// have at least one start/end_pickup_drop_off_window (the flex trips; their timed stops too).
//
// Error policy (as feeds/gtfs): a missing required GTFS file throws gtfs::feed_error; a malformed
// row or feature is a problem ("file:line: message"; GeoJSON features are named by their JSON
// path, line 0) and is skipped; pre-v2 draft forms that can still be read (a zone id in stop_id,
// the column dropoff_booking_rule_id) are read and reported as notices; draft-only columns are
// reported once per file and ignored. See docs/flex.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "nebuta/core/problem.h"
#include "nebuta/flex/model.h"
#include "nebuta/gtfs/source.h"

namespace nebuta::gtfs_flex {

struct result {
  flex::model model;
  std::vector<problem> problems;                            // the GTFS reader's and ours, in reading order
  std::map<std::string, std::uint64_t> problem_counts;      // by kind
  std::map<std::string, std::uint64_t> unknown_geometries;  // GeoJSON geometry type → features skipped
  std::uint64_t group_stops{0};                             // rows of location_group_stops.txt read
};

result read(gtfs::feed_source const& src);
result read(std::filesystem::path const& path);

}  // namespace nebuta::gtfs_flex
