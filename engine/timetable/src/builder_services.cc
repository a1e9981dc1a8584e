// calendar.txt and calendar_dates.txt → service days as bitsets over the feeds' date range,
// deduplicated.
#include "builder_internal.h"

#include <algorithm>
#include <chrono>

namespace nebuta::build::detail {

void compiler::compute_date_range() {
  std::optional<date_t> lo, hi;
  auto const extend = [&](date_t d) {
    if (!lo || d < *lo) lo = d;
    if (!hi || d > *hi) hi = d;
  };
  for (auto const& f : feeds_) {
    for (auto const& c : f.calendars) {
      if (c.start <= c.end) extend(c.start), extend(c.end);
    }
    for (auto const& c : f.calendar_dates) extend(c.date);
  }
  if (!lo) {
    tt_.first_date = date_t{};
    tt_.n_days = 0;
  } else {
    tt_.first_date = *lo;
    auto const n = (*hi - *lo).count() + 1;
    if (n > max_days) {
      problem(
          "calendar.txt", 0, "date_range_clamped",
          "service dates span " + std::to_string(n) + " days; only the first " + std::to_string(max_days) + " are kept");
    }
    tt_.n_days = static_cast<std::uint32_t>(std::min<std::int64_t>(n, max_days));
  }
  tt_.bitfield_words = std::max<std::uint32_t>(1, (tt_.n_days + 63) / 64);
}

bitfield_idx compiler::intern_bitfield(std::vector<std::uint64_t> const& bits) {
  if (auto it = bitfield_index_.find(bits); it != bitfield_index_.end()) return it->second;
  auto const idx = bitfield_idx{static_cast<std::uint32_t>(tt_.n_bitfields())};
  tt_.bitfields.insert(tt_.bitfields.end(), bits.begin(), bits.end());
  bitfield_index_.emplace(bits, idx);
  return idx;
}

view_map<bitfield_idx> compiler::build_services(feed const& f) {
  view_map<std::vector<std::uint64_t>> days;
  auto const set = [&](std::vector<std::uint64_t>& bits, std::int64_t day, bool on) {
    if (day < 0 || day >= static_cast<std::int64_t>(tt_.n_days)) return;
    auto& w = bits[static_cast<std::size_t>(day) / 64];
    auto const mask = std::uint64_t{1} << (static_cast<std::size_t>(day) % 64);
    w = on ? (w | mask) : (w & ~mask);
  };
  auto const empty = std::vector<std::uint64_t>(tt_.bitfield_words, 0);
  for (auto const& c : f.calendars) {
    auto [it, inserted] = days.emplace(c.service_id, empty);
    if (!inserted) {
      problem("calendar.txt", c.file_line, "duplicate_id", "duplicate service_id '" + std::string{c.service_id} + "'");
      continue;
    }
    if (c.start > c.end) {
      problem("calendar.txt", c.file_line, "bad_date", "start_date after end_date");
      continue;
    }
    for (auto d = c.start; d <= c.end; d += std::chrono::days{1}) {
      auto const weekday = (std::chrono::weekday{d}.iso_encoding() - 1);  // 0 = Monday
      if ((c.weekdays >> weekday) & 1U) set(it->second, (d - tt_.first_date).count(), true);
    }
  }
  for (auto const& c : f.calendar_dates) {
    auto [it, inserted] = days.emplace(c.service_id, empty);
    set(it->second, (c.date - tt_.first_date).count(), c.exception_type == 1);
  }
  view_map<bitfield_idx> result;
  for (auto const& [id, bits] : days) result.emplace(id, intern_bitfield(bits));
  return result;
}

}  // namespace nebuta::build::detail
