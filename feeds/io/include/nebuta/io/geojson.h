// GeoJSON (RFC 7946) polygons and points, read strictly: positions are [lon, lat] or
// [lon, lat, altitude] (the altitude is ignored), rings are closed and have at least 4
// positions. Read by the on-demand rules (service areas, meeting points), and so by scenarios,
// and by the reports that draw them. Every error names the JSON path through `w`.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebuta/core/geo.h"
#include "nebuta/io/json_path.h"

namespace nebuta::io::geojson {

// The rings of a Polygon, MultiPolygon, or a Feature or FeatureCollection of them, appended to
// `rings` in order (outer ring, then its holes, polygon after polygon) without their closing
// position. With `ring_polygon`, the polygon of each ring is appended to it too (polygons counted
// on from its last entry).
void read_area(nlohmann::json const& v, json_path const& w, std::vector<std::vector<latlon>>& rings,
               std::vector<std::size_t>* ring_polygon = nullptr);

// The positions of a Point, MultiPoint, or a Feature or FeatureCollection of them.
void read_points(nlohmann::json const& v, json_path const& w, std::vector<latlon>& out);

// Writing. A flat list of rings under the even-odd rule (as read_area gives them and the
// dispatcher's service area holds them) as a GeoJSON Polygon, or a MultiPolygon when there are
// several outer rings: a ring inside an even number of other rings is an outer ring, one inside an
// odd number a hole of the innermost ring containing it. Ring order and orientation are kept and
// rings are closed, so read_area gives back the same rings. null for no rings.
nlohmann::json area_json(std::vector<std::vector<latlon>> const& rings);

// A member of an object, or fails "missing \"name\"".
nlohmann::json const& member(nlohmann::json const& v, char const* name, json_path const& w);

}  // namespace nebuta::io::geojson
