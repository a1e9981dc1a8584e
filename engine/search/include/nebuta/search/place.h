// A place a visitor asks for that is not a stop: a sight, a hospital, a hotel, from a
// gazetteer (feeds/places reads GeoJSON and CSV into these).
#pragma once

#include <string>
#include <vector>

namespace nebuta::search {

struct place_name {
  std::string lang;  // BCP 47 ("ja", "ja-Hrkt", "en", "zh-Hans", "ko"); empty: unknown
  std::string text;
};

struct place {
  std::string id;
  std::string kind;  // sight, station, hospital, school, hotel, market, museum, public, ...
  double lat{0.0}, lon{0.0};
  std::vector<place_name> names;  // the first of each language is the one shown
};

}  // namespace nebuta::search
