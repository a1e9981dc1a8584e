// Gazetteers: the places of `nebuta serve --places FILE`, as GeoJSON points or CSV.
//
// GeoJSON: a FeatureCollection of Point features. Properties: "id" (else the feature's id),
// "kind", and names as {"names": {"ja": ["蕪島", ...], "en": "Kabushima Island"}} or as
// OSM-style "name" / "name:en" / "name:ja-Hrkt" keys.
// CSV: a header with id, kind, lat, lon and name:LANG columns (several names in one cell
// separated by '|'); other columns are ignored.
//
// A feature or row that cannot be used (no id, no name, no or out-of-range coordinate, a
// duplicate id) is skipped with a "file:line: ..." problem; the others are kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nebuta/search/place.h"

namespace nebuta::places {

struct gazetteer {
  std::vector<search::place> places;
  std::vector<std::string> problems;
};

// The format is told by the first character that is not a space or BOM: '{' is GeoJSON.
// Throws std::runtime_error when the file as a whole is unreadable (invalid JSON, no header).
gazetteer read_gazetteer(std::string_view bytes, std::string_view file_name);

}  // namespace nebuta::places
