// The records of one feed as read_feed() returns them, and what to read.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/records.h"
#include "nebuta/gtfs/table.h"

namespace nebuta::gtfs {

// Tables beyond what routing needs can be skipped to load faster.
struct read_options {
  bool shapes{true};
  bool fares{true};
  bool jp_extensions{true};
};

struct feed {
  std::vector<agency> agencies;
  std::vector<stop> stops;
  std::vector<route> routes;
  std::vector<trip> trips;
  std::vector<stop_time> stop_times;
  std::vector<calendar> calendars;
  std::vector<calendar_date> calendar_dates;
  std::vector<frequency> frequencies;
  std::vector<transfer> transfers;
  std::vector<fare_attribute> fare_attributes;
  std::vector<fare_rule> fare_rules;
  // Fares v2
  std::vector<timeframe> timeframes;
  std::vector<rider_category> rider_categories;
  std::vector<fare_media> fare_medias;
  std::vector<fare_product> fare_products;
  std::vector<fare_leg_rule> fare_leg_rules;
  std::vector<fare_transfer_rule> fare_transfer_rules;
  std::vector<area> areas;
  std::vector<stop_area> stop_areas;
  std::vector<network> networks;
  std::vector<route_network> route_networks;
  // fare_leg_rules.txt has a rule_priority column: empty fields are then wildcards, not "every
  // value not listed elsewhere" (the spec's two matching modes).
  bool fare_leg_rules_have_priority{false};
  std::optional<feed_info> info;
  std::vector<shape_point> shapes;
  std::vector<translation> translations;
  std::vector<agency_jp> agencies_jp;
  std::vector<route_jp> routes_jp;
  std::vector<office_jp> offices_jp;
  std::vector<pattern_jp> patterns_jp;
  problem_log problems;
  std::map<std::string, std::uint64_t> rows_read;  // data rows per file, including skipped ones

  // The bytes every view above points into. Deques never move their elements.
  std::deque<std::string> buffers;
  string_arena arena;
};

}  // namespace nebuta::gtfs
