// The ride label update shared by the route scans (rounds.cc) and the stay-seated rides
// (seated.cc); inlined into both.
#pragma once

#include <algorithm>

#include "internal.h"
#include "nebuta/raptor/router.h"

namespace nebuta::raptor {

[[gnu::always_inline]] inline bool router::ride_label_useful(unsigned k, stop_idx s) const {
  if (k == max_k_) return is_target(s) || to_target_[s.v()] != detail::inf;
  return k + rides_ride_[s.v()] <= max_k_;
}

[[gnu::always_inline]] inline bool router::foot_label_useful(unsigned k, stop_idx s) const {
  if (k == max_k_) return is_target(s);
  return k + rides_foot_[s.v()] <= max_k_;
}

// A better arrival at s by vehicle in round k: the label, its parent, and what it marks.
template <bool Range>
[[gnu::always_inline]] inline void router::set_ride(unsigned k, stop_idx s, seconds_t key, ride_parent const& p) {
  if (!ride_label_useful(k, s)) return;  // the target is more rides away than are left
  if constexpr (Range) {
    lower_from(ride_, k, s, key, 0U);
  } else {
    if (first_rounds_ != 0U && !first_reaches_ride(k, s, key)) return;  // tight journeys' pass
    auto const i = k * n_stops_ + s.v();
    if (ride_[i] == detail::inf) written_.push_back(static_cast<std::uint32_t>(i));
    ride_[i] = key;
    ride_parent_[i] = p;
    best_ride_[s.v()] = key;
    touch(s);
  }
  if (next_marked_[s.v()] == 0U && detail::sat_add(key, change_time(s)) < best_foot<Range>(k, s)) {
    next_marked_[s.v()] = 1U;
    next_marked_list_.push_back(s);
  }
  if (ride_improved_flag_[s.v()] == 0U) {
    ride_improved_flag_[s.v()] = 1U;
    ride_improved_.push_back(s);
  }
  if (is_target(s)) {
    target_found<Range>(k, key, {target_parent::type::ride, 0U, s, 0U, 0.0F});
  } else if (auto const w = to_target_[s.v()]; w != detail::inf) {
    // At the end of the round, the walk from s records an arrival at most key + w; only later
    // arrivals are pruned until then, so that ties resolve as before.
    pending_ = std::min(pending_, key + w + 1);
  }
}

}  // namespace nebuta::raptor
