#include "nebuta/io/geojson.h"

#include <span>
#include <string>

#include "nebuta/dispatch/dispatcher.h"  // inside_area: the one polygon test

namespace nebuta::io::geojson {
namespace {

using json = nlohmann::json;

latlon position(json const& v, json_path const& w) {
  if (!v.is_array() || v.size() < 2 || v.size() > 3) w.fail("a position must be [lon, lat] (GeoJSON order)");
  auto const lon = finite_number(v[0], w.index(0));
  auto const lat = finite_number(v[1], w.index(1));
  return checked_latlon(lat, lon, w);
}

std::string type_of(json const& v, json_path const& w) {
  if (!v.is_object()) w.fail("must be a GeoJSON object");
  auto const it = v.find("type");
  if (it == v.end() || !it->is_string()) w.fail("GeoJSON object without a \"type\"");
  return it->get<std::string>();
}

// Rings are stored without the closing position (the even-odd test closes them implicitly).
void polygon(json const& coords, json_path const& w, std::vector<std::vector<latlon>>& out) {
  if (!coords.is_array() || coords.empty()) w.fail("a Polygon needs an array of at least one ring");
  for (std::size_t i = 0; i < coords.size(); ++i) {
    auto const wr = w.index(i);
    auto const& ring = coords[i];
    if (!ring.is_array() || ring.size() < 4) wr.fail("a ring needs at least 4 positions (closed)");
    std::vector<latlon> points;
    points.reserve(ring.size());
    for (std::size_t k = 0; k < ring.size(); ++k) points.push_back(position(ring[k], wr.index(k)));
    if (!(points.front() == points.back())) wr.fail("ring is not closed: its last position must repeat the first");
    points.pop_back();
    out.push_back(std::move(points));
  }
}

// A GeoJSON object is a geometry, a Feature or a FeatureCollection of Features; `on_geometry`
// receives each geometry and rejects the types it does not take.
template <typename OnGeometry>
void for_each_geometry(json const& v, json_path const& w, OnGeometry&& on_geometry) {
  auto const type = type_of(v, w);
  if (type == "Feature") {
    on_geometry(member(v, "geometry", w), w.key("geometry"));
  } else if (type == "FeatureCollection") {
    auto const& features = member(v, "features", w);
    auto const wf = w.key("features");
    if (!features.is_array()) wf.fail("must be an array of Features");
    for (std::size_t i = 0; i < features.size(); ++i) {
      auto const wi = wf.index(i);
      if (type_of(features[i], wi) != "Feature") wi.fail("must be a Feature");
      on_geometry(member(features[i], "geometry", wi), wi.key("geometry"));
    }
  } else {
    on_geometry(v, w);
  }
}

}  // namespace

json const& member(json const& v, char const* name, json_path const& w) {
  auto const it = v.find(name);
  if (it == v.end()) w.fail(std::string{"missing \""} + name + "\"");
  return *it;
}

void read_area(json const& v, json_path const& w, std::vector<std::vector<latlon>>& rings,
               std::vector<std::size_t>* ring_polygon) {
  auto const add_polygon = [&](json const& coords, json_path const& wp) {
    auto const first = rings.size();
    polygon(coords, wp, rings);
    if (ring_polygon == nullptr) return;
    auto const index = ring_polygon->empty() ? std::size_t{0} : ring_polygon->back() + 1;
    ring_polygon->resize(ring_polygon->size() + (rings.size() - first), index);
  };
  for_each_geometry(v, w, [&](json const& g, json_path const& wg) {
    auto const type = type_of(g, wg);
    auto const wc = wg.key("coordinates");
    if (type == "Polygon") {
      add_polygon(member(g, "coordinates", wg), wc);
    } else if (type == "MultiPolygon") {
      auto const& coords = member(g, "coordinates", wg);
      if (!coords.is_array()) wc.fail("a MultiPolygon needs an array of polygons");
      for (std::size_t i = 0; i < coords.size(); ++i) add_polygon(coords[i], wc.index(i));
    } else {
      wg.fail("unsupported GeoJSON type '" + type +
              "' (expected Polygon or MultiPolygon, or a Feature or FeatureCollection of them)");
    }
  });
}

void read_points(json const& v, json_path const& w, std::vector<latlon>& out) {
  for_each_geometry(v, w, [&](json const& g, json_path const& wg) {
    auto const type = type_of(g, wg);
    auto const wc = wg.key("coordinates");
    if (type == "Point") {
      out.push_back(position(member(g, "coordinates", wg), wc));
    } else if (type == "MultiPoint") {
      auto const& coords = member(g, "coordinates", wg);
      if (!coords.is_array()) wc.fail("a MultiPoint needs an array of positions");
      for (std::size_t i = 0; i < coords.size(); ++i) out.push_back(position(coords[i], wc.index(i)));
    } else {
      wg.fail("unsupported GeoJSON type '" + type +
              "' (expected Point or MultiPoint, or a Feature or FeatureCollection of them)");
    }
  });
}

namespace {

nlohmann::json position_json(latlon p) { return nlohmann::json::array({p.lon, p.lat}); }

nlohmann::json ring_json(std::vector<latlon> const& ring) {
  auto out = nlohmann::json::array();
  for (auto const& p : ring) out.push_back(position_json(p));
  if (!ring.empty() && !(ring.front() == ring.back())) out.push_back(position_json(ring.front()));
  return out;
}

}  // namespace

nlohmann::json area_json(std::vector<std::vector<latlon>> const& rings) {
  if (rings.empty()) return nullptr;
  auto const n = rings.size();
  std::vector<std::size_t> depth(n, 0);
  auto const contains = [&](std::size_t outer, std::size_t inner) {
    return outer != inner && !rings[inner].empty() &&
           dispatch::inside_area(std::span{&rings[outer], 1}, rings[inner].front());
  };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) depth[i] += contains(j, i) ? 1 : 0;
  }
  std::vector<std::size_t> polygon_of(n, n);
  std::vector<nlohmann::json> polygons;
  for (std::size_t i = 0; i < n; ++i) {
    if (depth[i] % 2 == 1) {
      for (std::size_t j = 0; j < n; ++j) {
        if (depth[j] + 1 == depth[i] && contains(j, i) && polygon_of[j] != n) {
          polygon_of[i] = polygon_of[j];
          break;
        }
      }
    }
    if (polygon_of[i] == n) {  // an outer ring (or a hole whose outer ring was not found)
      polygon_of[i] = polygons.size();
      polygons.push_back(nlohmann::json::array());
    }
    polygons[polygon_of[i]].push_back(ring_json(rings[i]));
  }
  if (polygons.size() == 1) return {{"type", "Polygon"}, {"coordinates", polygons.front()}};
  return {{"type", "MultiPolygon"}, {"coordinates", polygons}};
}

}  // namespace nebuta::io::geojson
