// Compiles feeds given in plain engine types into a timetable. The engine knows nothing of files
// or CSV: feeds/ turns bytes into these records (string views into memory it keeps alive until
// build() returns) and the builder does everything that needs the whole picture: interpolation,
// frequency expansion, RAPTOR route grouping, service bitfields, footpaths, translations.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/core/problem.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::build {

// Where an input record came from, so problems can be reported as file:line.
struct origin {
  std::uint32_t file_line{0};
};

struct agency : origin {
  std::string_view id, name, timezone, url, lang;
};

struct stop : origin {
  std::string_view id, name, platform_code, parent_id;
  std::optional<latlon> coord;
  std::uint8_t location_type{0};
  std::uint8_t wheelchair_boarding{0};
};

struct line : origin {
  std::string_view id, agency_id, short_name, long_name, color, text_color;
  std::int16_t type{3};
};

struct trip : origin {
  std::string_view id, line_id, service_id, headsign, short_name;
  std::uint8_t wheelchair_accessible{0};
  std::string_view block_id;  // trips of one block_id and service day are one vehicle's work
  std::string_view shape_id;
};

struct stop_time : origin {
  std::string_view trip_id, stop_id, stop_headsign;
  std::uint32_t stop_sequence{0};
  std::optional<seconds_t> arrival, departure;
  std::uint8_t pickup_type{0}, drop_off_type{0};
  bool flex{false};                  // GTFS-Flex row (zone or pickup/drop-off window): not a timetabled stop
  std::optional<double> shape_dist;  // shape_dist_traveled, in the units of the trip's shape
};

// One row of shapes.txt.
struct shape_point : origin {
  std::string_view shape_id;
  latlon coord;
  std::uint32_t sequence{0};
  std::optional<double> dist;  // shape_dist_traveled
};

struct calendar : origin {
  std::string_view service_id;
  std::uint8_t weekdays{0};  // bit 0 = Monday ... bit 6 = Sunday
  date_t start, end;
};

struct calendar_date : origin {
  std::string_view service_id;
  date_t date;
  std::uint8_t exception_type{0};  // 1 added, 2 removed
};

struct frequency : origin {
  std::string_view trip_id;
  seconds_t start{0}, end{0}, headway{0};
};

struct transfer : origin {
  std::string_view from_stop, to_stop;
  std::uint8_t transfer_type{0};
  std::optional<std::uint32_t> min_transfer_time;
  std::string_view from_trip, to_trip;  // linked trips (transfer_type 4 and 5)
};

// One translation row. The legacy GTFS-JP dialect (trans_id, lang, translation) translates a
// string wherever it appears: give it with an empty table and field, field_value = trans_id.
struct translation : origin {
  std::string_view table, field, language, translation, record_id, record_sub_id, field_value;
};

struct feed {
  std::string name;
  std::string_view default_lang;  // feed_info.feed_lang or agency_lang
  std::vector<agency> agencies;
  std::vector<stop> stops;
  std::vector<line> lines;
  std::vector<trip> trips;
  std::vector<stop_time> stop_times;
  std::vector<calendar> calendars;
  std::vector<calendar_date> calendar_dates;
  std::vector<frequency> frequencies;
  std::vector<transfer> transfers;
  std::vector<translation> translations;
  std::vector<shape_point> shapes;
  load_stats rows_read;  // rows in the files, before anything was dropped
};

using nebuta::problem;  // nebuta/core/problem.h

struct options {
  // Walking links between stops are stored up to this radius; queries may use any radius up to it.
  float walk_link_radius_m{1000.0F};
};

using problem_sink = std::function<void(problem const&)>;

// Problems are reported through `report` (the bad record is skipped); warnings found earlier by
// the reader are passed in `reader_warnings` so that the timetable's counts cover both.
timetable compile(std::vector<feed> const& feeds, options const& opt, problem_sink const& report,
                  std::vector<std::pair<std::string, std::uint64_t>> const& reader_warnings = {});

}  // namespace nebuta::build
