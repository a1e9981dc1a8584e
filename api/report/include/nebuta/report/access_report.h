// access.html of `nebuta accessibility`: maps of travel-time classes to each destination set,
// of the minutes an on-demand service saves, and of the coverage of the fixed network (交通空白),
// with tables of the people (or cells) behind every class. Same self-contained style as
// report.html: inline CSS and SVG, no scripts; every map cell carries its numbers in data-*
// attributes (data-minutes, data-people, data-saved, data-nearest-stop-m, data-departures).
// lang "ja" writes every label, unit and sentence in Japanese; "en" in English.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nebuta/core/geo.h"

namespace nebuta::report {

struct access_cell {
  std::string id;
  double south{0}, west{0}, north{0}, east{0};  // the cell; a point origin has south == north
  latlon at{};
  double people{0.0};
};

struct access_set {
  std::string label;
  std::vector<latlon> points;
  std::vector<std::int16_t> minutes;       // per cell, the reported percentile; -1 unreachable
  std::vector<std::int16_t> with_service;  // the same with the on-demand service; empty without one
};

struct access_coverage {
  std::optional<double> nearest_bus_stop_m, nearest_station_m;
  std::uint32_t departures{0};
  bool gap{false}, few_departures{false};
};

struct access_report_input {
  std::string lang{"en"};                    // "en" or "ja"
  std::string date;                          // "2026-04-08"
  std::string window_from;                   // "07:00"
  std::string window_to;                     // "09:00"
  double percentile{50};                     // the percentile the maps show
  std::vector<int> cutoffs{15, 30, 45, 60};  // minutes
  bool weighted{false};                      // people from grid-square statistics; else cells count equally
  std::string population_source;
  std::vector<access_cell> cells;
  std::vector<access_set> sets;
  std::vector<latlon> stops;                      // the feed's stops, a base layer
  std::vector<std::vector<latlon>> service_area;  // on-demand rings (empty: no service)
  // How the service was modelled: the expected wait, the farthest stop served, the driving times.
  std::int32_t service_wait_s{0};
  double service_max_ride_m{0};
  bool service_osm{false};  // road network; else straight lines x detour at speed_kmh
  double service_detour{1.3}, service_speed_kmh{30};
  std::vector<access_coverage> coverage;  // per cell, empty: no coverage layer
  double gap_stop_m{500}, gap_station_m{1000}, departures_radius_m{500};
  std::uint32_t min_departures{30};
};

// The HTML page. Throws std::invalid_argument for a lang other than en / ja or sizes that do not
// match the cells.
std::string access_report_html(access_report_input const& in);

}  // namespace nebuta::report
