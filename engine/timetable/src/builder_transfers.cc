// transfers.txt → minimum change times and footpaths (after all feeds: sorted, shortest kept).
#include "builder_internal.h"

#include <algorithm>
#include <tuple>

namespace nebuta::build::detail {

void compiler::load_transfers(feed_state& fs) {
  auto const& f = fs.f;
  auto const& stops = fs.stops;
  for (auto const& tr : f.transfers) {
    if (tr.transfer_type == 4 || tr.transfer_type == 5) {
      load_trip_link(fs, tr);
      continue;
    }
    if (tr.transfer_type != 2) continue;
    auto const from = stops.find(tr.from_stop), to = stops.find(tr.to_stop);
    if (from == stops.end() || to == stops.end()) {
      problem("transfers.txt", tr.file_line, "unknown_stop",
              "unknown stop_id '" + std::string{from == stops.end() ? tr.from_stop : tr.to_stop} + "'");
      continue;
    }
    auto const duration = tr.min_transfer_time.value_or(0);
    if (from->second == to->second) {
      auto& m = tt_.stop_min_change_s[from->second];
      m = static_cast<std::uint16_t>(std::min<std::uint32_t>(duration, no_min_change_time - 1));
    } else {
      transfers_.push_back({from->second, to->second, duration});
    }
  }
}

void compiler::build_footpaths() {
  std::sort(transfers_.begin(), transfers_.end(), [](auto const& a, auto const& b) {
    return std::tie(a.from, a.to, a.duration) < std::tie(b.from, b.to, b.duration);
  });
  std::vector<footpath> out;
  auto it = transfers_.begin();
  for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
    out.clear();
    for (; it != transfers_.end() && it->from == s; ++it) {
      if (!out.empty() && out.back().target == it->to) continue;  // keep the shortest
      out.push_back({it->to, it->duration});
    }
    tt_.stop_footpaths.emplace_back(out);
  }
}

}  // namespace nebuta::build::detail
