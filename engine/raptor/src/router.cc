#include "nebuta/raptor/router.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <mutex>
#include <tuple>
#include <utility>

namespace nebuta::raptor {

namespace {

constexpr seconds_t inf = unreachable_time;

seconds_t sat_add(seconds_t a, std::int64_t d) {
  return a == inf ? inf : static_cast<seconds_t>(a + d);
}

std::uint32_t walk_seconds(double distance_m, double speed) {
  return static_cast<std::uint32_t>(std::ceil(distance_m / speed));
}

constexpr auto no_pickup = static_cast<std::uint8_t>(route_stop_flags::no_pickup);
constexpr auto no_dropoff = static_cast<std::uint8_t>(route_stop_flags::no_dropoff);

}  // namespace

// Lower bounds for target pruning. Built from the timetable alone, so that one table serves
// every option set: ride edges take the minimum time between two consecutive stops of a route
// over all its trips (whatever day or accessibility), footpaths and walking links are all
// included (walking links both ways, at walk_speed, rounded down), change times count 0.
// Every journey any query can make is a path of this graph at least as long, so
// arrival(s) + d[t][s] never exceeds the arrival at t of a journey continuing from s.
struct router::lb_table {
  // 17 MiB at most; built in about 0.25 ms per stop (Tampa: 2,349 stops, 11 MiB, ~0.5 s).
  static constexpr std::size_t max_stops = 3000;
  static constexpr double walk_speed = 1.2;        // valid for queries walking at most this fast
  static constexpr double walk_radius = 400.0;     // ... on walking links at most this long
  timetable const* tt{nullptr};
  std::size_t n_stops{0}, n_routes{0}, n_trips{0}, n_route_stops{0}, n_times{0};
  date_t first_date{};
  std::uint64_t hash{0};
  std::vector<std::uint16_t> d;  // [t * n_stops + s]: lower bound s -> t, clamped to 65,535

  // What the bounds depend on, so that a new timetable at the address of a destroyed one is
  // not taken for it.
  static std::uint64_t content_hash(timetable const& x) {
    auto h = std::uint64_t{0x9E3779B97F4A7C15ULL};
    auto const mix = [&](std::uint64_t v) { h = (h ^ v) * 0x100000001B3ULL + (h >> 29U); };
    for (auto const v : x.arrivals) mix(static_cast<std::uint32_t>(v));
    for (auto const v : x.departures) mix(static_cast<std::uint32_t>(v));
    for (auto const v : x.route_stops.raw_data()) mix(v.v());
    for (auto s = stop_idx{0}; s.v() < x.n_stops(); ++s) {
      for (auto const& fp : x.stop_footpaths[s]) mix((std::uint64_t{fp.target.v()} << 32U) | fp.duration_s);
    }
    for (auto const& l : x.stop_walk_links.raw_data()) mix(l.target.v());
    return h;
  }
  bool same(timetable const& x, std::uint64_t x_hash) const {
    return tt == &x && n_stops == x.n_stops() && n_routes == x.n_routes() &&
           n_trips == x.n_trips() && n_route_stops == x.route_stops.total() &&
           n_times == x.arrivals.size() && first_date == x.first_date && hash == x_hash;
  }
};

std::shared_ptr<router::lb_table const> router::shared_lb_table(
    timetable const& tt, std::vector<double> const& link_dist) {
  auto const n = tt.n_stops();
  if (n == 0U || n > lb_table::max_stops) return nullptr;
  auto const hash = lb_table::content_hash(tt);
  static std::mutex mutex;
  static std::vector<std::weak_ptr<lb_table const>> tables;
  std::lock_guard const lock{mutex};
  std::erase_if(tables, [](auto const& w) { return w.expired(); });
  for (auto const& w : tables) {
    if (auto t = w.lock(); t && t->same(tt, hash)) return t;
  }

  // Edges u -> v as (v, u, w), deduplicated to the minimum, then by head v for a Dijkstra
  // from each target over reversed edges.
  struct edge {
    std::uint32_t v, u, w;
  };
  std::vector<edge> edges;
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const stops = tt.route_stops[r];
    auto const nt = tt.route_n_trips[r];
    if (nt == 0U) continue;
    for (auto p = 0U; p + 1 < stops.size(); ++p) {
      if (stops[p] == stops[p + 1]) continue;
      auto const deps = tt.route_departures_at(r, p);
      auto const arrs = tt.route_arrivals_at(r, p + 1);
      auto w = std::numeric_limits<std::int64_t>::max();
      for (auto i = 0U; i < nt; ++i) w = std::min(w, std::int64_t{arrs[i]} - deps[i]);
      if (w < 0) return nullptr;  // not a timetable the bound holds for
      edges.push_back({stops[p + 1].v(), stops[p].v(),
                       static_cast<std::uint32_t>(std::min<std::int64_t>(w, 0xFFFF))});
    }
  }
  for (auto s = stop_idx{0}; s.v() < n; ++s) {
    for (auto const& fp : tt.stop_footpaths[s]) {
      edges.push_back({fp.target.v(), s.v(), std::min<std::uint32_t>(fp.duration_s, 0xFFFF)});
    }
  }
  for (auto s = stop_idx{0}; s.v() < tt.stop_walk_links.size(); ++s) {
    auto const base = tt.stop_walk_links.raw_offsets()[s.v()];
    auto const links = tt.stop_walk_links[s];
    for (auto j = 0U; j < links.size(); ++j) {
      if (links[j].distance_m > lb_table::walk_radius + 1.0) break;  // nearest first
      if (link_dist[base + j] > lb_table::walk_radius) continue;
      // Rounded down, with a margin against the last bit of the distance in either direction.
      auto const w = static_cast<std::uint32_t>(
          std::min(std::floor(link_dist[base + j] * (1.0 - 1e-9) / lb_table::walk_speed), 65535.0));
      edges.push_back({links[j].target.v(), s.v(), w});
      edges.push_back({s.v(), links[j].target.v(), w});
    }
  }
  std::sort(edges.begin(), edges.end(), [](edge const& a, edge const& b) {
    return std::tie(a.v, a.u, a.w) < std::tie(b.v, b.u, b.w);
  });
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](edge const& a, edge const& b) { return a.v == b.v && a.u == b.u; }),
              edges.end());
  std::vector<std::uint32_t> off(n + 1, 0U);
  for (auto const& e : edges) ++off[e.v + 1];
  for (auto i = 1U; i <= n; ++i) off[i] += off[i - 1];

  auto table = std::make_shared<lb_table>();
  table->tt = &tt;
  table->n_stops = n;
  table->n_routes = tt.n_routes();
  table->n_trips = tt.n_trips();
  table->n_route_stops = tt.route_stops.total();
  table->n_times = tt.arrivals.size();
  table->first_date = tt.first_date;
  table->hash = hash;
  table->d.assign(n * n, 0xFFFF);
  std::vector<std::uint32_t> dist(n);
  std::vector<std::uint64_t> heap;  // (distance << 32) | stop, min-heap
  for (auto t = 0U; t < n; ++t) {
    std::fill(dist.begin(), dist.end(), std::numeric_limits<std::uint32_t>::max());
    auto* const row = table->d.data() + static_cast<std::size_t>(t) * n;
    dist[t] = 0;
    heap.clear();
    heap.push_back(t);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
      auto const top = heap.back();
      heap.pop_back();
      auto const dv = static_cast<std::uint32_t>(top >> 32U);
      auto const v = static_cast<std::uint32_t>(top);
      if (dv != dist[v]) continue;
      if (dv >= 0xFFFFU) break;  // everything further is clamped anyway
      row[v] = static_cast<std::uint16_t>(dv);
      for (auto i = off[v]; i < off[v + 1]; ++i) {
        auto const& e = edges[i];
        auto const du = dv + e.w;
        if (du < dist[e.u]) {
          dist[e.u] = du;
          heap.push_back((std::uint64_t{du} << 32U) | e.u);
          std::push_heap(heap.begin(), heap.end(), std::greater<>{});
        }
      }
    }
  }
  tables.push_back(table);
  return table;
}

template <bool Fwd>
void router::prepare_lb() {
  lb_ = lb_zero_.data();
  if (!lb_table_ || speed_ > lb_table::walk_speed || radius_ > lb_table::walk_radius) return;
  if (literal_ ? slack_ < 0 : default_change_ < 0) return;  // the bound ignores change times
  auto const n = n_stops_;
  auto const* const d = lb_table_->d.data();
  if (!target_is_coord_) {
    if (!target_stop_.valid() || target_stop_.v() >= n) return;
    auto const t = static_cast<std::size_t>(target_stop_.v());
    if constexpr (Fwd) {
      lb_ = d + t * n;
    } else {
      lb_scratch_.resize(n);
      for (auto s = 0U; s < n; ++s) lb_scratch_[s] = d[s * n + t];
      lb_ = lb_scratch_.data();
    }
    return;
  }
  if (egress_stops_.size() > 64U) return;
  lb_scratch_.assign(n, 0xFFFF);
  for (auto const e : egress_stops_) {
    auto const w = std::min<seconds_t>(egress_[e.v()], 0xFFFF);
    auto const ev = static_cast<std::size_t>(e.v());
    for (auto s = 0U; s < n; ++s) {
      auto const x = static_cast<seconds_t>(Fwd ? d[ev * n + s] : d[s * n + ev]) + w;
      if (x < lb_scratch_[s]) lb_scratch_[s] = static_cast<std::uint16_t>(x);
    }
  }
  lb_ = lb_scratch_.data();
}

void ride_stops(timetable const& tt, leg const& ride, std::vector<stop_visit>& out,
                bool include_ends) {
  out.clear();
  if (ride.kind != leg_kind::ride) return;
  auto const stops = tt.route_stops[ride.route];
  auto const shift = static_cast<seconds_t>(ride.day_offset) * seconds_per_day;
  auto const first = include_ends ? ride.board_pos : ride.board_pos + 1;
  auto const last = include_ends ? ride.alight_pos + 1 : ride.alight_pos;
  for (auto p = first; p < last; ++p) {
    out.push_back({stops[p], p, tt.arrival(ride.route, p, ride.trip_in_route) + shift,
                   tt.departure(ride.route, p, ride.trip_in_route) + shift});
  }
}

router::router(timetable const& tt) : tt_{tt}, n_stops_{tt.n_stops()} {
  // (route, position) occurrences per stop, so that a marked stop marks its routes from the
  // right position even when a route visits the stop twice.
  std::vector<std::uint32_t> count(n_stops_ + 1, 0U);
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    for (auto const s : tt.route_stops[r]) ++count[s.v() + 1];
  }
  for (auto i = 1U; i <= n_stops_; ++i) count[i] += count[i - 1];
  occ_offsets_ = count;
  occ_.resize(count[n_stops_]);
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const stops = tt.route_stops[r];
    for (auto p = 0U; p < stops.size(); ++p) occ_[count[stops[p].v()]++] = {r, p};
  }

  // Per direction, the occurrences where a passenger can get on (board forward, alight
  // backward) with at least one stop to ride to, as (route, rank in search direction).
  for (auto const fwd : {true, false}) {
    auto& offs = fwd ? occ_fwd_offsets_ : occ_bwd_offsets_;
    auto& list = fwd ? occ_fwd_ : occ_bwd_;
    offs.assign(n_stops_ + 1, 0U);
    list.clear();
    for (auto s = 0U; s < n_stops_; ++s) {
      for (auto i = occ_offsets_[s]; i < occ_offsets_[s + 1]; ++i) {
        auto const [r, pos] = occ_[i];
        auto const n = static_cast<std::uint32_t>(tt.route_stops[r].size());
        auto const rank = fwd ? pos : n - 1 - pos;
        if (rank + 1 >= n) continue;
        if (fwd ? !tt.can_board(r, pos) : !tt.can_alight(r, pos)) continue;
        list.push_back({r, rank});
      }
      offs[s + 1] = static_cast<std::uint32_t>(list.size());
    }
  }

  // transfers.txt footpaths by target stop, for the backward search.
  rev_fp_offsets_.assign(n_stops_ + 1, 0U);
  for (auto s = stop_idx{0}; s.v() < n_stops_; ++s) {
    for (auto const& fp : tt.stop_footpaths[s]) ++rev_fp_offsets_[fp.target.v() + 1];
  }
  for (auto i = 1U; i <= n_stops_; ++i) rev_fp_offsets_[i] += rev_fp_offsets_[i - 1];
  rev_fp_.resize(rev_fp_offsets_[n_stops_]);
  {
    auto fill = rev_fp_offsets_;
    for (auto s = stop_idx{0}; s.v() < n_stops_; ++s) {
      for (auto const& fp : tt.stop_footpaths[s]) rev_fp_[fill[fp.target.v()]++] = {s, fp.duration_s};
    }
  }

  // Exact walking distances: the stored ones are floats, and ceil(distance / speed) as well as
  // the radius test must not depend on float rounding.
  link_dist_.resize(tt.stop_walk_links.total());
  for (auto s = stop_idx{0}; s.v() < tt.stop_walk_links.size(); ++s) {
    auto const base = tt.stop_walk_links.raw_offsets()[s.v()];
    auto const links = tt.stop_walk_links[s];
    for (auto j = 0U; j < links.size(); ++j) {
      link_dist_[base + j] = haversine_m(tt.stop_coords[s], tt.stop_coords[links[j].target]);
    }
  }

  first_departure_ = tt.departures.empty() ? 0 : *std::min_element(tt.departures.begin(), tt.departures.end());

  // Trip-major copies: scanning a route follows one trip along its stops.
  arr_tm_.resize(tt.arrivals.size());
  dep_tm_.resize(tt.departures.size());
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const n = static_cast<std::uint32_t>(tt.route_stops[r].size());
    auto const base = tt.route_time_base[r];
    for (auto i = 0U; i < tt.route_n_trips[r]; ++i) {
      for (auto p = 0U; p < n; ++p) {
        arr_tm_[base + i * n + p] = tt.arrival(r, p, i);
        dep_tm_[base + i * n + p] = tt.departure(r, p, i);
      }
    }
  }

  stop_accessible_.resize(n_stops_);
  for (auto s = stop_idx{0}; s.v() < n_stops_; ++s) {
    auto wb = tt.stop_wheelchair_boarding[s];
    if (wb == 0U && tt.stop_parent[s].valid()) wb = tt.stop_wheelchair_boarding[tt.stop_parent[s]];
    stop_accessible_[s.v()] = wb <= 2U ? wb : 0U;
  }

  for (auto s = stop_idx{0}; s.v() < n_stops_; ++s) {
    if (tt.stop_has_coords[s] != 0U) stops_by_lat_.emplace_back(tt.stop_coords[s].lat, s);
  }
  std::sort(stops_by_lat_.begin(), stops_by_lat_.end());

  lb_table_ = shared_lb_table(tt, link_dist_);
  lb_zero_.assign(n_stops_, 0U);
  lb_ = lb_zero_.data();

  best_ride_.assign(n_stops_, inf);
  best_foot_.assign(n_stops_, inf);
  ready_.assign(n_stops_, inf);
  touched_flag_.assign(n_stops_, 0U);
  marked_.assign(n_stops_, 0U);
  next_marked_.assign(n_stops_, 0U);
  ride_improved_flag_.assign(n_stops_, 0U);
  route_start_.assign(tt.n_routes(), none);
  route_end_.assign(tt.n_routes(), 0U);
  route_key_.assign(tt.n_routes(), 0);
  target_routes_.reserve(tt.n_routes());
  egress_.assign(n_stops_, inf);
  to_target_.assign(n_stops_, inf);
  egress_dist_.assign(n_stops_, 0.0F);
  touched_.reserve(n_stops_);
  marked_list_.reserve(n_stops_);
  next_marked_list_.reserve(n_stops_);
  ride_improved_.reserve(n_stops_);
  routes_.reserve(tt.n_routes());
  pareto_.reserve(max_legs_limit + 1);
  ensure_rounds(9);
}

void router::ensure_rounds(unsigned rounds) {
  if (rounds <= rounds_cap_) return;
  auto const n = static_cast<std::size_t>(rounds) * n_stops_;
  ride_.resize(n, inf);
  foot_.resize(n, inf);
  ride_parent_.resize(n);
  foot_parent_.resize(n);
  rounds_cap_ = rounds;
}

void router::prepare_walk_durations(double speed) {
  if (speed == link_dur_speed_) return;
  link_dur_.resize(link_dist_.size());
  for (auto i = 0U; i < link_dist_.size(); ++i) link_dur_[i] = walk_seconds(link_dist_[i], speed);
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
        auto const d = link_dist_[base + j];
        if (d > radius) continue;
        wl_.push_back({ls[j].target, link_dur_[base + j], static_cast<float>(d)});
      }
    }
    wl_off_[s.v() + 1] = static_cast<std::uint32_t>(wl_.size());
    // Shortest first, so that relax_footpaths can stop at the first link past the bound.
    std::stable_sort(wl_.begin() + wl_off_[s.v()], wl_.end(),
                     [](auto const& a, auto const& b) { return a.dur < b.dur; });
  }
  wl_radius_ = radius;
  wl_speed_ = speed;
}

void router::prepare_active() {
  if (active_day_ == day_ && active_n_offsets_ == n_offsets_ && active_offsets_ == offsets_ &&
      active_wheelchair_ == wheelchair_ && active_wheelchair_unknown_ok_ == wheelchair_unknown_ok_ &&
      active_.size() == tt_.n_trips()) {
    return;
  }
  auto const n_trips = tt_.n_trips();
  active_.assign(n_trips, 0U);
  for (auto t = trip_idx{0}; t.v() < n_trips; ++t) {
    if (wheelchair_) {
      auto const a = tt_.trip_wheelchair_accessible[t];
      if (a != 1U && (a != 0U || !wheelchair_unknown_ok_)) continue;
    }
    auto bits = 0U;
    for (auto o = 0U; o < n_offsets_; ++o) {
      if (tt_.trip_active(t, day_ + offsets_[o])) bits |= 1U << o;
    }
    active_[t.v()] = static_cast<std::uint8_t>(bits);
  }
  // Per offset and route, the trips running that day in route order: route scans then board by
  // binary search over these alone instead of skipping inactive trips one by one.
  auto const n_routes = tt_.n_routes();
  act_trips_.resize(static_cast<std::size_t>(n_offsets_) * n_trips);
  act_n_.resize(static_cast<std::size_t>(n_offsets_) * n_routes);
  auto const n_rs = tt_.route_stops.total();
  act_dep_.resize(static_cast<std::size_t>(n_offsets_) * n_rs);
  act_arr_.resize(static_cast<std::size_t>(n_offsets_) * n_rs);
  for (auto o = 0U; o < n_offsets_; ++o) {
    auto* const lst = act_trips_.data() + static_cast<std::size_t>(o) * n_trips;
    for (auto r = route_idx{0}; r.v() < n_routes; ++r) {
      auto const first = tt_.route_first_trip[r].v();
      auto m = 0U;
      for (auto i = 0U; i < tt_.route_n_trips[r]; ++i) {
        if (((active_[first + i] >> o) & 1U) != 0U) lst[first + m++] = i;
      }
      act_n_[static_cast<std::size_t>(o) * n_routes + r.v()] = m;
      if (m == 0U) continue;
      auto const nt = tt_.route_n_trips[r];
      auto const n = tt_.route_stops[r].size();
      auto const rs = static_cast<std::size_t>(tt_.route_stops.raw_offsets()[r.v()]);
      auto const* const arr = tt_.arrivals.data() + tt_.route_time_base[r];
      auto const* const dep = tt_.departures.data() + tt_.route_time_base[r];
      auto const lo = lst[first], hi = lst[first + m - 1];
      for (auto p = 0U; p < n; ++p) {
        act_dep_[(rs + p) * n_offsets_ + o] = {dep[p * nt + lo], dep[p * nt + hi]};
        act_arr_[(rs + p) * n_offsets_ + o] = {arr[p * nt + lo], arr[p * nt + hi]};
      }
    }
  }
  active_day_ = day_;
  active_offsets_ = offsets_;
  active_n_offsets_ = n_offsets_;
  active_wheelchair_ = wheelchair_;
  active_wheelchair_unknown_ok_ = wheelchair_unknown_ok_;
}

void router::reset() {
  for (auto const s : touched_) {
    best_ride_[s.v()] = inf;
    best_foot_[s.v()] = inf;
    for (auto j = 0U; j < rounds_used_; ++j) {
      ride_[j * n_stops_ + s.v()] = inf;
      foot_[j * n_stops_ + s.v()] = inf;
    }
    touched_flag_[s.v()] = 0U;
  }
  touched_.clear();
  rounds_used_ = 1;
  target_best_ = inf;
  pending_ = inf;
  target_round_.fill(inf);
  target_parent_.fill(target_parent{});
  pareto_.clear();
}

seconds_t router::change_time(stop_idx s) const {
  if (literal_) return slack_;
  auto const m = tt_.stop_min_change_s[s];
  return m == no_min_change_time ? default_change_ : static_cast<seconds_t>(m);
}

[[gnu::always_inline]] inline bool router::set_foot(unsigned k, stop_idx s, seconds_t key,
                                                    foot_parent const& p) {
  if (key >= best_foot_[s.v()] || key + lb(s) >= bound(k)) return false;
  auto const i = k * n_stops_ + s.v();
  foot_[i] = key;
  foot_parent_[i] = p;
  best_foot_[s.v()] = key;
  touch(s);
  // Boarding from s only needs another look when its ready time improved.
  if (next_marked_[s.v()] == 0U && key < sat_add(best_ride_[s.v()], change_time(s))) {
    next_marked_[s.v()] = 1U;
    next_marked_list_.push_back(s);
  }
  if (s == target_stop_) target_found(k, key, {target_parent::type::foot, s, 0U, 0.0F});
  return true;
}

void router::target_found(unsigned k, seconds_t key, target_parent const& p) {
  if (key >= target_best_) return;
  target_best_ = key;
  target_round_[k] = key;
  target_parent_[k] = p;
}

template <bool Fwd>
void router::init_query(place const& from, place const& to, date_t date, options const& opt,
                        bool one_day_first) {
  fwd_ = Fwd;
  day_ = (date - tt_.first_date).count();
  literal_ = opt.gtfs_literal;
  wheelchair_ = opt.wheelchair;
  wheelchair_unknown_ok_ = opt.wheelchair_unknown_ok;
  use_fp_ = opt.transfers_txt_footpaths || opt.gtfs_literal;
  radius_ = std::min(opt.walk_radius_m, static_cast<double>(tt_.walk_link_radius_m));
  if (radius_ < 0.0) radius_ = 0.0;
  speed_ = opt.walk_speed_mps > 0.0 ? opt.walk_speed_mps : 1.2;
  max_walk_ = opt.max_walk_m;
  slack_ = opt.transfer_slack_s;
  default_change_ = opt.default_min_change_s;
  max_k_ = std::min(opt.max_legs, max_legs_limit);
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
  reset();
  ensure_rounds(max_k_ + 1);
  seed_.fill(inf);
  direct_walk_s_ = -1;

  for (auto const s : egress_stops_) egress_[s.v()] = inf;
  egress_stops_.clear();
  auto const& dst = Fwd ? to : from;
  target_is_coord_ = !dst.is_stop();
  target_stop_ = dst.stop;
  if (target_is_coord_) {
    stops_near(dst.coord, max_walk_, [&](stop_idx s, double d) {
      egress_[s.v()] = static_cast<seconds_t>(walk_seconds(d, speed_));
      egress_dist_[s.v()] = static_cast<float>(d);
      egress_stops_.push_back(s);
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
    for (auto i = occ_offsets_[s.v()]; i < occ_offsets_[s.v() + 1]; ++i) {
      if (route_key_[occ_[i].r.v()] == 0) {
        route_key_[occ_[i].r.v()] = 1;
        target_routes_.push_back(occ_[i].r);
      }
    }
  };
  auto const to_target = [&](stop_idx s, seconds_t d) {
    if (to_target_[s.v()] == inf) to_target_stops_.push_back(s);
    to_target_[s.v()] = std::min(to_target_[s.v()], d);
  };
  if (!target_is_coord_) {
    if (!target_stop_.valid() || target_stop_.v() >= n_stops_) return;
    auto const t = target_stop_;
    flag_routes(t);
    // Exactly the footpaths relax_footpaths<Fwd> takes from a stop to t.
    if (use_fp_) {
      if constexpr (Fwd) {
        for (auto i = rev_fp_offsets_[t.v()]; i < rev_fp_offsets_[t.v() + 1]; ++i) {
          to_target(rev_fp_[i].target, static_cast<seconds_t>(rev_fp_[i].duration_s));
        }
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
  } else {
    for (auto const e : egress_stops_) {
      flag_routes(e);
      to_target(e, egress_[e.v()]);
    }
  }
}

template void router::init_query<true>(place const&, place const&, date_t, options const&, bool);

template <bool Fwd>
void router::start(place const& from, place const& to, seconds_t start_key) {
  start_key_ = start_key;
  auto const& src = Fwd ? from : to;
  auto const& dst = Fwd ? to : from;
  if (src.is_stop()) {
    if (src.stop.v() >= n_stops_) return;
    foot_parent origin_p;
    origin_p.origin = true;
    set_foot(0, src.stop, start_key, origin_p);
    auto const s0 = src.stop;
    if (use_fp_) {
      if constexpr (Fwd) {
        for (auto const& fp : tt_.stop_footpaths[s0]) {
          set_foot(0, fp.target, sat_add(start_key, fp.duration_s),
                   {s0, fp.duration_s, 0.0F, walk_kind::footpath, false});
        }
      } else {
        for (auto i = rev_fp_offsets_[s0.v()]; i < rev_fp_offsets_[s0.v() + 1]; ++i) {
          set_foot(0, rev_fp_[i].target, sat_add(start_key, rev_fp_[i].duration_s),
                   {s0, rev_fp_[i].duration_s, 0.0F, walk_kind::footpath, false});
        }
      }
    }
    if (radius_ > 0.0) {
      for (auto x = wl_off_[s0.v()]; x < wl_off_[s0.v() + 1]; ++x) {
        auto const& l = wl_[x];
        set_foot(0, l.target, sat_add(start_key, l.dur),
                 {s0, l.dur, l.dist, walk_kind::walk_link, false});
      }
    }
  } else {
    stops_near(src.coord, max_walk_, [&](stop_idx s, double d) {
      auto const dur = walk_seconds(d, speed_);
      set_foot(0, s, sat_add(start_key, dur),
               {stop_idx::invalid(), dur, static_cast<float>(d), walk_kind::access, false});
    });
  }
  if (target_is_coord_) {
    std::optional<latlon> a;
    if (!src.is_stop()) {
      a = src.coord;
    } else if (tt_.stop_has_coords[src.stop] != 0U) {
      a = tt_.stop_coords[src.stop];
    }
    if (a) {
      auto const d = haversine_m(*a, dst.coord);
      if (d <= max_walk_) {
        auto const dur = walk_seconds(d, speed_);
        target_found(0, sat_add(start_key, dur),
                     {target_parent::type::direct, src.stop, dur, static_cast<float>(d)});
      }
    }
  }
  if (target_round_[0] != inf) direct_walk_s_ = (target_round_[0] - start_key);
}

template <bool Fwd>
void router::relax_footpaths(stop_idx s, unsigned k) {
  auto const base_key = ride_[k * n_stops_ + s.v()];
  // Whatever is reached on foot from s arrives no earlier than base_key + lb(s).
  if (base_key + lb(s) >= bound(k)) return;
  if (use_fp_) {
    if constexpr (Fwd) {
      for (auto const& fp : tt_.stop_footpaths[s]) {
        set_foot(k, fp.target, base_key + static_cast<seconds_t>(fp.duration_s),
                 {s, fp.duration_s, 0.0F, walk_kind::footpath, false});
      }
    } else {
      for (auto i = rev_fp_offsets_[s.v()]; i < rev_fp_offsets_[s.v() + 1]; ++i) {
        set_foot(k, rev_fp_[i].target, base_key + static_cast<seconds_t>(rev_fp_[i].duration_s),
                 {s, rev_fp_[i].duration_s, 0.0F, walk_kind::footpath, false});
      }
    }
  }
  if (radius_ > 0.0 && base_key < bound(k)) {
    // The bound only falls while relaxing, so the one read here is a safe cut-off.
    auto const b = bound(k);
    for (auto x = wl_off_[s.v()]; x < wl_off_[s.v() + 1]; ++x) {
      auto const& l = wl_[x];
      auto const key = base_key + static_cast<seconds_t>(l.dur);
      if (key >= b) break;
      if (key >= best_foot_[l.target.v()]) continue;  // set_foot's first test, inline
      set_foot(k, l.target, key, {s, l.dur, l.dist, walk_kind::walk_link, false});
    }
  }
}

// An arrival key at the target that scan_route<Fwd>(r, ...) of this round is sure to record (by
// a ride to the target, or to a stop walking to it), or inf: for each marked stop, the first
// running trip of each day offset that can be entered there. The scan holds that trip or a
// better one, so the target ends the round with this key or less.
template <bool Fwd>
seconds_t router::probe_route(route_idx r, std::uint32_t start_rank,
                              std::uint32_t last_marked_rank) const {
  auto const stops = tt_.route_stops[r];
  auto const flags = tt_.route_stop_flags[r];
  auto const n = static_cast<std::uint32_t>(stops.size());
  auto const nt = tt_.route_n_trips[r];
  auto const* const arr = tt_.arrivals.data() + tt_.route_time_base[r];
  auto const* const dep = tt_.departures.data() + tt_.route_time_base[r];
  auto const first = tt_.route_first_trip[r];
  auto const* const exit_tm = (Fwd ? arr_tm_.data() : dep_tm_.data()) + tt_.route_time_base[r];
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
    auto const w = s2 == target_stop_ ? 0 : to_target_[s2.v()];
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
      auto const m = act_n_[static_cast<std::size_t>(o) * n_routes + r.v()];
      if (m == 0U) continue;
      auto const* const L = act_trips_.data() + static_cast<std::size_t>(o) * n_trips + first.v();
      auto const off = offsets_[o] * seconds_per_day;
      // First / last running trip's time here: most offsets are decided without a search.
      auto const e = (Fwd ? act_dep_ : act_arr_)[(rs + pos) * n_offsets_ + o];
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

template <bool Fwd>
void router::scan_route(route_idx r, std::uint32_t start_rank, std::uint32_t last_marked_rank,
                        unsigned k) {
  auto const stops = tt_.route_stops[r];
  auto const flags = tt_.route_stop_flags[r];
  auto const n = static_cast<std::uint32_t>(stops.size());
  auto const nt = tt_.route_n_trips[r];
  auto const* const arr = tt_.arrivals.data() + tt_.route_time_base[r];
  auto const* const dep = tt_.departures.data() + tt_.route_time_base[r];
  auto const first = tt_.route_first_trip[r];
  auto const* const exit_tm = (Fwd ? arr_tm_.data() : dep_tm_.data()) + tt_.route_time_base[r];
  constexpr std::uint8_t enter_mask = Fwd ? no_pickup : no_dropoff;
  constexpr std::uint8_t exit_mask = Fwd ? no_dropoff : no_pickup;
  auto const round_base = k * n_stops_;
  auto const n_trips = tt_.n_trips();
  auto const n_routes = tt_.n_routes();

  // Offsets with at least one trip of the route running: their active trips (route order) and
  // the shift in seconds.
  std::array<std::uint32_t const*, max_offsets> lst;
  std::array<time_span const*, max_offsets> ext;  // first / last running trip's time per position
  std::array<std::uint32_t, max_offsets> cnt;
  std::array<seconds_t, max_offsets> shift;
  std::array<std::uint8_t, max_offsets> live;
  auto n_live = 0U;
  auto const no = n_offsets_;
  auto const b0 = bound(k);
  auto const start_pos = Fwd ? start_rank : n - 1 - start_rank;
  for (auto o = 0U; o < n_scan_offsets_; ++o) {
    auto const m = act_n_[static_cast<std::size_t>(o) * n_routes + r.v()];
    if (m == 0U) continue;
    auto const* const e = (Fwd ? act_dep_.data() : act_arr_.data()) +
                          static_cast<std::size_t>(tt_.route_stops.raw_offsets()[r.v()]) * no + o;
    auto const off = offsets_[o] * seconds_per_day;
    // Skip offsets none of whose trips can be boarded in this scan: every ready time is at
    // least start_key_, and a boarding at or after bound b0 improves nothing.
    if constexpr (Fwd) {
      if (e[(n - 1) * no].last + off < start_key_ || e[start_pos * no].first + off >= b0) continue;
    } else {
      if (-(e[0].first + off) < start_key_ || -(e[start_pos * no].last + off) >= b0) continue;
    }
    lst[o] = act_trips_.data() + static_cast<std::size_t>(o) * n_trips + first.v();
    ext[o] = e;
    cnt[o] = m;
    shift[o] = off;
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
  auto b = bound(k);  // changes only when this scan improves the target

  for (auto rank = start_rank; rank < n; ++rank) {
    auto const pos = Fwd ? rank : n - 1 - rank;
    auto const s = stops[pos];
    auto const f = flags[pos];

    if (n_held != 0U) {
      auto best = inf;
      auto bo = 0U;
      for (auto h = 0U; h < n_held; ++h) {
        auto const o = held[h];
        auto const t = exit_tm[cur_trip[o] * n + pos] + shift[o];
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
      } else if ((f & exit_mask) == 0U && best < best_ride_[s.v()] && stop_ok(s)) {
        auto const i = round_base + s.v();
        ride_[i] = best;
        ride_parent_[i] = {trip_idx{first.v() + cur_trip[bo]}, enter_pos[bo], pos,
                           static_cast<std::int8_t>(offsets_[bo])};
        best_ride_[s.v()] = best;
        touch(s);
        if (next_marked_[s.v()] == 0U && sat_add(best, change_time(s)) < best_foot_[s.v()]) {
          next_marked_[s.v()] = 1U;
          next_marked_list_.push_back(s);
        }
        if (ride_improved_flag_[s.v()] == 0U) {
          ride_improved_flag_[s.v()] = 1U;
          ride_improved_.push_back(s);
        }
        if (s == target_stop_) {
          target_found(k, best, {target_parent::type::ride, s, 0U, 0.0F});
          b = bound(k);
        } else if (auto const w = to_target_[s.v()]; w != inf) {
          // At the end of the round, the walk from s records an arrival at most best + w; only
          // later arrivals are pruned until then, so that ties resolve as before.
          pending_ = std::min(pending_, best + w + 1);
          b = bound(k);
        }
      }
    } else if (rank > last_marked_rank) {
      return;
    }

    if (rank <= last_marked_rank && marked_[s.v()] != 0U && (f & enter_mask) == 0U && stop_ok(s)) {
      auto const ready = ready_[s.v()];
      // A trip entered here at key x reaches the target no earlier than x + lb(s).
      auto prune = std::min(b - lb(s), held_final);
      for (auto x = 0U; x < n_live; ++x) {
        auto const o = live[x];
        auto const off = shift[o];
        auto const* const L = lst[o];
        if constexpr (Fwd) {
          // The first running trip departing at or after `ready` before the one held, if it
          // departs before `prune`.
          auto const* const span = dep + pos * nt;
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
          held_final = std::min(held_final, exit_tm[t * n + n - 1] + off);
          prune = std::min(prune, held_final);
        } else {
          // The last running trip arriving at or before -ready after the one held, if its key
          // is below `prune`.
          auto const* const span = arr + pos * nt;
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
          held_final = std::min(held_final, -(exit_tm[t * n] + off));
          prune = std::min(prune, held_final);
        }
      }
    }
  }
}

template <bool Fwd>
void router::run_rounds() {
  // Round 0 marks were written to next_marked_.
  std::swap(marked_, next_marked_);
  std::swap(marked_list_, next_marked_list_);
  if (target_round_[0] != inf) {
    pareto_.push_back({0U, Fwd ? target_round_[0] : -target_round_[0]});
  }
  for (auto k = 1U; k <= max_k_ && !marked_list_.empty(); ++k) {
    rounds_used_ = std::max(rounds_used_, k + 1);
    for (auto const s : marked_list_) {
      ready_[s.v()] = std::min(sat_add(best_ride_[s.v()], change_time(s)), best_foot_[s.v()]);
      if (ready_[s.v()] + lb(s) >= bound(k)) continue;  // no trip from here can help any more
      auto const& offs = Fwd ? occ_fwd_offsets_ : occ_bwd_offsets_;
      auto const& list = Fwd ? occ_fwd_ : occ_bwd_;
      for (auto i = offs[s.v()]; i < offs[s.v() + 1]; ++i) {
        auto const [r, rank] = list[i];
        mark_route(r, rank);
      }
    }
    // Until the target is reached: routes through it first, but only to bound the round
    // (scanning them first would change which of two equally good journeys is kept).
    for (auto const r : routes_) {
      if (route_key_[r.v()] == 0 || target_best_ != inf) continue;
      auto const ub = probe_route<Fwd>(r, route_start_[r.v()], route_end_[r.v()]);
      if (ub != inf) pending_ = std::min(pending_, ub + 1);
    }
    for (auto const r : routes_) {
      scan_route<Fwd>(r, route_start_[r.v()], route_end_[r.v()], k);
      route_start_[r.v()] = none;
    }
    routes_.clear();
    for (auto const s : ride_improved_) {
      ride_improved_flag_[s.v()] = 0U;
      relax_footpaths<Fwd>(s, k);
      if (target_is_coord_ && egress_[s.v()] != inf) {
        target_found(k, ride_[k * n_stops_ + s.v()] + egress_[s.v()],
                     {target_parent::type::egress, s, static_cast<std::uint32_t>(egress_[s.v()]),
                      egress_dist_[s.v()]});
      }
    }
    ride_improved_.clear();
    for (auto const s : marked_list_) marked_[s.v()] = 0U;
    marked_list_.clear();
    std::swap(marked_, next_marked_);
    std::swap(marked_list_, next_marked_list_);
    if (target_round_[k] != inf) {
      pareto_.push_back({k, Fwd ? target_round_[k] : -target_round_[k]});
    }
  }
  for (auto const s : marked_list_) marked_[s.v()] = 0U;
  marked_list_.clear();
}

template <bool Fwd>
result router::search(place const& from, place const& to, date_t date, seconds_t t,
                      options const& opt) {
  init_query<Fwd>(from, to, date, opt, true);
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

result router::earliest_arrival(place const& from, place const& to, date_t date, seconds_t depart,
                                options const& opt) {
  return search<true>(from, to, date, depart, opt);
}

result router::latest_departure(place const& from, place const& to, date_t date,
                                seconds_t arrive_by, options const& opt) {
  return search<false>(from, to, date, arrive_by, opt);
}

void router::range(place const& from, place const& to, date_t date, seconds_t from_t,
                   seconds_t to_t, options const& opt, std::vector<range_entry>& out) {
  out.clear();
  init_query<true>(from, to, date, opt);
  auto const valid = [&](place const& p) { return !p.is_stop() || p.stop.v() < n_stops_; };
  if (!valid(from) || !valid(to)) return;

  // Candidate departures from the origin: boarding times at the stops reachable from it on foot,
  // minus the walk.
  departures_.clear();
  auto const add_stop = [&](stop_idx s, seconds_t walk) {
    if (!stop_ok(s)) return;
    for (auto i = occ_offsets_[s.v()]; i < occ_offsets_[s.v() + 1]; ++i) {
      auto const [r, pos] = occ_[i];
      if (!tt_.can_board(r, pos)) continue;
      auto const deps = tt_.route_departures_at(r, pos);
      auto const first = tt_.route_first_trip[r];
      for (auto o = 0U; o < n_offsets_; ++o) {
        auto const off = offsets_[o] * seconds_per_day;
        auto it = std::lower_bound(deps.begin(), deps.end(), from_t + walk - off);
        for (; it != deps.end() && *it + off - walk <= to_t; ++it) {
          auto const ti = static_cast<std::uint32_t>(it - deps.begin());
          if (trip_ok(first.v() + ti, o)) {
            departures_.push_back(*it + off - walk);
          }
        }
      }
    }
  };
  if (from.is_stop()) {
    add_stop(from.stop, 0);
    if (use_fp_) {
      for (auto const& fp : tt_.stop_footpaths[from.stop]) {
        add_stop(fp.target, static_cast<seconds_t>(fp.duration_s));
      }
    }
    if (radius_ > 0.0) {
      auto const base = tt_.stop_walk_links.raw_offsets()[from.stop.v()];
      auto const links = tt_.stop_walk_links[from.stop];
      for (auto j = 0U; j < links.size(); ++j) {
        if (links[j].distance_m > radius_ + 1.0) break;
        if (link_dist_[base + j] > radius_) continue;
        add_stop(links[j].target, static_cast<seconds_t>(link_dur_[base + j]));
      }
    }
  } else {
    stops_near(from.coord, max_walk_, [&](stop_idx s, double d) {
      add_stop(s, static_cast<seconds_t>(walk_seconds(d, speed_)));
    });
  }
  std::sort(departures_.begin(), departures_.end(), std::greater<>{});
  departures_.erase(std::unique(departures_.begin(), departures_.end()), departures_.end());

  // One search per departure, latest first. A later departure's arrivals bound the earlier
  // ones per number of legs (seed_), which keeps every run cheap.
  std::array<seconds_t, max_legs_limit + 1> seeds;
  seeds.fill(inf);
  auto walk = seconds_t{-1};
  for (auto const tau : departures_) {
    reset();
    seed_ = seeds;
    start<true>(from, to, tau);
    run_rounds<true>();
    if (direct_walk_s_ >= 0) walk = direct_walk_s_;
    for (auto const& e : pareto_) {
      if (e.legs == 0U) continue;
      if (e.time >= seeds[e.legs]) continue;  // a later departure is as fast with no more legs
      out.push_back({tau, e.time, e.legs});
      for (auto k = e.legs; k <= max_legs_limit; ++k) seeds[k] = std::min(seeds[k], e.time);
    }
  }
  seed_.fill(inf);
  direct_walk_s_ = walk;
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

  auto const push_walk = [&](stop_idx search_from, stop_idx search_to, std::uint32_t dur,
                             double dist, walk_kind kind) {
    leg l;
    l.kind = leg_kind::walk;
    l.from = Fwd ? search_from : search_to;
    l.to = Fwd ? search_to : search_from;
    l.start = 0;
    l.end = static_cast<seconds_t>(dur);
    if (kind == walk_kind::footpath && l.from.valid() && l.to.valid() &&
        tt_.stop_has_coords[l.from] != 0U && tt_.stop_has_coords[l.to] != 0U) {
      dist = haversine_m(tt_.stop_coords[l.from], tt_.stop_coords[l.to]);
    }
    if (kind == walk_kind::access || kind == walk_kind::egress) {
      kind = !l.from.valid() ? walk_kind::access : walk_kind::egress;
    }
    l.walk = kind;
    l.distance_m = dist;
    out.legs.push_back(l);
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
      push_walk(tp.stop, stop_idx::invalid(), tp.duration, tp.distance_m, walk_kind::egress);
      st = state::ride;
      break;
  }

  while (st != state::done) {
    auto const i = j * n_stops_ + s.v();
    if (st == state::foot) {
      auto const& p = foot_parent_[i];
      if (p.origin) break;
      push_walk(p.from, s, p.duration, p.distance_m, p.kind);
      if (!p.from.valid() || j == 0U) break;
      s = p.from;
      st = state::ride;
      continue;
    }
    auto const& p = ride_parent_[i];
    auto const r = tt_.trip_route[p.trip];
    auto const ti = p.trip.v() - tt_.route_first_trip[r].v();
    auto const off = static_cast<seconds_t>(p.offset) * seconds_per_day;
    leg l;
    l.kind = leg_kind::ride;
    l.trip = p.trip;
    l.route = r;
    l.trip_in_route = ti;
    l.day_offset = p.offset;
    l.board_pos = Fwd ? p.enter_pos : p.exit_pos;
    l.alight_pos = Fwd ? p.exit_pos : p.enter_pos;
    l.from = tt_.route_stops[r][l.board_pos];
    l.to = tt_.route_stops[r][l.alight_pos];
    l.start = tt_.departure(r, l.board_pos, ti) + off;
    l.end = tt_.arrival(r, l.alight_pos, ti) + off;
    out.legs.push_back(l);
    ++out.rides;
    auto const b = tt_.route_stops[r][p.enter_pos];
    auto const enter_key = Fwd ? l.start : -l.end;
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

// Walk legs get their times from the neighbouring rides: after a ride they start at its
// arrival, before the first ride they end at its departure (leave as late as possible).
void router::finish_journey(journey& out, bool fwd, seconds_t start_key) {
  auto const n = out.legs.size();
  for (auto x = 0U; x < n; ++x) {
    auto& l = out.legs[x];
    if (l.kind != leg_kind::walk) continue;
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
