#include "nebuta/osm/profile.h"

#include <array>
#include <charconv>
#include <string>

namespace nebuta::osm {

namespace {

std::string_view find(std::span<tag const> tags, std::string_view key) {
  for (auto const& [k, v] : tags) {
    if (k == key) return v;
  }
  return {};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool one_of(std::string_view v, std::initializer_list<std::string_view> values) {
  for (auto const x : values) {
    if (v == x) return true;
  }
  return false;
}

}  // namespace

std::optional<double> default_speed_kmh(std::string_view highway) {
  struct entry {
    std::string_view cls;
    double kmh;
  };
  static constexpr std::array<entry, 14> table{{{"motorway", 90},
                                                {"motorway_link", 45},
                                                {"trunk", 80},
                                                {"trunk_link", 40},
                                                {"primary", 60},
                                                {"primary_link", 30},
                                                {"secondary", 50},
                                                {"secondary_link", 25},
                                                {"tertiary", 40},
                                                {"tertiary_link", 20},
                                                {"unclassified", 30},
                                                {"residential", 25},
                                                {"living_street", 10},
                                                {"service", 15}}};
  for (auto const& e : table) {
    if (e.cls == highway) return e.kmh;
  }
  return std::nullopt;
}

std::optional<double> parse_maxspeed(std::string_view v) {
  v = trim(v);
  if (auto const semi = v.find(';'); semi != std::string_view::npos) v = trim(v.substr(0, semi));
  if (v == "walk") return 7.0;
  if (v == "none") return 130.0;
  double value = 0.0;
  auto const [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc{}) return std::nullopt;
  auto const unit = trim(std::string_view{ptr, static_cast<std::size_t>(v.data() + v.size() - ptr)});
  if (unit == "mph") {
    value *= 1.609344;
  } else if (!unit.empty() && unit != "km/h" && unit != "kmh" && unit != "kph") {
    return std::nullopt;  // knots and the like
  }
  if (!(value > 0.0) || value > 200.0) return std::nullopt;
  return value;
}

way_profile car_profile(std::span<tag const> tags) {
  way_profile p;
  auto const highway = find(tags, "highway");
  auto const def = default_speed_kmh(highway);
  if (!def) return p;
  if (find(tags, "area") == "yes") return p;

  std::string_view access;
  for (auto const key : {"motorcar", "motor_vehicle", "vehicle", "access"}) {
    if (auto const v = find(tags, key); !v.empty()) {
      access = v;
      break;
    }
  }
  if (one_of(access, {"no", "private", "agricultural", "forestry", "emergency", "delivery", "military", "permit",
                      "discouraged"})) {
    return p;
  }

  auto const oneway = find(tags, "oneway");
  auto const junction = find(tags, "junction");
  if (one_of(oneway, {"yes", "1", "true"})) {
    p.forward = true;
  } else if (one_of(oneway, {"-1", "reverse"})) {
    p.backward = true;
  } else if (one_of(oneway, {"reversible", "alternating"})) {
    return p;
  } else if (one_of(oneway, {"no", "false", "0"})) {
    p.forward = p.backward = true;
  } else if (junction == "roundabout" || junction == "circular" || highway == "motorway") {
    p.forward = true;
  } else {
    p.forward = p.backward = true;
  }

  auto const maxspeed = parse_maxspeed(find(tags, "maxspeed"));
  p.speed_kmh = maxspeed ? *maxspeed : *def;
  p.drivable = true;
  return p;
}

}  // namespace nebuta::osm
