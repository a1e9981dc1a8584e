// The RAPTOR rounds: each round rides every route marked by the previous one (scan_route), then
// walks from every stop a ride improved (relax_footpaths). Specialised for the search direction
// and for range queries (see router.h). Labels are arrival keys: the time forward, minus the
// time backward, so that smaller is always better.
#include "nebuta/raptor/router.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <utility>

#include "for_each_access.h"
#include "internal.h"
#include "set_ride.h"

namespace nebuta::raptor {

using detail::inf;
using detail::no_dropoff;
using detail::no_pickup;
using detail::sat_add;
using detail::walk_seconds;

template <bool Range>
[[gnu::always_inline]] inline bool router::set_foot(unsigned k, stop_idx s, seconds_t key, foot_parent const& p) {
  if (key >= best_foot<Range>(k, s) || key + lb(s) >= bound<Range>(k) || !foot_label_useful(k, s)) return false;
  if constexpr (Range) {
    lower_from(foot_, k, s, key, written_foot);
  } else {
    if (first_rounds_ != 0U && !first_reaches_foot(k, s, key)) return false;  // tight journeys' pass
    auto const i = k * n_stops_ + s.v();
    if (foot_[i] == inf) written_.push_back(static_cast<std::uint32_t>(i) | written_foot);
    foot_[i] = key;
    foot_parent_[i] = p;
    best_foot_[s.v()] = key;
    touch(s);
  }
  // Boarding from s only needs another look when its ready time improved.
  if (next_marked_[s.v()] == 0U && key < sat_add(best_ride<Range>(k, s), change_time(s))) {
    next_marked_[s.v()] = 1U;
    next_marked_list_.push_back(s);
  }
  if (is_target(s)) target_found<Range>(k, key, {target_parent::type::foot, 0U, s, 0U, 0.0F});
  return true;
}

template <bool Range>
void router::target_found(unsigned k, seconds_t key, target_parent const& p) {
  if constexpr (Range) {
    for (auto j = k; j <= max_k_ && key < target_round_[j]; ++j) target_round_[j] = key;
  } else {
    if (key >= target_best_) return;
    target_best_ = key;
    target_round_[k] = key;
    target_parent_[k] = p;
  }
}

// set_ride (set_ride.h) and ride_seated (seated.cc) record arrivals with it.
template void router::target_found<false>(unsigned, seconds_t, target_parent const&);  // seated.cc, rt_rounds.cc
template void router::target_found<true>(unsigned, seconds_t, target_parent const&);

template <bool Fwd, bool Range>
void router::start(place const& from, place const& to, seconds_t start_key) {
  start_key_ = start_key;
  auto const& src = Fwd ? from : to;
  auto const& dst = Fwd ? to : from;
  for_each_access<Fwd>(
      src, [&](foot_parent const& p, stop_idx s) { set_foot<Range>(0, s, sat_add(start_key, p.duration), p); });
  if (target_is_coord_) {
    for_each_direct_walk(src, dst.coord, [&](stop_idx s, double d) {
      auto const dur = walk_seconds(d, speed_);
      target_found<Range>(0, sat_add(start_key, dur), {target_parent::type::direct, 0U, s, dur, static_cast<float>(d)});
    });
  }
  if (target_round_[0] != inf) direct_walk_s_ = (target_round_[0] - start_key);
}

template <bool Fwd, bool Range>
void router::relax_footpaths(stop_idx s, unsigned k) {
  auto const base_key = ride_[k * n_stops_ + s.v()];
  // Whatever is reached on foot from s arrives no earlier than base_key + lb(s).
  if (base_key + lb(s) >= bound<Range>(k)) return;
  if (use_fp_) {
    if constexpr (Fwd) {
      for (auto const& fp : tt_.stop_footpaths[s]) {
        set_foot<Range>(k, fp.target, base_key + static_cast<seconds_t>(fp.duration_s),
                        {s, fp.duration_s, 0.0F, walk_kind::footpath, false});
      }
    } else {
      for (auto const& fp : idx_.footpaths_into(s)) {
        set_foot<Range>(k, fp.target, base_key + static_cast<seconds_t>(fp.duration_s),
                        {s, fp.duration_s, 0.0F, walk_kind::footpath, false});
      }
    }
  }
  if (radius_ > 0.0 && base_key < bound<Range>(k)) {
    // The bound only falls while relaxing, so the one read here is a safe cut-off.
    auto const b = bound<Range>(k);
    for (auto x = wl_off_[s.v()]; x < wl_off_[s.v() + 1]; ++x) {
      auto const& l = wl_[x];
      auto const key = base_key + static_cast<seconds_t>(l.dur);
      if (key >= b) break;
      if (key >= best_foot<Range>(k, l.target)) continue;  // set_foot's first test, inline
      set_foot<Range>(k, l.target, key, {s, l.dur, l.dist, walk_kind::walk_link, false});
    }
  }
}

// An arrival key at the target that scan_route<Fwd>(r, ...) of this round is sure to record (by
// a ride to the target, or to a stop walking to it), or inf: for each marked stop, the first
// running trip of each day offset that can be entered there. The scan holds that trip or a
// better one, so the target ends the round with this key or less.
template <bool Fwd>
seconds_t router::probe_route(route_idx r, std::uint32_t start_rank, std::uint32_t last_marked_rank) const {
  auto const stops = tt_.route_stops[r];
  auto const flags = tt_.route_stop_flags[r];
  auto const n = static_cast<std::uint32_t>(stops.size());
  auto const times = idx_.times(r);
  auto const nt = times.n_trips;
  auto const first = tt_.route_first_trip[r];
  constexpr std::uint8_t enter_mask = Fwd ? no_pickup : no_dropoff;
  constexpr std::uint8_t exit_mask = Fwd ? no_dropoff : no_pickup;
  auto const n_trips = tt_.n_trips();
  auto const n_routes = tt_.n_routes();
  auto const rs = static_cast<std::size_t>(tt_.route_stops.raw_offsets()[r.v()]);
  // The positions where the route reaches the target or a stop walking to it.
  std::array<std::uint32_t, 8> exit_rank{};
  std::array<seconds_t, 8> exit_walk{};
  auto n_exit = 0U;
  for (auto rank2 = start_rank + 1; rank2 < n && n_exit < exit_rank.size(); ++rank2) {
    auto const pos2 = Fwd ? rank2 : n - 1 - rank2;
    auto const s2 = stops[pos2];
    auto const w = is_target(s2) ? 0 : to_target_[s2.v()];
    if (w == inf || (flags[pos2] & exit_mask) != 0U || !stop_ok(s2)) continue;
    exit_rank[n_exit] = rank2;
    exit_walk[n_exit++] = w;
  }
  if (n_exit == 0U) return inf;
  auto ub = inf;
  for (auto rank = start_rank; rank <= last_marked_rank && rank < exit_rank[n_exit - 1]; ++rank) {
    auto const pos = Fwd ? rank : n - 1 - rank;
    auto const s = stops[pos];
    if (marked_[s.v()] == 0U || (flags[pos] & enter_mask) != 0U || !stop_ok(s)) continue;
    auto const ready = ready_[s.v()];
    for (auto o = 0U; o < n_scan_offsets_; ++o) {
      auto const m = act_->n[static_cast<std::size_t>(o) * n_routes + r.v()];
      if (m == 0U) continue;
      auto const tm = times_on(r, times, o);  // realtime: the overlay's block of that day
      auto const* const arr = tm.arr_by_stop;
      auto const* const dep = tm.dep_by_stop;
      auto const* const exit_tm = Fwd ? tm.arr_by_trip : tm.dep_by_trip;
      auto const* const L = act_->trips.data() + static_cast<std::size_t>(o) * n_trips + first.v();
      auto const off = offsets_[o] * seconds_per_day;
      // First / last running trip's time here: most offsets are decided without a search.
      auto const e = (Fwd ? act_->dep : act_->arr)[(rs + pos) * n_offsets_ + o];
      std::uint32_t t = 0;
      if constexpr (Fwd) {
        if (e.last + off < ready) continue;
        auto const* const span = dep + pos * nt;
        auto const it = std::partition_point(L, L + m, [&](std::uint32_t x) { return span[x] + off < ready; });
        if (it == L + m) continue;
        t = *it;
      } else {
        if (e.first + off > -ready) continue;
        auto const* const span = arr + pos * nt;
        auto const it = std::partition_point(L, L + m, [&](std::uint32_t x) { return span[x] + off <= -ready; });
        if (it == L) continue;
        t = *(it - 1);
      }
      for (auto exit_i = 0U; exit_i < n_exit; ++exit_i) {
        if (exit_rank[exit_i] <= rank) continue;
        auto const pos2 = Fwd ? exit_rank[exit_i] : n - 1 - exit_rank[exit_i];
        auto const x = exit_tm[t * n + pos2] + off;
        ub = std::min(ub, (Fwd ? x : -x) + exit_walk[exit_i]);
      }
    }
  }
  return ub;
}

template <bool Fwd, bool Range>
void router::scan_route(route_idx r, std::uint32_t start_rank, std::uint32_t last_marked_rank, unsigned k, bool seat) {
  auto const stops = tt_.route_stops[r];
  auto const flags = tt_.route_stop_flags[r];
  auto const n = static_cast<std::uint32_t>(stops.size());
  auto const times = idx_.times(r);
  auto const nt = times.n_trips;
  auto const first = tt_.route_first_trip[r];
  constexpr std::uint8_t enter_mask = Fwd ? no_pickup : no_dropoff;
  constexpr std::uint8_t exit_mask = Fwd ? no_dropoff : no_pickup;
  auto const n_trips = tt_.n_trips();
  auto const n_routes = tt_.n_routes();

  // Offsets with at least one trip of the route running: their active trips (route order) and
  // the shift in seconds.
  std::array<std::uint32_t const*, max_offsets> lst;
  std::array<time_span const*, max_offsets> ext;  // first / last running trip's time per position
  std::array<std::uint32_t, max_offsets> cnt;
  std::array<seconds_t, max_offsets> shift;
  // Per offset, the times read: the timetable's, or a realtime overlay's block of that day.
  std::array<seconds_t const*, max_offsets> board_tm;  // stop-major: departures forward, arrivals backward
  std::array<seconds_t const*, max_offsets> exit_tm;   // trip-major: arrivals forward, departures backward
  std::array<std::uint8_t, max_offsets> live;
  auto n_live = 0U;
  auto const no = n_offsets_;
  auto const b0 = bound<Range>(k);
  auto const start_pos = Fwd ? start_rank : n - 1 - start_rank;
  for (auto o = 0U; o < n_scan_offsets_; ++o) {
    auto const m = act_->n[static_cast<std::size_t>(o) * n_routes + r.v()];
    if (m == 0U) continue;
    auto const* const e = (Fwd ? act_->dep.data() : act_->arr.data()) +
                          static_cast<std::size_t>(tt_.route_stops.raw_offsets()[r.v()]) * no + o;
    auto const off = offsets_[o] * seconds_per_day;
    // Skip offsets none of whose trips can be boarded in this scan: every ready time is at
    // least start_key_, and a boarding at or after bound b0 improves nothing.
    if constexpr (Fwd) {
      if (e[(n - 1) * no].last + off < start_key_ || e[start_pos * no].first + off >= b0) continue;
    } else {
      if (-(e[0].first + off) < start_key_ || -(e[start_pos * no].last + off) >= b0) continue;
    }
    lst[o] = act_->trips.data() + static_cast<std::size_t>(o) * n_trips + first.v();
    ext[o] = e;
    cnt[o] = m;
    shift[o] = off;
    auto const tm = times_on(r, times, o);
    board_tm[o] = Fwd ? tm.dep_by_stop : tm.arr_by_stop;
    exit_tm[o] = Fwd ? tm.arr_by_trip : tm.dep_by_trip;
    live[n_live++] = static_cast<std::uint8_t>(o);
  }
  if (n_live == 0U) return;

  std::array<std::uint32_t, max_offsets> cur;       // index into lst[o], none: no trip held
  std::array<std::uint32_t, max_offsets> cur_trip;  // the trip in route held
  std::array<std::uint32_t, max_offsets> enter_pos{};
  std::array<std::uint8_t, max_offsets> held{};  // offsets with a trip, in any order
  cur.fill(none);
  auto n_held = 0U;
  auto held_final = inf;
  auto b = bound<Range>(k);  // changes only when this scan improves the target

  for (auto rank = start_rank; rank < n; ++rank) {
    auto const pos = Fwd ? rank : n - 1 - rank;
    auto const s = stops[pos];
    auto const f = flags[pos];

    if (n_held != 0U) {
      auto best = inf;
      auto bo = 0U;
      for (auto h = 0U; h < n_held; ++h) {
        auto const o = held[h];
        auto const t = exit_tm[o][cur_trip[o] * n + pos] + shift[o];
        auto const key = Fwd ? t : -t;
        if (key < best) {
          best = key;
          bo = o;
        }
      }
      // best + lb(s) never decreases along the trips: lb(s) is at most the minimum ride time
      // to any later stop plus that stop's bound.
      if (best + lb(s) >= b) {
        if (rank > last_marked_rank) return;
      } else if ((f & exit_mask) == 0U && best < best_ride<Range>(k, s) && stop_ok(s)) {
        set_ride<Range>(k, s, best,
                        {trip_idx{first.v() + cur_trip[bo]}, enter_pos[bo], pos, static_cast<std::int8_t>(offsets_[bo])});
        b = bound<Range>(k);
      }
    } else if (rank > last_marked_rank) {
      return;
    }

    if (rank <= last_marked_rank && marked_[s.v()] != 0U && (f & enter_mask) == 0U && stop_ok(s)) {
      auto const ready = ready_[s.v()];
      if (seat) {
        // For relax_seated (seated.cc): the earliest (backward: latest) trip catchable at a
        // marked stop, whatever the bound. After the first, a stop only needs a search when its
        // neighbour in the list is catchable there.
        for (auto x = 0U; x < n_live; ++x) {
          auto const o = live[x];
          auto const* const L = lst[o];
          auto const* const span = board_tm[o] + pos * nt;
          auto& best = seat_scan_.best[o];
          if constexpr (Fwd) {
            auto const limit = best == none ? cnt[o] : best;
            if (limit == 0U || span[L[limit - 1]] + shift[o] < ready) continue;
            best = static_cast<std::uint32_t>(
                std::partition_point(L, L + limit, [&](std::uint32_t t) { return span[t] + shift[o] < ready; }) - L);
          } else {
            auto const lo = best == none ? 0U : best + 1;
            if (lo == cnt[o] || span[L[lo]] + shift[o] > -ready) continue;
            best = static_cast<std::uint32_t>(
                       std::partition_point(L + lo, L + cnt[o],
                                            [&](std::uint32_t t) { return span[t] + shift[o] <= -ready; }) -
                       L) -
                   1;
          }
          seat_scan_.pos[o] = pos;
        }
      }
      // A trip entered here at key x reaches the target no earlier than x + lb(s).
      auto prune = std::min(b - lb(s), held_final);
      for (auto x = 0U; x < n_live; ++x) {
        auto const o = live[x];
        auto const off = shift[o];
        auto const* const L = lst[o];
        if constexpr (Fwd) {
          // The first running trip departing at or after `ready` before the one held, if it
          // departs before `prune`.
          auto const* const span = board_tm[o] + pos * nt;
          auto const target = ready - off;
          auto const e = ext[o][pos * no];
          if (e.first + off >= prune) continue;
          auto const limit = cur[o] == none ? cnt[o] : cur[o];
          if (cur[o] == none ? e.last < target : (limit == 0U || span[L[limit - 1]] < target)) continue;
          auto lo = 0U;
          auto len = limit - 1;  // the answer is in [lo, lo + len]
          if (cur[o] != none) {
            // Usually only a few trips lie between the ready time and the trip held.
            auto j = limit - 1;
            auto steps = 0U;
            while (j > 0U && span[L[j - 1]] >= target && ++steps < 4U) --j;
            if (j == 0U || span[L[j - 1]] < target) {
              lo = j;
              len = 0;
            } else {
              len = j - 1;
            }
          }
          while (len > 0U) {
            auto const half = len / 2;
            if (span[L[lo + half]] < target) {
              lo += half + 1;
              len -= half + 1;
            } else {
              len = half;
            }
          }
          auto const i = lo;
          if (span[L[i]] + off >= prune) continue;
          auto const t = L[i];
          if (cur[o] == none) held[n_held++] = static_cast<std::uint8_t>(o);
          cur[o] = i;
          cur_trip[o] = t;
          enter_pos[o] = pos;
          held_final = std::min(held_final, exit_tm[o][t * n + n - 1] + off);
          prune = std::min(prune, held_final);
        } else {
          // The last running trip arriving at or before -ready after the one held, if its key
          // is below `prune`.
          auto const* const span = board_tm[o] + pos * nt;
          auto const target = -ready - off;  // arrival limit in the trip's own day
          auto const lo0 = cur[o] == none ? 0U : cur[o] + 1;
          auto const m = cnt[o];
          auto const e = ext[o][pos * no];
          if (-(e.last + off) >= prune) continue;
          if (cur[o] == none ? e.first > target : (lo0 >= m || span[L[lo0]] > target)) continue;
          // last j in [lo0, m) with span[L[j]] <= target
          auto lo = lo0;
          auto len = m - lo0 - 1;  // answer in [lo, lo + len]
          while (len > 0U) {
            auto const half = (len + 1) / 2;
            if (span[L[lo + half]] <= target) {
              lo += half;
              len -= half;
            } else {
              len = half - 1;
            }
          }
          auto const i = lo;
          if (-(span[L[i]] + off) >= prune) continue;
          auto const t = L[i];
          if (cur[o] == none) held[n_held++] = static_cast<std::uint8_t>(o);
          cur[o] = i;
          cur_trip[o] = t;
          enter_pos[o] = pos;
          held_final = std::min(held_final, -(exit_tm[o][t * n] + off));
          prune = std::min(prune, held_final);
        }
      }
    }
  }
}

template <bool Fwd, bool Range>
void router::run_rounds() {
  // Round 0 marks were written to next_marked_.
  std::swap(marked_, next_marked_);
  std::swap(marked_list_, next_marked_list_);
  // The labels a seated lead trip guarantees hold within one pass (a range pass resets pending_).
  for (auto const i : seat_lead_touched_) seat_lead_[i] = none;
  seat_lead_touched_.clear();
  if (!Range && target_round_[0] != inf) {
    pareto_.push_back({0U, Fwd ? target_round_[0] : -target_round_[0]});
  }
  for (auto k = 1U; k <= max_k_ && !marked_list_.empty(); ++k) {
    // Not there yet after a few rounds: from now on, labels too many rides away are dropped.
    if (k == rides_round_ && rides_ride_ == rides_zero_.data() && (Range ? target_round_[k - 1] : target_best_) == inf) {
      prepare_rides<Fwd>(k);
    }
    for (auto const s : marked_list_) {
      ready_[s.v()] = std::min(sat_add(best_ride<Range>(k - 1, s), change_time(s)), best_foot<Range>(k - 1, s));
      if (ready_[s.v()] + lb(s) >= bound<Range>(k)) continue;  // no trip from here can help any more
      if (!foot_label_useful(k - 1U, s)) continue;             // nor within the rides left (ready to board: as on foot)
      if (Range && k == 1U && first_round_narrow_) {
        // A range pass after the first: only the routes leaving at its departure (range.cc).
        for (auto const [r, rank] : idx_.entries(s, Fwd)) {
          auto const is_new = [&](range_departure const& d) { return d.rp.r == r && d.rp.pos == rank; };
          if (std::any_of(first_round_only_.begin(), first_round_only_.end(), is_new)) mark_route(r, rank);
        }
      } else {
        for (auto const [r, rank] : idx_.entries(s, Fwd)) mark_route(r, rank);
      }
      if (rt_ != nullptr) mark_extras<Fwd>(s);  // realtime extra routes (rt_rounds.cc)
    }
    // Until the target is reached: routes through it first, but only to bound the round
    // (scanning them first would change which of two equally good journeys is kept).
    for (auto const r : routes_) {
      if (route_key_[r.v()] == 0 || (Range ? target_round_[k] : target_best_) != inf) continue;
      auto const ub = probe_route<Fwd>(r, route_start_[r.v()], route_end_[r.v()]);
      if (ub != inf) pending_ = std::min(pending_, ub + 1);
    }
    // Realtime: no continuations yet (the continuations read the timetable's times and days,
    // which a realtime trip may no longer keep; docs/realtime.md).
    auto const seat_routes = seated_;
    for (auto const r : routes_) {
      auto const seat = seat_routes && idx_.route_seated(r, Fwd);
      if (seat) {
        seat_scan_.r = r;
        seat_scan_.best.fill(none);
      }
      scan_route<Fwd, Range>(r, route_start_[r.v()], route_end_[r.v()], k, seat);
      if (seat && std::any_of(seat_scan_.best.begin(), seat_scan_.best.end(), [](auto b) { return b != none; })) {
        seated_routes_.push_back(seat_scan_);
      }
      route_start_[r.v()] = none;
    }
    routes_.clear();
    if (rt_ != nullptr) scan_extras<Fwd, Range>(k);
    // After the round's scans, whose arrivals bound how far the vehicles running on are followed.
    for (auto const& scan : seated_routes_) relax_seated<Fwd, Range>(scan, k);
    seated_routes_.clear();
    for (auto const s : ride_improved_) {
      ride_improved_flag_[s.v()] = 0U;
      relax_footpaths<Fwd, Range>(s, k);
      if (target_is_coord_ && egress_[s.v()] != inf) {
        target_found<Range>(k, ride_[k * n_stops_ + s.v()] + egress_[s.v()],
                            {target_parent::type::egress, egress_extra_[s.v()], s,
                             static_cast<std::uint32_t>(egress_[s.v()]), egress_dist_[s.v()]});
      }
    }
    ride_improved_.clear();
    for (auto const s : marked_list_) marked_[s.v()] = 0U;
    marked_list_.clear();
    std::swap(marked_, next_marked_);
    std::swap(marked_list_, next_marked_list_);
    if (!Range && target_round_[k] != inf) {
      pareto_.push_back({k, Fwd ? target_round_[k] : -target_round_[k]});
    }
  }
  for (auto const s : marked_list_) marked_[s.v()] = 0U;
  marked_list_.clear();
}

template void router::start<true, false>(place const&, place const&, seconds_t);
template void router::start<false, false>(place const&, place const&, seconds_t);
template void router::start<true, true>(place const&, place const&, seconds_t);
template void router::run_rounds<true, false>();
template void router::run_rounds<false, false>();
template void router::run_rounds<true, true>();

}  // namespace nebuta::raptor
