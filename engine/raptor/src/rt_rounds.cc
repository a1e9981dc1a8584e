// The router with a realtime overlay (options::realtime, engine/rt/state.h): which trips run and
// whose times a route scan reads (prepare_rt_activity), the overlay's extra routes (trips that
// overtake, changed their stops, or were added: single-trip routes marked from marked stops and
// scanned after the timetable's routes in each round), and lower bounds kept valid for rides
// that realtime made faster than the timetable's.
#include <algorithm>
#include <limits>

#include "internal.h"
#include "nebuta/raptor/router.h"
#include "set_ride.h"

namespace nebuta::raptor {

using detail::inf;
using detail::sat_add;

void router::prepare_rt_activity(day_activity& a) {
  auto const n_routes = tt_.n_routes();
  a.rt_blocks.assign(static_cast<std::size_t>(n_offsets_) * n_routes, nullptr);
  auto first = a.first_departure;
  for (auto const& b : rt_->route_days()) {
    auto const o = static_cast<std::int64_t>(b.day.v()) - day_ - offsets_[0];
    if (o < 0 || o >= static_cast<std::int64_t>(n_offsets_)) continue;
    a.rt_blocks[static_cast<std::size_t>(o) * n_routes + b.route.v()] = &b;
    auto const t0 = tt_.route_first_trip[b.route].v();
    for (auto j = 0U; j < b.n_trips; ++j) {
      if (b.removed[j] != 0U) a.runs[t0 + j] &= static_cast<std::uint8_t>(~(1U << o));
    }
    if (!b.departures.empty()) first = std::min(first, *std::min_element(b.departures.begin(), b.departures.end()));
  }
  for (auto const& e : rt_->extra_routes()) {
    auto const d = rt_->extra_departures(e);
    if (!d.empty()) first = std::min(first, *std::min_element(d.begin(), d.end()));
  }
  a.first_departure = first;  // next_day_bound(): a realtime trip of D+1 may leave earlier
}

void router::prepare_rt_lb() {
  if (rt_lb_serial_ != rt_->serial()) {
    // A ride on a realtime trip takes at least its scheduled time minus the state's slack; a
    // trip serving an assigned stop or an added trip may link stops the timetable never links,
    // and then no bound from the timetable holds.
    rt_lb_serial_ = rt_->serial();
    auto const slack = rt_->lower_bound_slack();
    rt_lb_usable_ = slack.has_value();
    rt_lb_slack_ = slack.value_or(0);
    for (auto const& e : rt_->extra_routes()) {
      auto const flags = rt_->extra_flags(e);
      if (std::any_of(flags.begin(), flags.end(), [](std::uint8_t f) { return (f & rt::stop_flags::assigned) != 0U; })) {
        rt_lb_usable_ = false;
      }
    }
  }
  if (!rt_lb_usable_) {
    lb_ = lb_zero_.data();
    return;
  }
  if (rt_lb_slack_ <= 0 || lb_ == lb_zero_.data()) return;
  // Every ride still to take may be up to the slack faster: at most max_k_ of them.
  auto const cut = static_cast<std::int64_t>(rt_lb_slack_) * max_k_;
  lb_rt_.resize(n_stops_);
  for (auto s = 0U; s < n_stops_; ++s) {
    lb_rt_[s] = static_cast<std::uint16_t>(std::max<std::int64_t>(0, static_cast<std::int64_t>(lb_[s]) - cut));
  }
  lb_ = lb_rt_.data();
}

void router::prepare_extras() {
  extra_start_.assign(rt_->extra_routes().size(), none);
  extras_.clear();
  extras_.reserve(extra_start_.size());
}

template <bool Fwd>
void router::mark_extras(stop_idx s) {
  auto const all = rt_->extra_routes();
  for (auto const x : rt_->extra_routes_at(s)) {
    auto const& e = all[x];
    // Only the days this pass scans (offsets_ are consecutive days).
    auto const o = static_cast<std::int64_t>(e.day.v()) - day_ - offsets_[0];
    if (o < 0 || o >= static_cast<std::int64_t>(n_scan_offsets_)) continue;
    auto const stops = rt_->extra_stops(e);
    auto const n = static_cast<std::uint32_t>(stops.size());
    for (auto rank = 0U; rank + 1 < n; ++rank) {
      if (stops[Fwd ? rank : n - 1 - rank] != s) continue;
      if (extra_start_[x] == none) extras_.push_back(x);
      extra_start_[x] = std::min(extra_start_[x], rank);
      break;
    }
  }
}

// A single-trip route: board at the first marked stop the vehicle can be boarded at in time, then
// record every stop it can be left at (the same labels and parents as scan_route's).
template <bool Fwd, bool Range>
void router::scan_extras(unsigned k) {
  auto const all = rt_->extra_routes();
  for (auto const x : extras_) {
    auto const start_rank = extra_start_[x];
    extra_start_[x] = none;
    auto const& e = all[x];
    auto const offset = static_cast<int>(static_cast<std::int64_t>(e.day.v()) - day_);
    auto const shift = static_cast<seconds_t>(offset) * seconds_per_day;
    auto const& ts = rt_->trips()[e.trip_state];
    if (wheelchair_) {
      auto const w = ts.trip.valid() ? tt_.trip_wheelchair_accessible[ts.trip] : std::uint8_t{0};
      if (w != 1U && (w != 0U || !wheelchair_unknown_ok_)) continue;
    }
    auto const stops = rt_->extra_stops(e);
    auto const flags = rt_->extra_flags(e);
    auto const arr = rt_->extra_arrivals(e);
    auto const dep = rt_->extra_departures(e);
    auto const n = static_cast<std::uint32_t>(stops.size());
    auto held = false;
    auto enter = 0U;
    for (auto rank = start_rank; rank < n; ++rank) {
      auto const pos = Fwd ? rank : n - 1 - rank;
      auto const s = stops[pos];
      if (!s.valid() || s.v() >= n_stops_) continue;
      rt::stop_time const st{arr[pos], dep[pos], 0, 0, s, flags[pos]};
      if (held && (Fwd ? st.can_alight() : st.can_board()) && stop_ok(s)) {
        auto const t = (Fwd ? st.arrival : st.departure) + shift;
        auto const key = Fwd ? t : -t;
        if (key < best_ride<Range>(k, s) && key + lb(s) < bound<Range>(k)) {
          set_ride<Range>(k, s, key, {trip_idx{x}, enter, pos, static_cast<std::int8_t>(offset), true});
        }
      }
      if (!held && marked_[s.v()] != 0U && (Fwd ? st.can_board() : st.can_alight()) && stop_ok(s)) {
        auto const t = (Fwd ? st.departure : st.arrival) + shift;
        if (Fwd ? ready_[s.v()] <= t : t <= -ready_[s.v()]) {
          held = true;
          enter = pos;
        }
      }
    }
  }
  extras_.clear();
}

leg router::make_extra_leg(std::uint32_t extra, std::uint32_t board_pos, std::uint32_t alight_pos) const {
  auto const& e = rt_->extra_routes()[extra];
  auto const& ts = rt_->trips()[e.trip_state];
  auto const offset = static_cast<std::int64_t>(e.day.v()) - day_;
  auto const shift = static_cast<seconds_t>(offset) * seconds_per_day;
  leg l;
  l.kind = leg_kind::ride;
  l.trip = ts.trip;
  l.extra_route = extra;
  l.realtime = true;
  l.day_offset = static_cast<std::int8_t>(offset);
  l.board_pos = board_pos;
  l.alight_pos = alight_pos;
  l.from = rt_->extra_stops(e)[board_pos];
  l.to = rt_->extra_stops(e)[alight_pos];
  l.start = rt_->extra_departures(e)[board_pos] + shift;
  l.end = rt_->extra_arrivals(e)[alight_pos] + shift;
  return l;
}

// Range queries: the departures from s in [from_t, to_t] after a walk of `walk` seconds, read
// from the realtime blocks and extra routes.
void router::add_rt_departures(stop_idx s, seconds_t walk, seconds_t from_t, seconds_t to_t) {
  auto const push = [&](seconds_t t) {
    if (t - walk >= from_t && t - walk <= to_t) range_deps_.push_back({t - walk, s, {}});
  };
  auto const n_trips = tt_.n_trips();
  auto const n_routes = tt_.n_routes();
  for (auto const [r, pos] : idx_.occurrences(s)) {
    if (!tt_.can_board(r, pos)) continue;
    auto const times = idx_.times(r);
    auto const first = tt_.route_first_trip[r].v();
    for (auto o = 0U; o < n_offsets_; ++o) {
      auto const tm = times_on(r, times, o);
      auto const off = offsets_[o] * seconds_per_day;
      auto const m = act_->n[static_cast<std::size_t>(o) * n_routes + r.v()];
      auto const* const L = act_->trips.data() + static_cast<std::size_t>(o) * n_trips + first;
      for (auto i = 0U; i < m; ++i) push(tm.dep_by_stop[static_cast<std::size_t>(pos) * tm.n_trips + L[i]] + off);
    }
  }
  auto const all = rt_->extra_routes();
  for (auto const x : rt_->extra_routes_at(s)) {
    auto const& e = all[x];
    auto const o = static_cast<std::int64_t>(e.day.v()) - day_ - offsets_[0];
    if (o < 0 || o >= static_cast<std::int64_t>(n_offsets_)) continue;
    auto const stops = rt_->extra_stops(e);
    for (auto p = 0U; p + 1 < stops.size(); ++p) {
      rt::stop_time const st{0, 0, 0, 0, stops[p], rt_->extra_flags(e)[p]};
      if (stops[p] == s && st.can_board()) {
        push(rt_->extra_departures(e)[p] + static_cast<seconds_t>(e.day.v() - day_) * seconds_per_day);
      }
    }
  }
}

template void router::mark_extras<true>(stop_idx);
template void router::mark_extras<false>(stop_idx);
template void router::scan_extras<true, false>(unsigned);
template void router::scan_extras<false, false>(unsigned);
template void router::scan_extras<true, true>(unsigned);

}  // namespace nebuta::raptor
