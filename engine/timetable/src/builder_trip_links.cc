// transfers.txt linked trips (transfer_type 4: stay on board, 5: the vehicle runs on but riders
// alight) → timetable::trip_links, once the trips have their final indices.
#include "builder_internal.h"

#include <algorithm>
#include <tuple>

namespace nebuta::build::detail {

void compiler::load_trip_link(feed_state& fs, transfer const& tr) {
  if (tr.from_trip.empty() || tr.to_trip.empty()) {
    problem("transfers.txt", tr.file_line, "missing_trip",
            "transfer_type " + std::to_string(tr.transfer_type) + " needs from_trip_id and to_trip_id");
    return;
  }
  auto const staged = [&](std::string_view id) -> std::optional<trip_idx> {
    auto const it = fs.trips.find(id);
    if (it == fs.trips.end()) return std::nullopt;
    return fs.staged[it->second];
  };
  auto const from = staged(tr.from_trip), to = staged(tr.to_trip);
  if (!from || !to) {
    problem("transfers.txt", tr.file_line, "unknown_trip",
            "unknown trip_id '" + std::string{!from ? tr.from_trip : tr.to_trip} + "'");
    return;
  }
  links_.push_back({*from, *to, tr.transfer_type, file_prefix_ + "transfers.txt", tr.file_line});
}

void compiler::build_trip_links() {
  trip_of_staged_.resize(staged_trips_.size(), trip_idx::invalid());
  for (auto const& l : links_) {
    auto const from = trip_of_staged_[l.from.v()], to = trip_of_staged_[l.to.v()];
    if (!from.valid() || !to.valid() || from == to) {
      // A trip without stop times, or one expanded from frequencies.txt, is no single vehicle run.
      ++warning_counts_["unlinkable_trip"];
      if (report_)
        report_({l.file, l.line, "unlinkable_trip", "a linked trip has no timetabled run of its own; link ignored"});
      continue;
    }
    tt_.trip_links.push_back({from, to, l.transfer_type});
  }
  std::sort(tt_.trip_links.begin(), tt_.trip_links.end(), [](trip_link const& a, trip_link const& b) {
    return std::tie(a.from, a.to, a.transfer_type) < std::tie(b.from, b.to, b.transfer_type);
  });
}

}  // namespace nebuta::build::detail
