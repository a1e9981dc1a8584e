// locations.geojson: a FeatureCollection of zones. Each feature is read on its own so that one
// bad feature is a problem, not the end of the file; its rings come from feeds/io's GeoJSON
// reader (the one the service areas use).
#include <string>

#include <nlohmann/json.hpp>

#include "nebuta/io/geojson.h"
#include "nebuta/io/json_path.h"
#include "reader_internal.h"

namespace nebuta::gtfs_flex::detail {

namespace {

constexpr char const* file = "locations.geojson";

std::string text_of(nlohmann::json const& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return {};
}

// The string member `key` of an object, or "" (never throws on a wrong type, unlike json::value).
std::string string_member(nlohmann::json const& v, char const* key) {
  if (!v.is_object()) return {};
  auto const it = v.find(key);
  return it != v.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

void read_locations(gtfs::feed_source const& src, state& s) {
  auto const bytes = src.read(file);
  if (!bytes) return;
  auto const doc = nlohmann::json::parse(*bytes, nullptr, false);
  if (doc.is_discarded()) {
    s.problem(file, 0, "bad_json", "not valid JSON; no zones read");
    return;
  }
  auto const features = doc.is_object() ? doc.find("features") : doc.end();
  if (!doc.is_object() || string_member(doc, "type") != "FeatureCollection" || features == doc.end() ||
      !features->is_array()) {
    s.problem(file, 0, "bad_geojson", "must be a FeatureCollection with an array \"features\"; no zones read");
    return;
  }
  auto const root = io::json_path{file, "features"};
  for (std::size_t i = 0; i < features->size(); ++i) {
    auto const& feature = (*features)[i];
    auto const w = root.index(i);
    auto const where = w.path + ": ";
    if (!feature.is_object() || string_member(feature, "type") != "Feature") {
      s.problem(file, 0, "bad_geojson", where + "not a Feature; skipped");
      continue;
    }
    auto const id_it = feature.find("id");
    auto const id = id_it == feature.end() ? std::string{} : text_of(*id_it);
    if (id.empty()) {
      s.problem(file, 0, "missing_value", where + "feature without a string or integer \"id\"; skipped");
      continue;
    }
    if (s.zones.contains(id)) {
      s.problem(file, 0, "duplicate_id", where + "duplicate id '" + id + "'; skipped");
      continue;
    }
    auto const geometry = feature.find("geometry");
    auto type = geometry == feature.end() ? std::string{} : string_member(*geometry, "type");
    if (type.empty()) type = "(none)";
    if (type != "Polygon" && type != "MultiPolygon") {
      ++s.out.unknown_geometries[type];
      s.problem(file, 0, "unknown_geometry",
                where + "geometry type '" + type + "' of '" + id + "' is not Polygon or MultiPolygon; skipped");
      continue;
    }
    flex::zone z;
    z.id = id;
    try {
      io::geojson::read_area(*geometry, w.key("geometry"), z.rings);
    } catch (io::json_error const& e) {
      auto message = std::string{e.what()};  // "locations.geojson: features[i]...: reason"
      if (message.starts_with(root.source + ": ")) message.erase(0, root.source.size() + 2);
      s.problem(file, 0, "bad_geometry", message + "; zone '" + id + "' skipped");
      continue;
    }
    if (auto const props = feature.find("properties"); props != feature.end() && props->is_object()) {
      if (auto const name = props->find("stop_name"); name != props->end() && name->is_string()) {
        z.name = name->get<std::string>();
      }
    }
    s.zones.emplace(id, s.b.add_zone(std::move(z)));
  }
}

}  // namespace nebuta::gtfs_flex::detail
