// trips.txt → staged trips (their stop times come next, builder_stop_times.cc).
#include "builder_internal.h"

namespace nebuta::build::detail {

void compiler::load_trips(feed_state& fs) {
  auto const& f = fs.f;
  auto const& translations = fs.translations;
  auto const& lines = fs.lines;
  auto const& services = fs.services;
  auto& trips = fs.trips;
  auto& staged = fs.staged;
  staged.assign(f.trips.size(), std::nullopt);
  for (auto i = 0U; i < f.trips.size(); ++i) {
    auto const& t = f.trips[i];
    if (!trips.emplace(t.id, i).second) {
      problem("trips.txt", t.file_line, "duplicate_id", "duplicate trip_id '" + std::string{t.id} + "'");
      continue;
    }
    auto const line = lines.find(t.line_id);
    if (line == lines.end()) {
      problem("trips.txt", t.file_line, "unknown_route", "unknown route_id '" + std::string{t.line_id} + "'");
      continue;
    }
    auto const service = services.find(t.service_id);
    if (service == services.end()) {
      problem("trips.txt", t.file_line, "unknown_service", "unknown service_id '" + std::string{t.service_id} + "'");
      continue;
    }
    auto block = no_block;
    if (!t.block_id.empty()) block = fs.blocks.emplace(t.block_id, n_blocks_).first->second;
    if (block == n_blocks_) ++n_blocks_;
    auto shape = no_shape;
    if (!t.shape_id.empty()) {
      if (auto const it = fs.shapes.find(t.shape_id); it != fs.shapes.end()) {
        shape = it->second;
      } else if (!f.shapes.empty()) {  // without shapes.txt every trip would say so
        problem("trips.txt", t.file_line, "unknown_shape",
                "unknown shape_id '" + std::string{t.shape_id} + "'; the trip is drawn stop to stop");
      }
    }
    staged[i] = trip_idx{static_cast<std::uint32_t>(staged_trips_.size())};
    staged_trips_.push_back({strings_.get(t.id), line->second, service->second,
                             make_text(translations, "trips", "trip_headsign", t.id, "", t.headsign),
                             strings_.get(t.short_name), t.wheelchair_accessible, block, shape});
  }
}

}  // namespace nebuta::build::detail
