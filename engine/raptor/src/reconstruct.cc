// Journeys out of the labels of the last search: from the target back along the parents.
#include "nebuta/raptor/router.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <utility>

#include "internal.h"

namespace nebuta::raptor {

using detail::inf;

leg router::make_walk_leg(stop_idx from, stop_idx to, std::uint32_t dur, double dist, walk_kind kind,
                          std::uint16_t extra, place const* owner) const {
  leg l;
  l.kind = leg_kind::walk;
  l.from = from;
  l.to = to;
  l.start = 0;
  l.end = static_cast<seconds_t>(dur);
  l.distance_m = dist;
  if (extra != 0U && owner != nullptr && extra <= owner->extra.size()) {
    l.kind = leg_kind::access;
    l.access_tag = owner->extra[extra - 1U].tag;
    return l;
  }
  if (kind == walk_kind::footpath && from.valid() && to.valid() && tt_.stop_has_coords[from] != 0U &&
      tt_.stop_has_coords[to] != 0U) {
    l.distance_m = haversine_m(tt_.stop_coords[from], tt_.stop_coords[to]);
  }
  if (kind == walk_kind::access || kind == walk_kind::egress) {
    kind = !from.valid() ? walk_kind::access : walk_kind::egress;
  }
  l.walk = kind;
  return l;
}

leg router::make_ride_leg(trip_idx trip, std::uint32_t board_pos, std::uint32_t alight_pos, std::int8_t offset) const {
  auto const r = tt_.trip_route[trip];
  auto const ti = trip.v() - tt_.route_first_trip[r].v();
  auto const off = static_cast<seconds_t>(offset) * seconds_per_day;
  leg l;
  l.kind = leg_kind::ride;
  l.trip = trip;
  l.route = r;
  l.trip_in_route = ti;
  l.day_offset = offset;
  l.board_pos = board_pos;
  l.alight_pos = alight_pos;
  l.from = tt_.route_stops[r][board_pos];
  l.to = tt_.route_stops[r][alight_pos];
  l.start = tt_.departure(r, board_pos, ti) + off;
  l.end = tt_.arrival(r, alight_pos, ti) + off;
  if (rt_ != nullptr) {
    // The times the search read: the overlay's block of that day, when there is one.
    auto const d = day_ + offset;
    if (d >= 0 && d < static_cast<std::int64_t>(tt_.n_days)) {
      if (auto const* const b = rt_->find(r, day_idx{static_cast<std::uint16_t>(d)})) {
        auto const n = b->n_stops;
        l.start = b->departures_by_trip[static_cast<std::size_t>(ti) * n + board_pos] + off;
        l.end = b->arrivals_by_trip[static_cast<std::size_t>(ti) * n + alight_pos] + off;
      }
      l.realtime = rt_->find(trip, day_idx{static_cast<std::uint16_t>(d)}) != nullptr;
    }
  }
  return l;
}

bool router::reconstruct(unsigned legs, journey& out) const {
  return fwd_ ? reconstruct_impl<true>(legs, out) : reconstruct_impl<false>(legs, out);
}

template <bool Fwd>
bool router::reconstruct_impl(unsigned legs, journey& out) const {
  out.legs.clear();
  out.rides = 0;
  if (legs > max_legs_limit || target_round_[legs] == inf) return false;
  auto const& tp = target_parent_[legs];

  auto const push_walk = [&](stop_idx search_from, stop_idx search_to, std::uint32_t dur, double dist, walk_kind kind,
                             std::uint16_t extra = 0U, place const* owner = nullptr) {
    out.legs.push_back(
        make_walk_leg(Fwd ? search_from : search_to, Fwd ? search_to : search_from, dur, dist, kind, extra, owner));
  };

  enum class state { ride, foot, done };
  auto st = state::done;
  auto j = legs;
  auto s = tp.stop;
  switch (tp.how) {
    case target_parent::type::none: return false;
    case target_parent::type::direct:
      push_walk(tp.stop, stop_idx::invalid(), tp.duration, tp.distance_m, walk_kind::direct);
      break;
    case target_parent::type::ride: st = state::ride; break;
    case target_parent::type::foot: st = state::foot; break;
    case target_parent::type::egress:
      push_walk(tp.stop, stop_idx::invalid(), tp.duration, tp.distance_m, walk_kind::egress, tp.extra,
                Fwd ? &to_ : &from_);
      st = state::ride;
      break;
  }

  while (st != state::done) {
    auto const i = j * n_stops_ + s.v();
    if (st == state::foot) {
      auto const& p = foot_parent_[i];
      if (p.origin) break;
      push_walk(p.from, s, p.duration, p.distance_m, p.kind, p.extra, Fwd ? &from_ : &to_);
      if (!p.from.valid() || j == 0U) break;
      s = p.from;
      st = state::ride;
      continue;
    }
    auto const& p = ride_parent_[i];
    stop_idx b;
    seconds_t enter_key = 0;
    if ((p.enter_pos & seated_flag) != 0U) {
      std::tie(b, enter_key) = unwind_seated<Fwd>(p, out);
    } else {
      auto const board = Fwd ? p.enter_pos : p.exit_pos;
      auto const alight = Fwd ? p.exit_pos : p.enter_pos;
      auto const l =
          p.on_extra ? make_extra_leg(p.trip.v(), board, alight) : make_ride_leg(p.trip, board, alight, p.offset);
      out.legs.push_back(l);
      b = Fwd ? l.from : l.to;  // where the search entered the vehicle
      enter_key = Fwd ? l.start : -l.end;
    }
    ++out.rides;
    if (j == 0U) return false;
    auto found = false;
    for (auto jj = j; jj-- > 0U;) {
      auto const bi = jj * n_stops_ + b.v();
      if (foot_[bi] <= enter_key) {
        j = jj;
        st = state::foot;
        found = true;
        break;
      }
      if (ride_[bi] != inf && ride_[bi] + change_time(b) <= enter_key) {
        j = jj;
        st = state::ride;
        found = true;
        break;
      }
    }
    if (!found) return false;
    s = b;
  }

  if constexpr (Fwd) std::reverse(out.legs.begin(), out.legs.end());
  finish_journey(out, Fwd, start_key_);
  return true;
}

template <bool Fwd>
std::pair<stop_idx, seconds_t> router::unwind_seated(ride_parent const& p, journey& out) const {
  auto const last_pos = [&](trip_idx t) {
    return static_cast<std::uint32_t>(tt_.route_stops[tt_.trip_route[t]].size()) - 1U;
  };
  auto const push = [&](trip_idx t, std::uint32_t board, std::uint32_t alight, std::int8_t offset, bool seated) {
    auto l = make_ride_leg(t, board, alight, offset);
    l.stay_seated = seated;
    out.legs.push_back(l);
    return l;
  };
  // Forward, legs go from the last ride back to the boarded one (reversed later); backward, from
  // the boarded ride on in time.
  if constexpr (Fwd) {
    push(p.trip, 0U, p.exit_pos, p.offset, true);
  } else {
    push(p.trip, p.exit_pos, last_pos(p.trip), p.offset, false);
  }
  auto e = seated_pool_[p.enter_pos & ~seated_flag];
  while ((e.enter & seated_flag) != 0U) {
    push(e.trip, 0U, last_pos(e.trip), e.offset, true);
    e = seated_pool_[e.enter & ~seated_flag];
  }
  auto const stop = tt_.route_stops[tt_.trip_route[e.trip]][e.enter];
  if constexpr (Fwd) {
    return {stop, push(e.trip, e.enter, last_pos(e.trip), e.offset, false).start};
  } else {
    return {stop, -push(e.trip, 0U, e.enter, e.offset, true).end};
  }
}

// Walk and access legs get their times from the neighbouring rides: after a ride they start at its
// arrival, before the first ride they end at its departure (leave as late as possible).
void router::finish_journey(journey& out, bool fwd, seconds_t start_key) {
  auto const n = out.legs.size();
  for (auto x = 0U; x < n; ++x) {
    auto& l = out.legs[x];
    if (l.kind == leg_kind::ride) continue;
    auto const dur = l.end - l.start;
    if (x > 0U && out.legs[x - 1].kind == leg_kind::ride) {
      l.start = out.legs[x - 1].end;
      l.end = l.start + dur;
    } else if (x + 1 < n && out.legs[x + 1].kind == leg_kind::ride) {
      l.end = out.legs[x + 1].start;
      l.start = l.end - dur;
    } else if (fwd) {
      l.start = start_key;
      l.end = l.start + dur;
    } else {
      l.end = -start_key;
      l.start = l.end - dur;
    }
  }
  if (out.legs.empty()) {
    out.departure = out.arrival = fwd ? start_key : -start_key;
  } else {
    out.departure = out.legs.front().start;
    out.arrival = out.legs.back().end;
  }
}

}  // namespace nebuta::raptor
