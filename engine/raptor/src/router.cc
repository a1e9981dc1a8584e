// The router's setup per query and the two single searches: what the options and the places
// make of the scratch state before the rounds run (rounds.cc).
#include "nebuta/raptor/router.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <utility>

#include "for_each_access.h"
#include "internal.h"

namespace nebuta::raptor {

using detail::inf;
using detail::no_dropoff;
using detail::no_pickup;
using detail::sat_add;
using detail::walk_seconds;

template <bool Fwd>
void router::prepare_lb() {
  lb_ = lb_zero_.data();
  auto const& g = idx_.lb_graph();
  if (!g.valid() || speed_ > lower_bound_graph::walk_speed_mps || radius_ > lower_bound_graph::walk_radius_m) return;
  if (literal_ ? slack_ < 0 : default_change_ < 0) return;  // the bound ignores change times
  lb_seeds_.clear();
  if (!target_is_coord_) {
    if (target_stops_.empty()) return;
    if constexpr (Fwd) {
      if (auto const row = g.to_stop(target_stop_); target_stops_.size() == 1 && !row.empty()) {
        lb_ = row.data();
        if (rt_ != nullptr) prepare_rt_lb();  // the table's row lowered as the sweep's below
        return;
      }
    }
    // Every stop of a set (backward: of the origin; the backward passes of tight journeys all
    // start there, and the cache below keeps their bounds).
    for (auto const t : target_stops_) lb_seeds_.push_back({t, 0U});
  } else {
    for (auto const e : egress_stops_) lb_seeds_.push_back({e, static_cast<std::uint32_t>(egress_[e.v()])});
  }
  auto& cache = lb_cache_[Fwd ? 0U : 1U];
  if (!cache.valid || lb_seeds_ != cache.seeds) {
    cache.values.compute(g, Fwd ? lb_direction::to_seeds : lb_direction::from_seeds, lb_seeds_);
    cache.seeds = lb_seeds_;
    cache.valid = true;
  }
  lb_ = cache.values.values().data();
  if (rt_ != nullptr) prepare_rt_lb();
}

template <bool Fwd>
void router::prepare_rides(unsigned k) {
  // A realtime overlay's extra routes are not in the index: no bound then.
  if (rt_ != nullptr) return;
  rides_foot_seeds_.clear();
  rides_ride_seeds_.clear();
  if (!target_is_coord_) {
    if (target_stops_.empty()) return;
    rides_foot_seeds_ = target_stops_;  // every stop of a set
    rides_ride_seeds_ = target_stops_;
  }
  // The stops with this query's walk to the target (or the coordinate's egress stops).
  rides_ride_seeds_.insert(rides_ride_seeds_.end(), to_target_stops_.begin(), to_target_stops_.end());
  // In round k and later a label is kept with at most max_k_ - k rides to go, and a marked stop
  // boards with max_k_ + 1 - k: deeper values change nothing.
  auto const depth = max_k_ + 1U - std::min(k, max_k_ + 1U);
  auto& cache = rides_cache_[Fwd ? 0U : 1U];
  if (!cache.valid || cache.max_level < depth || cache.footpaths != use_fp_ || cache.radius != radius_ ||
      rides_foot_seeds_ != cache.foot_seeds || rides_ride_seeds_ != cache.ride_seeds) {
    cache.values.compute(idx_, Fwd, rides_foot_seeds_, rides_ride_seeds_, depth, use_fp_, radius_);
    cache.footpaths = use_fp_;
    cache.radius = radius_;
    cache.foot_seeds = rides_foot_seeds_;
    cache.ride_seeds = rides_ride_seeds_;
    cache.max_level = depth;
    cache.valid = true;
  }
  rides_ride_ = cache.values.ride();
  rides_foot_ = cache.values.foot();
}
template void router::prepare_rides<true>(unsigned);  // rounds.cc
template void router::prepare_rides<false>(unsigned);

router::router(index const& idx) : idx_{idx}, tt_{idx.tt()}, n_stops_{idx.n_stops()} {
  rides_zero_.assign(n_stops_, 0U);
  rides_ride_ = rides_foot_ = rides_zero_.data();
  rides_round_ = n_stops_ >= rides_min_stops ? default_rides_round : 0U;
  lb_zero_.assign(n_stops_, 0U);
  lb_seeds_.reserve(n_stops_);
  for (auto& c : lb_cache_) c.seeds.reserve(n_stops_);
  lb_ = lb_zero_.data();

  best_ride_.assign(n_stops_, inf);
  best_foot_.assign(n_stops_, inf);
  ready_.assign(n_stops_, inf);
  touched_flag_.assign(n_stops_, 0U);
  marked_.assign(n_stops_, 0U);
  next_marked_.assign(n_stops_, 0U);
  ride_improved_flag_.assign(n_stops_, 0U);
  route_start_.assign(tt_.n_routes(), none);
  route_end_.assign(tt_.n_routes(), 0U);
  route_key_.assign(tt_.n_routes(), 0);
  target_routes_.reserve(tt_.n_routes());
  egress_.assign(n_stops_, inf);
  to_target_.assign(n_stops_, inf);
  egress_dist_.assign(n_stops_, 0.0F);
  egress_extra_.assign(n_stops_, 0U);
  target_flag_.assign(n_stops_, 0U);
  touched_.set_capacity(n_stops_);
  marked_list_.set_capacity(n_stops_);
  next_marked_list_.set_capacity(n_stops_);
  ride_improved_.set_capacity(n_stops_);
  routes_.set_capacity(tt_.n_routes());
  pareto_.reserve(max_legs_limit + 1);
  ensure_rounds(9);
}

std::size_t router::memory_bytes() const {
  auto const bytes = [](auto const& v) { return v.capacity() * sizeof(v[0]); };
  auto n = bytes(lb_zero_) + bytes(lb_seeds_) + bytes(link_dur_) + bytes(wl_off_) + bytes(wl_) + bytes(ride_) +
           bytes(foot_) + bytes(ride_parent_) + bytes(foot_parent_) + bytes(best_ride_) + bytes(best_foot_) +
           bytes(ready_) + bytes(touched_flag_) + touched_.memory_bytes() + bytes(marked_) + bytes(next_marked_) +
           bytes(ride_improved_flag_) + marked_list_.memory_bytes() + next_marked_list_.memory_bytes() +
           ride_improved_.memory_bytes() + written_.memory_bytes() + bytes(route_start_) + bytes(route_end_) +
           routes_.memory_bytes() + bytes(route_key_) + bytes(target_routes_) + bytes(to_target_) +
           bytes(to_target_stops_) + bytes(egress_) + bytes(egress_dist_) + bytes(egress_extra_) +
           bytes(egress_stops_) + bytes(target_flag_) + bytes(target_stops_) + bytes(pareto_) + bytes(mc_pool_) +
           bytes(mc_bag_ride_) + bytes(mc_bag_foot_) + bytes(mc_new_) + bytes(mc_next_) + bytes(mc_new_stops_) +
           bytes(mc_next_stops_) + bytes(mc_touched_) + bytes(mc_touched_flag_) + bytes(mc_route_bag_) +
           bytes(mc_targets_) + bytes(mc_ride_new_) + bytes(range_deps_) + bytes(seated_pool_) + bytes(seat_round_) +
           bytes(seat_touched_) + bytes(seat_lead_) + bytes(seat_lead_touched_) + seated_routes_.memory_bytes();
  for (auto const& c : lb_cache_) n += c.values.memory_bytes() + bytes(c.seeds);
  for (auto const& a : activity_) {
    n += bytes(a.runs) + bytes(a.trips) + bytes(a.n) + bytes(a.dep) + bytes(a.arr) + bytes(a.rt_blocks);
  }
  n += bytes(extra_start_) + bytes(extras_) + bytes(lb_rt_);
  n += bytes(first_ride_) + bytes(first_foot_) + first_written_.memory_bytes();  // tight.cc
  for (auto const* bags : {&mc_bag_ride_, &mc_bag_foot_, &mc_new_, &mc_next_}) {
    for (auto const& b : *bags) n += bytes(b);
  }
  return n;
}

void router::ensure_rounds(unsigned rounds) {
  if (rounds <= rounds_cap_) return;
  auto const n = static_cast<std::size_t>(rounds) * n_stops_;
  ride_.resize(n, inf);
  foot_.resize(n, inf);
  ride_parent_.resize(n);
  foot_parent_.resize(n);
  written_.set_capacity(2 * n);  // each entry of ride_ and foot_ at most once
  rounds_cap_ = rounds;
}

void router::prepare_walk_durations(double speed) {
  if (speed == link_dur_speed_) return;
  auto const dist = idx_.link_distances();
  link_dur_.resize(dist.size());
  for (auto i = 0U; i < dist.size(); ++i) link_dur_[i] = walk_seconds(dist[i], speed);
  link_dur_speed_ = speed;
}

void router::prepare_walk_links(double radius, double speed) {
  if (radius == wl_radius_ && speed == wl_speed_) return;
  auto const& links = tt_.stop_walk_links;
  wl_off_.assign(n_stops_ + 1, 0U);
  wl_.clear();
  for (auto s = stop_idx{0}; s.v() < n_stops_; ++s) {
    if (s.v() < links.size()) {
      auto const base = links.raw_offsets()[s.v()];
      auto const ls = links[s];
      for (auto j = 0U; j < ls.size(); ++j) {
        if (ls[j].distance_m > radius + 1.0) break;
        auto const d = idx_.link_distances()[base + j];
        if (d > radius) continue;
        wl_.push_back({ls[j].target, link_dur_[base + j], static_cast<float>(d)});
      }
    }
    wl_off_[s.v() + 1] = static_cast<std::uint32_t>(wl_.size());
    // Shortest first, so that relax_footpaths can stop at the first link past the bound.
    std::stable_sort(wl_.begin() + wl_off_[s.v()], wl_.end(), [](auto const& a, auto const& b) { return a.dur < b.dur; });
  }
  wl_radius_ = radius;
  wl_speed_ = speed;
}

void router::prepare_active() {
  auto& a = activity_[(fwd_ ? 0U : 1U) + (rt_ != nullptr ? 2U : 0U)];
  act_ = &a;
  auto const n_trips = tt_.n_trips();
  auto const rt_serial = rt_ != nullptr ? rt_->serial() : 0U;
  if (a.day == day_ && a.n_offsets == n_offsets_ && a.offsets == offsets_ && a.wheelchair == wheelchair_ &&
      a.wheelchair_unknown_ok == wheelchair_unknown_ok_ && a.runs.size() == n_trips && a.rt_serial == rt_serial) {
    return;
  }
  a.runs.assign(n_trips, 0U);
  for (auto t = trip_idx{0}; t.v() < n_trips; ++t) {
    if (wheelchair_) {
      auto const w = tt_.trip_wheelchair_accessible[t];
      if (w != 1U && (w != 0U || !wheelchair_unknown_ok_)) continue;
    }
    auto bits = 0U;
    for (auto o = 0U; o < n_offsets_; ++o) {
      if (tt_.trip_active(t, day_ + offsets_[o])) bits |= 1U << o;
    }
    a.runs[t.v()] = static_cast<std::uint8_t>(bits);
  }
  a.rt_serial = rt_serial;
  a.first_departure = idx_.first_departure();
  a.rt_blocks.clear();
  if (rt_ != nullptr) prepare_rt_activity(a);  // realtime blocks; removed trips do not run
  // Per offset and route, the trips running that day in route order: route scans then board by
  // binary search over these alone instead of skipping inactive trips one by one.
  auto const n_routes = tt_.n_routes();
  a.trips.resize(static_cast<std::size_t>(n_offsets_) * n_trips);
  a.n.resize(static_cast<std::size_t>(n_offsets_) * n_routes);
  auto const n_rs = tt_.route_stops.total();
  a.dep.resize(static_cast<std::size_t>(n_offsets_) * n_rs);
  a.arr.resize(static_cast<std::size_t>(n_offsets_) * n_rs);
  for (auto o = 0U; o < n_offsets_; ++o) {
    auto* const lst = a.trips.data() + static_cast<std::size_t>(o) * n_trips;
    for (auto r = route_idx{0}; r.v() < n_routes; ++r) {
      auto const first = tt_.route_first_trip[r].v();
      auto m = 0U;
      for (auto i = 0U; i < tt_.route_n_trips[r]; ++i) {
        if (((a.runs[first + i] >> o) & 1U) != 0U) lst[first + m++] = i;
      }
      a.n[static_cast<std::size_t>(o) * n_routes + r.v()] = m;
      if (m == 0U) continue;
      auto const nt = tt_.route_n_trips[r];
      auto const n = tt_.route_stops[r].size();
      auto const rs = static_cast<std::size_t>(tt_.route_stops.raw_offsets()[r.v()]);
      auto const tm = times_on(r, idx_.times(r), o);
      auto const* const arr = tm.arr_by_stop;
      auto const* const dep = tm.dep_by_stop;
      auto const lo = lst[first], hi = lst[first + m - 1];
      for (auto p = 0U; p < n; ++p) {
        a.dep[(rs + p) * n_offsets_ + o] = {dep[p * nt + lo], dep[p * nt + hi]};
        a.arr[(rs + p) * n_offsets_ + o] = {arr[p * nt + lo], arr[p * nt + hi]};
      }
    }
  }
  a.day = day_;
  a.offsets = offsets_;
  a.n_offsets = n_offsets_;
  a.wheelchair = wheelchair_;
  a.wheelchair_unknown_ok = wheelchair_unknown_ok_;
}

void router::clear_labels(detail::fixed_list<std::uint32_t>& written, std::vector<seconds_t>& ride,
                          std::vector<seconds_t>& foot) {
  for (auto const i : written) {
    if ((i & written_foot) != 0U) {
      foot[i & ~written_foot] = inf;
    } else {
      ride[i] = inf;
    }
  }
  written.clear();
}

void router::reset() {
  for (auto const s : touched_) {
    best_ride_[s.v()] = inf;
    best_foot_[s.v()] = inf;
    touched_flag_[s.v()] = 0U;
  }
  touched_.clear();
  clear_labels(written_, ride_, foot_);
  target_best_ = inf;
  pending_ = inf;
  target_round_.fill(inf);
  target_parent_.fill(target_parent{});
  pareto_.clear();
  for (auto const i : seat_touched_) seat_round_[i] = 0U;
  seat_touched_.clear();
  seated_pool_.clear();
}

template <bool Fwd>
void router::init_query(place const& from, place const& to, date_t date, options const& opt, bool one_day_first) {
  fwd_ = Fwd;
  day_ = (date - tt_.first_date).count();
  rt_ = opt.realtime;
  literal_ = opt.gtfs_literal;
  wheelchair_ = opt.wheelchair;
  wheelchair_unknown_ok_ = opt.wheelchair_unknown_ok;
  use_fp_ = opt.transfers_txt_footpaths || opt.gtfs_literal;
  seated_ = opt.stay_seated && idx_.n_seated_links() != 0U;
  if (seated_ && seat_round_.empty()) {
    seat_round_.assign(tt_.n_trips() * static_cast<std::size_t>(seated_slots), 0U);
    seat_touched_.reserve(seat_round_.size());
    seat_lead_.assign(tt_.n_routes() * static_cast<std::size_t>(seated_slots), none);
    seat_lead_touched_.reserve(seat_lead_.size());
    seated_routes_.set_capacity(tt_.n_routes());
  }
  radius_ = std::min(opt.walk_radius_m, static_cast<double>(tt_.walk_link_radius_m));
  if (radius_ < 0.0) radius_ = 0.0;
  speed_ = opt.walk_speed_mps > 0.0 ? opt.walk_speed_mps : 1.2;
  max_walk_ = opt.max_walk_m;
  slack_ = opt.transfer_slack_s;
  default_change_ = opt.default_min_change_s;
  max_k_ = std::min(opt.max_legs, max_legs_limit);
  rides_ride_ = rides_foot_ = rides_zero_.data();
  from_ = from;
  to_ = to;
  if (radius_ > 0.0) {
    prepare_walk_durations(speed_);
    prepare_walk_links(radius_, speed_);
  }
  n_offsets_ = 0;
  auto const extra = literal_ ? 0U : std::min(opt.extra_days, max_extra_days);
  if constexpr (Fwd) {
    for (auto o = -1; o <= static_cast<int>(extra); ++o) offsets_[n_offsets_++] = o;
  } else {
    for (auto o = -1 - static_cast<int>(extra); o <= 0; ++o) offsets_[n_offsets_++] = o;
  }
  n_scan_offsets_ = Fwd && one_day_first ? std::min(n_offsets_, 2U) : n_offsets_;

  prepare_active();
  if (rt_ != nullptr) prepare_extras();
  reset();
  ensure_rounds(max_k_ + 1);
  direct_walk_s_ = -1;

  for (auto const s : egress_stops_) egress_[s.v()] = inf;
  egress_stops_.clear();
  auto const& dst = Fwd ? to : from;
  target_is_coord_ = !dst.is_stop();
  target_stop_ = dst.stop;
  for (auto const t : target_stops_) target_flag_[t.v()] = 0U;
  target_stops_.clear();
  for (auto const t : dst.stop_set()) {
    if (t.v() >= n_stops_ || target_flag_[t.v()] != 0U) continue;
    target_flag_[t.v()] = 1U;
    target_stops_.push_back(t);
  }
  if (target_is_coord_) {
    // The same edges as leaving the destination in the other direction: the walks within
    // max_walk_m and the place's extra edges; the fastest per stop.
    for_each_access<!Fwd>(dst, [&](foot_parent const& p, stop_idx s) {
      auto const d = static_cast<seconds_t>(p.duration);
      if (egress_[s.v()] == inf) egress_stops_.push_back(s);
      if (d >= egress_[s.v()]) return;
      egress_[s.v()] = d;
      egress_dist_[s.v()] = p.distance_m;
      egress_extra_[s.v()] = p.extra;
    });
  }
  prepare_lb<Fwd>();
  // Routes through the target (or the stops walking to the target coordinate) are probed
  // first in each round (probe_route), and a ride to a stop with a footpath or walking link to the target
  // bounds the search at once (pending_), not only after the round's footpaths: the sooner a
  // bound is known, the more it prunes.
  for (auto const r : target_routes_) route_key_[r.v()] = 0;
  target_routes_.clear();
  for (auto const s : to_target_stops_) to_target_[s.v()] = inf;
  to_target_stops_.clear();
  auto const flag_routes = [&](stop_idx s) {
    for (auto const& o : idx_.occurrences(s)) {
      if (route_key_[o.r.v()] == 0) {
        route_key_[o.r.v()] = 1;
        target_routes_.push_back(o.r);
      }
    }
  };
  auto const to_target = [&](stop_idx s, seconds_t d) {
    if (to_target_[s.v()] == inf) to_target_stops_.push_back(s);
    to_target_[s.v()] = std::min(to_target_[s.v()], d);
  };
  if (!target_is_coord_) {
    for (auto const t : target_stops_) {
      flag_routes(t);
      // Exactly the footpaths relax_footpaths<Fwd> takes from a stop to t.
      if (use_fp_) {
        if constexpr (Fwd) {
          for (auto const& fp : idx_.footpaths_into(t)) to_target(fp.target, static_cast<seconds_t>(fp.duration_s));
        } else {
          for (auto const& fp : tt_.stop_footpaths[t]) {
            to_target(fp.target, static_cast<seconds_t>(fp.duration_s));
          }
        }
      }
      if (radius_ > 0.0) {
        for (auto x = wl_off_[t.v()]; x < wl_off_[t.v() + 1]; ++x) {
          auto const u = wl_[x].target;
          for (auto y = wl_off_[u.v()]; y < wl_off_[u.v() + 1]; ++y) {
            if (wl_[y].target == t) to_target(u, static_cast<seconds_t>(wl_[y].dur));
          }
        }
      }
    }
  } else {
    for (auto const e : egress_stops_) {
      flag_routes(e);
      to_target(e, egress_[e.v()]);
    }
  }
}

template void router::init_query<true>(place const&, place const&, date_t, options const&, bool);

template <bool Fwd>
result router::search(place const& from, place const& to, date_t date, seconds_t t, options const& opt, seconds_t known) {
  // A known journey bounds the search like one found in it: keys up to its own survive.
  auto const known_bound = known == inf ? inf : (Fwd ? known : -known) + 1;
  init_query<Fwd>(from, to, date, opt, true);
  pending_ = known_bound;
  auto const valid = [&](place const& p) { return !p.is_stop() || p.stop.v() < n_stops_; };
  if (!valid(from) || !valid(to)) return {};
  if (Fwd && n_scan_offsets_ != n_offsets_) {
    // The next days' trips only matter when nothing arrives before the first of them could
    // (every journey using one arrives at next_day_bound() or later): searching without them
    // first keeps the common query as cheap as a one-day search. Journeys of the next day with
    // fewer legs are then not offered beside today's.
    start<Fwd>(from, to, t);
    run_rounds<Fwd>();
    if (!pareto_.empty() && pareto_.back().time < next_day_bound()) return make_result();
    init_query<Fwd>(from, to, date, opt);
    pending_ = known_bound;
  }
  start<Fwd>(from, to, Fwd ? t : -t);
  run_rounds<Fwd>();
  return make_result();
}

result router::make_result() const {
  result res;
  if (!pareto_.empty()) {
    res.reachable = true;
    res.time = pareto_.back().time;
    res.legs = pareto_.back().legs;
  }
  res.pareto = pareto_;
  return res;
}

result router::earliest_arrival(place const& from, place const& to, date_t date, seconds_t depart, options const& opt,
                                seconds_t known) {
  return search<true>(from, to, date, depart, opt, known);
}

result router::latest_departure(place const& from, place const& to, date_t date, seconds_t arrive_by,
                                options const& opt, seconds_t known) {
  return search<false>(from, to, date, arrive_by, opt, known);
}

}  // namespace nebuta::raptor
