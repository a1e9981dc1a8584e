// What report.html is drawn from (run_report.cc reads it), shared by its parts: run_report.cc
// (charts, tables), run_kpis.cc (summary and KPI table), run_map.cc (the map). Not installed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "labels.h"
#include "nebuta/core/geo.h"

namespace nebuta::report::detail {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Input

// "open": booked or on board when a live service's day was exported before it ended (docs/drt-api.md).
enum class request_status : std::uint8_t { served, no_show, cancelled, declined, rejected, open };
inline constexpr std::size_t n_statuses = 6;
// Stacking order bottom to top, with colours and labels.
inline constexpr std::string_view status_names[n_statuses] = {"served",   "no_show",  "cancelled",
                                                              "declined", "rejected", "open"};
inline constexpr std::string_view status_colours[n_statuses] = {"#0072b2", "#cc79a7", "#999999",
                                                                "#e69f00", "#d55e00", "#56b4e9"};
inline constexpr std::string_view status_labels[n_statuses] = {"served",   "no-show",  "cancelled",
                                                               "declined", "rejected", "open"};

enum class event_kind : std::uint8_t { depart_depot, pickup, dropoff, no_show, return_depot };
inline constexpr std::string_view event_kind_names[] = {"depart_depot", "pickup", "dropoff", "no_show", "return_depot"};

struct request_row {
  double earliest_pickup;
  request_status status;
  latlon origin;
  std::optional<double> wait_s;
  std::optional<double> detour;
};

struct event_row {
  double time;
  std::string vehicle;
  event_kind kind;
  latlon position;
  double onboard;
};

struct vehicle_row {
  std::string id;
  double seats, wheelchair_spaces, km_driven, km_empty, hours_in_service, passengers_carried;
};

struct run_data {
  std::string name;
  json rules;  // object, or null when the scenario has none
  json kpis;
  std::vector<request_row> requests;
  std::vector<event_row> events;
  std::vector<vehicle_row> vehicles;
  std::vector<std::vector<latlon>> service_area_rings;  // outer rings and holes alike
  std::vector<std::size_t> ring_polygon;                // polygon index of each ring
  std::vector<latlon> meeting_points;
};

// The map's base layer (network.json, written by `nebuta simulate` with a transit timetable):
// route lines and the main stations with their names.
struct network_line {
  std::string id, name, colour;
  std::vector<latlon> points;
};
struct network_station {
  std::string name;
  latlon at{};
  double departures{0};
};

struct run_extras {
  json scenario;
  std::vector<network_line> lines;
  std::vector<network_station> stations;
};

std::string kpi_table(run_data const& run, std::string const& kpi_file, words const& w);
std::string summary_section(run_data const& run, run_extras const& extras, words const& w);
std::string map_figure(run_data const& run, run_extras const& extras, words const& w);
bool inside_area(run_data const& run, latlon p);

}  // namespace nebuta::report::detail
