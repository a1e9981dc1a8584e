// RAPTOR journey planning on the compiled timetable: earliest arrival, latest departure
// (arrive-by), range queries and the Pareto set arrival time x number of vehicle legs.
//
// A router holds only scratch state sized by the timetable; everything derived from the timetable
// is in the shared, immutable raptor::index. A router is built per thread (cheaply) and reused.
// After the first queries have sized its buffers, a query does not allocate (journey
// reconstruction and range results write into caller-owned vectors, which keep their capacity).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "nebuta/raptor/index.h"
#include "nebuta/raptor/journey.h"
#include "nebuta/raptor/query.h"
#include "nebuta/raptor/rides_bound.h"
#include "nebuta/rt/state.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::raptor {

namespace detail {

// A list that never holds more than the capacity it was given: push_back cannot reallocate, so
// the hot loops inline it (std::vector's carries its growth path along).
template <typename T>
class fixed_list {
 public:
  void set_capacity(std::size_t n) {
    data_.resize(n);
    size_ = 0;
  }
  void push_back(T x) { data_[size_++] = x; }
  void clear() { size_ = 0; }
  // Keeps the elements keep(x) is true for, in order.
  template <typename Keep>
  void keep_if(Keep&& keep) {
    size_ = static_cast<std::size_t>(std::remove_if(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(size_),
                                                    [&](T const& x) { return !keep(x); }) -
                                     data_.begin());
  }
  bool empty() const { return size_ == 0U; }
  std::size_t size() const { return size_; }
  T const* begin() const { return data_.data(); }
  T const* end() const { return data_.data() + size_; }
  std::size_t memory_bytes() const { return data_.capacity() * sizeof(T); }

 private:
  std::vector<T> data_;
  std::size_t size_{0};
};

}  // namespace detail

class router {
 public:
  explicit router(index const& idx);

  timetable const& tt() const { return tt_; }
  index const& idx() const { return idx_; }

  // Bytes of scratch state held (grows with the number of rounds and the options used).
  std::size_t memory_bytes() const;

  // Earliest arrival departing at `depart` (seconds after midnight of `date`). The result's
  // span stays valid until the next query.
  //
  // `known`: the arrival of a journey known to exist with at most opt.max_legs legs (say, from
  // another search). The search then looks only for journeys arriving no later, which prunes
  // from the first round; the answer is the same as without it when the journey exists.
  result earliest_arrival(place const& from, place const& to, date_t date, seconds_t depart, options const& opt = {},
                          seconds_t known = unreachable_time);

  // Latest departure arriving by `arrive_by` (backward search); result.time is the departure.
  // `known`: the departure of a journey known to arrive in time (as above).
  result latest_departure(place const& from, place const& to, date_t date, seconds_t arrive_by, options const& opt = {},
                          seconds_t known = unreachable_time);

  // Every journey departing in [from_t, to_t] that no other journey of the window dominates
  // (departing no earlier, arriving no later, with no more legs), by decreasing departure.
  // Journeys without a vehicle are not listed; see direct_walk_s().
  void range(place const& from, place const& to, date_t date, seconds_t from_t, seconds_t to_t, options const& opt,
             std::vector<range_entry>& out);

  // McRAPTOR: every journey that no other beats on arrival time, vehicle legs and walking time
  // together, by increasing legs then arrival. Slower than earliest_arrival (bags of labels
  // per stop); the first entry per number of legs has the earliest_arrival Pareto time.
  // It plans on the timetable alone (options::realtime is not read).
  void walk_pareto(place const& from, place const& to, date_t date, seconds_t depart, options const& opt,
                   std::vector<walk_pareto_entry>& out);
  // The journey of entry i of the last walk_pareto.
  bool reconstruct_walk_pareto(std::size_t i, journey& out) const;

  // Pruning by the fewest rides still needed (rides_bound.h) starts in round `round` when the
  // target is not reached by then (0: never). The bound costs a breadth-first search over every
  // route stop and walking link near the target's reach, about 40 % of a typical earliest-arrival
  // search on a city feed (Tampa, Hachinohe: there it doubles the mean cost), while on a large
  // timetable most of the searches it cuts short are far or out-of-reach pairs that would run
  // every round (47 k stops: p50 4.4 ms without, 1.0-1.3 ms with). So routers on timetables of at
  // least rides_min_stops stops use it from default_rides_round, smaller ones not; the figures
  // are in benchmarks/RESULTS.md, and bench_raptor / bench_scale --rides-round K compare.
  static constexpr unsigned default_rides_round = 2;
  static constexpr std::size_t rides_min_stops = 20'000;
  void set_rides_round(unsigned round) { rides_round_ = round; }
  unsigned rides_round() const { return rides_round_; }

  // Walking time from origin to destination without any vehicle in the last query, or -1.
  seconds_t direct_walk_s() const { return direct_walk_s_; }

  // The journey of the last earliest_arrival / latest_departure with `legs` vehicle legs (one of
  // the result's Pareto entries). Returns false when there is none.
  bool reconstruct(unsigned legs, journey& out) const;

  // Tight journeys (tight.cc): keeps the round labels of the search just run, up to `rounds`
  // legs, and then prunes the searches in the other direction that follow with them, until
  // forget_first_pass(). Such a search must be one of the first search's backward passes: same
  // places, date and options, at most `rounds` legs, bounded by a Pareto journey of the first
  // search with that many legs (by its arrival and departure). A label after k legs at stop s
  // survives only when the first search reaches s in time with max_legs - k legs; labels on
  // every journey of the pass do, so its answer is the same.
  void keep_first_pass(unsigned rounds);
  void forget_first_pass();
  // The latest departure of any trip in its own service day (computed once): a backward pass
  // rides trips of two or more days before the query's only when they depart that late.
  seconds_t latest_trip_departure();

  struct ride_parent {
    trip_idx trip{trip_idx::invalid()};
    std::uint32_t enter_pos{0}, exit_pos{0};  // in search direction
    std::int8_t offset{0};
    bool on_extra{false};  // trip is the index of a realtime extra route (rt::state::extra_routes())
  };
  struct foot_parent {
    stop_idx from{stop_idx::invalid()};  // invalid: the query origin coordinate, or the origin stop itself
    std::uint32_t duration{0};
    float distance_m{0.0F};
    walk_kind kind{walk_kind::footpath};
    bool origin{false};      // the search origin stop (round 0, no walk)
    std::uint16_t extra{0};  // 1 + the index of the source place's extra edge taken, or 0
  };
  struct target_parent {
    enum class type : std::uint8_t { none, ride, foot, egress, direct } how{type::none};
    std::uint16_t extra{0};  // egress: 1 + the index of the target place's extra edge, or 0 (walk)
    stop_idx stop{stop_idx::invalid()};
    std::uint32_t duration{0};
    float distance_m{0.0F};
  };

 private:
  static constexpr unsigned max_offsets = max_extra_days + 2;
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

  template <bool Fwd>
  result search(place const& from, place const& to, date_t date, seconds_t t, options const& opt, seconds_t known);
  result make_result() const;
  void walk_pareto_pass(place const& from, place const& to, date_t date, seconds_t depart, options const& opt,
                        bool one_day_first, std::vector<walk_pareto_entry>& out);
  template <bool Fwd>
  void init_query(place const& from, place const& to, date_t date, options const& opt, bool one_day_first = false);
  // Calls f(foot_parent p, stop s) for every way to leave the search's source place at the start
  // (from for forward searches, to for backward ones): the stop itself (p.origin), its
  // footpaths and walking links within the query radius, or the stops within walking distance of
  // a coordinate, then the place's extra edges (for_each_access.h). Each stop of a set in turn.
  template <bool Fwd, typename F>
  void for_each_access(place const& src, F&& f) const;
  // Calls f(stop s, metres d) for every walk from the source place straight to a coordinate
  // destination within max_walk_: from the source coordinate (s invalid) or from each stop of it
  // that has coordinates.
  template <typename F>
  void for_each_direct_walk(place const& src, latlon dst, F&& f) const;
  // Range = true: the rounds of a range query (rRAPTOR), whose labels carry over from one
  // departure to the next earlier one. ride_ / foot_ then hold, per round k, the best arrival
  // with at most k legs (kept monotone), target_round_ likewise, and no parents are written.
  template <bool Fwd, bool Range = false>
  void start(place const& from, place const& to, seconds_t start_key);
  template <bool Fwd, bool Range = false>
  void run_rounds();
  template <bool Fwd, bool Range>
  void scan_route(route_idx r, std::uint32_t start_rank, std::uint32_t last_marked_rank, unsigned k, bool seat);
  template <bool Fwd>
  seconds_t probe_route(route_idx r, std::uint32_t start_rank, std::uint32_t last_marked_rank) const;
  template <bool Fwd, bool Range>
  void relax_footpaths(stop_idx s, unsigned k);
  // Stay-seated continuations (seated.cc): after route r's scan in round k, the trips a rider
  // on r can stay seated into, ridden in the same round (no boarding, no change time).
  struct seated_scan;
  template <bool Fwd, bool Range>
  void relax_seated(seated_scan const& scan, unsigned k);
  // Rides trip t of service day day_ + offset from its first stop (backward: to its last stop),
  // having come seated from the ride `from` (an index into seated_pool_, or seated_flag | pos)
  // that reached t's first stop at key `came` (backward: left t's last stop's successor). The
  // timetable's links always connect in time; with a realtime state the rides' own times must.
  template <bool Fwd, bool Range>
  void ride_seated(trip_idx t, int offset, std::uint32_t from, unsigned k, seconds_t came);
  template <bool Range>
  void set_ride(unsigned k, stop_idx s, seconds_t key, ride_parent const& p);
  template <bool Fwd>
  bool boardable_at_start(trip_idx t, stop_idx at) const;
  // Reconstruction of a ride reached seated: pushes the legs of the rides before it back to the
  // one entered in the search direction, and returns that one's entry stop and key.
  template <bool Fwd>
  std::pair<stop_idx, seconds_t> unwind_seated(ride_parent const& p, journey& out) const;
  template <bool Fwd>
  bool reconstruct_impl(unsigned legs, journey& out) const;

  void reset();
  // Sets the labels `written` lists back to unreachable, and empties it.
  static void clear_labels(detail::fixed_list<std::uint32_t>& written, std::vector<seconds_t>& ride,
                           std::vector<seconds_t>& foot);
  static void finish_journey(journey& out, bool fwd, seconds_t start_key);
  // extra: 1 + the index of the extra edge of `owner` (the place the leg leaves or enters) taken.
  leg make_walk_leg(stop_idx from, stop_idx to, std::uint32_t dur, double dist, walk_kind kind,
                    std::uint16_t extra = 0U, place const* owner = nullptr) const;
  leg make_ride_leg(trip_idx trip, std::uint32_t board_pos, std::uint32_t alight_pos, std::int8_t offset) const;
  void ensure_rounds(unsigned rounds);
  void prepare_walk_durations(double speed);
  void prepare_walk_links(double radius, double speed);
  seconds_t change_time(stop_idx s) const {
    if (literal_) return slack_;
    auto const m = tt_.stop_min_change_s[s];
    return m == no_min_change_time ? default_change_ : static_cast<seconds_t>(m);
  }
  bool stop_ok(stop_idx s) const {
    if (!wheelchair_) return true;
    auto const a = idx_.accessibility(s);
    return a == 1U || (wheelchair_unknown_ok_ && a == 0U);
  }
  // Trip t runs on the query day shifted by offsets_[o] (and is accessible when asked).
  bool trip_ok(std::uint32_t t, unsigned o) const { return ((act_->runs[t] >> o) & 1U) != 0U; }
  void prepare_active();
  // Queues route r for this round's scan, widening its span of marked positions to `pos`.
  void mark_route(route_idx r, std::uint32_t pos) {
    auto& start = route_start_[r.v()];
    if (start == none) {
      routes_.push_back(r);
      route_end_[r.v()] = pos;
    }
    start = std::min(start, pos);
    route_end_[r.v()] = std::max(route_end_[r.v()], pos);
  }
  void touch(stop_idx s) {
    if (touched_flag_[s.v()] == 0U) {
      touched_flag_[s.v()] = 1U;
      touched_.push_back(s);
    }
  }
  template <bool Range>
  bool set_foot(unsigned k, stop_idx s, seconds_t key, foot_parent const& p);
  template <bool Range>
  void target_found(unsigned k, seconds_t key, target_parent const& p);
  // Labels at or above the bound cannot improve the target any more.
  template <bool Range>
  seconds_t bound(unsigned k) const {
    if constexpr (Range) return std::min(target_round_[k], pending_);
    return std::min(target_best_, pending_);
  }
  // The best arrival at s by vehicle, and on foot, with at most k legs so far.
  template <bool Range>
  seconds_t best_ride(unsigned k, stop_idx s) const {
    if constexpr (Range) return ride_[k * n_stops_ + s.v()];
    return best_ride_[s.v()];
  }
  template <bool Range>
  seconds_t best_foot(unsigned k, stop_idx s) const {
    if constexpr (Range) return foot_[k * n_stops_ + s.v()];
    return best_foot_[s.v()];
  }
  // Range: lowers the labels of rounds k, k + 1, ... (logging first writes) to keep them monotone.
  void lower_from(std::vector<seconds_t>& labels, unsigned k, stop_idx s, seconds_t key, std::uint32_t tag) {
    for (auto j = k; j <= max_k_; ++j) {
      auto const i = j * n_stops_ + s.v();
      if (key >= labels[i]) break;
      if (labels[i] == unreachable_time) written_.push_back(static_cast<std::uint32_t>(i) | tag);
      labels[i] = key;
    }
  }
  index const& idx_;
  timetable const& tt_;
  std::size_t n_stops_;

  // --- lower bounds for target pruning: per stop, a lower bound on the seconds to the search's
  // target (lbs_, computed per target), or zeros (lb_zero_) when no bound holds for the query.
  std::vector<lb_seed> lb_seeds_;  // of this query
  // Per direction (to_seeds, from_seeds): the bounds last computed and their seeds. The same
  // target with the same walks gives the same bounds: the second pass of a search, the backward
  // passes of tight journeys, every departure of a range.
  struct lb_cache {
    lower_bounds values;
    std::vector<lb_seed> seeds;
    bool valid{false};
  };
  std::array<lb_cache, 2> lb_cache_;
  std::vector<std::uint16_t> lb_zero_;
  std::uint16_t const* lb_{nullptr};
  template <bool Fwd>
  void prepare_lb();
  seconds_t lb(stop_idx s) const { return static_cast<seconds_t>(lb_[s.v()]); }

  // --- rides bound (rides_bound.h): per stop, the fewest rides still needed to the target (from
  // the origin, backward) after arriving by vehicle (ride) or on foot, computed once a search
  // reaches rides_round_ without the target; zeros before. Cached per direction like the time
  // bounds.
  struct rides_cache {
    rides_bound values;
    std::vector<stop_idx> foot_seeds, ride_seeds;
    unsigned max_level{0};
    bool footpaths{false};
    double radius{-1.0};
    bool valid{false};
  };
  std::array<rides_cache, 2> rides_cache_;
  std::vector<stop_idx> rides_foot_seeds_, rides_ride_seeds_;
  std::vector<std::uint8_t> rides_zero_;
  std::uint8_t const* rides_ride_{nullptr};
  std::uint8_t const* rides_foot_{nullptr};
  unsigned rides_round_{0};  // set by the constructor (rides_min_stops)
  // For the rounds from k on: the values up to max_k_ + 1 - k (what those rounds can tell apart).
  template <bool Fwd>
  void prepare_rides(unsigned k);
  // Whether a label at s after k rides, by vehicle or on foot, can still lead to the target
  // within max_k_ rides: by the rides bound, and in the last round (none left, computed or not)
  // only at the target, or by vehicle at a stop walking to it (set_ride.h).
  bool ride_label_useful(unsigned k, stop_idx s) const;
  bool foot_label_useful(unsigned k, stop_idx s) const;

  // --- walking links within the query radius at the query speed, cached between queries
  std::vector<std::uint32_t> link_dur_;  // parallel to tt.stop_walk_links, for link_dur_speed_
  double link_dur_speed_{-1.0};
  // The walking links within wl_radius_ per stop (wl_off_), durations at wl_speed_.
  struct walk_link_use {
    stop_idx target;
    std::uint32_t dur;
    float dist;
  };
  std::vector<std::uint32_t> wl_off_;
  std::vector<walk_link_use> wl_;
  double wl_radius_{-1.0}, wl_speed_{-1.0};

  // --- per query settings
  bool fwd_{true};
  std::int64_t day_{0};
  std::array<int, max_offsets> offsets_{};
  unsigned n_offsets_{0};
  // Route scans use offsets_[0, n_scan_offsets_): forward searches may first leave out the days
  // after D (init_query's one_day_first, see search()).
  unsigned n_scan_offsets_{0};
  seconds_t next_day_bound() const { return seconds_per_day + act_->first_departure; }
  unsigned max_k_{8};
  bool literal_{false};
  bool wheelchair_{false};
  bool wheelchair_unknown_ok_{false};
  bool use_fp_{true};
  bool seated_{true};
  double radius_{0.0};
  double speed_{1.2};
  double max_walk_{400.0};
  seconds_t slack_{0};
  seconds_t default_change_{60};
  stop_idx target_stop_{stop_idx::invalid()};  // the destination stop, or the first of its set
  bool target_is_coord_{false};
  // The stops that are the target (a stop place: one, or its whole set), flagged by stop.
  std::vector<std::uint8_t> target_flag_;
  std::vector<stop_idx> target_stops_;
  bool is_target(stop_idx s) const { return target_flag_[s.v()] != 0U; }
  seconds_t start_key_{0};
  place from_{}, to_{};

  // --- scratch, (max_legs_limit + 1) rounds x n_stops at most
  unsigned rounds_cap_{0};
  std::vector<seconds_t> ride_, foot_;
  // The entries of ride_ and foot_ this query wrote (index k * n + s, foot_ with written_foot
  // added), so that reset() restores only those.
  static constexpr std::uint32_t written_foot = 0x8000'0000U;
  detail::fixed_list<std::uint32_t> written_;
  std::vector<ride_parent> ride_parent_;
  std::vector<foot_parent> foot_parent_;
  std::vector<seconds_t> best_ride_, best_foot_, ready_;
  std::vector<std::uint8_t> touched_flag_;
  detail::fixed_list<stop_idx> touched_;
  std::vector<std::uint8_t> marked_, next_marked_, ride_improved_flag_;
  detail::fixed_list<stop_idx> marked_list_, next_marked_list_, ride_improved_;
  std::vector<std::uint32_t> route_start_, route_end_;  // ranks of the first / last marked stop
  detail::fixed_list<route_idx> routes_;
  std::vector<seconds_t> route_key_;  // 1: the route serves the target (or an egress stop)
  std::vector<route_idx> target_routes_;
  std::vector<seconds_t> to_target_;  // footpath / walk link / egress seconds to the target
  std::vector<stop_idx> to_target_stops_;
  seconds_t pending_{unreachable_time};  // 1 + an arrival the current round will record
  std::vector<seconds_t> egress_;        // seconds from a stop to the target coordinate
  std::vector<float> egress_dist_;
  std::vector<std::uint16_t> egress_extra_;  // 1 + the target place's extra edge giving egress_, or 0 (walk)
  std::vector<stop_idx> egress_stops_;
  seconds_t target_best_{unreachable_time};
  std::array<seconds_t, max_legs_limit + 1> target_round_{};
  std::array<target_parent, max_legs_limit + 1> target_parent_{};
  std::vector<pareto_entry> pareto_;
  seconds_t direct_walk_s_{-1};

  // Which trips run on the days a search scans. Recomputed only when the day, the offsets or
  // the wheelchair flags change, so repeated queries on one date do not pay for it; forward and
  // backward searches keep one each (their offsets differ), so that alternating them (tight
  // journeys, arrive-by beside depart-at) does not rebuild it every time.
  struct time_span {
    seconds_t first, last;
  };
  struct day_activity {
    // Per trip, bit o: runs on day + offsets[o].
    std::vector<std::uint8_t> runs;
    // Per offset o: trips[o * n_trips + route_first_trip[r] + j], j < n[o * n_routes + r], are
    // the trips in route of r running on day + offsets[o], in route order.
    std::vector<std::uint32_t> trips;
    std::vector<std::uint32_t> n;
    // Per route stop and offset ((route_stops raw offset + pos) * n_offsets + o): the departure /
    // arrival there of the first and the last trip running (only set where n is not 0).
    std::vector<time_span> dep, arr;
    std::int64_t day{std::numeric_limits<std::int64_t>::min()};
    std::array<int, max_offsets> offsets{};
    unsigned n_offsets{0};
    bool wheelchair{false};
    bool wheelchair_unknown_ok{false};
    // Realtime (rt_rounds.cc): the serial of the state applied (0: the timetable), and per offset
    // and route (o * n_routes + r) the overlay's block of that day, or null; empty without one.
    std::uint64_t rt_serial{0};
    std::vector<rt::route_day const*> rt_blocks;
    seconds_t first_departure{0};  // of any trip in its own service day, realtime included
  };
  std::array<day_activity, 4> activity_;  // forward, backward; then the same with realtime
  day_activity const* act_{&activity_[0]};
  // The times route r's scan reads on day offset o: the overlay's block, else the timetable's.
  route_times times_on(route_idx r, route_times const& timetable_times, unsigned o) const {
    if (act_->rt_blocks.empty()) return timetable_times;
    auto const* const b = act_->rt_blocks[static_cast<std::size_t>(o) * tt_.n_routes() + r.v()];
    if (b == nullptr) return timetable_times;
    return {b->arrivals.data(),           b->departures.data(), b->arrivals_by_trip.data(),
            b->departures_by_trip.data(), b->n_trips,           b->n_stops};
  }

  // --- realtime (rt_rounds.cc): the query's overlay (options::realtime), its extra routes marked
  // this round (first rank in search direction, or none), and the lower bounds lowered for it.
  rt::state const* rt_{nullptr};
  std::vector<std::uint32_t> extra_start_;
  std::vector<std::uint32_t> extras_;
  std::vector<std::uint16_t> lb_rt_;
  std::uint64_t rt_lb_serial_{0};
  bool rt_lb_usable_{true};   // no added trip, no assigned stop
  seconds_t rt_lb_slack_{0};  // rt::state::lower_bound_slack()
  void prepare_rt_activity(day_activity& a);
  void prepare_rt_lb();
  void prepare_extras();
  template <bool Fwd>
  void mark_extras(stop_idx s);
  template <bool Fwd, bool Range>
  void scan_extras(unsigned k);
  leg make_extra_leg(std::uint32_t extra, std::uint32_t board_pos, std::uint32_t alight_pos) const;
  void add_rt_departures(stop_idx s, seconds_t walk, seconds_t from_t, seconds_t to_t);

  // --- McRAPTOR scratch (labels in a pool; bags are pool indices per stop)
  struct mc_label {
    seconds_t arr{0}, walk{0};
    std::uint32_t parent{none};
    stop_idx stop{stop_idx::invalid()};
    bool ride{false};  // arrived by vehicle (change time applies before boarding again)
    bool dead{false};  // dominated by a label of the same round after it was created
    std::uint8_t round{0};
    // ride: the trip; otherwise how the stop was reached on foot (or by an extra edge)
    trip_idx trip{trip_idx::invalid()};
    std::uint32_t enter_pos{0}, exit_pos{0};
    std::int8_t offset{0};
    foot_parent via;
  };
  struct mc_target {
    walk_pareto_entry e;
    std::uint32_t label{none};                // none: direct walk
    stop_idx walk_from{stop_idx::invalid()};  // direct walk: from this stop of the origin (invalid: its coordinate)
    bool egress{false};
    std::uint16_t extra{0};  // egress: as target_parent::extra
    std::uint32_t duration{0};
    float distance_m{0.0F};
  };
  struct mc_route_label {
    std::uint32_t offset_idx, trip_in_route, enter_pos;
    seconds_t walk;
    std::uint32_t parent;
  };
  bool mc_insert(unsigned k, mc_label const& l);
  void mc_target_insert(unsigned k, seconds_t arr, seconds_t walk, mc_target t);
  std::vector<mc_label> mc_pool_;
  std::vector<std::vector<std::uint32_t>> mc_bag_ride_, mc_bag_foot_;  // all rounds so far
  std::vector<std::vector<std::uint32_t>> mc_new_, mc_next_;           // labels of the last round
  std::vector<stop_idx> mc_new_stops_, mc_next_stops_, mc_touched_;
  std::vector<std::uint8_t> mc_touched_flag_;
  std::vector<mc_route_label> mc_route_bag_;
  std::vector<mc_target> mc_targets_;
  std::vector<std::uint32_t> mc_ride_new_;  // ride labels of the current round, for footpaths
  seconds_t mc_start_{0};

  // --- stay-seated scratch (sized only for a timetable with continuations)
  // A ride_parent whose enter_pos has seated_flag set came seated: its low bits index
  // seated_pool_, the ride before it, whose own enter is a boarding position or again a flagged
  // index.
  static constexpr std::uint32_t seated_flag = 0x8000'0000U;
  struct seated_ride {
    trip_idx trip;
    std::uint32_t enter;  // search direction: where the rider got on it, or seated_flag | pool index
    std::int8_t offset;
  };
  std::vector<seated_ride> seated_pool_;
  // Per trip and day offset (offset + seated_slots / 2): 1 + the round in which it was ridden seated.
  static constexpr int seated_slots = 24;
  std::vector<std::uint8_t> seat_round_;
  std::vector<std::uint32_t> seat_touched_;
  // Per route and day offset (same slots): the trip in route ridden seated from its start earliest
  // (backward: latest) in this pass of rounds, or none. Trips of a route never overtake, so a
  // later (backward: earlier) one ridden seated improves no stop of the route: only what it runs
  // on as is followed (ride_seated).
  std::vector<std::uint32_t> seat_lead_;
  std::vector<std::uint32_t> seat_lead_touched_;
  // What a route scan leaves for relax_seated: per day offset, the earliest (backward: latest)
  // running trip catchable at a marked stop (an index into that offset's active trips, or none),
  // whatever the target bound, and the stop where it is caught.
  struct seated_scan {
    route_idx r;
    std::array<std::uint32_t, max_offsets> best, pos;
  };
  seated_scan seat_scan_;                          // filled by the scan of a route with continuations
  detail::fixed_list<seated_scan> seated_routes_;  // routes of this round with a trip to follow

  // --- tight journeys (tight.cc): the first search's labels (ride_, foot_ and written_ as it
  // left them, swapped out).
  std::vector<seconds_t> first_ride_, first_foot_;
  detail::fixed_list<std::uint32_t> first_written_;
  unsigned first_rounds_{0};        // rounds kept; 0: no pruning by them
  seconds_t latest_departure_{-1};  // of any trip in its own service day; -1: not computed yet
  // The first search's best arrival key at s by vehicle, and on foot, with at most j legs (each
  // round holds only what improved on the rounds before).
  seconds_t first_best(std::vector<seconds_t> const& labels, unsigned j, stop_idx s) const {
    auto best = labels[s.v()];
    for (auto i = 1U; i <= j; ++i) best = std::min(best, labels[i * n_stops_ + s.v()]);
    return best;
  }
  // Whether a label after k legs of this search at s can be reached by the first search in time
  // with the legs left (keys: forward the time, backward minus the time; they add up to <= 0).
  bool first_reaches_ride(unsigned k, stop_idx s, seconds_t key) const {
    auto const j = max_k_ - k;
    auto const ride = first_best(first_ride_, j, s);
    auto const ready = std::min(ride == unreachable_time ? ride : ride + change_time(s), first_best(first_foot_, j, s));
    return ready <= -key;
  }
  bool first_reaches_foot(unsigned k, stop_idx s, seconds_t key) const {
    // Round 0 walks from the search's source; a walk to the target ends a journey.
    return k == 0U || is_target(s) || first_best(first_ride_, max_k_ - k, s) <= -key;
  }

  // --- range scratch
  // Every candidate departure with the stop, route and position it leaves from (range.cc;
  // realtime states: the stop alone); in the passes after the first, round 1 rides only the
  // routes of the pass's departure (first_round_only_).
  struct range_departure {
    seconds_t tau;
    stop_idx s;
    route_pos rp;
  };
  std::vector<range_departure> range_deps_;
  std::span<range_departure const> first_round_only_;
  bool first_round_narrow_{false};
};

}  // namespace nebuta::raptor
