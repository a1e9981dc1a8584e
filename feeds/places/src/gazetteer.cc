#include "nebuta/places/gazetteer.h"

#include <cmath>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "nebuta/gtfs/csv.h"

namespace nebuta::places {
namespace {

using json = nlohmann::json;

bool valid_coordinate(double lat, double lon) {
  return std::isfinite(lat) && std::isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0 &&
         !(lat == 0.0 && lon == 0.0);
}

void add_names(std::vector<search::place_name>& out, std::string const& lang, std::string_view cell) {
  while (!cell.empty()) {
    auto const bar = cell.find('|');
    auto const name = gtfs::trim_spaces(cell.substr(0, bar));
    if (!name.empty()) out.push_back({lang, std::string{name}});
    if (bar == std::string_view::npos) break;
    cell.remove_prefix(bar + 1);
  }
}

// Keeps a place when it is usable, else says why.
void keep(gazetteer& g, std::set<std::string>& ids, search::place p, std::string const& where) {
  if (p.id.empty()) {
    g.problems.push_back(where + ": place without an id, skipped");
  } else if (p.names.empty()) {
    g.problems.push_back(where + ": place " + p.id + " has no name, skipped");
  } else if (!valid_coordinate(p.lat, p.lon)) {
    g.problems.push_back(where + ": place " + p.id + " has no valid coordinate, skipped");
  } else if (!ids.insert(p.id).second) {
    g.problems.push_back(where + ": place id " + p.id + " given twice, the later one skipped");
  } else {
    g.places.push_back(std::move(p));
  }
}

gazetteer read_geojson(std::string_view bytes, std::string const& file) {
  json doc;
  try {
    doc = json::parse(bytes.begin(), bytes.end());
  } catch (json::exception const& e) {
    throw std::runtime_error{file + ": not valid JSON: " + e.what()};
  }
  if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array()) {
    throw std::runtime_error{file + ": not a GeoJSON FeatureCollection"};
  }
  gazetteer g;
  std::set<std::string> ids;
  auto const& features = doc["features"];
  for (std::size_t i = 0; i < features.size(); ++i) {
    auto const where = file + ": feature " + std::to_string(i + 1);
    auto const& f = features[i];
    if (!f.is_object()) {
      g.problems.push_back(where + ": not an object, skipped");
      continue;
    }
    search::place p;
    auto const props = f.contains("properties") && f["properties"].is_object() ? f["properties"] : json::object();
    auto const text = [](json const& v) {
      return v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : std::string{};
    };
    p.id = props.contains("id") ? text(props["id"]) : f.contains("id") ? text(f["id"]) : std::string{};
    if (props.contains("kind")) p.kind = text(props["kind"]);
    if (props.contains("names") && props["names"].is_object()) {
      for (auto const& [lang, v] : props["names"].items()) {
        if (v.is_string()) add_names(p.names, lang, v.get<std::string>());
        if (v.is_array()) {
          for (auto const& n : v) {
            if (n.is_string() && !n.get<std::string>().empty()) p.names.push_back({lang, n.get<std::string>()});
          }
        }
      }
    }
    for (auto const& [key, v] : props.items()) {
      if (!v.is_string()) continue;
      if (key == "name") add_names(p.names, "", v.get<std::string>());
      if (key.starts_with("name:")) add_names(p.names, key.substr(5), v.get<std::string>());
    }
    auto const& geom = f.contains("geometry") ? f["geometry"] : json{};
    if (geom.is_object() && geom.value("type", "") == "Point" && geom.contains("coordinates") &&
        geom["coordinates"].is_array() && geom["coordinates"].size() >= 2 && geom["coordinates"][0].is_number() &&
        geom["coordinates"][1].is_number()) {
      p.lon = geom["coordinates"][0].get<double>();
      p.lat = geom["coordinates"][1].get<double>();
    } else {
      p.lat = p.lon = std::nan("");
    }
    keep(g, ids, std::move(p), where);
  }
  return g;
}

gazetteer read_csv(std::string_view bytes, std::string const& file) {
  gtfs::string_arena arena;
  gtfs::csv_reader reader{bytes, arena};
  std::vector<std::string_view> header, row;
  std::uint32_t line = 0;
  if (reader.next(header, line) != gtfs::csv_status::row) throw std::runtime_error{file + ": no header"};
  auto col = [&](std::string_view name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  auto const c_id = col("id"), c_kind = col("kind"), c_lat = col("lat"), c_lon = col("lon");
  if (c_id < 0 || c_lat < 0 || c_lon < 0) throw std::runtime_error{file + ":1: the header needs id, lat and lon"};
  gazetteer g;
  std::set<std::string> ids;
  while (true) {
    auto const status = reader.next(row, line);
    if (status == gtfs::csv_status::end) break;
    auto const where = file + ":" + std::to_string(line);
    if (status == gtfs::csv_status::unclosed_quote) {
      g.problems.push_back(where + ": unclosed quote, the rest of the file skipped");
      break;
    }
    auto const field = [&](int c) {
      return c >= 0 && static_cast<std::size_t>(c) < row.size() ? row[static_cast<std::size_t>(c)] : std::string_view{};
    };
    search::place p;
    p.id = std::string{field(c_id)};
    p.kind = std::string{field(c_kind)};
    auto const number = [](std::string_view s) {
      std::string const t{s};
      char* end = nullptr;
      auto const v = std::strtod(t.c_str(), &end);
      return t.empty() || end != t.c_str() + t.size() ? std::nan("") : v;
    };
    p.lat = number(field(c_lat));
    p.lon = number(field(c_lon));
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == "name") add_names(p.names, "", field(static_cast<int>(i)));
      if (header[i].starts_with("name:"))
        add_names(p.names, std::string{header[i].substr(5)}, field(static_cast<int>(i)));
    }
    keep(g, ids, std::move(p), where);
  }
  return g;
}

}  // namespace

gazetteer read_gazetteer(std::string_view bytes, std::string_view file_name) {
  std::string const file{file_name};
  auto body = bytes;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  auto const first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') return read_geojson(body, file);
  return read_csv(body, file);
}

}  // namespace nebuta::places
