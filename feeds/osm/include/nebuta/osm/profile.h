// Which OSM ways a car may drive, in which direction and how fast. Pure functions over tag
// values so that tests can check them without any file.
//
// Car profile:
// - highway = motorway, trunk, primary, secondary, tertiary (each also `_link`), unclassified,
//   residential, living_street, service. Everything else (footway, cycleway, path, steps,
//   pedestrian, track, road, construction, ...) is not driven. `area=yes` is not driven.
// - Access: the most specific of motorcar, motor_vehicle, vehicle, access decides; the values
//   no, private, agricultural, forestry, emergency, delivery, military, permit and discouraged
//   exclude the way. Others (yes, designated, permissive, destination, customers, ...) keep it.
// - Direction: oneway = yes/1/true → forward only; -1/reverse → backward only; no/false/0 →
//   both ways; reversible/alternating → not driven. Without a oneway tag, junction = roundabout
//   or circular and highway = motorway are one-way forward. `oneway:*` and `maxspeed:forward` /
//   `:backward` are ignored.
// - Speed: `maxspeed` in km/h ("50", "50 km/h", first of "50;30"), "NN mph" converted;
//   "walk" = 7 km/h, "none" = 130 km/h; anything else unreadable (country zones such as
//   "BR:urban", "signals", "variable", 0 or above 200) falls back to default_speed_kmh.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace nebuta::osm {

using tag = std::pair<std::string_view, std::string_view>;

// Default speeds (km/h) per class: motorway 90, trunk 80, primary 60, secondary 50, tertiary 40,
// links half of their class, unclassified 30, residential 25, service 15, living_street 10.
// Nullopt for a class cars do not drive.
std::optional<double> default_speed_kmh(std::string_view highway);

// Km/h read from a maxspeed value; nullopt when it cannot be read.
std::optional<double> parse_maxspeed(std::string_view v);

struct way_profile {
  bool drivable{false};
  bool forward{false};   // along the way's node order
  bool backward{false};  // against it
  double speed_kmh{0.0};
};

way_profile car_profile(std::span<tag const> tags);

}  // namespace nebuta::osm
