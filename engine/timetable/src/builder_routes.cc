// routes.txt → our lines (a GTFS route is what riders call a line; RAPTOR routes are
// builder_raptor_routes.cc).
#include "builder_internal.h"

namespace nebuta::build::detail {

void compiler::load_routes(feed_state& fs) {
  auto const& f = fs.f;
  auto const fi = fs.index;
  auto const& translations = fs.translations;
  auto const& agencies = fs.agencies;
  auto& lines = fs.lines;
  for (auto const& l : f.lines) {
    auto agency = agency_idx::invalid();
    if (auto it = agencies.find(l.agency_id); it != agencies.end()) {
      agency = it->second;
    } else if (l.agency_id.empty() && f.agencies.size() == 1 && !agencies.empty()) {
      agency = agencies.begin()->second;
    } else {
      problem("routes.txt", l.file_line, "unknown_agency", "unknown agency_id '" + std::string{l.agency_id} + "'");
    }
    if (!lines.emplace(l.id, tt_.line_ids.next_idx()).second) {
      problem("routes.txt", l.file_line, "duplicate_id", "duplicate route_id '" + std::string{l.id} + "'");
      continue;
    }
    tt_.line_ids.push_back(strings_.get(l.id));
    tt_.line_feed.push_back(fi);
    tt_.line_agency.push_back(agency);
    tt_.line_short_names.push_back(make_text(translations, "routes", "route_short_name", l.id, "", l.short_name));
    tt_.line_long_names.push_back(make_text(translations, "routes", "route_long_name", l.id, "", l.long_name));
    tt_.line_types.push_back(l.type);
    tt_.line_colors.push_back(strings_.get(l.color));
    tt_.line_text_colors.push_back(strings_.get(l.text_color));
  }
}

}  // namespace nebuta::build::detail
