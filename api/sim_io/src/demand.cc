// Demand of a scenario: a CSV of requests, or the generator's settings (places, zones, stops
// of a feed, hourly profile).
#include "scenario_internal.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "nebuta/gtfs/reader.h"

namespace nebuta::sim_io::detail {
namespace {

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
                              number(c, "radius_m", 1000, ww, 1, 1e6),
                              1};
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
                         number(zs[i], "radius_m", 500, wz, 0, 1e6),
                         number(zs[i], "weight", 1, wz, 0)};
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

}  // namespace

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

}  // namespace nebuta::sim_io::detail
