// report.html of one simulation run. Every chart carries its numbers in data-* attributes
// (data-count on histogram bars and hourly segments, data-steps on the busy line), which keeps the
// figures checkable by tests and by anyone reading the file.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
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
#include "run_data.h"
#include "svg.h"

namespace nebuta::report {

namespace {

using namespace detail;
using nlohmann::json;

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
  if (scenario.contains("name") && !scenario["name"].is_string())
    throw report_error{where + ": 'name' must be a string"};
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

std::string rules_table(run_data const& run, words const& w) {
  if (!run.rules.is_object()) return "<p class=\"note\">" + escape(w("The scenario has no rules object.")) + "</p>\n";
  std::string s =
      "<table id=\"rules\">\n<tr><th>" + escape(w("rule")) + "</th><th>" + escape(w("value")) + "</th></tr>\n";
  for (auto const& [key, value] : run.rules.items()) {
    std::string text;
    if (key == "service_area") {
      text =
          value.is_null() ? w("none") : std::to_string(run.service_area_rings.size()) + w(" ring(s), shown on the map");
    } else if (key == "meeting_points") {
      text = std::to_string(run.meeting_points.size()) + w(" point(s)");
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
    if (r.status == request_status::served && r.wait_s)
      seconds.push_back(static_cast<std::int64_t>(std::floor(*r.wait_s)));
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
                      std::string_view x_title, std::string_view colour, words const& w) {
  if (bins.empty()) return "<p class=\"note\">" + escape(w("No served requests, so no histogram.")) + "</p>\n";
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
  s += axes(f, x_ticks, y_ticks, x_title, w("requests"));
  s += "<g class=\"bars\" fill=\"" + std::string{colour} + "\">\n";
  for (auto const& b : bins) {
    auto const x0 = f.px(b.lo) + 1;
    auto const x1 = f.px(b.hi) - 1;
    auto const y = f.py(static_cast<double>(b.count));
    s += "<rect class=\"bar\" data-lo=\"" + compact(b.lo, 3) + "\" data-hi=\"" + compact(b.hi, 3) + "\" data-count=\"" +
         std::to_string(b.count) + "\" x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(y, 1) + "\" width=\"" +
         fixed(std::max(x1 - x0, 0.5), 1) + "\" height=\"" + fixed(f.py(0) - y, 1) + "\"><title>" + compact(b.lo, 3) +
         "–" + compact(b.hi, 3) + ": " + std::to_string(b.count) + "</title></rect>\n";
  }
  s += "</g>\n</svg>\n<figcaption>" + escape(title) + (w.ja() ? "。" : ". ") +
       escape(w("Bins include their lower edge.")) + "</figcaption>\n</figure>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Requests per hour

std::string requests_per_hour(std::vector<request_row> const& requests, words const& w) {
  if (requests.empty()) return "<p class=\"note\">" + escape(w("No requests.")) + "</p>\n";
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
  std::string s = "<figure>\n" + svg_begin(f, w("Requests per hour by status"), "per-hour");
  s += axes(f, x_ticks, y_ticks, w("hour of the earliest pickup time"), w("requests"));
  for (std::size_t i = 0; i < n_statuses; ++i) {
    s += legend_swatch(f.left + 8 + 110 * static_cast<double>(i), 16, status_colours[i], w(status_labels[i]));
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
           clock(hour * 3600) + " " + w(status_labels[i]) + ": " + std::to_string(counts[i]) + "</title></rect>\n";
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
      auto const next_is_pickup =
          i + 1 < list.size() && (list[i + 1]->kind == event_kind::pickup || list[i + 1]->kind == event_kind::no_show);
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

constexpr std::string_view busy_caption =
    "Number of vehicles busy and in service. A vehicle is busy while it carries passengers, and from a depot "
    "departure, drop-off or no-show whose next event is a pickup (or a no-show) until that event: driving to, or "
    "waiting at, its next pickup. It is in service from leaving its depot to returning there.";

std::string vehicles_busy(run_data const& run, words const& w) {
  if (run.events.empty()) return "<p class=\"note\">" + escape(w("No vehicle events.")) + "</p>\n";
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
  std::string s = "<figure>\n" + svg_begin(f, w("Vehicles busy over the day"), "busy");
  s += axes(f, x_ticks, y_ticks, w("time of day"), w("vehicles"));
  s += legend_swatch(f.left + 8, 16, "#0072b2", w("busy"), true);
  s += legend_swatch(f.left + 100, 16, "#777777", w("in service"), true, "6 3");
  s += step_line(f, in_service, "in-service", "#777777", "6 3");
  s += step_line(f, busy, "busy-line", "#0072b2", "");
  s += "</svg>\n<figcaption>" + escape(w(busy_caption)) + "</figcaption>\n</figure>\n";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Fleet table

std::string fleet_table(std::vector<vehicle_row> const& vehicles, words const& w) {
  if (vehicles.empty()) return "<p class=\"note\">" + escape(w("No vehicles.")) + "</p>\n";
  std::string s = "<table id=\"fleet\">\n<tr>";
  for (auto const* h :
       {"vehicle", "seats", "wheelchair spaces", "km driven", "km empty", "hours in service", "passengers carried"}) {
    s += "<th>" + escape(w(h)) + "</th>";
  }
  s += "</tr>\n";
  for (auto const& v : vehicles) {
    s += "<tr><td>" + escape(v.id) + "</td><td class=\"num\">" + compact(v.seats, 0) + "</td><td class=\"num\">" +
         compact(v.wheelchair_spaces, 0) + "</td><td class=\"num\">" + fixed(v.km_driven, 1) +
         "</td><td class=\"num\">" + fixed(v.km_empty, 1) + "</td><td class=\"num\">" + fixed(v.hours_in_service, 2) +
         "</td><td class=\"num\">" + compact(v.passengers_carried, 0) + "</td></tr>\n";
  }
  return s + "</table>\n";
}

// network.json beside the run (written with a transit timetable), or nothing.
void read_network(std::filesystem::path const& file, run_extras& extras) {
  if (!std::filesystem::exists(file)) return;
  auto const j = read_json_object(file);
  auto const where = file.string();
  auto const point = [&](json const& p) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
      throw report_error{where + ": each point must be [lat, lon]"};
    }
    latlon const q{p[0].get<double>(), p[1].get<double>()};
    if (!valid(q)) throw report_error{where + ": " + p.dump() + " is out of range"};
    return q;
  };
  for (auto const& r : j.value("routes", json::array())) {
    network_line l{r.value("id", ""), r.value("name", ""), r.value("colour", ""), {}};
    for (auto const& p : r.value("points", json::array())) l.points.push_back(point(p));
    extras.lines.push_back(std::move(l));
  }
  for (auto const& x : j.value("stations", json::array())) {
    extras.stations.push_back({x.value("name", ""), point(x.value("at", json{})), x.value("departures", 0.0)});
  }
}

}  // namespace

void write_run_report(std::filesystem::path const& run_dir, options const& opt) {
  auto const run = read_run(run_dir);
  words const w{opt.lang};
  run_extras extras;
  read_network(run_dir / "network.json", extras);
  auto const title = run.name.empty() ? w("Simulation report") : w("Simulation report") + ": " + run.name;
  std::string html = page_begin(title, w.lang());
  html += "<h1>" + escape(title) + "</h1>\n";
  html += summary_section(run, extras, w);
  auto const n_req = std::to_string(run.requests.size()), n_veh = std::to_string(run.vehicles.size()),
             n_ev = std::to_string(run.events.size());
  html += "<p class=\"note\">" +
          (w.ja() ? "依頼 " + n_req + " 件、車両 " + n_veh + " 台、車両の記録 " + n_ev +
                        " 件。時刻は最初の模擬日の0時からの時間です。"
                  : n_req + " requests, " + n_veh + " vehicles, " + n_ev +
                        " vehicle events. Times are hours after midnight of the first simulated day.") +
          "</p>\n";
  html +=
      "<h2>" + escape(w("Key performance indicators")) + "</h2>\n" + kpi_table(run, (run_dir / "kpis.json").string(), w);
  html += "<h2>" + escape(w("Rules")) + "</h2>\n" + rules_table(run, w);
  html += "<h2>" + escape(w("Waiting time")) + "</h2>\n" +
          histogram("wait-histogram", w("Wait of served requests"), wait_bins(run.requests), w("wait (minutes)"),
                    "#0072b2", w);
  html += "<h2>" + escape(w("Detour")) + "</h2>\n" +
          histogram("detour-histogram", w("Detour factor of served requests"), detour_bins(run.requests),
                    w("ride time / direct time"), "#009e73", w);
  html += "<h2>" + escape(w("Requests per hour")) + "</h2>\n" + requests_per_hour(run.requests, w);
  html += "<h2>" + escape(w("Vehicles busy over the day")) + "</h2>\n" + vehicles_busy(run, w);
  html += "<h2>" + escape(w("Map")) + "</h2>\n" + map_figure(run, extras, w);
  html += "<h2>" + escape(w("Fleet")) + "</h2>\n" + fleet_table(run.vehicles, w);
  html += page_end();
  write_text(run_dir / "report.html", html);
}

}  // namespace nebuta::report
