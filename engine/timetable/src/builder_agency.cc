// agency.txt → agencies.
#include "builder_internal.h"

namespace nebuta::build::detail {

void compiler::load_agencies(feed_state& fs) {
  auto const& f = fs.f;
  auto const fi = fs.index;
  auto const& translations = fs.translations;
  auto& agencies = fs.agencies;
  for (auto const& a : f.agencies) {
    if (!agencies.emplace(a.id, tt_.agency_ids.next_idx()).second) {
      problem("agency.txt", a.file_line, "duplicate_id", "duplicate agency_id '" + std::string{a.id} + "'");
      continue;
    }
    tt_.agency_ids.push_back(strings_.get(a.id));
    tt_.agency_feed.push_back(fi);
    tt_.agency_names.push_back(make_text(translations, "agency", "agency_name", a.id, "", a.name));
    tt_.agency_timezones.push_back(strings_.get(a.timezone));
    tt_.agency_urls.push_back(strings_.get(a.url));
  }
}

}  // namespace nebuta::build::detail
