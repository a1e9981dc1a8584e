#include "nebuta/drt_config/config.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/drt_config/calendar.h"
#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs/source.h"
#include "nebuta/io/file.h"
#include "nebuta/io/geojson.h"
#include "nebuta/io/json_path.h"

namespace nebuta::drt_config {

namespace {

using json = nlohmann::json;

// Every time in the configuration stays below a year, so that sums of a few of them can never
// overflow the dispatcher's 32-bit seconds.
constexpr seconds_t max_config_seconds = 366 * seconds_per_day;

constexpr char const* known_rule_keys =
    "max_wait_s, ride_factor, ride_offset_s, dwell_s, offer_ttl_s, no_show_wait_s, promise_slack_s, "
    "max_booking_ahead_s, max_passengers, passenger_weight, max_walk_m, service_area, meeting_points, holidays, "
    "intermodal";

[[noreturn]] void raise_config_error(std::string const& message) { throw config_error{message}; }

// Where a value sits, for error messages: "rules.json: service_area.coordinates[0][3]: reason".
using where = io::json_path;
where top_of(std::string source) { return {std::move(source), "", &raise_config_error}; }
using io::checked_latlon;
using io::finite_number;
using io::number_text;
using io::geojson::member;

std::string read_text(std::filesystem::path const& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw config_error{file.string() + ": cannot read file (missing or not a regular file)"};
  }
  std::string text;
  if (io::read_file(file, text) != io::read_status::ok) throw config_error{file.string() + ": cannot read file"};
  return text;
}

json read_json_file(std::filesystem::path const& file) {
  auto const text = read_text(file);
  try {
    return json::parse(text);
  } catch (json::parse_error const& e) {
    throw config_error{file.string() + ": invalid JSON: " + e.what()};
  }
}

std::filesystem::path resolve(std::filesystem::path const& base_dir, std::string const& p) {
  std::filesystem::path path{p};
  return path.is_absolute() ? path : base_dir / path;
}

double at_least(json const& v, where const& w, double minimum, char const* why) {
  auto const d = finite_number(v, w);
  if (d < minimum) w.fail("must be at least " + number_text(minimum) + " " + why);
  return d;
}

seconds_t seconds_value(json const& v, where const& w) {
  if (!v.is_number()) w.fail("must be a number of seconds");
  auto const d = v.get<double>();
  if (!std::isfinite(d) || d != std::floor(d)) w.fail("must be a whole number of seconds");
  if (d < 0) w.fail("must not be negative");
  if (d > max_config_seconds) w.fail("must be at most " + std::to_string(max_config_seconds) + " s (366 days)");
  return static_cast<seconds_t>(d);
}

std::uint16_t max_passengers_value(json const& v, where const& w) {
  if (!v.is_number()) w.fail("must be a whole number");
  auto const d = v.get<double>();
  if (!std::isfinite(d) || d != std::floor(d) || d < 1 || d > 65'535) {
    w.fail("must be a whole number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(d);
}

std::vector<std::vector<latlon>> parse_service_area(json const& v, std::filesystem::path const& base_dir, where const& w) {
  std::vector<std::vector<latlon>> rings;
  if (v.is_null()) return rings;
  if (v.is_string()) {
    auto const file = resolve(base_dir, v.get<std::string>());
    try {
      io::geojson::read_area(read_json_file(file), top_of(file.string()), rings);
    } catch (config_error const& e) {
      w.fail(e.what());
    }
  } else if (v.is_object()) {
    io::geojson::read_area(v, w, rings);
  } else {
    w.fail("must be a GeoJSON object, the path of a .geojson file, or null (no restriction)");
  }
  if (rings.empty()) w.fail("service area has no polygon (use null for no restriction)");
  return rings;
}

std::vector<latlon> gtfs_meeting_points(std::filesystem::path const& feed, where const& w) {
  std::vector<latlon> points;
  try {
    gtfs::feed_source const src{feed};
    gtfs::feed f;
    auto table = gtfs::detail::open_table(src, f, "stops.txt", true);
    gtfs::detail::read_stops(*table, f);
    // A skipped stop would silently move riders elsewhere: a feed used for meeting points must
    // read cleanly.
    if (f.problems.total() != 0) {
      w.fail(feed.string() + ": " + std::to_string(f.problems.total()) +
             " bad rows in stops.txt, first: " + f.problems.entries().front().to_string());
    }
    for (auto const& s : f.stops) {
      if (s.location_type != 0) continue;
      if (!s.stop_lat || !s.stop_lon) {
        w.fail(feed.string() + ": stops.txt:" + std::to_string(s.line) + ": stop '" + std::string{s.stop_id} +
               "' has no coordinates");
      }
      points.push_back({*s.stop_lat, *s.stop_lon});
    }
  } catch (gtfs::feed_error const& e) {
    w.fail(e.what());
  }
  if (points.empty()) w.fail(feed.string() + ": no stop with location_type 0 or empty");
  return points;
}

std::vector<latlon> parse_meeting_points(json const& v, std::filesystem::path const& base_dir, where const& w) {
  std::vector<latlon> points;
  if (v.is_null()) return points;
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto const wi = w.index(i);
      if (!v[i].is_array() || v[i].size() != 2) wi.fail("must be [lat, lon]");
      auto const lat = finite_number(v[i][0], wi.index(0));
      auto const lon = finite_number(v[i][1], wi.index(1));
      points.push_back(checked_latlon(lat, lon, wi));
    }
  } else if (v.is_object()) {
    for (auto const& [key, value] : v.items()) {
      if (key != "gtfs") w.key(key).fail("unknown key; meeting_points as an object takes only \"gtfs\"");
    }
    auto const& feed = member(v, "gtfs", w);
    if (!feed.is_string()) w.key("gtfs").fail("must be the path of a GTFS folder or .zip");
    points = gtfs_meeting_points(resolve(base_dir, feed.get<std::string>()), w.key("gtfs"));
  } else if (v.is_string()) {
    auto const file = resolve(base_dir, v.get<std::string>());
    try {
      io::geojson::read_points(read_json_file(file), top_of(file.string()), points);
    } catch (config_error const& e) {
      w.fail(e.what());
    }
    if (points.empty()) w.fail(file.string() + ": no Point in the file");
  } else {
    w.fail("must be an array of [lat, lon], {\"gtfs\": path}, the path of a GeoJSON file of Points, or null");
  }
  return points;
}

holiday_list parse_holidays(json const& v, std::filesystem::path const& base_dir, where const& w) {
  holiday_list out;
  try {
    if (v.is_null()) return out;
    if (v.is_string()) return load_holidays(resolve(base_dir, v.get<std::string>()));
    if (v.is_object()) {
      for (auto const& [key, _] : v.items()) {
        if (key != "gtfs") w.key(key).fail("unknown key; holidays as an object takes only \"gtfs\"");
      }
      auto const& feed = member(v, "gtfs", w);
      if (!feed.is_string()) w.key("gtfs").fail("must be the path of a GTFS folder or .zip");
      return holidays_from_gtfs(resolve(base_dir, feed.get<std::string>()));
    }
  } catch (config_error const& e) {
    w.fail(e.what());
  }
  if (!v.is_array())
    w.fail("must be an array of \"YYYY-MM-DD\", the path of a holiday list or a GTFS feed, {\"gtfs\": path}, or null");
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto const d = v[i].is_string() ? civil::parse_date(v[i].get<std::string>()) : std::nullopt;
    if (!d) w.index(i).fail("must be a date \"YYYY-MM-DD\"");
    out.days.push_back(*d);
  }
  std::sort(out.days.begin(), out.days.end());
  out.days.erase(std::unique(out.days.begin(), out.days.end()), out.days.end());
  return out;
}

// The "intermodal" object: settings of on-demand legs inside /v1/plan (docs/maas.md).
intermodal::settings parse_intermodal(json const& v, where const& w) {
  if (!v.is_object()) w.fail("must be an object");
  intermodal::settings s;
  auto const whole = [](json const& x, where const& at, double lo, double hi) {
    auto const d = finite_number(x, at);
    if (d != std::floor(d) || d < lo || d > hi)
      at.fail("must be a whole number from " + number_text(lo) + " to " + number_text(hi));
    return static_cast<unsigned>(d);
  };
  auto const boolean = [](json const& x, where const& at) {
    if (!x.is_boolean()) at.fail("must be true or false");
    return x.get<bool>();
  };
  for (auto const& [key, value] : v.items()) {
    auto const k = w.key(key);
    auto& m = s.mixer;
    if (key == "enabled") s.enabled = boolean(value, k);
    else if (key == "max_stops_per_side") s.max_stops_per_side = whole(value, k, 0, 64);
    else if (key == "search_radius_m") s.search_radius_m = at_least(value, k, 0.0, "(a distance)");
    else if (key == "max_road_s") s.max_road_s = seconds_value(value, k);
    else if (key == "expected_wait_s") s.expected_wait_s = seconds_value(value, k);
    else if (key == "transfer_buffer_s") s.transfer_buffer_s = seconds_value(value, k);
    else if (key == "stop_buffers_s") {
      if (!value.is_object()) k.fail("must be an object of stop or station ids to seconds");
      for (auto const& [id, secs] : value.items()) s.stop_buffers_s[id] = seconds_value(secs, k.key(id));
    } else if (key == "hub_min_routes") s.hub_min_routes = whole(value, k, 1, 1'000'000);
    else if (key == "door_to_door") s.door_to_door = boolean(value, k);
    else if (key == "max_door_to_door_s") s.max_door_to_door_s = seconds_value(value, k);
    else if (key == "max_offers") s.max_offers = whole(value, k, 0, 10);
    else if (key == "show_only_way") m.show_only_way = boolean(value, k);
    else if (key == "min_time_saving_s") m.min_time_saving_s = seconds_value(value, k);
    else if (key == "min_rides_saved") m.min_rides_saved = whole(value, k, 0, 32);
    else if (key == "legs_slack_s") m.legs_slack_s = seconds_value(value, k);
    else if (key == "long_walk_m") m.long_walk_m = at_least(value, k, 0.0, "(a distance)");
    else if (key == "walk_slack_s") m.walk_slack_s = seconds_value(value, k);
    else
      k.fail(
          "unknown key; known keys are enabled, max_stops_per_side, search_radius_m, max_road_s, "
          "expected_wait_s, transfer_buffer_s, stop_buffers_s, hub_min_routes, door_to_door, max_door_to_door_s, max_offers, "
          "show_only_way, min_time_saving_s, min_rides_saved, legs_slack_s, long_walk_m, walk_slack_s");
  }
  return s;
}

}  // namespace

dispatch::rules parse_rules(nlohmann::json const& j, std::filesystem::path const& base_dir,
                            std::string const& source_name, holiday_list* holidays, intermodal::settings* intermodal) {
  auto const top = top_of(source_name);
  if (!j.is_object()) top.fail("rules must be a JSON object");
  dispatch::rules r;
  for (auto const& [key, value] : j.items()) {
    auto const w = top.key(key);
    if (key == "max_wait_s") {
      r.max_wait = seconds_value(value, w);
    } else if (key == "ride_factor") {
      r.ride_alpha = at_least(value, w, 1.0, "(a ride cannot be faster than the direct trip)");
    } else if (key == "ride_offset_s") {
      r.ride_beta = seconds_value(value, w);
    } else if (key == "dwell_s") {
      r.dwell = seconds_value(value, w);
    } else if (key == "offer_ttl_s") {
      r.offer_ttl = seconds_value(value, w);
    } else if (key == "no_show_wait_s") {
      r.no_show_wait = seconds_value(value, w);
    } else if (key == "promise_slack_s") {
      r.promise_slack = seconds_value(value, w);
    } else if (key == "max_booking_ahead_s") {
      r.max_booking_ahead = seconds_value(value, w);
    } else if (key == "max_passengers") {
      r.max_passengers = max_passengers_value(value, w);
    } else if (key == "passenger_weight") {
      r.passenger_weight = at_least(value, w, 0.0, "(a weight)");
    } else if (key == "max_walk_m") {
      r.max_walk_m = at_least(value, w, 0.0, "(a distance)");
    } else if (key == "service_area") {
      r.service_area = parse_service_area(value, base_dir, w);
    } else if (key == "meeting_points") {
      r.meeting_points = parse_meeting_points(value, base_dir, w);
    } else if (key == "holidays") {
      auto list = parse_holidays(value, base_dir, w);
      if (holidays != nullptr) *holidays = std::move(list);
    } else if (key == "intermodal") {
      auto const settings = parse_intermodal(value, w);
      if (intermodal != nullptr) *intermodal = settings;
    } else {
      w.fail(std::string{"unknown key; known keys are "} + known_rule_keys);
    }
  }
  return r;
}

dispatch::rules load_rules(std::filesystem::path const& file, holiday_list* holidays, intermodal::settings* intermodal) {
  return parse_rules(read_json_file(file), file.parent_path(), file.string(), holidays, intermodal);
}

nlohmann::json rules_to_json(dispatch::rules const& r) {
  auto meeting_points = json::array();
  for (auto const& p : r.meeting_points) meeting_points.push_back(json::array({p.lat, p.lon}));
  return {{"max_wait_s", r.max_wait},
          {"ride_factor", r.ride_alpha},
          {"ride_offset_s", r.ride_beta},
          {"dwell_s", r.dwell},
          {"offer_ttl_s", r.offer_ttl},
          {"no_show_wait_s", r.no_show_wait},
          {"promise_slack_s", r.promise_slack},
          {"max_booking_ahead_s", r.max_booking_ahead},
          {"max_passengers", r.max_passengers},
          {"passenger_weight", r.passenger_weight},
          {"max_walk_m", r.max_walk_m},
          {"service_area", io::geojson::area_json(r.service_area)},
          {"meeting_points", std::move(meeting_points)}};
}

namespace {

// HH:MM, HH:MM:SS (hours may exceed 23) or whole seconds.
std::optional<seconds_t> parse_shift_time(std::string_view s) {
  std::optional<std::int32_t> v;
  auto const colons = std::count(s.begin(), s.end(), ':');
  if (colons == 0) {
    if (gtfs::all_digits(s)) v = gtfs::parse_int<std::int32_t>(s);
  } else if (colons == 1) {
    v = gtfs::parse_time(std::string{s} + ":00");
  } else {
    v = gtfs::parse_time(s);
  }
  if (!v || *v < 0 || *v > max_config_seconds) return std::nullopt;
  return *v;
}

}  // namespace

fleet load_fleet_csv(std::filesystem::path const& file) {
  auto const name = file.string();
  auto const data = read_text(file);
  gtfs::problem_log problems;
  gtfs::string_arena arena;
  gtfs::detail::table t{name, data, arena, problems};
  if (!t.has_header()) throw config_error{name + ": empty file (no header)"};

  fleet out;
  int id_col = 0, seats_col = 0, lat_col = 0, lon_col = 0, start_col = 0, end_col = 0;
  try {
    id_col = t.require("vehicle_id");
    seats_col = t.require("seats");
    lat_col = t.require("depot_lat");
    lon_col = t.require("depot_lon");
    start_col = t.require("shift_start");
    end_col = t.require("shift_end");
  } catch (gtfs::feed_error const& e) {
    throw config_error{e.what()};
  }
  auto const wheelchair_col = t.column("wheelchair_spaces");

  auto const days_col = t.column("days");

  std::map<std::string, std::pair<std::uint32_t, dispatch::vehicle_spec>, std::less<>> first;  // vehicle_id -> row
  while (t.next()) {
    auto const skip = [&](std::string const& reason) { t.report("bad_value", reason); };
    auto const id = t[id_col];
    if (id.empty()) {
      skip("empty vehicle_id");
      continue;
    }
    dispatch::vehicle_spec v;
    v.name = std::string{id};
    auto const seats = gtfs::parse_int<std::uint16_t>(t[seats_col]);
    if (!seats) {
      skip("invalid seats '" + std::string{t[seats_col]} + "' (a whole number from 0 to 65535)");
      continue;
    }
    v.seats = *seats;
    if (!t[wheelchair_col].empty()) {
      auto const w = gtfs::parse_int<std::uint16_t>(t[wheelchair_col]);
      if (!w) {
        skip("invalid wheelchair_spaces '" + std::string{t[wheelchair_col]} + "' (a whole number from 0 to 65535)");
        continue;
      }
      v.wheelchairs = *w;
    }
    if (v.seats == 0 && v.wheelchairs == 0) {
      skip("vehicle has neither seats nor wheelchair spaces");
      continue;
    }
    auto const lat = gtfs::parse_double(t[lat_col]);
    auto const lon = gtfs::parse_double(t[lon_col]);
    if (!lat || !std::isfinite(*lat) || *lat < -90.0 || *lat > 90.0) {
      skip("invalid depot_lat '" + std::string{t[lat_col]} + "'");
      continue;
    }
    if (!lon || !std::isfinite(*lon) || *lon < -180.0 || *lon > 180.0) {
      skip("invalid depot_lon '" + std::string{t[lon_col]} + "'");
      continue;
    }
    v.depot = {*lat, *lon};
    auto const start = parse_shift_time(t[start_col]);
    auto const end = parse_shift_time(t[end_col]);
    if (!start) {
      skip("invalid shift_start '" + std::string{t[start_col]} + "' (HH:MM, HH:MM:SS or seconds)");
      continue;
    }
    if (!end) {
      skip("invalid shift_end '" + std::string{t[end_col]} + "' (HH:MM, HH:MM:SS or seconds)");
      continue;
    }
    if (*end <= *start) {
      skip("shift_end " + std::string{t[end_col]} + " is not after shift_start " + std::string{t[start_col]});
      continue;
    }
    std::string why;
    auto const days = t[days_col].empty() ? std::optional{dispatch::day_rule::daily()} : parse_days(t[days_col], &why);
    if (!days) {
      skip("invalid days '" + std::string{t[days_col]} + "': " + why);
      continue;
    }
    if (auto const it = first.find(id); it != first.end()) {
      auto const& o = it->second.second;
      if (o.seats != v.seats || o.wheelchairs != v.wheelchairs || !(o.depot == v.depot)) {
        skip("vehicle_id '" + std::string{id} + "' has other seats, wheelchair spaces or depot than on line " +
             std::to_string(it->second.first));
        continue;
      }
    } else {
      first.emplace(std::string{id}, std::pair{t.line(), v});
    }
    out.shifts.push_back({v, *start, *end, *days});
    v.shift_start = *start;
    v.shift_end = *end;
    out.vehicles.push_back(std::move(v));
  }
  for (auto const& p : problems.entries()) out.errors.push_back(p.to_string());
  out.n_skipped = problems.total();
  return out;
}

}  // namespace nebuta::drt_config
