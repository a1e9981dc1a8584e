#include "nebuta/timetable/nearby_stop_index.h"

namespace nebuta {

nearby_stop_index::nearby_stop_index(timetable const& tt) : tt_{tt} {
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] != 0U) by_lat_.emplace_back(tt.stop_coords[s].lat, s);
  }
  std::sort(by_lat_.begin(), by_lat_.end());
}

}  // namespace nebuta
