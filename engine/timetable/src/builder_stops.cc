// stops.txt → stops, their names and parent stations.
#include "builder_internal.h"

namespace nebuta::build::detail {

void compiler::load_stops(feed_state& fs) {
  auto const& f = fs.f;
  auto const fi = fs.index;
  auto const& translations = fs.translations;
  auto& stops = fs.stops;
  auto const first_stop = tt_.stop_ids.next_idx();
  for (auto const& s : f.stops) {
    if (!stops.emplace(s.id, tt_.stop_ids.next_idx()).second) {
      problem("stops.txt", s.file_line, "duplicate_id", "duplicate stop_id '" + std::string{s.id} + "'");
      continue;
    }
    tt_.stop_ids.push_back(strings_.get(s.id));
    tt_.stop_feed.push_back(fi);
    tt_.stop_names.push_back(make_text(translations, "stops", "stop_name", s.id, "", s.name));
    tt_.stop_coords.push_back(s.coord.value_or(latlon{}));
    tt_.stop_has_coords.push_back(s.coord ? 1 : 0);
    tt_.stop_parent.push_back(stop_idx::invalid());
    tt_.stop_platform_codes.push_back(strings_.get(s.platform_code));
    tt_.stop_location_type.push_back(s.location_type);
    tt_.stop_wheelchair_boarding.push_back(s.wheelchair_boarding);
    tt_.stop_min_change_s.push_back(no_min_change_time);
  }
  for (auto const& s : f.stops) {
    if (s.parent_id.empty()) continue;
    auto const self = stops.find(s.id);
    auto const parent = stops.find(s.parent_id);
    if (parent == stops.end()) {
      problem("stops.txt", s.file_line, "unknown_parent_station",
              "unknown parent_station '" + std::string{s.parent_id} + "'");
      continue;
    }
    if (self->second.v() >= first_stop.v()) tt_.stop_parent[self->second] = parent->second;
  }
}

}  // namespace nebuta::build::detail
