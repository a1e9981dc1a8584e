// Stay-seated continuations in the rounds. After route r's scan in round k, every trip of r a
// rider can be on at its last stop (forward; its first stop backward) may run on as another trip
// (index::seated, blocks.cc); the rider stays on board, so that trip is ridden in the same round
// k: no boarding counted, no change time, no pickup or drop-off rule at the stop it runs on at.
//
// Which trips of r can the rider be on? Any trip catchable at a marked stop, that is every
// running trip from the earliest catchable one on (FIFO). The route scan keeps only that earliest
// one, which dominates the later ones at r's own stops but not in where they run on to: each
// later trip's continuation is ridden here too, unless the target bound rules it out. A trip
// ridden seated gives the same labels whichever trip it was reached from, so each (trip, day) is
// ridden once per query (range queries: once per round).
#include <algorithm>

#include "internal.h"
#include "nebuta/raptor/router.h"
#include "set_ride.h"

namespace nebuta::raptor {

using detail::inf;
using detail::no_dropoff;
using detail::no_pickup;

template <bool Fwd>
bool router::boardable_at_start(trip_idx t, stop_idx at) const {
  return detail::starts_boardable<Fwd>(tt_, t, at) && stop_ok(at);
}

template <bool Fwd, bool Range>
void router::relax_seated(seated_scan const& scan, unsigned k) {
  auto const r = scan.r;
  auto const stops = tt_.route_stops[r];
  auto const n = static_cast<std::uint32_t>(stops.size());
  auto const times = idx_.times(r);
  auto const first = tt_.route_first_trip[r];
  auto const n_trips = tt_.n_trips();
  auto const n_routes = tt_.n_routes();
  auto const end_pos = Fwd ? n - 1 : 0U;
  auto const end_stop = stops[end_pos];
  // With fewer legs the rider is at the route's end by ready_end: what runs on after that is
  // boarded there in an earlier round (ride_seated's test, taken once for all trips here).
  auto ready_end = inf;
  for (auto jr = Range ? k - 1U : 0U; jr < k; ++jr) {
    auto const rd = ride_[jr * n_stops_ + end_stop.v()];
    ready_end = std::min({ready_end, rd == inf ? inf : rd + change_time(end_stop), foot_[jr * n_stops_ + end_stop.v()]});
  }
  auto const only_at_end = idx_.seated_only_at_end(r, Fwd) && stop_ok(end_stop);
  for (auto o = 0U; o < n_scan_offsets_; ++o) {
    auto const best = scan.best[o];
    if (best == none) continue;
    auto const tm = times_on(r, times, o);  // realtime: the overlay's block of that day
    auto const* const end_tm = Fwd ? tm.arr_by_trip : tm.dep_by_trip;
    auto const best_pos = scan.pos[o];
    auto const m = act_->n[static_cast<std::size_t>(o) * n_routes + r.v()];
    auto const* const L = act_->trips.data() + static_cast<std::size_t>(o) * n_trips + first.v();
    auto const off = offsets_[o] * seconds_per_day;
    auto const day = day_ + offsets_[o];
    // Every running trip from the earliest catchable one on (backward: up to the latest) can be
    // the rider's: later trips reach the end later, so stop at the first that cannot help any more.
    for (auto j = best; j < m; Fwd ? ++j : --j) {
      auto const t = L[j];
      auto const at_end = end_tm[t * n + end_pos] + off;
      if ((Fwd ? at_end : -at_end) + lb(end_stop) >= bound<Range>(k)) break;
      auto const trip = trip_idx{first.v() + t};
      auto const late = (Fwd ? at_end : -at_end) >= ready_end;
      // Every later trip is late too, and every continuation of the route's trips is boardable
      // where they end: nothing more to follow (boardable_at_start would skip each link).
      if (late && only_at_end) break;
      for (auto const& link : idx_.seated(trip, Fwd)) {
        if (!idx_.seated_on(link, day)) continue;
        if (late && boardable_at_start<Fwd>(link.other, end_stop)) continue;
        auto parent = seated_flag | best_pos;
        if constexpr (!Range) {
          parent = static_cast<std::uint32_t>(seated_pool_.size());
          seated_pool_.push_back({trip, best_pos, static_cast<std::int8_t>(offsets_[o])});
        }
        ride_seated<Fwd, Range>(link.other, offsets_[o] + link.shift, parent, k, Fwd ? at_end : -at_end);
      }
      if (!Fwd && j == 0U) break;
    }
  }
}

template <bool Fwd, bool Range>
void router::ride_seated(trip_idx t, int offset, std::uint32_t from, unsigned k, seconds_t came) {
  // Only the days the search runs on (GTFS-literal mode: D-1 and D).
  if (offset < offsets_[0] || offset > offsets_[n_offsets_ - 1U]) return;
  auto const o = static_cast<unsigned>(offset - offsets_[0]);
  auto const r = tt_.trip_route[t];
  auto const stops = tt_.route_stops[r];
  auto const flags = tt_.route_stop_flags[r];
  auto const n = static_cast<std::uint32_t>(stops.size());
  auto const times = times_on(r, idx_.times(r), o);  // realtime: the overlay's block of that day
  auto const ti = t.v() - tt_.route_first_trip[r].v();
  auto const off = offset * seconds_per_day;
  auto const* const tm = (Fwd ? times.arr_by_trip : times.dep_by_trip) + static_cast<std::size_t>(ti) * n;
  constexpr std::uint8_t exit_mask = Fwd ? no_dropoff : no_pickup;
  constexpr std::uint8_t enter_mask = Fwd ? no_pickup : no_dropoff;
  auto const end_pos = Fwd ? 0U : n - 1U;
  // When t leaves its first stop (backward: reaches its last), as a key.
  auto const entry = Fwd ? times.dep_by_trip[static_cast<std::size_t>(ti) * n] + off
                         : -(times.arr_by_trip[static_cast<std::size_t>(ti) * n + end_pos] + off);
  // Realtime: a cancelled (or moved) trip carries nobody on, and the vehicle must have come
  // before t leaves (backward: t must have arrived before the trip after it left); a delay that
  // breaks that breaks the seat. Tested before t is marked ridden: another ride may still
  // reach it in time.
  if (rt_ != nullptr && (!trip_ok(t.v(), o) || entry < came)) return;
  auto const slot = static_cast<std::size_t>(t.v()) * seated_slots + static_cast<std::size_t>(offset + seated_slots / 2);
  if (seat_round_[slot] != 0U && (!Range || seat_round_[slot] <= k + 1U)) return;
  if (seat_round_[slot] == 0U) seat_touched_.push_back(static_cast<std::uint32_t>(slot));
  seat_round_[slot] = static_cast<std::uint8_t>(k + 1U);
  if (wheelchair_) {
    auto const w = tt_.trip_wheelchair_accessible[t];
    if (w != 1U && (w != 0U || !wheelchair_unknown_ok_)) return;
  }

  // Whoever was at the stop t runs on from with fewer legs, in time to board t there, rides it
  // (and what it runs on as) in an earlier round already: nothing to gain here.
  auto const e = stops[end_pos];
  if ((flags[end_pos] & enter_mask) == 0U && stop_ok(e)) {
    auto ready = inf;
    for (auto j = Range ? k - 1U : 0U; j < k; ++j) {
      auto const rd = ride_[j * n_stops_ + e.v()];
      ready = std::min({ready, rd == inf ? inf : rd + change_time(e), foot_[j * n_stops_ + e.v()]});
    }
    if (ready <= entry) return;
  }
  auto const enter = from | seated_flag;
  // A trip of the same route and day ridden seated before it in this pass, in this round or an
  // earlier one, reached every stop no later (trips of a route never overtake): the labels are
  // at least that good, so only the bound's cut-off is left to test, and only when there is one.
  auto& lead =
      seat_lead_[static_cast<std::size_t>(r.v()) * seated_slots + static_cast<std::size_t>(offset + seated_slots / 2)];
  if (lead != none && (Fwd ? lead < ti : lead > ti)) {
    if (auto const b = bound<Range>(k); b != inf) {
      for (auto rank = 1U; rank < n; ++rank) {
        auto const pos = Fwd ? rank : n - 1 - rank;
        if ((Fwd ? tm[pos] + off : -(tm[pos] + off)) + lb(stops[pos]) >= b) return;
      }
    }
  } else {
    if (lead == none) {
      seat_lead_touched_.push_back(static_cast<std::uint32_t>(&lead - seat_lead_.data()));
    }
    lead = ti;
    for (auto rank = 1U; rank < n; ++rank) {
      auto const pos = Fwd ? rank : n - 1 - rank;
      auto const s = stops[pos];
      auto const key = Fwd ? tm[pos] + off : -(tm[pos] + off);
      // Keys only grow along the trip, and what runs on from it comes later still.
      if (key + lb(s) >= bound<Range>(k)) return;
      if ((flags[pos] & exit_mask) != 0U || key >= best_ride<Range>(k, s) || !stop_ok(s)) continue;
      set_ride<Range>(k, s, key, {t, enter, pos, static_cast<std::int8_t>(offset)});
    }
  }
  auto const day = day_ + offset;
  for (auto const& link : idx_.seated(t, Fwd)) {
    if (!idx_.seated_on(link, day)) continue;
    auto parent = enter;
    if constexpr (!Range) {
      parent = static_cast<std::uint32_t>(seated_pool_.size());
      seated_pool_.push_back({t, enter, static_cast<std::int8_t>(offset)});
    }
    ride_seated<Fwd, Range>(link.other, offset + link.shift, parent, k, Fwd ? tm[n - 1U] + off : -(tm[0] + off));
  }
}

template void router::relax_seated<true, false>(seated_scan const&, unsigned);
template void router::relax_seated<false, false>(seated_scan const&, unsigned);
template void router::relax_seated<true, true>(seated_scan const&, unsigned);

}  // namespace nebuta::raptor
