// Shared by the reader's steps: the GTFS records, the model being built and the id → index maps.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nebuta/flex/model.h"
#include "nebuta/gtfs/feed.h"
#include "nebuta/gtfs_flex/reader.h"

namespace nebuta::gtfs_flex::detail {

struct state {
  gtfs::feed& f;
  result& out;
  flex::builder b;
  std::unordered_map<std::string, flex::zone_idx> zones;
  std::unordered_map<std::string, flex::group_idx> groups;
  std::unordered_map<std::string, flex::booking_rule_idx> rules;
  std::unordered_map<std::string, flex::service_idx> services;
  std::unordered_map<std::string_view, std::size_t> gtfs_stops;  // stop_id → index in f.stops
  std::unordered_map<std::string, flex::stop_idx> stops;

  void problem(std::string file, std::uint32_t line, std::string kind, std::string message) {
    f.problems.add(std::move(file), line, std::move(kind), std::move(message));
  }
  // The flex stop for a stops.txt stop_id (added on first use); nullopt when the feed has no
  // such stop or it has no coordinates.
  std::optional<flex::stop_idx> stop(std::string_view id);
};

void read_locations(gtfs::feed_source const& src, state& s);  // locations.cc
void read_flex_stop_times(state& s);                          // stop_times.cc

}  // namespace nebuta::gtfs_flex::detail
