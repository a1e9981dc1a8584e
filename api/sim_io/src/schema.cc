// The scenario file: JSON values with their paths, the schema walk (load_scenario) and the fleet.
#include "scenario_internal.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "nebuta/core/civil_time.h"
#include "nebuta/drt_config/config.h"
#include "nebuta/io/file.h"

namespace nebuta::sim_io {
namespace detail {

void raise_scenario_error(std::string const& message) { throw scenario_error{message}; }

void only_keys(json const& o, where const& w, std::initializer_list<char const*> allowed) {
  if (!o.is_object()) w.fail("must be an object");
  for (auto const& [k, v] : o.items()) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](char const* a) { return k == a; })) {
      std::string list;
      for (auto const* a : allowed) list += (list.empty() ? "" : ", ") + std::string{a};
      w.key(k).fail("unknown key (allowed: " + list + ")");
    }
  }
}

double number(json const& o, char const* k, double def, where const& w, double lo, double hi) {
  if (!o.contains(k)) return def;
  auto const& v = o[k];
  if (!v.is_number()) w.key(k).fail("must be a number");
  auto const x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) {
    std::ostringstream s;
    s << "must be between " << lo << " and " << hi;
    w.key(k).fail(s.str());
  }
  return x;
}

double number_value(json const& v, where const& w) {
  if (!v.is_number() || !std::isfinite(v.get<double>())) w.fail("must be a number");
  return v.get<double>();
}

std::string string_of(json const& o, char const* k, std::string def, where const& w) {
  if (!o.contains(k)) return def;
  if (!o[k].is_string()) w.key(k).fail("must be a string");
  return o[k].get<std::string>();
}

// "HH:MM", "HH:MM:SS" (hours may exceed 23) or integer seconds.
seconds_t time_of(json const& v, where const& w) {
  if (v.is_number_integer()) {
    auto const x = v.get<long long>();
    if (x < 0 || x > 30LL * 86'400) w.fail("time out of range");
    return static_cast<seconds_t>(x);
  }
  if (!v.is_string()) w.fail("must be a time \"HH:MM\" or seconds");
  auto const s = v.get<std::string>();
  int h = 0, m = 0, sec = 0;
  char c1 = 0, c2 = 0;
  std::istringstream in{s};
  in >> h >> c1 >> m;
  if (!in || c1 != ':' || h < 0 || m < 0 || m > 59) w.fail("must be a time \"HH:MM\" or \"HH:MM:SS\"");
  if (in >> c2) {
    if (c2 != ':' || !(in >> sec) || sec < 0 || sec > 59) w.fail("must be a time \"HH:MM\" or \"HH:MM:SS\"");
  }
  if (in >> c2) w.fail("must be a time \"HH:MM\" or \"HH:MM:SS\"");
  if (h > 30 * 24) w.fail("time out of range");
  return h * 3600 + m * 60 + sec;
}

latlon latlon_of(json const& v, where const& w) {
  if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number()) {
    latlon const p{v[0].get<double>(), v[1].get<double>()};
    if (std::abs(p.lat) > 90 || std::abs(p.lon) > 180) w.fail("coordinate out of range");
    return p;
  }
  if (v.is_object()) {
    only_keys(v, w, {"lat", "lon"});
    if (!v.contains("lat") || !v.contains("lon")) w.fail("needs lat and lon");
    return {number(v, "lat", 0, w, -90, 90), number(v, "lon", 0, w, -180, 180)};
  }
  w.fail("must be [lat, lon] or {\"lat\": .., \"lon\": ..}");
}

fs::path resolve(fs::path const& base, std::string const& p) {
  fs::path const q{p};
  return fs::weakly_canonical(q.is_absolute() ? q : base / q);
}

std::string read_file(fs::path const& p, std::string const& what) {
  std::string text;
  switch (io::read_file(p, text)) {
    case io::read_status::ok: return text;
    case io::read_status::cannot_open: throw scenario_error{p.string() + ": cannot open " + what};
    case io::read_status::read_failed: break;
  }
  throw scenario_error{p.string() + ": cannot read " + what};
}

// --- fleet ---

// Meeting points that no request can use: farther than max_walk_m from the service area's
// bounding box (requests outside the area are rejected before meeting points are looked at).
// Leaving them out changes no answer and saves the dispatcher a distance per point and request.
void drop_unusable_meeting_points(dispatch::rules& r) {
  if (r.service_area.empty() || r.meeting_points.empty()) return;
  double lat0 = 1e9, lat1 = -1e9, lon0 = 1e9, lon1 = -1e9;
  for (auto const& ring : r.service_area) {
    for (auto const& p : ring) {
      lat0 = std::min(lat0, p.lat), lat1 = std::max(lat1, p.lat);
      lon0 = std::min(lon0, p.lon), lon1 = std::max(lon1, p.lon);
    }
  }
  // A degree of latitude is at least 110,574 m; of longitude at least that times cos(latitude).
  auto const dlat = 1.01 * r.max_walk_m / 110'574.0 + 1e-6;
  auto const max_abs_lat = std::min(89.0, std::max(std::abs(lat0), std::abs(lat1)) + dlat);
  auto const dlon = dlat / std::cos(max_abs_lat * 3.141592653589793 / 180.0);
  std::erase_if(r.meeting_points, [&](latlon const& p) {
    return p.lat < lat0 - dlat || p.lat > lat1 + dlat || p.lon < lon0 - dlon || p.lon > lon1 + dlon;
  });
}

std::vector<dispatch::vehicle_spec> generate_fleet(fleet_generator const& g) {
  std::vector<dispatch::vehicle_spec> out;
  for (int i = 0; i < g.count; ++i) {
    auto const& shift = g.shifts[static_cast<std::size_t>(i) % g.shifts.size()];
    auto const wc = g.wheelchair_vehicles < 0 || i < g.wheelchair_vehicles ? g.wheelchair_spaces : std::uint16_t{0};
    out.push_back({"v" + std::to_string(i + 1), g.seats, wc, g.depots[static_cast<std::size_t>(i) % g.depots.size()],
                   shift.first, shift.second});
  }
  return out;
}

}  // namespace detail

using namespace detail;

scenario_file load_scenario(fs::path const& file) {
  scenario_file f;
  f.file = file;
  auto const text = read_file(file, "scenario");
  json j;
  try {
    j = json::parse(text);
  } catch (json::parse_error const& e) {
    throw scenario_error{file.string() + ": invalid JSON: " + e.what()};
  }
  where const w{file.string(), "", &raise_scenario_error};
  only_keys(j, w,
            {"name", "kind", "seed", "days", "rules", "fleet", "demand", "riders", "travel", "costs", "simulation",
             "transit"});
  auto const base = fs::weakly_canonical(fs::absolute(file)).parent_path();
  auto& sc = f.base;
  sc.name = string_of(j, "name", file.stem().string(), w);
  auto const seed = number(j, "seed", 1, w, 0, 9.007199254740992e15);
  if (seed != std::floor(seed)) w.key("seed").fail("must be an integer");
  sc.seed = static_cast<std::uint64_t>(seed);
  auto const days = number(j, "days", 1, w, 1, 28);
  if (days != std::floor(days)) w.key("days").fail("must be an integer");
  sc.days = static_cast<int>(days);

  auto const kind = string_of(j, "kind", "rides", w);
  if (kind != "rides" && kind != "journeys") w.key("kind").fail("must be \"rides\" or \"journeys\"");
  if (kind == "journeys" && !j.contains("transit")) w.key("transit").fail("required by \"kind\": \"journeys\"");

  // Rules: the same object as for live dispatch (a journeys run reads its "intermodal" object too).
  try {
    intermodal::settings im;
    sc.rules = drt_config::parse_rules(j.contains("rules") ? j["rules"] : json::object(), base,
                                       file.filename().string() + ": rules", nullptr, &im);
    if (kind == "journeys") f.journeys = im;
  } catch (drt_config::config_error const& e) {
    throw scenario_error{e.what()};
  }

  // Fleet.
  json fleet_echo;
  {
    auto const wf = w.key("fleet");
    if (!j.contains("fleet")) wf.fail("required: {\"csv\": path} or {\"count\": n, \"depots\": [...], ...}");
    auto const& fj = j["fleet"];
    if (!fj.is_object()) wf.fail("must be an object");
    if (fj.contains("csv")) {
      only_keys(fj, wf, {"csv"});
      if (!fj["csv"].is_string()) wf.key("csv").fail("must be a path");
      auto const path = resolve(base, fj["csv"].get<std::string>());
      drt_config::fleet fleet;
      try {
        fleet = drt_config::load_fleet_csv(path);
      } catch (drt_config::config_error const& e) {
        throw scenario_error{e.what()};
      } catch (std::exception const& e) {
        throw scenario_error{path.string() + ": " + e.what()};
      }
      for (auto const& e : fleet.errors) f.warnings.push_back(e);
      if (fleet.vehicles.empty()) wf.key("csv").fail("no vehicle in " + path.string());
      f.fleet_csv = fleet.vehicles;
      sc.fleet = fleet.vehicles;
      fleet_echo = {{"csv", path.string()}, {"vehicles", sc.fleet.size()}};
    } else {
      only_keys(fj, wf, {"count", "seats", "wheelchair_spaces", "wheelchair_vehicles", "depots", "shifts"});
      fleet_generator g;
      g.count = static_cast<int>(number(fj, "count", 1, wf, 0, 100'000));
      g.seats = static_cast<std::uint16_t>(number(fj, "seats", 4, wf, 0, 1000));
      g.wheelchair_spaces = static_cast<std::uint16_t>(number(fj, "wheelchair_spaces", 0, wf, 0, 100));
      g.wheelchair_vehicles = static_cast<int>(number(fj, "wheelchair_vehicles", -1, wf, -1, 100'000));
      if (!fj.contains("depots") || !fj["depots"].is_array() || fj["depots"].empty()) {
        wf.key("depots").fail("required: an array of [lat, lon]");
      }
      json depots = json::array();
      for (std::size_t i = 0; i < fj["depots"].size(); ++i) {
        g.depots.push_back(latlon_of(fj["depots"][i], wf.key("depots").index(i)));
        depots.push_back({g.depots.back().lat, g.depots.back().lon});
      }
      json shifts = json::array();
      if (fj.contains("shifts")) {
        if (!fj["shifts"].is_array() || fj["shifts"].empty()) wf.key("shifts").fail("must be an array of [start, end]");
        for (std::size_t i = 0; i < fj["shifts"].size(); ++i) {
          auto const ws = wf.key("shifts").index(i);
          auto const& s = fj["shifts"][i];
          if (!s.is_array() || s.size() != 2) ws.fail("must be [start, end], e.g. [\"07:00\", \"19:00\"]");
          auto const a = time_of(s[0], ws.index(0)), b = time_of(s[1], ws.index(1));
          if (b <= a) ws.fail("shift must end after it starts");
          g.shifts.emplace_back(a, b);
        }
      } else {
        g.shifts.emplace_back(0, seconds_per_day);
      }
      for (auto const& [a, b] : g.shifts) shifts.push_back({a, b});
      fleet_echo = {{"count", g.count},
                    {"seats", g.seats},
                    {"wheelchair_spaces", g.wheelchair_spaces},
                    {"wheelchair_vehicles", g.wheelchair_vehicles},
                    {"depots", depots},
                    {"shifts", shifts}};
      sc.fleet = generate_fleet(g);
      f.fleet_gen = g;
    }
  }

  // Demand.
  json demand_echo = json::object();
  {
    auto const wd = w.key("demand");
    if (!j.contains("demand")) wd.fail("required: {\"csv\": path} and/or {\"generate\": {...}}");
    auto const& dj = j["demand"];
    only_keys(dj, wd, {"csv", "generate"});
    if (!dj.contains("csv") && !dj.contains("generate")) wd.fail("needs \"csv\" or \"generate\"");
    if (dj.contains("csv")) {
      if (!dj["csv"].is_string()) wd.key("csv").fail("must be a path");
      auto const path = resolve(base, dj["csv"].get<std::string>());
      sc.requests = load_demand_csv(path, f.warnings);
      demand_echo["csv"] = path.string();
    }
    if (dj.contains("generate")) {
      json ge;
      sc.generated = generator_of(dj["generate"], base, wd.key("generate"), ge);
      demand_echo["generate"] = ge;
    }
  }

  // Riders, costs, simulation.
  bool currency_given = false;
  {
    auto const wr = w.key("riders");
    json const rj = j.contains("riders") ? j["riders"] : json::object();
    only_keys(rj, wr,
              {"max_wait_accepted_s", "decline_probability", "response_s", "cancel_probability", "no_show_probability",
               "late_probability", "late_max_s"});
    auto& r = sc.riders;
    r.max_wait_accepted = static_cast<seconds_t>(number(rj, "max_wait_accepted_s", r.max_wait_accepted, wr, 0, 86'400));
    r.decline_probability = number(rj, "decline_probability", r.decline_probability, wr, 0, 1);
    r.response_s = static_cast<seconds_t>(number(rj, "response_s", r.response_s, wr, 0, 3600));
    r.cancel_probability = number(rj, "cancel_probability", r.cancel_probability, wr, 0, 1);
    r.no_show_probability = number(rj, "no_show_probability", r.no_show_probability, wr, 0, 1);
    r.late_probability = number(rj, "late_probability", r.late_probability, wr, 0, 1);
    r.late_max_s = static_cast<seconds_t>(number(rj, "late_max_s", r.late_max_s, wr, 0, 3600));
  }
  {
    auto const wc = w.key("costs");
    json const cj = j.contains("costs") ? j["costs"] : json::object();
    only_keys(cj, wc, {"per_vehicle_hour", "per_km", "fixed_per_day", "fare_base", "fare_per_km", "currency", "bus"});
    auto& c = sc.costs;
    c.currency = string_of(cj, "currency", "JPY", wc);
    if (c.currency.size() != 3 ||
        !std::all_of(c.currency.begin(), c.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
      wc.key("currency").fail("must be an ISO 4217 code such as \"JPY\"");
    }
    currency_given = cj.contains("currency");
    if (cj.contains("bus")) {
      auto const wb = wc.key("bus");
      auto const& bj = cj["bus"];
      only_keys(bj, wb, {"routes", "per_vehicle_km", "per_vehicle_hour", "fare_revenue_per_day", "passengers_per_day"});
      sim::bus_lines b;
      if (!bj.contains("routes") || !bj["routes"].is_array() || bj["routes"].empty()) {
        wb.key("routes").fail("required: an array of route_id of the transit feed");
      }
      for (std::size_t i = 0; i < bj["routes"].size(); ++i) {
        if (!bj["routes"][i].is_string()) wb.key("routes").index(i).fail("must be a route_id");
        b.routes.push_back(bj["routes"][i].get<std::string>());
      }
      b.per_vehicle_km = number(bj, "per_vehicle_km", 0, wb, 0);
      b.per_vehicle_hour = number(bj, "per_vehicle_hour", 0, wb, 0);
      b.fare_revenue_per_day = number(bj, "fare_revenue_per_day", 0, wb, 0);
      b.passengers_per_day = number(bj, "passengers_per_day", 0, wb, 0);
      if (!j.contains("transit")) wb.fail("needs a \"transit\" timetable to measure the routes on");
      sc.bus = std::move(b);
    }
    c.per_vehicle_hour = number(cj, "per_vehicle_hour", 0, wc, 0);
    c.per_km = number(cj, "per_km", 0, wc, 0);
    c.fixed_per_day = number(cj, "fixed_per_day", 0, wc, 0);
    c.fare_base = number(cj, "fare_base", 0, wc, 0);
    c.fare_per_km = number(cj, "fare_per_km", 0, wc, 0);
  }
  if (j.contains("transit")) {
    auto const wt = w.key("transit");
    auto const& tj = j["transit"];
    only_keys(tj, wt, {"gtfs", "date", "max_duration_s", "walk_radius_m", "max_walk_m", "walk_speed_mps"});
    transit_spec t;
    t.currency_given = currency_given;
    if (!tj.contains("gtfs")) wt.key("gtfs").fail("required: a GTFS folder or zip, or an array of them");
    auto const add_feed = [&](json const& v, where const& wv) {
      if (!v.is_string()) wv.fail("must be a path");
      t.feeds.push_back(resolve(base, v.get<std::string>()).string());
    };
    if (tj["gtfs"].is_array()) {
      for (std::size_t i = 0; i < tj["gtfs"].size(); ++i) add_feed(tj["gtfs"][i], wt.key("gtfs").index(i));
      if (t.feeds.empty()) wt.key("gtfs").fail("must name at least one feed");
    } else {
      add_feed(tj["gtfs"], wt.key("gtfs"));
    }
    auto const date = string_of(tj, "date", "", wt);
    auto const d = civil::parse_date(date);
    if (!d) wt.key("date").fail("required: the date of simulated day 1, YYYY-MM-DD");
    t.first_date = *d;
    t.max_duration_s = static_cast<seconds_t>(number(tj, "max_duration_s", 10'800, wt, 60, 86'400));
    t.walk_radius_m = number(tj, "walk_radius_m", 400, wt, 0, 1000);
    t.max_walk_m = number(tj, "max_walk_m", 400, wt, 0, 5000);
    t.walk_speed_mps = number(tj, "walk_speed_mps", 1.2, wt, 0.1, 10);
    f.transit = std::move(t);
  }
  {
    auto const ws = w.key("simulation");
    json const sj = j.contains("simulation") ? j["simulation"] : json::object();
    only_keys(sj, ws, {"reoptimise_every_s"});
    sc.reoptimise_every = static_cast<seconds_t>(number(sj, "reoptimise_every_s", 300, ws, 0, 86'400));
  }
  {
    auto const wt = w.key("travel");
    json const tj = j.contains("travel") ? j["travel"] : json::object();
    only_keys(tj, wt, {"model", "detour_factor", "speed_kmh", "path", "speed_factor"});
    auto& t = f.travel;
    t.model = string_of(tj, "model", "straight_line", wt);
    if (t.model == "straight_line") {
      if (tj.contains("path") || tj.contains("speed_factor")) wt.fail("path and speed_factor are for model \"osm\"");
      t.detour_factor = number(tj, "detour_factor", 1.3, wt, 1.0, 10.0);
      t.speed_kmh = number(tj, "speed_kmh", 30.0, wt, 1.0, 200.0);
    } else if (t.model == "osm") {
      if (tj.contains("detour_factor") || tj.contains("speed_kmh")) {
        wt.fail("detour_factor and speed_kmh are for model \"straight_line\"");
      }
      if (!tj.contains("path") || !tj["path"].is_string()) wt.key("path").fail("required: the .osm.pbf file");
      t.osm_path = resolve(base, tj["path"].get<std::string>());
      if (!fs::exists(t.osm_path)) wt.key("path").fail("no such file: " + t.osm_path.string());
      t.speed_factor = number(tj, "speed_factor", 1.0, wt, 0.1, 5.0);
    } else {
      wt.key("model").fail("must be \"straight_line\" or \"osm\"");
    }
  }

  auto const& r = sc.riders;
  auto const& c = sc.costs;
  json travel =
      f.travel.model == "osm"
          ? json{{"model", "osm"}, {"path", f.travel.osm_path.string()}, {"speed_factor", f.travel.speed_factor}}
          : json{{"model", "straight_line"}, {"detour_factor", f.travel.detour_factor}, {"speed_kmh", f.travel.speed_kmh}};
  f.echo = {{"name", sc.name},
            {"kind", f.journeys ? "journeys" : "rides"},
            {"seed", sc.seed},
            {"days", sc.days},
            {"rules", drt_config::rules_to_json(sc.rules)},
            {"fleet", fleet_echo},
            {"demand", demand_echo},
            {"riders",
             {{"max_wait_accepted_s", r.max_wait_accepted},
              {"decline_probability", r.decline_probability},
              {"response_s", r.response_s},
              {"cancel_probability", r.cancel_probability},
              {"no_show_probability", r.no_show_probability},
              {"late_probability", r.late_probability},
              {"late_max_s", r.late_max_s}}},
            {"travel", travel},
            {"costs",
             {{"per_vehicle_hour", c.per_vehicle_hour},
              {"per_km", c.per_km},
              {"fixed_per_day", c.fixed_per_day},
              {"fare_base", c.fare_base},
              {"fare_per_km", c.fare_per_km},
              {"currency", c.currency}}},
            {"simulation", {{"reoptimise_every_s", sc.reoptimise_every}}}};
  if (sc.bus) {
    auto const& b = *sc.bus;
    f.echo["costs"]["bus"] = {{"routes", b.routes},
                              {"per_vehicle_km", b.per_vehicle_km},
                              {"per_vehicle_hour", b.per_vehicle_hour},
                              {"fare_revenue_per_day", b.fare_revenue_per_day},
                              {"passengers_per_day", b.passengers_per_day}};
  }
  if (f.journeys) {
    auto const& im = *f.journeys;
    auto const& m = im.mixer;
    f.echo["rules"]["intermodal"] = {{"enabled", im.enabled},
                                     {"max_stops_per_side", im.max_stops_per_side},
                                     {"search_radius_m", im.search_radius_m},
                                     {"max_road_s", im.max_road_s},
                                     {"expected_wait_s", im.expected_wait_s},
                                     {"transfer_buffer_s", im.transfer_buffer_s},
                                     {"stop_buffers_s", im.stop_buffers_s},
                                     {"hub_min_routes", im.hub_min_routes},
                                     {"door_to_door", im.door_to_door},
                                     {"max_door_to_door_s", im.max_door_to_door_s},
                                     {"max_offers", im.max_offers},
                                     {"show_only_way", m.show_only_way},
                                     {"min_time_saving_s", m.min_time_saving_s},
                                     {"min_rides_saved", m.min_rides_saved},
                                     {"legs_slack_s", m.legs_slack_s},
                                     {"long_walk_m", m.long_walk_m},
                                     {"walk_slack_s", m.walk_slack_s}};
  }
  if (f.transit) {
    auto const& t = *f.transit;
    f.echo["transit"] = {{"gtfs", t.feeds},
                         {"date", civil::format_date(t.first_date)},
                         {"max_duration_s", t.max_duration_s},
                         {"walk_radius_m", t.walk_radius_m},
                         {"max_walk_m", t.max_walk_m},
                         {"walk_speed_mps", t.walk_speed_mps}};
  }
  return f;
}

}  // namespace nebuta::sim_io
