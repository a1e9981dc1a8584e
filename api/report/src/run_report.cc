// report.html of one simulation run. Every chart carries its numbers in data-* attributes
// (data-count on histogram bars and hourly segments, data-steps on the busy line), which keeps the
// figures checkable by tests and by anyone reading the file.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <array>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "input.h"
#include "nebuta/core/geo.h"
#include "nebuta/io/geojson.h"
#include "nebuta/io/json_path.h"
#include "nebuta/report/report.h"
#include "svg.h"

namespace nebuta::report {

namespace {

using namespace detail;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Input

// "open": booked or on board when a live service's day was exported before it ended (docs/drt-api.md).
enum class request_status : std::uint8_t { served, no_show, cancelled, declined, rejected, open };
constexpr std::size_t n_statuses = 6;
// Stacking order bottom to top, with colours and labels.
constexpr std::string_view status_names[n_statuses] = {"served", "no_show", "cancelled", "declined", "rejected",
                                                       "open"};
constexpr std::string_view status_colours[n_statuses] = {"#0072b2", "#cc79a7", "#999999",
                                                         "#e69f00", "#d55e00", "#56b4e9"};
constexpr std::string_view status_labels[n_statuses] = {"served", "no-show", "cancelled", "declined",
                                                        "rejected", "open"};

enum class event_kind : std::uint8_t { depart_depot, pickup, dropoff, no_show, return_depot };
constexpr std::string_view event_kind_names[] = {"depart_depot", "pickup", "dropoff", "no_show", "return_depot"};

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
  std::vector<std::size_t> ring_polygon;                 // polygon index of each ring
  std::vector<latlon> meeting_points;
};

std::vector<request_row> read_requests(std::filesystem::path const& file) {
  auto const t = read_csv(file);
  auto const c_earliest = t.column("earliest_pickup");
  auto const c_status = t.column("status");
  auto const c_olat = t.column("origin_lat");
  auto const c_olon = t.column("origin_lon");
  auto const c_wait = t.column("wait_s");
  auto const c_detour = t.column("detour_factor");
  t.column("request_id");
  std::vector<request_row> rows;
  rows.reserve(t.rows.size());
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    auto const& s = t.text(r, c_status);
    auto const it = std::find(std::begin(status_names), std::end(status_names), s);
    if (it == std::end(status_names)) t.fail(r, "unknown status '" + s + "'");
    rows.push_back({.earliest_pickup = t.number(r, c_earliest),
                    .status = static_cast<request_status>(it - std::begin(status_names)),
                    .origin = {t.latitude(r, c_olat), t.longitude(r, c_olon)},
                    .wait_s = t.optional_number(r, c_wait),
                    .detour = t.optional_number(r, c_detour)});
  }
  return rows;
}

std::vector<event_row> read_events(std::filesystem::path const& file) {
  auto const t = read_csv(file);
  auto const c_time = t.column("time");
  auto const c_vehicle = t.column("vehicle_id");
  auto const c_kind = t.column("kind");
  auto const c_lat = t.column("lat");
  auto const c_lon = t.column("lon");
  auto const c_onboard = t.column("onboard");
  std::vector<event_row> rows;
  rows.reserve(t.rows.size());
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    auto const& k = t.text(r, c_kind);
    auto const it = std::find(std::begin(event_kind_names), std::end(event_kind_names), k);
    if (it == std::end(event_kind_names)) t.fail(r, "unknown event kind '" + k + "'");
    if (t.text(r, c_vehicle).empty()) t.fail(r, "column 'vehicle_id' is empty");
    auto const onboard = t.number(r, c_onboard);
    if (onboard < 0) t.fail(r, "negative 'onboard'");
    rows.push_back({.time = t.number(r, c_time),
                    .vehicle = t.text(r, c_vehicle),
                    .kind = static_cast<event_kind>(it - std::begin(event_kind_names)),
                    .position = {t.latitude(r, c_lat), t.longitude(r, c_lon)},
                    .onboard = onboard});
  }
  return rows;
}

std::vector<vehicle_row> read_vehicles(std::filesystem::path const& file) {
  auto const t = read_csv(file);
  auto const c_id = t.column("vehicle_id");
  auto const c_seats = t.column("seats");
  auto const c_wheelchair = t.column("wheelchair_spaces");
  auto const c_km = t.column("km_driven");
  auto const c_empty = t.column("km_empty");
  auto const c_hours = t.column("hours_in_service");
  auto const c_passengers = t.column("passengers_carried");
  std::vector<vehicle_row> rows;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    rows.push_back({.id = t.text(r, c_id),
                    .seats = t.number(r, c_seats),
                    .wheelchair_spaces = t.number(r, c_wheelchair),
                    .km_driven = t.number(r, c_km),
                    .km_empty = t.number(r, c_empty),
                    .hours_in_service = t.number(r, c_hours),
                    .passengers_carried = t.number(r, c_passengers)});
  }
  return rows;
}

bool valid(latlon p) { return p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180; }

[[noreturn]] void raise_report_error(std::string const& message) { throw report_error{message}; }

// The service area as drawn: every ring closed again, with the polygon it belongs to.
void add_service_area(run_data& run, json const& area, std::string const& file) {
  if (area.is_null()) return;
  // A geometry that is no area at all, in the report's words.
  if (auto const t = area.find("type"); t != area.end() && t->is_string()) {
    auto const type = t->get<std::string>();
    if (type != "Polygon" && type != "MultiPolygon" && type != "Feature" && type != "FeatureCollection") {
      throw report_error{file + ": rules.service_area: service_area type '" + type + "' is not a polygon"};
    }
  }
  std::vector<std::vector<latlon>> rings;
  io::geojson::read_area(area, io::json_path{file, "rules.service_area", &raise_report_error}, rings, &run.ring_polygon);
  for (auto& ring : rings) {
    ring.push_back(ring.front());
    run.service_area_rings.push_back(std::move(ring));
  }
}

run_data read_run(std::filesystem::path const& dir) {
  run_data run;
  auto const scenario_file = dir / "scenario.json";
  auto const scenario = read_json_object(scenario_file);
  auto const where = scenario_file.string();
  if (scenario.contains("name") && !scenario["name"].is_string()) throw report_error{where + ": 'name' must be a string"};
  run.name = scenario.value("name", std::string{});
  if (scenario.contains("rules") && !scenario["rules"].is_null()) {
    run.rules = scenario["rules"];
    if (!run.rules.is_object()) throw report_error{where + ": 'rules' must be an object"};
    if (run.rules.contains("service_area")) add_service_area(run, run.rules["service_area"], where);
    if (run.rules.contains("meeting_points") && !run.rules["meeting_points"].is_null()) {
      auto const& points = run.rules["meeting_points"];
      if (!points.is_array()) throw report_error{where + ": rules.meeting_points must be an array of [lat, lon]"};
      for (auto const& p : points) {
        if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
          throw report_error{where + ": rules.meeting_points: each point must be [lat, lon]"};
        }
        latlon const point{p[0].get<double>(), p[1].get<double>()};
        if (!valid(point)) throw report_error{where + ": rules.meeting_points: " + p.dump() + " is out of range"};
        run.meeting_points.push_back(point);
      }
    }
  }
  run.kpis = read_json_object(dir / "kpis.json");
  run.requests = read_requests(dir / "requests.csv");
  run.vehicles = read_vehicles(dir / "vehicles.csv");
  run.events = read_events(dir / "events.csv");
  return run;
}

// ---------------------------------------------------------------------------------------------
// KPI table

std::string with_separators(double value) {
  auto digits = fixed(value, 0);
  auto const negative = digits.front() == '-';
  std::string out;
  auto const n = digits.size() - (negative ? 1 : 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i + (negative ? 1 : 0)];
  }
  return negative ? "-" + out : out;
}

std::string percent(double v) { return fixed(v * 100, 1) + " %"; }
std::string duration(double s) { return fixed(s / 60, 1) + " min (" + fixed(s, 0) + " s)"; }

struct kpi_line {
  std::string_view key;
  std::string_view label;
  std::string (*format)(double);
};

constexpr kpi_line kpi_lines[] = {
    {"requests", "requests", with_separators},
    {"served", "served", with_separators},
    {"served_rate", "served rate", percent},
    {"wait_mean_s", "wait, mean", duration},
    {"wait_p50_s", "wait, median", duration},
    {"wait_p95_s", "wait, 95th percentile", duration},
    {"wait_max_s", "wait, maximum", duration},
    {"ride_mean_s", "ride time, mean", duration},
    {"detour_mean", "detour factor, mean", [](double v) { return fixed(v, 2) + " × direct"; }},
    {"detour_p95", "detour factor, 95th percentile", [](double v) { return fixed(v, 2) + " × direct"; }},
    {"occupancy", "occupancy", [](double v) { return fixed(v, 2) + " passenger-km / vehicle-km"; }},
    {"pooling_rate", "pooling rate (shared rides)", percent},
    {"empty_km_share", "empty km share", percent},
    {"vehicle_utilisation", "vehicle utilisation", percent},
    {"passengers_per_vehicle_hour", "passengers per vehicle-hour", [](double v) { return fixed(v, 2); }},
    {"cost_per_passenger", "cost per passenger", [](double v) { return fixed(v, 2); }},
    {"farebox_recovery", "farebox recovery", percent},
};

std::string kpi_table(run_data const& run, std::string const& kpi_file) {
  std::string s = "<table id=\"kpis\">\n<tr><th>indicator</th><th>value</th></tr>\n";
  for (auto const& line : kpi_lines) {
    std::string const key{line.key};
    if (!run.kpis.contains(key)) throw report_error{kpi_file + ": missing key '" + key + "'"};
    auto const& v = run.kpis[key];
    std::string text;
    if (v.is_null()) {
      text = "n/a";
    } else if (v.is_number()) {
      text = line.format(v.get<double>());
    } else {
      throw report_error{kpi_file + ": '" + key + "' must be a number or null"};
    }
    s += "<tr data-kpi=\"" + escape(key) + "\"><td>" + escape(line.label) + "</td><td class=\"num\">" + escape(text) +
         "</td></tr>\n";
    if (key == "served") {
      if (!run.kpis.contains("rejected_by_reason") || !run.kpis["rejected_by_reason"].is_object()) {
        throw report_error{kpi_file + ": 'rejected_by_reason' must be an object reason → count"};
      }
      for (auto const& [reason, count] : run.kpis["rejected_by_reason"].items()) {
        if (!count.is_number()) throw report_error{kpi_file + ": rejected_by_reason." + reason + " must be a number"};
        s += "<tr data-kpi=\"rejected_by_reason\"><td>rejected: " + escape(reason) + "</td><td class=\"num\">" +
             escape(with_separators(count.get<double>())) + "</td></tr>\n";
      }
    }
  }
  s += "</table>\n";
  return s;
}

std::string rules_table(run_data const& run) {
  if (!run.rules.is_object()) return "<p class=\"note\">The scenario has no rules object.</p>\n";
  std::string s = "<table id=\"rules\">\n<tr><th>rule</th><th>value</th></tr>\n";
  for (auto const& [key, value] : run.rules.items()) {
    std::string text;
    if (key == "service_area") {
      text = value.is_null() ? "none" : std::to_string(run.service_area_rings.size()) + " ring(s), shown on the map";
    } else if (key == "meeting_points") {
      text = std::to_string(run.meeting_points.size()) + " point(s)";
    } else if (value.is_number()) {
      text = compact(value.get<double>(), 3);
    } else if (value.is_string()) {
      text = value.get<std::string>();
    } else {
      text = value.dump();
    }
    s += "<tr><td>" + escape(key) + "</td><td class=\"num\">" + escape(text) + "</td></tr>\n";
  }
  s += "</table>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Histograms

struct bin {
  double lo, hi;  // in the displayed unit
  std::size_t count;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Bins [k·w, (k+1)·w) over integer values, w the first of `widths` giving at most 30 bins; the
// range always includes 0 when `from_zero`.
std::vector<bin> integer_bins(std::vector<std::int64_t> const& values, std::vector<std::int64_t> const& widths,
                              bool from_zero, double unit) {
  if (values.empty()) return {};
  auto const [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  std::int64_t w = widths.back();
  for (auto const candidate : widths) {
    auto const first = floor_div(from_zero ? std::min<std::int64_t>(*lo_it, 0) : *lo_it, candidate);
    if (floor_div(*hi_it, candidate) - first + 1 <= 30) {
      w = candidate;
      break;
    }
  }
  auto const first = floor_div(from_zero ? std::min<std::int64_t>(*lo_it, 0) : *lo_it, w);
  auto const last = floor_div(*hi_it, w);
  std::vector<bin> bins;
  for (auto k = first; k <= last; ++k) {
    bins.push_back({static_cast<double>(k * w) / unit, static_cast<double>((k + 1) * w) / unit, 0});
  }
  for (auto const v : values) ++bins[static_cast<std::size_t>(floor_div(v, w) - first)].count;
  return bins;
}

std::vector<bin> wait_bins(std::vector<request_row> const& requests) {
  // Whole seconds, bins in whole minutes: 1, 2, 5, 10, 15, 20, 30, 60, then doubling.
  std::vector<std::int64_t> seconds;
  for (auto const& r : requests) {
    if (r.status == request_status::served && r.wait_s) seconds.push_back(static_cast<std::int64_t>(std::floor(*r.wait_s)));
  }
  std::vector<std::int64_t> widths{60, 120, 300, 600, 900, 1200, 1800, 3600};
  while (widths.size() < 40) widths.push_back(widths.back() * 2);
  return integer_bins(seconds, widths, true, 60.0);
}

std::vector<bin> detour_bins(std::vector<request_row> const& requests) {
  // Thousandths, so that 1.2 lands in [1.2, 1.3) and not in [1.1, 1.2) by rounding.
  std::vector<std::int64_t> thousandths;
  for (auto const& r : requests) {
    if (r.status == request_status::served && r.detour) thousandths.push_back(std::llround(*r.detour * 1000));
  }
  std::vector<std::int64_t> widths{50};
  for (std::int64_t m = 100; widths.size() < 40; m *= 10) {
    widths.insert(widths.end(), {m, 2 * m, 5 * m});
  }
  return integer_bins(thousandths, widths, false, 1000.0);
}

std::string histogram(std::string_view id, std::string_view title, std::vector<bin> const& bins,
                      std::string_view x_title, std::string_view colour) {
  if (bins.empty()) return "<p class=\"note\">No served requests, so no histogram.</p>\n";
  std::size_t max_count = 0;
  for (auto const& b : bins) max_count = std::max(max_count, b.count);
  frame f{.x_min = bins.front().lo, .x_max = bins.back().hi, .y_min = 0, .y_max = 1};
  auto const y_values = nice_ticks(0, std::max<double>(static_cast<double>(max_count), 1), 5);
  f.y_max = y_values.back();
  std::vector<tick> y_ticks;
  for (auto const v : y_values) {
    if (v == std::floor(v)) y_ticks.push_back({v, compact(v, 0)});  // counts: no half requests
  }
  std::vector<tick> x_ticks;
  auto const every = (bins.size() + 11) / 12;
  for (std::size_t i = 0; i <= bins.size(); i += every) {
    auto const edge = i < bins.size() ? bins[i].lo : bins.back().hi;
    x_ticks.push_back({edge, compact(edge, 3)});
  }
  std::string s = "<figure>\n" + svg_begin(f, title, id);
  s += axes(f, x_ticks, y_ticks, x_title, "requests");
  s += "<g class=\"bars\" fill=\"" + std::string{colour} + "\">\n";
  for (auto const& b : bins) {
    auto const x0 = f.px(b.lo) + 1;
    auto const x1 = f.px(b.hi) - 1;
    auto const y = f.py(static_cast<double>(b.count));
    s += "<rect class=\"bar\" data-lo=\"" + compact(b.lo, 3) + "\" data-hi=\"" + compact(b.hi, 3) +
         "\" data-count=\"" + std::to_string(b.count) + "\" x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(y, 1) +
         "\" width=\"" + fixed(std::max(x1 - x0, 0.5), 1) + "\" height=\"" + fixed(f.py(0) - y, 1) + "\"><title>" +
         compact(b.lo, 3) + "–" + compact(b.hi, 3) + ": " + std::to_string(b.count) + "</title></rect>\n";
  }
  s += "</g>\n</svg>\n<figcaption>" + escape(title) + ". Bins include their lower edge.</figcaption>\n</figure>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Requests per hour

std::string requests_per_hour(std::vector<request_row> const& requests) {
  if (requests.empty()) return "<p class=\"note\">No requests.</p>\n";
  std::map<std::int64_t, std::array<std::size_t, n_statuses>> per_hour;
  for (auto const& r : requests) {
    ++per_hour[static_cast<std::int64_t>(std::floor(r.earliest_pickup / 3600))][static_cast<std::size_t>(r.status)];
  }
  auto const first = per_hour.begin()->first;
  auto const last = per_hour.rbegin()->first;
  std::size_t max_total = 0;
  for (auto const& [hour, counts] : per_hour) {
    std::size_t total = 0;
    for (auto const c : counts) total += c;
    max_total = std::max(max_total, total);
  }
  frame f{.x_min = static_cast<double>(first), .x_max = static_cast<double>(last + 1), .height = 320, .top = 40};
  auto const y_values = nice_ticks(0, static_cast<double>(max_total), 5);
  f.y_max = y_values.back();
  std::vector<tick> y_ticks;
  for (auto const v : y_values) {
    if (v == std::floor(v)) y_ticks.push_back({v, compact(v, 0)});  // counts: no half requests
  }
  std::vector<tick> x_ticks;
  auto const every = (last - first + 1 + 15) / 16;
  for (auto h = first; h <= last + 1; h += every) x_ticks.push_back({static_cast<double>(h), clock(h * 3600)});
  std::string s = "<figure>\n" + svg_begin(f, "Requests per hour by status", "per-hour");
  s += axes(f, x_ticks, y_ticks, "hour of the earliest pickup time", "requests");
  for (std::size_t i = 0; i < n_statuses; ++i) {
    s += legend_swatch(f.left + 8 + 110 * static_cast<double>(i), 16, status_colours[i], status_labels[i]);
  }
  for (auto const& [hour, counts] : per_hour) {
    double stacked = 0;
    auto const x0 = f.px(static_cast<double>(hour) + 0.1);
    auto const x1 = f.px(static_cast<double>(hour) + 0.9);
    for (std::size_t i = 0; i < n_statuses; ++i) {
      if (counts[i] == 0) continue;
      auto const y_top = f.py(stacked + static_cast<double>(counts[i]));
      auto const y_bottom = f.py(stacked);
      s += "<rect class=\"segment\" data-hour=\"" + std::to_string(hour) + "\" data-status=\"" +
           std::string{status_names[i]} + "\" data-count=\"" + std::to_string(counts[i]) + "\" x=\"" + fixed(x0, 1) +
           "\" y=\"" + fixed(y_top, 1) + "\" width=\"" + fixed(x1 - x0, 1) + "\" height=\"" +
           fixed(y_bottom - y_top, 1) + "\" fill=\"" + std::string{status_colours[i]} + "\"><title>" +
           clock(hour * 3600) + " " + std::string{status_labels[i]} + ": " + std::to_string(counts[i]) +
           "</title></rect>\n";
      stacked += static_cast<double>(counts[i]);
    }
  }
  s += "</svg>\n<figcaption>Requests by the hour of their earliest pickup time, stacked by outcome.</figcaption>\n"
       "</figure>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Vehicles busy over the day

using step_function = std::vector<std::pair<std::int64_t, std::int64_t>>;  // (time, value from then on)

// Per vehicle, with its events in time order (file order among equal times): after an event the
// vehicle is busy while passengers are on board (onboard > 0) or when its next event is a pickup
// or a no-show (it is on its way to, or waiting at, a pickup). Before its first event and after
// its last it is idle. In service: from a depart_depot event to the next return_depot event.
// The result lists the times where the number of vehicles changes, with the new number; several
// events at one instant count once, with the state after the last of them.
std::pair<step_function, step_function> busy_and_in_service(std::vector<event_row> const& events) {
  std::map<std::string, std::vector<event_row const*>> by_vehicle;
  for (auto const& e : events) by_vehicle[e.vehicle].push_back(&e);
  std::map<std::int64_t, std::int64_t> busy_delta;
  std::map<std::int64_t, std::int64_t> service_delta;
  for (auto& [vehicle, list] : by_vehicle) {
    std::stable_sort(list.begin(), list.end(), [](auto const* a, auto const* b) { return a->time < b->time; });
    bool busy = false;
    bool in_service = false;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto const t = static_cast<std::int64_t>(std::floor(list[i]->time));
      auto const next_is_pickup = i + 1 < list.size() && (list[i + 1]->kind == event_kind::pickup ||
                                                          list[i + 1]->kind == event_kind::no_show);
      auto const now_busy = list[i]->onboard > 0 || next_is_pickup;
      if (now_busy != busy) busy_delta[t] += now_busy ? 1 : -1;
      busy = now_busy;
      auto now_in_service = in_service;
      if (list[i]->kind == event_kind::depart_depot) now_in_service = true;
      if (list[i]->kind == event_kind::return_depot) now_in_service = false;
      if (now_in_service != in_service) service_delta[t] += now_in_service ? 1 : -1;
      in_service = now_in_service;
    }
  }
  auto const accumulate = [](std::map<std::int64_t, std::int64_t> const& deltas) {
    step_function steps;
    std::int64_t value = 0;
    for (auto const& [t, d] : deltas) {
      if (d == 0) continue;
      value += d;
      steps.emplace_back(t, value);
    }
    return steps;
  };
  return {accumulate(busy_delta), accumulate(service_delta)};
}

std::string step_line(frame const& f, step_function const& steps, std::string_view cls, std::string_view colour,
                      std::string_view dash) {
  std::string data;
  for (auto const& [t, v] : steps) {
    if (!data.empty()) data += ' ';
    data += std::to_string(t) + ":" + std::to_string(v);
  }
  std::string points = fixed(f.px(f.x_min), 1) + "," + fixed(f.py(0), 1);
  std::int64_t value = 0;
  for (auto const& [t, v] : steps) {
    auto const x = fixed(f.px(static_cast<double>(t)), 1);
    points += " " + x + "," + fixed(f.py(static_cast<double>(value)), 1);
    points += " " + x + "," + fixed(f.py(static_cast<double>(v)), 1);
    value = v;
  }
  points += " " + fixed(f.px(f.x_max), 1) + "," + fixed(f.py(static_cast<double>(value)), 1);
  std::string s = "<polyline class=\"" + std::string{cls} + "\" data-steps=\"" + data + "\" points=\"" + points +
                  "\" fill=\"none\" stroke=\"" + std::string{colour} + "\" stroke-width=\"2\"";
  if (!dash.empty()) s += " stroke-dasharray=\"" + std::string{dash} + "\"";
  return s + "/>\n";
}

std::string vehicles_busy(run_data const& run) {
  if (run.events.empty()) return "<p class=\"note\">No vehicle events.</p>\n";
  auto const [busy, in_service] = busy_and_in_service(run.events);
  double t_min = run.events.front().time;
  double t_max = t_min;
  for (auto const& e : run.events) {
    t_min = std::min(t_min, e.time);
    t_max = std::max(t_max, e.time);
  }
  auto const h0 = static_cast<std::int64_t>(std::floor(t_min / 3600));
  auto h1 = static_cast<std::int64_t>(std::ceil(t_max / 3600));
  if (h1 <= h0) h1 = h0 + 1;
  std::int64_t peak = static_cast<std::int64_t>(run.vehicles.size());
  for (auto const& [t, v] : in_service) peak = std::max(peak, v);
  frame f{.x_min = static_cast<double>(h0 * 3600), .x_max = static_cast<double>(h1 * 3600), .height = 320, .top = 40};
  auto const y_values = nice_ticks(0, std::max<double>(static_cast<double>(peak), 1), 5);
  f.y_max = y_values.back();
  std::vector<tick> y_ticks;
  for (auto const v : y_values) {
    if (v == std::floor(v)) y_ticks.push_back({v, compact(v, 0)});
  }
  std::vector<tick> x_ticks;
  auto const every = (h1 - h0 + 15) / 16;
  for (auto h = h0; h <= h1; h += every) x_ticks.push_back({static_cast<double>(h * 3600), clock(h * 3600)});
  std::string s = "<figure>\n" + svg_begin(f, "Vehicles busy over the day", "busy");
  s += axes(f, x_ticks, y_ticks, "time of day", "vehicles");
  s += legend_swatch(f.left + 8, 16, "#0072b2", "busy", true);
  s += legend_swatch(f.left + 100, 16, "#777777", "in service", true, "6 3");
  s += step_line(f, in_service, "in-service", "#777777", "6 3");
  s += step_line(f, busy, "busy-line", "#0072b2", "");
  s += "</svg>\n<figcaption>Number of vehicles busy and in service. A vehicle is busy while it carries "
       "passengers, and from a depot departure, drop-off or no-show whose next event is a pickup (or a "
       "no-show) until that event: driving to, or waiting at, its next pickup. It is in service from leaving "
       "its depot to returning there.</figcaption>\n</figure>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Map

std::string map_figure(run_data const& run) {
  std::vector<latlon> pickups;
  std::vector<latlon> dropoffs;
  for (auto const& e : run.events) {
    if (e.kind == event_kind::pickup) pickups.push_back(e.position);
    if (e.kind == event_kind::dropoff) dropoffs.push_back(e.position);
  }
  std::vector<latlon> unserved;
  for (auto const& r : run.requests) {
    if (r.status != request_status::served) unserved.push_back(r.origin);
  }
  double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180;
  bool any = false;
  auto const extend = [&](latlon p) {
    lat_min = std::min(lat_min, p.lat);
    lat_max = std::max(lat_max, p.lat);
    lon_min = std::min(lon_min, p.lon);
    lon_max = std::max(lon_max, p.lon);
    any = true;
  };
  for (auto const* layer : {&std::as_const(pickups), &std::as_const(dropoffs), &std::as_const(unserved), &run.meeting_points}) {
    for (auto const p : *layer) extend(p);
  }
  for (auto const& ring : run.service_area_rings) {
    for (auto const p : ring) extend(p);
  }
  if (!any) return "<p class=\"note\">No locations to map.</p>\n";

  // Equirectangular: x scaled by cos(mean latitude), so distances are right near the centre.
  auto const k = std::max(std::cos((lat_min + lat_max) / 2 * std::numbers::pi / 180), 0.01);
  auto const margin = 0.05 * std::max((lon_max - lon_min) * k, lat_max - lat_min) + 0.0005;
  lat_min -= margin;
  lat_max += margin;
  lon_min -= margin / k;
  lon_max += margin / k;
  auto const extent_x = (lon_max - lon_min) * k;
  auto const extent_y = lat_max - lat_min;
  double const width = 720, pad = 8, max_map_height = 640, legend_height = 56;
  auto const scale = std::min((width - 2 * pad) / extent_x, max_map_height / extent_y);
  auto const map_width = extent_x * scale;
  auto const map_height = extent_y * scale;
  auto const x_offset = pad + (width - 2 * pad - map_width) / 2;
  auto const px = [&](latlon p) { return x_offset + (p.lon - lon_min) * k * scale; };
  auto const py = [&](latlon p) { return pad + (lat_max - p.lat) * scale; };
  auto const height = map_height + 2 * pad + legend_height;

  std::string s = "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" viewBox=\"0 0 " + compact(width, 1) +
                  " " + fixed(height, 1) + "\" role=\"img\"><title>Map of pickups, drop-offs and the service area</title>\n";
  s += "<rect x=\"" + fixed(x_offset, 1) + "\" y=\"" + fixed(pad, 1) + "\" width=\"" + fixed(map_width, 1) +
       "\" height=\"" + fixed(map_height, 1) + "\" fill=\"#fafafa\" stroke=\"#bbb\"/>\n";

  s += "<g class=\"service-area\" data-rings=\"" + std::to_string(run.service_area_rings.size()) + "\">\n";
  for (std::size_t i = 0; i < run.service_area_rings.size();) {
    // One path per polygon, so holes (later rings) cut out of it with the even-odd rule.
    std::string d;
    auto const polygon = run.ring_polygon[i];
    for (; i < run.service_area_rings.size() && run.ring_polygon[i] == polygon; ++i) {
      auto const& ring = run.service_area_rings[i];
      for (std::size_t j = 0; j < ring.size(); ++j) {
        d += (j == 0 ? "M" : "L") + fixed(px(ring[j]), 1) + "," + fixed(py(ring[j]), 1);
      }
      if (!ring.empty()) d += "Z";
    }
    s += "<path d=\"" + d + "\" fill=\"#0072b2\" fill-opacity=\"0.08\" stroke=\"#0072b2\" stroke-width=\"1.5\" "
         "fill-rule=\"evenodd\"/>\n";
  }
  s += "</g>\n";

  // Points that fall on the same 0.1 px are drawn once: meeting points repeat thousands of times.
  auto const layer = [&](std::string_view cls, std::vector<latlon> const& points, std::string const& shape) {
    std::map<std::pair<long long, long long>, std::size_t> cells;
    for (auto const p : points) ++cells[{std::llround(px(p) * 10), std::llround(py(p) * 10)}];
    std::string g = "<g class=\"" + std::string{cls} + "\" data-count=\"" + std::to_string(points.size()) + "\">\n";
    for (auto const& [cell, n] : cells) {
      auto const x = fixed(static_cast<double>(cell.first) / 10, 1);
      auto const y = fixed(static_cast<double>(cell.second) / 10, 1);
      if (shape == "square") {
        g += "<rect x=\"" + fixed(static_cast<double>(cell.first) / 10 - 2, 1) + "\" y=\"" +
             fixed(static_cast<double>(cell.second) / 10 - 2, 1) + "\" width=\"4\" height=\"4\"/>";
      } else {
        g += "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"3\"/>";
      }
      g += '\n';
    }
    return g + "</g>\n";
  };
  s += "<g fill=\"#555555\">" + layer("meeting-points", run.meeting_points, "square") + "</g>\n";
  s += "<g fill=\"none\" stroke=\"#888888\" stroke-width=\"1\">" + layer("unserved", unserved, "circle") + "</g>\n";
  s += "<g fill=\"#e69f00\" fill-opacity=\"0.7\">" + layer("dropoffs", dropoffs, "circle") + "</g>\n";
  s += "<g fill=\"#0072b2\" fill-opacity=\"0.7\">" + layer("pickups", pickups, "circle") + "</g>\n";

  // Scale bar: the longest 1-2-5 length that fits in 150 px.
  auto const km_per_px = 1 / scale * (geo::earth_radius_m / 1000) * std::numbers::pi / 180;
  auto bar_km = 0.001;
  for (double m = 0.001; m / km_per_px <= 150; m *= 10) {
    for (double const f : {1.0, 2.0, 5.0}) {
      if (m * f / km_per_px <= 150) bar_km = m * f;
    }
  }
  auto const bar_px = bar_km / km_per_px;
  auto const bar_y = pad + map_height - 12;
  auto const bar_x = x_offset + 12;
  s += "<g class=\"scale-bar\"><rect x=\"" + fixed(bar_x - 4, 1) + "\" y=\"" + fixed(bar_y - 18, 1) + "\" width=\"" +
       fixed(bar_px + 8, 1) + "\" height=\"26\" fill=\"#ffffff\" fill-opacity=\"0.8\"/><line x1=\"" + fixed(bar_x, 1) +
       "\" y1=\"" + fixed(bar_y, 1) + "\" x2=\"" + fixed(bar_x + bar_px, 1) + "\" y2=\"" + fixed(bar_y, 1) +
       "\" stroke=\"#222\" stroke-width=\"3\"/><text x=\"" + fixed(bar_x, 1) + "\" y=\"" + fixed(bar_y - 6, 1) + "\">" +
       (bar_km >= 1 ? compact(bar_km, 0) + " km" : compact(bar_km * 1000, 0) + " m") + "</text></g>\n";

  auto const ly = pad + map_height + 20;
  s += legend_swatch(pad, ly, "#0072b2", "pickups (" + std::to_string(pickups.size()) + ")");
  s += legend_swatch(pad + 150, ly, "#e69f00", "drop-offs (" + std::to_string(dropoffs.size()) + ")");
  s += "<circle cx=\"" + fixed(pad + 316, 1) + "\" cy=\"" + fixed(ly, 1) +
       "\" r=\"5\" fill=\"none\" stroke=\"#888888\"/><text x=\"" + fixed(pad + 327, 1) + "\" y=\"" + fixed(ly, 1) +
       "\" dominant-baseline=\"middle\">origins not served (" + std::to_string(unserved.size()) + ")</text>\n";
  s += legend_swatch(pad, ly + 24, "#555555", "meeting points (" + std::to_string(run.meeting_points.size()) + ")");
  s += "<rect x=\"" + fixed(pad + 150, 1) + "\" y=\"" + fixed(ly + 18, 1) +
       "\" width=\"12\" height=\"12\" fill=\"#0072b2\" fill-opacity=\"0.08\" stroke=\"#0072b2\"/><text x=\"" +
       fixed(pad + 167, 1) + "\" y=\"" + fixed(ly + 24, 1) + "\" dominant-baseline=\"middle\">service area</text>\n";
  s += "</svg>\n<figcaption>Pickups and drop-offs where the vehicles stopped (events.csv), origins of requests "
       "that were not served (requests.csv), meeting points and the service area of the rules. Equirectangular "
       "projection, north up; latitude " +
       fixed(lat_min + margin, 4) + " to " + fixed(lat_max - margin, 4) + ", longitude " +
       fixed(lon_min + margin / k, 4) + " to " + fixed(lon_max - margin / k, 4) + ".</figcaption>\n</figure>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Fleet table

std::string fleet_table(std::vector<vehicle_row> const& vehicles) {
  if (vehicles.empty()) return "<p class=\"note\">No vehicles.</p>\n";
  std::string s =
      "<table id=\"fleet\">\n<tr><th>vehicle</th><th>seats</th><th>wheelchair spaces</th><th>km driven</th>"
      "<th>km empty</th><th>hours in service</th><th>passengers carried</th></tr>\n";
  for (auto const& v : vehicles) {
    s += "<tr><td>" + escape(v.id) + "</td><td class=\"num\">" + compact(v.seats, 0) + "</td><td class=\"num\">" +
         compact(v.wheelchair_spaces, 0) + "</td><td class=\"num\">" + fixed(v.km_driven, 1) +
         "</td><td class=\"num\">" + fixed(v.km_empty, 1) + "</td><td class=\"num\">" +
         fixed(v.hours_in_service, 2) + "</td><td class=\"num\">" + compact(v.passengers_carried, 0) +
         "</td></tr>\n";
  }
  return s + "</table>\n";
}

}  // namespace

void write_run_report(std::filesystem::path const& run_dir) {
  auto const run = read_run(run_dir);
  auto const title = run.name.empty() ? std::string{"Simulation report"} : "Simulation report: " + run.name;
  std::string html = page_begin(title);
  html += "<h1>" + escape(title) + "</h1>\n";
  html += "<p class=\"note\">" + std::to_string(run.requests.size()) + " requests, " +
          std::to_string(run.vehicles.size()) + " vehicles, " + std::to_string(run.events.size()) +
          " vehicle events. Times are hours after midnight of the first simulated day.</p>\n";
  html += "<h2>Key performance indicators</h2>\n" + kpi_table(run, (run_dir / "kpis.json").string());
  html += "<h2>Rules</h2>\n" + rules_table(run);
  html += "<h2>Waiting time</h2>\n" +
          histogram("wait-histogram", "Wait of served requests", wait_bins(run.requests), "wait (minutes)", "#0072b2");
  html += "<h2>Detour</h2>\n" + histogram("detour-histogram", "Detour factor of served requests",
                                          detour_bins(run.requests), "ride time / direct time", "#009e73");
  html += "<h2>Requests per hour</h2>\n" + requests_per_hour(run.requests);
  html += "<h2>Vehicles busy over the day</h2>\n" + vehicles_busy(run);
  html += "<h2>Map</h2>\n" + map_figure(run);
  html += "<h2>Fleet</h2>\n" + fleet_table(run.vehicles);
  html += page_end();
  write_text(run_dir / "report.html", html);
}

}  // namespace nebuta::report
