// The travel model a scenario names, and the table that answers a sweep's runs.
#include "scenario_internal.h"

#include <algorithm>
#include <cmath>

#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/sim/matrix_model.h"

namespace nebuta::sim_io {

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

}  // namespace nebuta::sim_io
