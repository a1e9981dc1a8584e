// Everything the journey planner derives from a timetable, built once and then only read: which
// routes pass each stop, footpaths by arrival stop, exact walking distances, a trip-major copy of
// the times, the stops by latitude (nearby_stop_index) and the lower-bound data. Any number of
// routers (one per thread) share one index; a router holds only the scratch state of its queries.
//
// Whoever loads a timetable builds its index next to it and keeps both alive as long as a router
// uses them (the index refers to the timetable, routers refer to the index).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "nebuta/raptor/lower_bound.h"
#include "nebuta/timetable/nearby_stop_index.h"
#include "nebuta/timetable/snapshot.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::raptor {

// A stop of a route: the route and the stop's position in it (or its rank in the search
// direction, where the index says so).
struct route_pos {
  route_idx r;
  std::uint32_t pos;
};

// The times of one route as a route scan reads them. Stop-major ([pos * n_trips + trip]): all
// trips at one stop, sorted, to find the trip to board by binary search. Trip-major ([trip *
// n_stops + pos]): one trip along its stops, to ride it. A realtime overlay supplies its own
// view for the routes it changes; the scan reads times only through this.
struct route_times {
  seconds_t const* arr_by_stop;
  seconds_t const* dep_by_stop;
  seconds_t const* arr_by_trip;
  seconds_t const* dep_by_trip;
  std::uint32_t n_trips;
  std::uint32_t n_stops;
};

// A stay-seated continuation of a trip (GTFS block_id, or transfers.txt transfer_type 4): on the
// service days d of the trip whose bit is set in `days`, a rider on it may stay on board into
// `other`, which runs on service day d + shift. Forward lists give the next trip (shift 0 or 1),
// backward lists the previous one (shift 0 or -1), each with the days of its own trip.
struct seated_link {
  trip_idx other;
  std::int32_t shift;
  std::uint32_t days;  // first word of the day bits (timetable::bitfield_words words)
};

// Parts of an index stored beside its timetable (snapshot sections, written by
// index::snapshot_sections), so that a process started from a snapshot loads them instead of
// building them. A part that does not fit the timetable or the build is built as usual.
struct stored_index {
  std::span<char const> lb_graph;      // lower_bound_graph::to_bytes()
  std::span<char const> seated_links;  // the stay-seated continuations (blocks.cc)
  // Keeps lb_graph alive when it views a mapped snapshot: the graph then reads it in place.
  std::shared_ptr<void const> lb_graph_owner{};
  // The parts among a snapshot's sections; a missing one is no error: that part is built.
  static stored_index find(std::span<snapshot_section const> sections);
};

class index {
 public:
  static constexpr std::string_view seated_section_name = "raptor.seated_links";

  // lb_table_max_stops: the largest timetable whose lower-bound graph keeps the table of bounds
  // to every stop (lower_bound.h); tests lower it to check the per-query sweep gives the same.
  explicit index(timetable const& tt, std::size_t lb_table_max_stops = lower_bound_graph::table_max_stops)
      : index{tt, lb_table_max_stops, stored_index{}} {}
  // With parts stored beside the timetable: each used when it fits tt and the build's
  // parameters, else built as above.
  index(timetable const& tt, stored_index const& stored) : index{tt, lower_bound_graph::table_max_stops, stored} {}
  index(index const&) = delete;
  index& operator=(index const&) = delete;

  timetable const& tt() const { return tt_; }
  std::size_t n_stops() const { return tt_.n_stops(); }

  // The (route, position) occurrences of stop s, so that a marked stop marks its routes from
  // the right position even when a route visits the stop twice.
  std::span<route_pos const> occurrences(stop_idx s) const {
    return {occ_.data() + occ_offsets_[s.v()], occ_.data() + occ_offsets_[s.v() + 1]};
  }
  // The occurrences where a passenger can get on in the search direction (board forward,
  // alight backward) with at least one stop to ride to; pos is the rank in that direction.
  std::span<route_pos const> entries(stop_idx s, bool fwd) const {
    auto const& offs = fwd ? entry_fwd_offsets_ : entry_bwd_offsets_;
    auto const& list = fwd ? entry_fwd_ : entry_bwd_;
    return {list.data() + offs[s.v()], list.data() + offs[s.v() + 1]};
  }
  // transfers.txt footpaths arriving at s; `target` is the stop they leave from.
  std::span<footpath const> footpaths_into(stop_idx s) const {
    return {rev_fp_.data() + rev_fp_offsets_[s.v()], rev_fp_.data() + rev_fp_offsets_[s.v() + 1]};
  }
  // Exact (double) walking distances, parallel to tt.stop_walk_links' data: the stored ones are
  // floats, and ceil(distance / speed) as well as a radius test must not depend on their rounding.
  std::span<double const> link_distances() const { return link_dist_; }

  route_times times(route_idx r) const {
    auto const base = tt_.route_time_base[r];
    return {tt_.arrivals.data() + base, tt_.departures.data() + base,
            arr_tm_.data() + base,      dep_tm_.data() + base,
            tt_.route_n_trips[r],       static_cast<std::uint32_t>(tt_.route_stops[r].size())};
  }

  // The continuations of trip t (blocks.cc): the trips a rider stays seated into (fwd) or came
  // seated from (backward).
  std::span<seated_link const> seated(trip_idx t, bool fwd) const {
    auto const& offs = fwd ? seated_fwd_off_ : seated_bwd_off_;
    auto const& list = fwd ? seated_fwd_ : seated_bwd_;
    if (offs.empty()) return {};
    return {list.data() + offs[t.v()], list.data() + offs[t.v() + 1]};
  }
  bool seated_on(seated_link const& l, std::int64_t day) const {
    if (day < 0 || day >= static_cast<std::int64_t>(tt_.n_days)) return false;
    auto const d = static_cast<std::size_t>(day);
    return ((seated_days_[l.days + d / 64] >> (d % 64)) & 1U) != 0U;
  }
  // Some trip of route r has a continuation in that direction.
  bool route_seated(route_idx r, bool fwd) const {
    return !route_seated_.empty() && (route_seated_[r.v()] & (fwd ? 1U : 2U)) != 0U;
  }
  std::size_t n_seated_links() const { return seated_fwd_.size(); }
  // Every trip of route r runs on (fwd; backward: came from) only as trips that start (end) at
  // r's last (first) stop itself and may be boarded (left) there: a rider who could be at that
  // stop anyway by then could take the same trip by changing (blocks.cc).
  bool seated_only_at_end(route_idx r, bool fwd) const {
    return !seated_at_end_.empty() && (seated_at_end_[r.v()] & (fwd ? 1U : 2U)) != 0U;
  }
  // The routes some trip of r runs on as (fwd), or runs on from (backward), once each.
  std::span<route_idx const> seated_routes(route_idx r, bool fwd) const {
    auto const& offs = fwd ? seated_route_fwd_off_ : seated_route_bwd_off_;
    auto const& list = fwd ? seated_route_fwd_ : seated_route_bwd_;
    if (offs.empty()) return {};
    return {list.data() + offs[r.v()], list.data() + offs[r.v() + 1]};
  }

  // GTFS wheelchair_boarding of a stop (0 unknown, 1 yes, 2 no), a platform's 0 inherited from
  // its station.
  std::uint8_t accessibility(stop_idx s) const { return stop_accessible_[s.v()]; }

  // The earliest departure of any trip in its own service day.
  seconds_t first_departure() const { return first_departure_; }

  // Calls f(stop, distance) for every stop with coordinates within radius_m of c, in order of
  // (latitude, stop) (nearby_stop_index).
  template <typename F>
  void stops_near(latlon c, double radius_m, F&& f) const {
    nearby_stops_.for_each_near(c, radius_m, std::forward<F>(f));
  }

  // The graph per-query lower bounds are computed on (lower_bound.h).
  lower_bound_graph const& lb_graph() const { return lb_graph_; }
  // Whether lb_graph() came from stored bytes rather than a build.
  bool lb_graph_stored() const { return lb_graph_stored_; }
  // Whether the stay-seated continuations came from stored bytes.
  bool seated_links_stored() const { return seated_stored_; }
  // The parts worth storing beside the timetable (`nebuta import`): the lower-bound graph and
  // the stay-seated continuations, the two costly steps of the build on a large timetable.
  std::vector<snapshot_section> snapshot_sections() const;

  // Bytes held by the index (not counting the timetable).
  std::size_t memory_bytes() const;

 private:
  timetable const& tt_;
  std::vector<std::uint32_t> occ_offsets_;
  std::vector<route_pos> occ_;
  std::vector<std::uint32_t> entry_fwd_offsets_, entry_bwd_offsets_;
  std::vector<route_pos> entry_fwd_, entry_bwd_;
  std::vector<std::uint32_t> rev_fp_offsets_;
  std::vector<footpath> rev_fp_;
  std::vector<double> link_dist_;
  std::vector<seconds_t> arr_tm_, dep_tm_;
  std::vector<std::uint8_t> stop_accessible_;
  nearby_stop_index nearby_stops_;
  seconds_t first_departure_{0};
  index(timetable const& tt, std::size_t lb_table_max_stops, stored_index const& stored);

  lower_bound_graph lb_graph_;
  bool lb_graph_stored_{false};
  void build_seated();                                  // blocks.cc
  std::vector<char> seated_to_bytes() const;            // blocks.cc
  bool seated_from_bytes(std::span<char const> bytes);  // blocks.cc; false: not used
  bool seated_stored_{false};
  std::vector<std::uint32_t> seated_fwd_off_, seated_bwd_off_;
  std::vector<seated_link> seated_fwd_, seated_bwd_;
  std::vector<std::uint64_t> seated_days_;
  std::vector<std::uint8_t> route_seated_;  // bit 0: a trip has a successor, bit 1: a predecessor
  void build_seated_routes();               // blocks.cc, from the trips' links (built or stored)
  std::vector<std::uint32_t> seated_route_fwd_off_, seated_route_bwd_off_;
  std::vector<route_idx> seated_route_fwd_, seated_route_bwd_;
  std::vector<std::uint8_t> seated_at_end_;  // bit 0: forward, bit 1: backward (build_seated_routes)
};

}  // namespace nebuta::raptor
