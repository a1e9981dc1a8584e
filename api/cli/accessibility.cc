// `nebuta accessibility`: travel times by transit (and optionally an on-demand service) from a
// grid or a set of origins to destination sets over a departure window, with population weights
// and the coverage of the fixed network, as GeoJSON, CSV and an HTML map (docs/accessibility.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nebuta/access/analysis.h"
#include "nebuta/access/coverage.h"
#include "nebuta/api/places_source.h"
#include "nebuta/api/progress.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/drt_config/config.h"
#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/io/file.h"
#include "nebuta/io/geojson.h"
#include "nebuta/io/json_path.h"
#include "nebuta/mesh_stats/reader.h"
#include "nebuta/osm/reader.h"
#include "nebuta/report/access_report.h"
#include "nebuta/road/network_model.h"

namespace nebuta::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct accessibility_options {
  api::timetable_source src;
  std::string places;
  std::string date, from{"07:00"}, to{"09:00"};
  seconds_t step{60};
  std::string bbox, area_file, origins_file;
  double cell_m{250.0};
  std::optional<double> mesh_m;
  std::vector<std::string> dests;
  std::vector<double> percentiles{5, 25, 50, 75, 95};
  double report_percentile{50};
  std::vector<int> cutoffs{15, 30, 45, 60};
  double max_duration_min{120};
  unsigned max_legs{8};
  double walk_speed{1.2}, max_walk_m{400};
  unsigned threads{1};
  std::string population, population_column;
  std::string drt_rules, osm;
  std::optional<seconds_t> drt_wait_s;
  double drt_max_ride_m{3000}, detour{1.3}, speed_kmh{30};
  bool no_coverage{false};
  double coverage_radius_m{500}, gap_stop_m{500}, gap_station_m{1000};
  std::uint32_t min_departures{30};
  std::string out, report_lang{"en"};
};

[[noreturn]] void fail(std::string const& m) { throw std::runtime_error{m}; }

std::string read_text(std::string const& file) {
  std::string data;
  if (io::read_file(file, data) != io::read_status::ok) fail("cannot read " + file);
  return data;
}

std::vector<double> split_numbers(std::string const& s, std::string const& what) {
  std::vector<double> out;
  std::stringstream in{s};
  std::string part;
  while (std::getline(in, part, ',')) {
    auto const v = gtfs::parse_double(gtfs::trim_spaces(part));
    if (!v || !std::isfinite(*v)) fail(what + ": '" + part + "' is not a number");
    out.push_back(*v);
  }
  return out;
}

// Points of a CSV with columns lat, lon (and optionally id, population).
struct csv_point {
  std::string id;
  latlon at;
  std::optional<double> people;
};
std::vector<csv_point> read_points_csv(std::string const& file) {
  auto const data = read_text(file);
  gtfs::string_arena arena;
  gtfs::csv_reader csv{data, arena};
  std::vector<std::string_view> f;
  std::uint32_t line = 0;
  if (csv.next(f, line) != gtfs::csv_status::row) fail(file + ": empty file");
  auto const col = [&](std::string_view n) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (gtfs::trim_spaces(f[i]) == n) return i;
    }
    return std::nullopt;
  };
  auto const c_lat = col("lat"), c_lon = col("lon"), c_id = col("id"), c_pop = col("population");
  if (!c_lat || !c_lon) fail(file + ": the columns lat and lon are required");
  std::vector<csv_point> out;
  while (csv.next(f, line) == gtfs::csv_status::row) {
    auto const need = std::max({*c_lat, *c_lon, c_id.value_or(0), c_pop.value_or(0)});
    if (f.size() <= need) {
      std::cerr << file << ":" << line << ": too few fields, skipped\n";
      continue;
    }
    auto const lat = gtfs::parse_double(gtfs::trim_spaces(f[*c_lat]));
    auto const lon = gtfs::parse_double(gtfs::trim_spaces(f[*c_lon]));
    if (!lat || !lon || !(*lat >= -90 && *lat <= 90) || !(*lon >= -180 && *lon <= 180)) {
      std::cerr << file << ":" << line << ": bad lat/lon, skipped\n";
      continue;
    }
    csv_point p{c_id ? std::string{gtfs::trim_spaces(f[*c_id])} : std::to_string(out.size() + 1), {*lat, *lon}, {}};
    if (c_pop) {
      auto const v = gtfs::parse_double(gtfs::trim_spaces(f[*c_pop]));
      if (!v || !(*v >= 0) || !std::isfinite(*v)) {
        std::cerr << file << ":" << line << ": bad population, skipped\n";
        continue;
      }
      p.people = *v;
    }
    out.push_back(std::move(p));
  }
  return out;
}

access::box parse_bbox(std::string const& s) {
  auto const v = split_numbers(s, "--bbox");
  if (v.size() != 4) fail("--bbox: give SOUTH,WEST,NORTH,EAST");
  access::box b{v[0], v[1], v[2], v[3]};
  if (!b.valid() || b.south < -90 || b.north > 90 || b.west < -180 || b.east > 180)
    fail("--bbox: an empty or invalid box");
  return b;
}

[[noreturn]] void raise_area_error(std::string const& m) { throw std::runtime_error{m}; }

access::area read_area_file(std::string const& file) {
  json j;
  try {
    j = json::parse(read_text(file));
  } catch (json::parse_error const& e) {
    fail(file + ": invalid JSON: " + e.what());
  }
  access::area a;
  io::geojson::read_area(j, io::json_path{file, "", &raise_area_error}, a.rings);
  if (a.rings.empty()) fail(file + ": no polygon");
  a.bounds = {90, 180, -90, -180};
  for (auto const& r : a.rings) {
    for (auto const p : r) {
      a.bounds.south = std::min(a.bounds.south, p.lat);
      a.bounds.north = std::max(a.bounds.north, p.lat);
      a.bounds.west = std::min(a.bounds.west, p.lon);
      a.bounds.east = std::max(a.bounds.east, p.lon);
    }
  }
  a.bounds.north = std::nextafter(a.bounds.north, 91.0);
  a.bounds.east = std::nextafter(a.bounds.east, 181.0);
  return a;
}

std::string stop_label(timetable const& tt, stop_idx s) { return std::string{tt.text(tt.stop_names[s])}; }

// "LABEL=KIND:VALUE" → the set's points.
struct dest_spec {
  std::string label;
  std::vector<latlon> points;
};
dest_spec parse_dest(std::string const& spec, timetable const& tt, std::vector<search::place> const& places) {
  auto const eq = spec.find('=');
  auto const colon = spec.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos)
    fail("--dest '" + spec +
         "': write LABEL=KIND:VALUE (KIND: stop, stop_name, route_type, place, place_kind, latlon, points)");
  dest_spec d;
  d.label = spec.substr(0, eq);
  if (d.label.find_first_of(",\"\n\r") != std::string::npos)
    fail("--dest '" + spec + "': the label may not hold , or \"");
  auto const kind = spec.substr(eq + 1, colon - eq - 1);
  auto const value = spec.substr(colon + 1);
  std::vector<std::string> values;
  {
    std::stringstream in{value};
    std::string part;
    while (std::getline(in, part, ',')) values.emplace_back(gtfs::trim_spaces(part));
  }
  auto const add_stop = [&](stop_idx s) {
    if (tt.stop_has_coords[s] != 0U) d.points.push_back(tt.stop_coords[s]);
  };
  if (kind == "stop") {
    for (auto const& v : values) {
      auto const s = tt.find_stop(v);
      if (!s) fail("--dest '" + spec + "': no stop with id '" + v + "'");
      add_stop(*s);
    }
  } else if (kind == "stop_name") {
    for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
      auto const name = stop_label(tt, s);
      // "八戸中心街ターミナル*": every stop whose name starts so (a terminal's platforms).
      if (std::any_of(values.begin(), values.end(), [&](std::string const& v) {
            return v.ends_with('*') ? name.starts_with(std::string_view{v}.substr(0, v.size() - 1)) : name == v;
          })) {
        add_stop(s);
      }
    }
  } else if (kind == "route_type") {
    std::vector<int> types;
    for (auto const& v : values) {
      auto const t = gtfs::parse_int<int>(v);
      if (!t) fail("--dest '" + spec + "': '" + v + "' is not a route_type");
      types.push_back(*t);
    }
    for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
      auto const routes = tt.stop_routes[s];
      if (std::any_of(routes.begin(), routes.end(), [&](route_idx r) {
            return std::find(types.begin(), types.end(), tt.route_type[r]) != types.end();
          })) {
        add_stop(s);
      }
    }
  } else if (kind == "place" || kind == "place_kind") {
    if (places.empty()) fail("--dest '" + spec + "': give the gazetteer with --places");
    for (auto const& p : places) {
      auto const& key = kind == "place" ? p.id : p.kind;
      if (std::find(values.begin(), values.end(), key) != values.end()) d.points.push_back({p.lat, p.lon});
    }
  } else if (kind == "latlon") {
    auto const v = split_numbers(value, "--dest " + spec);
    if (v.size() % 2 != 0 || v.empty()) fail("--dest '" + spec + "': latlon:LAT,LON[,LAT,LON...]");
    for (std::size_t i = 0; i < v.size(); i += 2) d.points.push_back({v[i], v[i + 1]});
  } else if (kind == "points") {
    for (auto const& p : read_points_csv(value)) d.points.push_back(p.at);
  } else {
    fail("--dest '" + spec + "': unknown kind '" + kind +
         "' (stop, stop_name, route_type, place, place_kind, latlon, points)");
  }
  if (d.points.empty()) fail("--dest '" + spec + "': no place matches");
  return d;
}

std::string minutes_text(std::int16_t m) {
  return m == access::unreachable_minutes ? std::string{} : std::to_string(m);
}
std::string metres_text(std::optional<double> m) { return m ? std::to_string(std::lround(*m)) : std::string{}; }

void write_file(fs::path const& p, std::string const& text) {
  std::ofstream out{p, std::ios::binary};
  out << text;
  if (!out) fail("cannot write " + p.string());
}

std::string percentile_name(double p) {
  std::ostringstream s;
  s << "p" << p;
  return s.str();
}

void run_accessibility(accessibility_options const& o) {
  api::progress progress;
  auto const date = civil::parse_date(o.date);
  if (!date) fail("--date: '" + o.date + "' is not YYYY-MM-DD");
  auto const from = civil::parse_clock(o.from), to = civil::parse_clock(o.to);
  if (!from || !to || *to <= *from) fail("--from/--to: give HH:MM with --from before --to");
  if (o.report_lang != "en" && o.report_lang != "ja") fail("--report-lang: en or ja");
  if (o.step <= 0) fail("--step must be positive");
  if (o.out.empty()) fail("--out is required");
  auto const n_given = !o.bbox.empty() + !o.area_file.empty() + !o.origins_file.empty();
  if (n_given != 1) fail("give exactly one of --bbox, --area and --origins");
  if (o.dests.empty()) fail("give at least one --dest");
  auto const report_p = std::find(o.percentiles.begin(), o.percentiles.end(), o.report_percentile);
  if (report_p == o.percentiles.end()) fail("--report-percentile must be one of --percentiles");

  progress.stage("loading the timetable");
  auto const loaded = api::load_timetable(o.src);
  auto const& tt = loaded.tt;
  if (!tt.day_of(*date)) std::cerr << "nebuta: warning: " << o.date << " is outside the timetable's service dates\n";
  raptor::index const idx{tt, raptor::stored_index::find(loaded.sections)};
  auto const places = api::load_places(o.places);

  // Origins.
  std::vector<access::origin> origins;
  if (!o.origins_file.empty()) {
    for (auto& p : read_points_csv(o.origins_file)) {
      access::origin x;
      x.id = p.id;
      x.at = p.at;
      if (p.people) x.people = *p.people, x.has_people = true;
      origins.push_back(std::move(x));
    }
  } else {
    access::area a;
    if (!o.bbox.empty()) a.bounds = parse_bbox(o.bbox);
    else a = read_area_file(o.area_file);
    if (o.mesh_m) {
      auto const level = access::mesh_level_of_size(*o.mesh_m);
      if (!level) fail("--mesh: 1000, 500, 250 or 125");
      origins = access::mesh_grid(a, *level);
    } else {
      origins = access::regular_grid(a, o.cell_m);
    }
  }
  if (origins.empty()) fail("no origin");
  std::string population_source;
  if (!o.population.empty()) {
    auto const table = mesh_stats::read_population(read_text(o.population), o.population, o.population_column);
    for (std::size_t i = 0; i < table.problems.size() && i < 20; ++i)
      std::cerr << "warning: " << table.problems[i] << "\n";
    auto const assigned = access::assign_population(origins, table.squares);
    population_source = fs::path{o.population}.filename().string() + " (" + table.column + ")";
    std::fprintf(stderr, "population: %zu squares (%zu hidden), %.0f people, %.0f of them in the cells\n",
                 table.squares.size(), table.hidden, assigned.total, assigned.assigned);
  }
  auto const weighted = access::weighted_by_people(origins);

  std::vector<dest_spec> dests;
  for (auto const& s : o.dests) {
    dests.push_back(parse_dest(s, tt, places));
    for (std::size_t i = 0; i + 1 < dests.size(); ++i) {
      if (dests[i].label == dests.back().label) fail("--dest: the label '" + dests.back().label + "' is given twice");
    }
  }
  std::vector<std::vector<latlon>> sets;
  for (auto const& d : dests) sets.push_back(d.points);

  access::analysis_options aopt;
  aopt.w = {*date, *from, *to, o.step};
  aopt.percentiles = o.percentiles;
  aopt.threads = std::max(1U, o.threads);
  aopt.travel.max_duration = static_cast<seconds_t>(std::lround(o.max_duration_min * 60));
  aopt.travel.ropt.max_legs = std::clamp(o.max_legs, 1U, raptor::max_legs_limit);
  aopt.travel.ropt.walk_speed_mps = o.walk_speed;
  aopt.travel.ropt.max_walk_m = o.max_walk_m;
  std::string stage = "transit";
  aopt.progress = [&](std::size_t done, std::size_t total) {
    progress.stage(stage + ": " + std::to_string(done) + "/" + std::to_string(total) + " origins");
  };
  auto const without = access::analyse(idx, origins, sets, aopt);

  report::access_report_input in;
  // With the on-demand service.
  std::optional<access::analysis_result> with;
  std::vector<std::vector<latlon>> service_area;
  if (!o.drt_rules.empty()) {
    auto const rules = drt_config::load_rules(o.drt_rules);
    std::unique_ptr<road::travel_model> model;
    if (!o.osm.empty()) {
      progress.stage("loading " + o.osm);
      model = std::make_unique<road::road_network_model>(osm::load_road_graph(o.osm).graph);
    } else {
      model = std::make_unique<road::straight_line_model>(o.detour, o.speed_kmh);
    }
    access::on_demand_service svc;
    svc.area = rules.service_area;
    svc.wait_s = o.drt_wait_s.value_or(rules.max_wait / 2);
    svc.max_ride_m = o.drt_max_ride_m;
    service_area = rules.service_area;
    access::on_demand_edges const edges{idx, svc, *model};
    stage = "with the on-demand service";
    with = access::analyse(idx, origins, sets, aopt, &edges, &without);
    in.service_wait_s = svc.wait_s;
    in.service_max_ride_m = svc.max_ride_m;
    in.service_osm = !o.osm.empty();
    in.service_detour = o.detour;
    in.service_speed_kmh = o.speed_kmh;
  }

  // Coverage.
  std::vector<access::coverage> cov;
  access::coverage_options copt;
  copt.date = *date;
  copt.departures_radius_m = o.coverage_radius_m;
  copt.gap_stop_m = o.gap_stop_m;
  copt.gap_station_m = o.gap_station_m;
  copt.min_departures = o.min_departures;
  if (!o.no_coverage) {
    progress.stage("coverage");
    std::vector<latlon> stations;
    for (auto const& p : places) {
      if (p.kind == "station") stations.push_back({p.lat, p.lon});
    }
    cov = access::compute_coverage(idx, origins, stations, copt);
  }
  progress.stage("writing " + o.out);

  // Outputs.
  fs::path const out{o.out};
  fs::create_directories(out);
  auto const np = o.percentiles.size();
  std::string csv = "id,lat,lon,people";
  for (auto const& d : dests) {
    for (auto const p : o.percentiles) csv += "," + d.label + "_" + percentile_name(p);
    if (with) {
      for (auto const p : o.percentiles) csv += "," + d.label + "_with_" + percentile_name(p);
    }
  }
  csv += "\n";
  json features = json::array();
  for (std::size_t i = 0; i < origins.size(); ++i) {
    auto const& c = origins[i];
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f,%.1f", c.at.lat, c.at.lon, c.people);
    csv += c.id + "," + buf;
    json props = {{"id", c.id}, {"people", weighted ? json(c.people) : json(nullptr)}};
    for (std::size_t s = 0; s < dests.size(); ++s) {
      for (std::size_t p = 0; p < np; ++p) {
        auto const m = without.at(i, s, p);
        csv += "," + minutes_text(m);
        props[dests[s].label + "_" + percentile_name(o.percentiles[p])] = m < 0 ? json(nullptr) : json(m);
      }
      if (with) {
        for (std::size_t p = 0; p < np; ++p) {
          auto const m = with->at(i, s, p);
          csv += "," + minutes_text(m);
          props[dests[s].label + "_with_" + percentile_name(o.percentiles[p])] = m < 0 ? json(nullptr) : json(m);
        }
      }
    }
    csv += "\n";
    if (!cov.empty()) {
      auto const& k = cov[i];
      props["nearest_stop_m"] = k.nearest_stop_m ? json(std::lround(*k.nearest_stop_m)) : json(nullptr);
      props["nearest_bus_stop_m"] = k.nearest_bus_stop_m ? json(std::lround(*k.nearest_bus_stop_m)) : json(nullptr);
      props["nearest_station_m"] = k.nearest_station_m ? json(std::lround(*k.nearest_station_m)) : json(nullptr);
      props["departures"] = k.departures;
      props["gap"] = k.gap;
      props["gap_1km"] = k.gap_1km;
      props["few_departures"] = k.few_departures;
    }
    json geometry;
    if (c.cell) {
      auto const& b = *c.cell;
      geometry = {
          {"type", "Polygon"},
          {"coordinates", json::array({json::array({json::array({b.west, b.south}), json::array({b.east, b.south}),
                                                    json::array({b.east, b.north}), json::array({b.west, b.north}),
                                                    json::array({b.west, b.south})})})}};
    } else {
      geometry = {{"type", "Point"}, {"coordinates", json::array({c.at.lon, c.at.lat})}};
    }
    features.push_back({{"type", "Feature"}, {"geometry", geometry}, {"properties", props}});
  }
  write_file(out / "cells.csv", csv);
  write_file(out / "cells.geojson", json{{"type", "FeatureCollection"}, {"features", features}}.dump() + "\n");
  if (!cov.empty()) {
    std::string t =
        "id,lat,lon,people,nearest_stop_m,nearest_bus_stop_m,nearest_station_m,departures,gap,gap_1km,few_departures\n";
    for (std::size_t i = 0; i < origins.size(); ++i) {
      auto const& c = origins[i];
      auto const& k = cov[i];
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.6f,%.6f,%.1f", c.at.lat, c.at.lon, c.people);
      t += c.id + "," + buf + "," + metres_text(k.nearest_stop_m) + "," + metres_text(k.nearest_bus_stop_m) + "," +
           metres_text(k.nearest_station_m) + "," + std::to_string(k.departures) + "," + (k.gap ? "1" : "0") + "," +
           (k.gap_1km ? "1" : "0") + "," + (k.few_departures ? "1" : "0") + "\n";
    }
    write_file(out / "coverage.csv", t);
  }

  // The map.
  in.lang = o.report_lang;
  in.date = o.date;
  in.window_from = civil::format_clock(*from, false);
  in.window_to = civil::format_clock(*to, false);
  in.percentile = o.report_percentile;
  in.cutoffs = o.cutoffs;
  in.weighted = weighted;
  in.population_source = population_source;
  auto const rp = static_cast<std::size_t>(report_p - o.percentiles.begin());
  for (auto const& c : origins) {
    report::access_cell rc{c.id, c.at.lat, c.at.lon, c.at.lat, c.at.lon, c.at, c.people};
    if (c.cell) rc.south = c.cell->south, rc.west = c.cell->west, rc.north = c.cell->north, rc.east = c.cell->east;
    in.cells.push_back(std::move(rc));
  }
  for (std::size_t s = 0; s < dests.size(); ++s) {
    report::access_set rs{dests[s].label, dests[s].points, {}, {}};
    for (std::size_t i = 0; i < origins.size(); ++i) {
      rs.minutes.push_back(without.at(i, s, rp));
      if (with) rs.with_service.push_back(with->at(i, s, rp));
    }
    in.sets.push_back(std::move(rs));
  }
  for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] != 0U) in.stops.push_back(tt.stop_coords[s]);
  }
  in.service_area = service_area;
  for (auto const& k : cov)
    in.coverage.push_back({k.nearest_bus_stop_m, k.nearest_station_m, k.departures, k.gap, k.few_departures});
  in.gap_stop_m = o.gap_stop_m;
  in.gap_station_m = o.gap_station_m;
  in.departures_radius_m = o.coverage_radius_m;
  in.min_departures = o.min_departures;
  write_file(out / "access.html", report::access_report_html(in));
  progress.done();

  // The answer in a few lines.
  for (std::size_t s = 0; s < dests.size(); ++s) {
    for (auto const cutoff : o.cutoffs) {
      auto const c = access::count_reach(origins, without, s, rp, cutoff);
      std::printf("%s: %.0f of %.0f %s reach it within %d min (%s) departing %s-%s", dests[s].label.c_str(), c.reached,
                  c.total, weighted ? "residents" : "cells", cutoff, percentile_name(o.report_percentile).c_str(),
                  o.from.c_str(), o.to.c_str());
      if (with)
        std::printf("; with the on-demand service %.0f", access::count_reach(origins, *with, s, rp, cutoff).reached);
      std::printf("\n");
    }
  }
  std::printf("%s: %zu origins, %zu destination set(s); cells.csv, cells.geojson%s, access.html\n", o.out.c_str(),
              origins.size(), dests.size(), cov.empty() ? "" : ", coverage.csv");
}

}  // namespace

void register_accessibility(CLI::App& app) {
  auto o = std::make_shared<accessibility_options>();
  auto* cmd = app.add_subcommand(
      "accessibility", "travel times by transit (and on demand) from a grid to destination sets, coverage, map");
  add_timetable_options(*cmd, o->src);
  cmd->add_option("--date", o->date, "service date YYYY-MM-DD")->required();
  cmd->add_option("--from", o->from, "first departure minute HH:MM")->capture_default_str();
  cmd->add_option("--to", o->to, "end of the departure window HH:MM (exclusive)")->capture_default_str();
  cmd->add_option("--step", o->step, "seconds between departures of the window")->capture_default_str();
  cmd->add_option("--bbox", o->bbox, "grid over SOUTH,WEST,NORTH,EAST");
  cmd->add_option("--area", o->area_file, "grid over a GeoJSON Polygon / MultiPolygon (cells whose centre is inside)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--origins", o->origins_file, "origin points: CSV with lat, lon (and id, population)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--cell", o->cell_m, "grid cell size in metres")->capture_default_str();
  cmd->add_option("--mesh", o->mesh_m, "use the JIS X 0410 grid squares of this size instead: 1000, 500, 250 or 125");
  cmd->add_option(
         "--dest", o->dests,
         "destination set LABEL=KIND:VALUE (repeatable); KIND: stop (ids), stop_name (NAME* for a prefix), route_type, place (ids "
         "of --places), place_kind, latlon (LAT,LON,...), points (CSV with lat, lon)")
      ->required();
  cmd->add_option("--places", o->places,
                  "gazetteer of places (GeoJSON or CSV, docs/search.md); kind=station adds stations");
  cmd->add_option("--percentiles", o->percentiles, "percentiles of the travel times over the window")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--report-percentile", o->report_percentile, "the percentile of the map and the summary")
      ->capture_default_str();
  cmd->add_option("--cutoffs", o->cutoffs, "minutes of the summary's classes")->delimiter(',')->capture_default_str();
  cmd->add_option("--max-duration", o->max_duration_min, "minutes at or above which a place counts as unreachable")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1000.0));
  cmd->add_option("--max-legs", o->max_legs, "most vehicle legs")->capture_default_str();
  cmd->add_option("--walk-speed", o->walk_speed, "walking speed in m/s")->capture_default_str()->check(CLI::Range(0.1, 5.0));
  cmd->add_option("--max-walk", o->max_walk_m, "metres walked to the first stop, from the last, or all the way")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 5000.0));
  cmd->add_option("--threads", o->threads, "threads")->capture_default_str()->check(CLI::Range(1U, 256U));
  cmd->add_option("--population", o->population, "地域メッシュ統計 CSV (e-Stat; KEY_CODE + population column)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--population-column", o->population_column, "column of the people (default: the first T...001)");
  cmd->add_option("--drt-rules", o->drt_rules, "on-demand service rules JSON (its service_area): adds a 'with' run")
      ->check(CLI::ExistingFile);
  cmd->add_option("--drt-wait", o->drt_wait_s, "expected wait in seconds (default: half the rules' max_wait_s)");
  cmd->add_option("--drt-max-ride", o->drt_max_ride_m, "on-demand serves stops up to this many metres away")
      ->capture_default_str();
  cmd->add_option("--osm", o->osm, "OSM extract for on-demand driving times (default: straight lines)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--detour", o->detour, "straight-line model: detour factor")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 10.0));
  cmd->add_option("--speed", o->speed_kmh, "straight-line model: km/h")->capture_default_str()->check(CLI::Range(1.0, 200.0));
  cmd->add_flag("--no-coverage", o->no_coverage, "skip the coverage layer");
  cmd->add_option("--coverage-radius", o->coverage_radius_m, "departures a day are counted within this many metres")
      ->capture_default_str();
  cmd->add_option("--gap-stop", o->gap_stop_m, "交通空白: farther than this from a bus stop (m) ...")->capture_default_str();
  cmd->add_option("--gap-station", o->gap_station_m, "... and farther than this from a station (m)")->capture_default_str();
  cmd->add_option("--min-departures", o->min_departures, "交通不便: fewer departures a day within the radius")
      ->capture_default_str();
  cmd->add_option("--out", o->out, "output folder (created)")->required();
  cmd->add_option("--report-lang", o->report_lang, "language of access.html: en or ja")
      ->capture_default_str()
      ->check(CLI::IsMember({"en", "ja"}));
  cmd->callback([o] { run_accessibility(*o); });
}

}  // namespace nebuta::cli
