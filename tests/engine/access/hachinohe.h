// The Hachinohe timetable for the access tests, loaded once per test binary (or null, after the
// visible skip of shared_data.h, when the data is absent).
#pragma once

#include "nebuta/gtfs_import/import.h"
#include "shared_data.h"

namespace nebuta::test {

inline timetable const* hachinohe_timetable() {
  auto const path = shared_dataset("jp-hachinohe-citybus");
  if (path.empty()) return nullptr;
  static auto const loaded = gtfs_import::load({{"hachinohe", path}});
  return &loaded.tt;
}

}  // namespace nebuta::test
