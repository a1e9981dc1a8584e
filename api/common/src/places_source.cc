#include "nebuta/api/places_source.h"

#include <cstdio>

#include "nebuta/api/timetable_source.h"
#include "nebuta/places/gazetteer.h"

namespace nebuta::api {

std::vector<search::place> load_places(std::string const& file) {
  if (file.empty()) return {};
  auto const bytes = read_file_bytes(file);
  auto g = places::read_gazetteer({bytes.data(), bytes.size()}, file);
  for (auto const& p : g.problems) std::fprintf(stderr, "%s\n", p.c_str());
  return std::move(g.places);
}

}  // namespace nebuta::api
