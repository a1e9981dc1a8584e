// The records of one feed as read_feed() returns them, what to read, and how one file of it is
// opened and read into it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/records.h"
#include "nebuta/gtfs/source.h"
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
  // Nonstandard column names read as their GTFS name (a known writer's quirk, not a bad row):
  // feeds/flex reports them, the timetable does not need to.
  struct column_alias {
    std::string file, column, read_as;
  };
  std::vector<column_alias> column_aliases;
  std::map<std::string, std::uint64_t> rows_read;  // data rows per file, including skipped ones

  // The bytes every view above points into. Deques never move their elements.
  std::deque<std::string> buffers;
  string_arena arena;
};

namespace detail {

// A file of the feed with its header read (GTFS files read short rows, see table), or nullopt
// when the feed has no such file.
inline std::optional<table> open_table(feed_source const& src, feed& f, std::string const& file, bool required) {
  auto data = src.read(file);
  if (!data) {
    if (required) throw feed_error{src.path().string() + ": missing required file " + file};
    return std::nullopt;
  }
  auto const& buffer = f.buffers.emplace_back(std::move(*data));
  table t{file, buffer, f.arena, f.problems};
  t.read_short_rows(true);
  if (!t.has_header()) {
    if (required) throw feed_error{file + ": empty file (no header)"};
    return std::nullopt;
  }
  return t;
}

inline bool read_into(feed_source const& src, feed& f, std::string const& file, bool required,
                      void (*reader)(table&, feed&)) {
  auto t = open_table(src, f, file, required);
  if (!t) return false;
  reader(*t, f);
  f.rows_read[file] = t->rows_read();
  return true;
}

}  // namespace detail

}  // namespace nebuta::gtfs
