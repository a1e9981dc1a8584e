// The scenario's timetable: loaded like `nebuta plan --feed` loads it, indexed for the planner
// (the fixed-route alternative of every request, sim/transit.h), and read for the service of the
// bus lines the money comparison names.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "nebuta/api/timetable_source.h"
#include "nebuta/core/geo.h"
#include "nebuta/raptor/index.h"
#include "scenario_internal.h"

namespace nebuta::sim_io {

namespace fs = std::filesystem;
using detail::json;

struct transit_network {
  api::loaded_timetable loaded;
  std::unique_ptr<raptor::index> idx;
  sim::transit_settings settings;
  std::optional<sim::journey_options> journeys;
  json network;  // network.json: the report's base layer
};

transit_handle::transit_handle() = default;
transit_handle::transit_handle(transit_handle&&) noexcept = default;
transit_handle& transit_handle::operator=(transit_handle&&) noexcept = default;
transit_handle::~transit_handle() = default;

void transit_handle::write_network(fs::path const& dir) const {
  if (!net) return;
  std::ofstream out{dir / "network.json", std::ios::binary | std::ios::trunc};
  if (!(out << net->network.dump() << "\n") || !out.flush())
    throw std::runtime_error{(dir / "network.json").string() + ": cannot write"};
}

void transit_handle::attach(sim::sim_options& opt) const {
  if (!net) return;
  opt.transit_index = net->idx.get();
  opt.transit = net->settings;
  if (net->journeys) opt.journeys = &*net->journeys;
}

namespace {

std::string text_or_empty(timetable const& tt, text_idx t) {
  return t.valid() ? std::string{tt.text(t)} : std::string{};
}

// The report's base layer: one line per RAPTOR route (stop pattern) running on `date`, along its
// first trip's shape when it has one, else stop to stop; and the 12 stop names with the most
// departures that day (poles of one name merged, drawn at their mean position).
json network_of(timetable const& tt, date_t date) {
  json routes = json::array();
  auto const day = tt.day_of(date);
  std::map<std::string, std::pair<double, std::vector<latlon>>> by_name;
  for (auto r = route_idx{0}; r.v() < tt.route_stops.size(); ++r) {
    auto const stops = tt.route_stops[r];
    std::optional<trip_idx> first;
    std::size_t running = 0;
    for (std::uint32_t k = 0; k < tt.route_n_trips[r]; ++k) {
      trip_idx const t{tt.route_first_trip[r].v() + k};
      if (day && tt.trip_active(t, day->v())) {
        if (!first) first = t;
        ++running;
      }
    }
    if (!first || stops.size() < 2) continue;
    json points = json::array();
    if (auto const path = tt.path_of(*first); path.valid()) {
      for (auto const& p : tt.shape_points[tt.path_shape[path]]) {
        points.push_back({std::round(p.lat_e7 / 1e2) / 1e5, std::round(p.lon_e7 / 1e2) / 1e5});
      }
    } else {
      for (auto const s : stops) points.push_back({tt.stop_coords[s].lat, tt.stop_coords[s].lon});
    }
    auto const line = tt.trip_line[*first];
    auto name = text_or_empty(tt, tt.line_short_names[line]);
    if (name.empty()) name = text_or_empty(tt, tt.line_long_names[line]);
    routes.push_back({{"id", tt.external_line_id(line)},
                      {"name", name},
                      {"colour", std::string{tt.strings[tt.line_colors[line]]}},
                      {"points", points}});
    for (std::size_t i = 0; i + 1 < stops.size(); ++i) {
      auto& [departures, at] = by_name[text_or_empty(tt, tt.stop_names[stops[i]])];
      departures += static_cast<double>(running);
      at.push_back(tt.stop_coords[stops[i]]);
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (auto const& [name, v] : by_name) {
    if (!name.empty()) ranked.emplace_back(-v.first, name);
  }
  std::sort(ranked.begin(), ranked.end());
  json stations = json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(12, ranked.size()); ++i) {
    auto const& [departures, at] = by_name[ranked[i].second];
    double lat = 0, lon = 0;
    for (auto const p : at) lat += p.lat, lon += p.lon;
    auto const n = static_cast<double>(at.size());
    stations.push_back({{"name", ranked[i].second}, {"at", {lat / n, lon / n}}, {"departures", departures}});
  }
  return {{"routes", routes}, {"stations", stations}};
}

// The first fare currency of the feed (GTFS-Fares v1, else v2); empty when it has no fares.
std::string feed_currency(timetable const& tt) {
  for (auto const& f : tt.fares.v1_fares) {
    if (f.currency.valid()) return std::string{tt.strings[f.currency]};
  }
  for (auto const& p : tt.fares.products) {
    if (p.currency.valid()) return std::string{tt.strings[p.currency]};
  }
  return {};
}

// Trips of the chosen routes running on `date`: their number, vehicle-km (along the shape
// between the first and last stop, else stop to stop in straight lines) and vehicle-hours
// (first departure to last arrival).
void measure_bus_lines(timetable const& tt, date_t date, sim::bus_lines& b, std::string const& where) {
  auto const day = tt.day_of(date);
  std::set<std::string> wanted(b.routes.begin(), b.routes.end()), seen;
  std::vector<char> chosen(tt.n_lines(), 0);
  for (auto l = line_idx{0}; l.v() < tt.n_lines(); ++l) {
    auto const id = tt.external_line_id(l);
    if (wanted.contains(id)) chosen[l.v()] = 1, seen.insert(id);
  }
  for (auto const& r : b.routes) {
    if (!seen.contains(r))
      throw scenario_error{where + ": costs.bus.routes: no route \"" + r + "\" in the transit feed"};
  }
  b.trips_per_day = 0;
  b.vehicle_km_per_day = b.vehicle_hours_per_day = 0.0;
  if (!day) return;
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (!chosen[tt.trip_line[t].v()] || !tt.trip_active(t, day->v())) continue;
    auto const r = tt.trip_route[t];
    auto const k = t.v() - tt.route_first_trip[r].v();
    auto const stops = tt.route_stops[r];
    if (stops.size() < 2) continue;
    auto const last = static_cast<std::uint32_t>(stops.size() - 1);
    ++b.trips_per_day;
    b.vehicle_hours_per_day += (tt.arrival(r, last, k) - tt.departure(r, 0, k)) / 3600.0;
    double m = 0.0;
    if (auto const path = tt.path_of(t); path.valid()) {
      auto const along = tt.path_stop_along[path];
      m = along.back() - along.front();
    } else {
      for (std::size_t i = 1; i < stops.size(); ++i)
        m += haversine_m(tt.stop_coords[stops[i - 1]], tt.stop_coords[stops[i]]);
    }
    b.vehicle_km_per_day += m / 1000.0;
  }
}

}  // namespace

transit_handle load_transit(scenario_file& f, std::function<void(std::string const&)> const& stage) {
  transit_handle h;
  if (!f.transit) return h;
  auto const& spec = *f.transit;
  if (stage) stage("loading the transit timetable");
  h.net = std::make_unique<transit_network>();
  api::timetable_source src;
  src.feeds = spec.feeds;
  try {
    h.net->loaded = api::load_timetable(src);
  } catch (std::exception const& e) {
    throw scenario_error{f.file.string() + ": transit.gtfs: " + e.what()};
  }
  auto const& tt = h.net->loaded.tt;
  if (!tt.day_of(spec.first_date)) {
    throw scenario_error{f.file.string() + ": transit.date: outside the timetable's service dates"};
  }
  if (stage) stage("indexing the transit timetable");
  h.net->idx = std::make_unique<raptor::index>(tt, raptor::stored_index::find(h.net->loaded.sections));
  auto& s = h.net->settings;
  s.first_date = spec.first_date;
  s.max_duration_s = spec.max_duration_s;
  s.planner.walk_radius_m = std::min<double>(spec.walk_radius_m, tt.walk_link_radius_m);
  s.planner.max_walk_m = spec.max_walk_m;
  s.planner.walk_speed_mps = spec.walk_speed_mps;
  if (!spec.currency_given) {
    if (auto const c = feed_currency(tt); !c.empty()) {
      f.base.costs.currency = c;
      f.echo["costs"]["currency"] = c;
    }
  }
  if (f.journeys) h.net->journeys = sim::journey_options{h.net->idx.get(), *f.journeys, s};
  h.net->network = network_of(tt, spec.first_date);
  if (f.base.bus) measure_bus_lines(tt, spec.first_date, *f.base.bus, f.file.string());
  return h;
}

}  // namespace nebuta::sim_io
