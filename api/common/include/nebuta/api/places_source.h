// The gazetteer of `--places FILE` (GeoJSON points or CSV, see feeds/places): read, with each
// problem reported on stderr as file:line and the place skipped. An unreadable file is an
// exception with a message meant for the person at the terminal.
#pragma once

#include <string>
#include <vector>

#include "nebuta/search/place.h"

namespace nebuta::api {

std::vector<search::place> load_places(std::string const& file);

}  // namespace nebuta::api
