// McRAPTOR with walking time as a third criterion: bags of (arrival, walking time) labels per
// stop, round k = k vehicle legs. Same footpath rules as the RAPTOR search (at most one walk
// directly after the origin and after each vehicle leg), forward only.
#include <algorithm>
#include <cmath>
#include <tuple>

#include "for_each_access.h"
#include "internal.h"
#include "nebuta/raptor/router.h"

namespace nebuta::raptor {

using detail::inf;
using detail::no_dropoff;
using detail::no_pickup;
using detail::walk_seconds;

void router::mc_target_insert(unsigned k, seconds_t arr, seconds_t walk, mc_target t) {
  for (auto const& x : mc_targets_) {
    if (x.e.arrival <= arr && x.e.walk_s <= walk) return;
  }
  std::erase_if(mc_targets_,
                [&](mc_target const& x) { return x.e.legs == k && x.e.arrival >= arr && x.e.walk_s >= walk; });
  t.e = {k, arr, walk};
  mc_targets_.push_back(t);
}

bool router::mc_insert(unsigned k, mc_label const& l) {
  for (auto const& x : mc_targets_) {
    if (x.e.arrival <= l.arr && x.e.walk_s <= l.walk) return false;
  }
  auto const s = l.stop.v();
  auto& bag = l.ride ? mc_bag_ride_[s] : mc_bag_foot_[s];
  for (auto const i : bag) {
    if (mc_pool_[i].arr <= l.arr && mc_pool_[i].walk <= l.walk) return false;
  }
  // Labels of earlier rounds have fewer legs: the new label never dominates them.
  std::erase_if(bag, [&](std::uint32_t i) {
    auto& x = mc_pool_[i];
    if (x.round == k && x.arr >= l.arr && x.walk >= l.walk) {
      x.dead = true;
      return true;
    }
    return false;
  });
  auto const idx = static_cast<std::uint32_t>(mc_pool_.size());
  mc_pool_.push_back(l);
  mc_pool_.back().round = static_cast<std::uint8_t>(k);
  bag.push_back(idx);
  if (mc_touched_flag_[s] == 0U) {
    mc_touched_flag_[s] = 1U;
    mc_touched_.push_back(l.stop);
  }
  if (mc_next_[s].empty()) mc_next_stops_.push_back(l.stop);
  mc_next_[s].push_back(idx);
  if (l.ride) mc_ride_new_.push_back(idx);
  if (is_target(l.stop)) {
    mc_target t;
    t.label = idx;
    mc_target_insert(k, l.arr, l.walk, t);
  }
  return true;
}

void router::walk_pareto(place const& from, place const& to, date_t date, seconds_t depart, options const& opt,
                         std::vector<walk_pareto_entry>& out) {
  // As in search(): the next days' trips only when nothing arrives before they could.
  walk_pareto_pass(from, to, date, depart, opt, true, out);
  if (n_scan_offsets_ == n_offsets_) return;
  auto const arrives_early = [&](walk_pareto_entry const& e) { return e.arrival < next_day_bound(); };
  if (std::any_of(out.begin(), out.end(), arrives_early)) return;
  walk_pareto_pass(from, to, date, depart, opt, false, out);
}

void router::walk_pareto_pass(place const& from, place const& to, date_t date, seconds_t depart, options const& opt,
                              bool one_day_first, std::vector<walk_pareto_entry>& out) {
  out.clear();
  // McRAPTOR plans on the timetable: its bags read the timetable's times (see router.h).
  auto timetable_only = opt;
  timetable_only.realtime = nullptr;
  init_query<true>(from, to, date, timetable_only, one_day_first);
  if (mc_bag_ride_.size() != n_stops_) {
    mc_bag_ride_.resize(n_stops_);
    mc_bag_foot_.resize(n_stops_);
    mc_new_.resize(n_stops_);
    mc_next_.resize(n_stops_);
    mc_touched_flag_.assign(n_stops_, 0U);
  }
  for (auto const s : mc_touched_) {
    mc_bag_ride_[s.v()].clear();
    mc_bag_foot_[s.v()].clear();
    mc_new_[s.v()].clear();
    mc_next_[s.v()].clear();
    mc_touched_flag_[s.v()] = 0U;
  }
  mc_touched_.clear();
  mc_new_stops_.clear();
  mc_next_stops_.clear();
  mc_pool_.clear();
  mc_targets_.clear();
  mc_ride_new_.clear();
  mc_start_ = depart;
  auto const valid = [&](place const& p) { return !p.is_stop() || p.stop.v() < n_stops_; };
  if (!valid(from) || !valid(to)) return;

  // Round 0: the origin and the ways out of it; walking counts, an extra edge does not.
  auto origin_idx = none;
  for_each_access<true>(from, [&](foot_parent const& p, stop_idx s) {
    mc_label l;
    l.arr = depart + static_cast<seconds_t>(p.duration);
    l.walk = p.extra != 0U ? 0 : static_cast<seconds_t>(p.duration);
    l.parent = p.from.valid() ? origin_idx : none;
    l.stop = s;
    l.via = p;
    if (mc_insert(0, l) && p.origin) origin_idx = static_cast<std::uint32_t>(mc_pool_.size() - 1U);
  });
  if (target_is_coord_) {
    for_each_direct_walk(from, to.coord, [&](stop_idx s, double d) {
      auto const dur = walk_seconds(d, speed_);
      mc_target t;
      t.duration = dur;
      t.distance_m = static_cast<float>(d);
      t.walk_from = s;
      mc_target_insert(0, depart + static_cast<seconds_t>(dur), static_cast<seconds_t>(dur), t);
    });
  }
  mc_ride_new_.clear();

  for (auto k = 1U; k <= max_k_; ++k) {
    std::swap(mc_new_, mc_next_);
    std::swap(mc_new_stops_, mc_next_stops_);
    if (mc_new_stops_.empty()) break;

    for (auto const s : mc_new_stops_) {
      for (auto const [r, pos] : idx_.occurrences(s)) mark_route(r, pos);
    }
    for (auto const r : routes_) {
      auto const stops = tt_.route_stops[r];
      auto const flags = tt_.route_stop_flags[r];
      auto const n = static_cast<std::uint32_t>(stops.size());
      auto const times = idx_.times(r);
      auto const nt = times.n_trips;
      auto const* const arr = times.arr_by_stop;
      auto const* const dep = times.dep_by_stop;
      auto const first = tt_.route_first_trip[r];
      auto const end = route_end_[r.v()];
      mc_route_bag_.clear();
      for (auto pos = route_start_[r.v()]; pos < n; ++pos) {
        auto const s = stops[pos];
        if (mc_route_bag_.empty() && pos > end) break;
        if (!mc_route_bag_.empty() && (flags[pos] & no_dropoff) == 0U && stop_ok(s)) {
          for (auto x = 0U; x < mc_route_bag_.size(); ++x) {
            auto const rl = mc_route_bag_[x];
            auto const off = offsets_[rl.offset_idx] * seconds_per_day;
            mc_label l;
            l.arr = arr[pos * nt + rl.trip_in_route] + off;
            l.walk = rl.walk;
            l.parent = rl.parent;
            l.stop = s;
            l.ride = true;
            l.trip = trip_idx{first.v() + rl.trip_in_route};
            l.enter_pos = rl.enter_pos;
            l.exit_pos = pos;
            l.offset = static_cast<std::int8_t>(offsets_[rl.offset_idx]);
            mc_insert(k, l);
          }
        }
        if (pos > end || mc_new_[s.v()].empty() || (flags[pos] & no_pickup) != 0U || !stop_ok(s)) continue;
        for (auto const idx : mc_new_[s.v()]) {
          auto const& lab = mc_pool_[idx];
          if (lab.dead) continue;
          auto const ready = lab.ride ? lab.arr + change_time(s) : lab.arr;
          auto const walk = lab.walk;
          for (auto o = 0U; o < n_scan_offsets_; ++o) {
            auto const off = offsets_[o] * seconds_per_day;
            auto const* const span = dep + pos * nt;
            auto i = static_cast<std::uint32_t>(std::lower_bound(span, span + nt, ready - off) - span);
            while (i < nt && !trip_ok(first.v() + i, o)) ++i;
            if (i == nt) continue;
            auto dominated = false;
            for (auto const& rl : mc_route_bag_) {
              if (rl.offset_idx == o && rl.trip_in_route <= i && rl.walk <= walk) dominated = true;
            }
            if (dominated) continue;
            std::erase_if(mc_route_bag_, [&](mc_route_label const& rl) {
              return rl.offset_idx == o && rl.trip_in_route >= i && rl.walk >= walk;
            });
            mc_route_bag_.push_back({o, i, pos, walk, idx});
          }
        }
      }
      route_start_[r.v()] = none;
    }
    routes_.clear();

    // Walks after this round's rides.
    for (auto x = 0U; x < mc_ride_new_.size(); ++x) {
      auto const idx = mc_ride_new_[x];
      auto const lab = mc_pool_[idx];
      if (lab.dead) continue;
      auto const walk_to = [&](stop_idx t, std::uint32_t dur, float dist, walk_kind kind) {
        mc_label l;
        l.arr = lab.arr + static_cast<seconds_t>(dur);
        l.walk = lab.walk + static_cast<seconds_t>(dur);
        l.parent = idx;
        l.stop = t;
        l.via = foot_parent{lab.stop, dur, dist, kind, false, 0U};
        mc_insert(k, l);
      };
      if (use_fp_) {
        for (auto const& fp : tt_.stop_footpaths[lab.stop])
          walk_to(fp.target, fp.duration_s, 0.0F, walk_kind::footpath);
      }
      if (radius_ > 0.0) {
        for (auto w = wl_off_[lab.stop.v()]; w < wl_off_[lab.stop.v() + 1]; ++w) {
          walk_to(wl_[w].target, wl_[w].dur, wl_[w].dist, walk_kind::walk_link);
        }
      }
      if (target_is_coord_ && egress_[lab.stop.v()] != inf) {
        mc_target t;
        t.label = idx;
        t.egress = true;
        t.duration = static_cast<std::uint32_t>(egress_[lab.stop.v()]);
        t.distance_m = egress_dist_[lab.stop.v()];
        t.extra = egress_extra_[lab.stop.v()];
        auto const walked = t.extra != 0U ? 0 : egress_[lab.stop.v()];
        mc_target_insert(k, lab.arr + egress_[lab.stop.v()], lab.walk + walked, t);
      }
    }
    mc_ride_new_.clear();
    for (auto const s : mc_new_stops_) mc_new_[s.v()].clear();
    mc_new_stops_.clear();
  }
  for (auto const s : mc_next_stops_) mc_next_[s.v()].clear();
  mc_next_stops_.clear();

  std::sort(mc_targets_.begin(), mc_targets_.end(), [](mc_target const& a, mc_target const& b) {
    return std::tie(a.e.legs, a.e.arrival, a.e.walk_s) < std::tie(b.e.legs, b.e.arrival, b.e.walk_s);
  });
  for (auto const& t : mc_targets_) out.push_back(t.e);
}

bool router::reconstruct_walk_pareto(std::size_t i, journey& out) const {
  out.legs.clear();
  out.rides = 0;
  if (i >= mc_targets_.size()) return false;
  auto const& t = mc_targets_[i];
  if (t.label == none) {
    out.legs.push_back(make_walk_leg(t.walk_from, stop_idx::invalid(), t.duration, t.distance_m, walk_kind::direct));
  } else if (t.egress) {
    out.legs.push_back(make_walk_leg(mc_pool_[t.label].stop, stop_idx::invalid(), t.duration, t.distance_m,
                                     walk_kind::egress, t.extra, &to_));
  }
  for (auto idx = t.label; idx != none;) {
    auto const& l = mc_pool_[idx];
    if (l.via.origin) break;
    if (l.ride) {
      out.legs.push_back(make_ride_leg(l.trip, l.enter_pos, l.exit_pos, l.offset));
      ++out.rides;
    } else {
      out.legs.push_back(
          make_walk_leg(l.via.from, l.stop, l.via.duration, l.via.distance_m, l.via.kind, l.via.extra, &from_));
    }
    idx = l.parent;
  }
  std::reverse(out.legs.begin(), out.legs.end());
  finish_journey(out, true, mc_start_);
  return true;
}

}  // namespace nebuta::raptor
