#include "nebuta/sim_io/scenario_file.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "nebuta/drt_config/config.h"
#include "nebuta/gtfs/reader.h"
#include "nebuta/io/file.h"
#include "nebuta/io/json_path.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/sim/matrix_model.h"

namespace nebuta::sim_io {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void raise_scenario_error(std::string const& message) { throw scenario_error{message}; }

// Where a value sits, for messages: "scenario.json: demand.generate.origins.zones[2].radius_m".
using where = io::json_path;

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

double number(json const& o, char const* k, double def, where const& w, double lo = -1e300, double hi = 1e300) {
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

// --- demand ---

struct csv_file {
  std::string data;
  gtfs::string_arena arena;
};

std::optional<seconds_t> csv_time(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int parts[3] = {0, 0, 0};
  int n = 0;
  long long cur = 0;
  bool digit = false;
  for (auto const c : s) {
    if (c >= '0' && c <= '9') {
      cur = cur * 10 + (c - '0');
      digit = true;
      if (cur > 10'000'000) return std::nullopt;
    } else if (c == ':' && digit && n < 2) {
      parts[n++] = static_cast<int>(cur);
      cur = 0;
      digit = false;
    } else {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  if (n == 0) return static_cast<seconds_t>(cur);  // plain seconds
  parts[n] = static_cast<int>(cur);
  if (parts[1] > 59 || parts[2] > 59) return std::nullopt;
  return parts[0] * 3600 + parts[1] * 60 + (n == 2 ? parts[2] : 0);
}

std::optional<double> csv_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string const t{s};
  char* end = nullptr;
  auto const v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::vector<sim::trip_request> load_demand_csv(fs::path const& p, std::vector<std::string>& warnings) {
  csv_file f;
  f.data = read_file(p, "demand CSV");
  gtfs::csv_reader csv{f.data, f.arena};
  std::vector<std::string_view> header, row;
  std::uint32_t line = 0;
  if (csv.next(header, line) != gtfs::csv_status::row) throw scenario_error{p.string() + ": empty file (no header)"};
  auto const col = [&](std::string_view name, bool required) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    if (required) throw scenario_error{p.string() + ": missing required column " + std::string{name}};
    return -1;
  };
  auto const c_id = col("request_id", true), c_req = col("requested_at", true), c_early = col("earliest_pickup", false),
             c_olat = col("origin_lat", true), c_olon = col("origin_lon", true), c_dlat = col("dest_lat", true),
             c_dlon = col("dest_lon", true), c_n = col("passengers", false), c_wc = col("wheelchair", false);
  std::vector<sim::trip_request> out;
  while (true) {
    auto const st = csv.next(row, line);
    if (st == gtfs::csv_status::end) break;
    auto const bad = [&](std::string const& why) {
      warnings.push_back(p.string() + ":" + std::to_string(line) + ": " + why + "; row skipped");
    };
    if (st == gtfs::csv_status::unclosed_quote) {
      bad("unclosed quote (rest of file)");
      break;
    }
    if (row.size() == 1 && row[0].empty()) continue;
    if (row.size() != header.size()) {
      bad("row has " + std::to_string(row.size()) + " fields, header has " + std::to_string(header.size()));
      continue;
    }
    auto const field = [&](int c) { return c < 0 ? std::string_view{} : row[static_cast<std::size_t>(c)]; };
    sim::trip_request q;
    q.id = std::string{field(c_id)};
    if (q.id.empty()) {
      bad("empty request_id");
      continue;
    }
    auto const req = csv_time(field(c_req));
    if (!req) {
      bad("bad requested_at '" + std::string{field(c_req)} + "' (seconds or HH:MM[:SS])");
      continue;
    }
    q.requested_at = *req;
    auto const early = csv_time(field(c_early));
    if (!field(c_early).empty() && !early) {
      bad("bad earliest_pickup '" + std::string{field(c_early)} + "'");
      continue;
    }
    q.earliest_pickup = early ? *early : *req;
    auto const olat = csv_number(field(c_olat)), olon = csv_number(field(c_olon)), dlat = csv_number(field(c_dlat)),
               dlon = csv_number(field(c_dlon));
    if (!olat || !olon || !dlat || !dlon || std::abs(*olat) > 90 || std::abs(*dlat) > 90 || std::abs(*olon) > 180 ||
        std::abs(*dlon) > 180) {
      bad("bad coordinate");
      continue;
    }
    q.origin = {*olat, *olon};
    q.destination = {*dlat, *dlon};
    auto const n = field(c_n).empty() ? std::optional<double>{1.0} : csv_number(field(c_n));
    auto const wc = field(c_wc).empty() ? std::optional<double>{0.0} : csv_number(field(c_wc));
    if (!n || *n < 1 || *n > 100 || *n != std::floor(*n)) {
      bad("bad passengers (an integer 1..100)");
      continue;
    }
    if (!wc || *wc < 0 || *wc > *n || *wc != std::floor(*wc)) {
      bad("bad wheelchair (wheelchair users, an integer 0..passengers)");
      continue;
    }
    q.passengers = static_cast<std::uint16_t>(*n);
    q.wheelchair_users = static_cast<std::uint16_t>(*wc);
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<sim::weighted_point> stops_of(json const& o, fs::path const& base, where const& w, json& echo) {
  only_keys(o, w, {"gtfs", "weights", "default_weight", "within"});
  if (!o.contains("gtfs") || !o["gtfs"].is_string()) w.key("gtfs").fail("must be the path of a GTFS feed");
  auto const feed = resolve(base, o["gtfs"].get<std::string>());
  echo["gtfs"] = feed.string();
  auto const def = number(o, "default_weight", 1.0, w, 0.0);
  echo["default_weight"] = def;
  std::optional<sim::circle_zone> within;
  if (o.contains("within")) {
    auto const& c = o["within"];
    auto const ww = w.key("within");
    only_keys(c, ww, {"lat", "lon", "radius_m"});
    within = sim::circle_zone{{number(c, "lat", 0, ww, -90, 90), number(c, "lon", 0, ww, -180, 180)},
                              number(c, "radius_m", 1000, ww, 1, 1e6), 1};
    echo["within"] = {{"lat", within->centre.lat}, {"lon", within->centre.lon}, {"radius_m", within->radius_m}};
  }
  std::map<std::string, double> weights;
  if (o.contains("weights")) {
    auto const& ws = o["weights"];
    if (!ws.is_object()) w.key("weights").fail("must be an object {stop_id: weight}");
    for (auto const& [id, v] : ws.items()) {
      auto const x = number_value(v, w.key("weights").key(id));
      if (x < 0) w.key("weights").key(id).fail("must not be negative");
      weights[id] = x;
    }
    echo["weights"] = ws;
  }
  std::vector<sim::weighted_point> out;
  try {
    gtfs::feed f;
    gtfs::feed_source const src{feed};
    auto t = gtfs::detail::open_table(src, f, "stops.txt", true);
    gtfs::detail::read_stops(*t, f);
    std::map<std::string, double> unseen = weights;
    for (auto const& s : f.stops) {
      if (s.location_type != 0 || !s.stop_lat || !s.stop_lon) continue;
      latlon const p{*s.stop_lat, *s.stop_lon};
      std::string const id{s.stop_id};
      unseen.erase(id);
      if (within && haversine_m(p, within->centre) > within->radius_m) continue;
      auto const it = weights.find(id);
      auto const wt = it == weights.end() ? def : it->second;
      if (wt > 0) out.push_back({p, wt});
    }
    if (!unseen.empty()) w.key("weights").key(unseen.begin()->first).fail("no such stop in " + feed.string());
  } catch (gtfs::feed_error const& e) {
    w.key("gtfs").fail(e.what());
  }
  if (out.empty()) w.fail("no stop with a positive weight");
  return out;
}

sim::place_distribution places_of(json const& o, fs::path const& base, where const& w, json& echo) {
  only_keys(o, w, {"zones", "stops", "points"});
  sim::place_distribution d;
  echo = json::object();
  if (o.contains("zones")) {
    auto const& zs = o["zones"];
    if (!zs.is_array()) w.key("zones").fail("must be an array");
    echo["zones"] = json::array();
    for (std::size_t i = 0; i < zs.size(); ++i) {
      auto const wz = w.key("zones").index(i);
      only_keys(zs[i], wz, {"lat", "lon", "radius_m", "weight", "name"});
      sim::circle_zone z{{number(zs[i], "lat", 0, wz, -90, 90), number(zs[i], "lon", 0, wz, -180, 180)},
                         number(zs[i], "radius_m", 500, wz, 0, 1e6), number(zs[i], "weight", 1, wz, 0)};
      if (!zs[i].contains("lat") || !zs[i].contains("lon")) wz.fail("needs lat and lon");
      d.zones.push_back(z);
      json e{{"lat", z.centre.lat}, {"lon", z.centre.lon}, {"radius_m", z.radius_m}, {"weight", z.weight}};
      if (zs[i].contains("name")) e["name"] = string_of(zs[i], "name", "", wz);
      echo["zones"].push_back(e);
    }
  }
  if (o.contains("points")) {
    auto const& ps = o["points"];
    if (!ps.is_array()) w.key("points").fail("must be an array");
    echo["points"] = json::array();
    for (std::size_t i = 0; i < ps.size(); ++i) {
      auto const wp = w.key("points").index(i);
      only_keys(ps[i], wp, {"lat", "lon", "weight", "name"});
      if (!ps[i].contains("lat") || !ps[i].contains("lon")) wp.fail("needs lat and lon");
      sim::weighted_point p{{number(ps[i], "lat", 0, wp, -90, 90), number(ps[i], "lon", 0, wp, -180, 180)},
                            number(ps[i], "weight", 1, wp, 0)};
      d.points.push_back(p);
      json e{{"lat", p.at.lat}, {"lon", p.at.lon}, {"weight", p.weight}};
      if (ps[i].contains("name")) e["name"] = string_of(ps[i], "name", "", wp);
      echo["points"].push_back(e);
    }
  }
  if (o.contains("stops")) {
    json e = json::object();
    auto pts = stops_of(o["stops"], base, w.key("stops"), e);
    d.points.insert(d.points.end(), pts.begin(), pts.end());
    echo["stops"] = e;
  }
  double total = 0;
  for (auto const& z : d.zones) total += z.weight;
  for (auto const& p : d.points) total += p.weight;
  if (total <= 0) w.fail("needs zones, points or stops with a positive total weight");
  return d;
}

sim::demand_model generator_of(json const& g, fs::path const& base, where const& w, json& echo) {
  only_keys(g, w,
            {"requests_per_day", "scale", "hourly_profile", "origins", "destinations", "min_trip_m", "prebooked_share",
             "prebook_lead_s", "group_sizes", "wheelchair_share"});
  sim::demand_model m;
  m.requests_per_day = number(g, "requests_per_day", m.requests_per_day, w, 0, 1e7);
  m.scale = number(g, "scale", 1.0, w, 0, 1000);
  if (g.contains("hourly_profile")) {
    auto const& h = g["hourly_profile"];
    if (!h.is_array() || h.size() != 24) w.key("hourly_profile").fail("must be an array of 24 weights");
    for (std::size_t i = 0; i < 24; ++i) {
      m.hourly_profile[i] = number_value(h[i], w.key("hourly_profile").index(i));
      if (m.hourly_profile[i] < 0) w.key("hourly_profile").index(i).fail("must not be negative");
    }
  } else {
    m.hourly_profile.fill(1.0);
  }
  if (!g.contains("origins")) w.key("origins").fail("required");
  json oe, de;
  m.origins = places_of(g["origins"], base, w.key("origins"), oe);
  if (g.contains("destinations")) m.destinations = places_of(g["destinations"], base, w.key("destinations"), de);
  m.min_trip_m = number(g, "min_trip_m", m.min_trip_m, w, 0, 1e6);
  m.prebooked_share = number(g, "prebooked_share", 0.0, w, 0, 1);
  if (g.contains("prebook_lead_s")) {
    auto const& l = g["prebook_lead_s"];
    auto const wl = w.key("prebook_lead_s");
    if (!l.is_array() || l.size() != 2) wl.fail("must be [min, max] seconds");
    m.prebook_min_lead = static_cast<seconds_t>(number_value(l[0], wl.index(0)));
    m.prebook_max_lead = static_cast<seconds_t>(number_value(l[1], wl.index(1)));
    if (m.prebook_min_lead < 0 || m.prebook_max_lead < m.prebook_min_lead || m.prebook_max_lead > 30 * 86'400) {
      wl.fail("must be 0 <= min <= max <= 30 days");
    }
  }
  if (g.contains("group_sizes")) {
    auto const& gs = g["group_sizes"];
    if (!gs.is_array() || gs.empty() || gs.size() > 20) w.key("group_sizes").fail("must be an array of 1..20 weights");
    m.group_size_weights.clear();
    double sum = 0;
    for (std::size_t i = 0; i < gs.size(); ++i) {
      auto const x = number_value(gs[i], w.key("group_sizes").index(i));
      if (x < 0) w.key("group_sizes").index(i).fail("must not be negative");
      m.group_size_weights.push_back(x);
      sum += x;
    }
    if (sum <= 0) w.key("group_sizes").fail("needs a positive weight");
  }
  m.wheelchair_share = number(g, "wheelchair_share", 0.0, w, 0, 1);
  echo = {{"requests_per_day", m.requests_per_day},
          {"scale", m.scale},
          {"hourly_profile", m.hourly_profile},
          {"origins", oe},
          {"min_trip_m", m.min_trip_m},
          {"prebooked_share", m.prebooked_share},
          {"prebook_lead_s", {m.prebook_min_lead, m.prebook_max_lead}},
          {"group_sizes", m.group_size_weights},
          {"wheelchair_share", m.wheelchair_share}};
  if (g.contains("destinations")) echo["destinations"] = de;
  return m;
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

}  // namespace

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
  only_keys(j, w, {"name", "seed", "days", "rules", "fleet", "demand", "riders", "travel", "costs", "simulation"});
  auto const base = fs::weakly_canonical(fs::absolute(file)).parent_path();
  auto& sc = f.base;
  sc.name = string_of(j, "name", file.stem().string(), w);
  auto const seed = number(j, "seed", 1, w, 0, 9.007199254740992e15);
  if (seed != std::floor(seed)) w.key("seed").fail("must be an integer");
  sc.seed = static_cast<std::uint64_t>(seed);
  auto const days = number(j, "days", 1, w, 1, 28);
  if (days != std::floor(days)) w.key("days").fail("must be an integer");
  sc.days = static_cast<int>(days);

  // Rules: the same object as for live dispatch.
  try {
    sc.rules = drt_config::parse_rules(j.contains("rules") ? j["rules"] : json::object(), base,
                                       file.filename().string() + ": rules");
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
      fleet_echo = {{"count", g.count},       {"seats", g.seats},   {"wheelchair_spaces", g.wheelchair_spaces},
                    {"wheelchair_vehicles", g.wheelchair_vehicles}, {"depots", depots}, {"shifts", shifts}};
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
  {
    auto const wr = w.key("riders");
    json const rj = j.contains("riders") ? j["riders"] : json::object();
    only_keys(rj, wr,
              {"max_wait_accepted_s", "decline_probability", "response_s", "cancel_probability", "no_show_probability"});
    auto& r = sc.riders;
    r.max_wait_accepted = static_cast<seconds_t>(number(rj, "max_wait_accepted_s", r.max_wait_accepted, wr, 0, 86'400));
    r.decline_probability = number(rj, "decline_probability", r.decline_probability, wr, 0, 1);
    r.response_s = static_cast<seconds_t>(number(rj, "response_s", r.response_s, wr, 0, 3600));
    r.cancel_probability = number(rj, "cancel_probability", r.cancel_probability, wr, 0, 1);
    r.no_show_probability = number(rj, "no_show_probability", r.no_show_probability, wr, 0, 1);
  }
  {
    auto const wc = w.key("costs");
    json const cj = j.contains("costs") ? j["costs"] : json::object();
    only_keys(cj, wc, {"per_vehicle_hour", "per_km", "fixed_per_day", "fare_base", "fare_per_km"});
    auto& c = sc.costs;
    c.per_vehicle_hour = number(cj, "per_vehicle_hour", 0, wc, 0);
    c.per_km = number(cj, "per_km", 0, wc, 0);
    c.fixed_per_day = number(cj, "fixed_per_day", 0, wc, 0);
    c.fare_base = number(cj, "fare_base", 0, wc, 0);
    c.fare_per_km = number(cj, "fare_per_km", 0, wc, 0);
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
  json travel = f.travel.model == "osm"
                    ? json{{"model", "osm"}, {"path", f.travel.osm_path.string()}, {"speed_factor", f.travel.speed_factor}}
                    : json{{"model", "straight_line"},
                           {"detour_factor", f.travel.detour_factor},
                           {"speed_kmh", f.travel.speed_kmh}};
  f.echo = {{"name", sc.name},
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
              {"no_show_probability", r.no_show_probability}}},
            {"travel", travel},
            {"costs",
             {{"per_vehicle_hour", c.per_vehicle_hour},
              {"per_km", c.per_km},
              {"fixed_per_day", c.fixed_per_day},
              {"fare_base", c.fare_base},
              {"fare_per_km", c.fare_per_km}}},
            {"simulation", {{"reoptimise_every_s", sc.reoptimise_every}}}};
  return f;
}

travel_models load_travel_model(scenario_file const& f, std::function<void(std::string const&)> const& stage) {
  travel_models m;
  if (f.travel.model == "straight_line") {
    m.base = std::make_unique<road::straight_line_model>(f.travel.detour_factor, f.travel.speed_kmh);
    return m;
  }
  if (stage) stage("reading " + f.travel.osm_path.filename().string());
  osm::read_options opt;
  opt.speed_factor = f.travel.speed_factor;
  m.base = std::make_unique<road::road_network_model>(osm::load_road_graph(f.travel.osm_path, opt).graph);

  // The table: depots of every fleet a sweep may use, and the meeting points that can serve the
  // service area (inside its bounding box grown by the walking distance).
  std::vector<latlon> pts;
  if (f.fleet_gen) {
    pts.insert(pts.end(), f.fleet_gen->depots.begin(), f.fleet_gen->depots.end());
  } else {
    for (auto const& v : f.fleet_csv) pts.push_back(v.depot);
  }
  auto const& rules = f.base.rules;
  double lat0 = -90, lat1 = 90, lon0 = -180, lon1 = 180;
  if (!rules.service_area.empty()) {
    lat0 = lon0 = 1e9;
    lat1 = lon1 = -1e9;
    for (auto const& ring : rules.service_area) {
      for (auto const& p : ring) {
        lat0 = std::min(lat0, p.lat), lat1 = std::max(lat1, p.lat);
        lon0 = std::min(lon0, p.lon), lon1 = std::max(lon1, p.lon);
      }
    }
    auto const dlat = (rules.max_walk_m + 50.0) / 111'000.0;
    auto const dlon = dlat / std::max(0.1, std::cos((lat0 + lat1) / 2 * 3.141592653589793 / 180.0));
    lat0 -= dlat, lat1 += dlat, lon0 -= dlon, lon1 += dlon;
  }
  constexpr std::size_t max_table = 3000;  // 3,000^2 entries of 16 bytes = 144 MB
  for (auto const& p : rules.meeting_points) {
    if (pts.size() >= max_table) break;
    if (p.lat >= lat0 && p.lat <= lat1 && p.lon >= lon0 && p.lon <= lon1) pts.push_back(p);
  }
  if (rules.meeting_points.empty()) return m;  // door to door: the points are not known in advance
  if (stage) stage("travel-time table for " + std::to_string(pts.size()) + " points");
  m.table = std::make_unique<sim::matrix_model>(*m.base, pts, [&](std::size_t done, std::size_t total) {
    if (stage) stage("travel-time table " + std::to_string(done) + "/" + std::to_string(total));
  });
  return m;
}

// --- sweeps and runs ---

namespace {

struct key_info {
  char const* key;
  bool integer;
};

std::vector<key_info> const& key_table() {
  static std::vector<key_info> const keys{
      {"fleet", true},         {"seats", true},
      {"max_wait_s", true},    {"ride_factor", false},
      {"ride_offset_s", true}, {"dwell_s", true},
      {"offer_ttl_s", true},   {"no_show_wait_s", true},
      {"promise_slack_s", true}, {"max_booking_ahead_s", true},
      {"max_passengers", true},  {"passenger_weight", false},
      {"max_walk_m", false},     {"demand_scale", false},
      {"requests_per_day", false}, {"decline_probability", false},
      {"cancel_probability", false}, {"no_show_probability", false},
      {"reoptimise_every_s", true}};
  return keys;
}

}  // namespace

std::vector<std::string> const& sweepable_keys() {
  static std::vector<std::string> const keys = [] {
    std::vector<std::string> k;
    for (auto const& i : key_table()) k.emplace_back(i.key);
    return k;
  }();
  return keys;
}

run_setup make_run(scenario_file const& f, std::vector<std::pair<std::string, double>> const& overrides,
                   std::optional<std::uint64_t> seed) {
  run_setup run{f.base, f.echo};
  auto& sc = run.sc;
  auto& e = run.echo;
  std::optional<int> fleet_size;
  std::optional<std::uint16_t> seats;
  for (auto const& [key, v] : overrides) {
    auto const i = static_cast<long long>(std::llround(v));
    auto const s = [&] { return static_cast<seconds_t>(i); };
    auto& r = sc.rules;
    auto const need_generator = [&] {
      if (!sc.generated) throw scenario_error{f.file.string() + ": --sweep " + key + " needs demand.generate"};
    };
    auto const probability = [&] {
      if (v < 0 || v > 1) throw scenario_error{"--sweep " + key + ": a probability must be in [0, 1]"};
      return v;
    };
    auto const non_negative = [&] {
      if (v < 0) throw scenario_error{"--sweep " + key + ": must not be negative"};
    };
    non_negative();
    if (key == "fleet") {
      fleet_size = static_cast<int>(i);
    } else if (key == "seats") {
      seats = static_cast<std::uint16_t>(i);
    } else if (key == "max_wait_s") {
      r.max_wait = s();
    } else if (key == "ride_factor") {
      r.ride_alpha = v;
    } else if (key == "ride_offset_s") {
      r.ride_beta = s();
    } else if (key == "dwell_s") {
      r.dwell = s();
    } else if (key == "offer_ttl_s") {
      r.offer_ttl = s();
    } else if (key == "no_show_wait_s") {
      r.no_show_wait = s();
    } else if (key == "promise_slack_s") {
      r.promise_slack = s();
    } else if (key == "max_booking_ahead_s") {
      r.max_booking_ahead = s();
    } else if (key == "max_passengers") {
      r.max_passengers = static_cast<std::uint16_t>(i);
    } else if (key == "passenger_weight") {
      r.passenger_weight = v;
    } else if (key == "max_walk_m") {
      r.max_walk_m = v;
    } else if (key == "demand_scale") {
      need_generator();
      sc.generated->scale = v;
      e["demand"]["generate"]["scale"] = v;
    } else if (key == "requests_per_day") {
      need_generator();
      sc.generated->requests_per_day = v;
      e["demand"]["generate"]["requests_per_day"] = v;
    } else if (key == "decline_probability") {
      sc.riders.decline_probability = probability();
      e["riders"][key] = v;
    } else if (key == "cancel_probability") {
      sc.riders.cancel_probability = probability();
      e["riders"][key] = v;
    } else if (key == "no_show_probability") {
      sc.riders.no_show_probability = probability();
      e["riders"][key] = v;
    } else if (key == "reoptimise_every_s") {
      sc.reoptimise_every = s();
      e["simulation"][key] = s();
    } else {
      throw scenario_error{"--sweep: unknown key " + key};
    }
  }
  if (fleet_size || seats) {
    if (f.fleet_gen) {
      auto g = *f.fleet_gen;
      if (fleet_size) g.count = *fleet_size;
      if (seats) g.seats = *seats;
      sc.fleet = generate_fleet(g);
      e["fleet"]["count"] = g.count;
      e["fleet"]["seats"] = g.seats;
    } else {
      if (fleet_size) {
        if (static_cast<std::size_t>(*fleet_size) > f.fleet_csv.size()) {
          throw scenario_error{"--sweep fleet=" + std::to_string(*fleet_size) + ": the fleet CSV has only " +
                               std::to_string(f.fleet_csv.size()) + " vehicles"};
        }
        sc.fleet.assign(f.fleet_csv.begin(), f.fleet_csv.begin() + *fleet_size);
        e["fleet"]["vehicles"] = *fleet_size;
      }
      if (seats) {
        for (auto& v : sc.fleet) v.seats = *seats;
        e["fleet"]["seats"] = *seats;
      }
    }
  }
  if (seed) sc.seed = *seed;
  drop_unusable_meeting_points(sc.rules);
  e["seed"] = sc.seed;
  e["rules"] = drt_config::rules_to_json(sc.rules);
  return run;
}

sweep_axis parse_sweep(std::string const& text) {
  auto const fail = [&](std::string const& why) -> void { throw scenario_error{"--sweep " + text + ": " + why}; };
  auto const eq = text.find('=');
  if (eq == std::string::npos || eq == 0) fail("expected key=a..b:step or key=v1,v2,...");
  sweep_axis a;
  a.key = text.substr(0, eq);
  auto const it = std::find_if(key_table().begin(), key_table().end(), [&](key_info const& k) { return a.key == k.key; });
  if (it == key_table().end()) {
    std::string list;
    for (auto const& k : sweepable_keys()) list += (list.empty() ? "" : ", ") + k;
    fail("unknown key '" + a.key + "' (sweepable: " + list + ")");
  }
  auto const rest = text.substr(eq + 1);
  auto const num = [&](std::string const& s) {
    char* end = nullptr;
    auto const v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) fail("'" + s + "' is not a number");
    if (it->integer && v != std::floor(v)) fail(a.key + " takes integers, not '" + s + "'");
    return v;
  };
  auto const label = [&](double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.10g", v);
    return std::string{buf};
  };
  auto const dots = rest.find("..");
  if (dots != std::string::npos) {
    auto const colon = rest.find(':', dots);
    auto const lo = num(rest.substr(0, dots));
    auto const hi = num(rest.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2));
    auto const step = colon == std::string::npos ? 1.0 : num(rest.substr(colon + 1));
    if (step <= 0) fail("the step must be positive");
    if (hi < lo) fail("the range is empty");
    auto const n = static_cast<long long>(std::floor((hi - lo) / step + 1e-9)) + 1;
    if (n > 10'000) fail("more than 10,000 values");
    for (long long k = 0; k < n; ++k) {
      auto const v = lo + static_cast<double>(k) * step;
      auto const rounded = it->integer ? std::round(v) : std::round(v * 1e9) / 1e9;
      a.values.push_back(rounded);
    }
  } else {
    std::size_t start = 0;
    while (start <= rest.size()) {
      auto const comma = rest.find(',', start);
      a.values.push_back(num(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (a.values.size() > 10'000) fail("more than 10,000 values");
  }
  for (auto const v : a.values) {
    if (v < 0) fail("values must not be negative");
    a.labels.push_back(label(v));
  }
  return a;
}

}  // namespace nebuta::sim_io
