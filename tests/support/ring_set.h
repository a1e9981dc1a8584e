// Areas compared as the even-odd rule reads them: the same rings in any order. A GeoJSON writer
// may group rings into polygons differently from the file it came from (a polygon nested in
// another becomes a hole of it) without changing the area.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "nebuta/core/geo.h"

namespace nebuta::test {

inline std::vector<std::vector<std::pair<double, double>>> ring_set(std::vector<std::vector<latlon>> const& rings) {
  std::vector<std::vector<std::pair<double, double>>> out;
  for (auto const& ring : rings) {
    out.emplace_back();
    for (auto const p : ring) out.back().emplace_back(p.lat, p.lon);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace nebuta::test
