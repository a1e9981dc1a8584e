// Travel times by transit from an origin to the nearest place of a destination set, for every
// departure minute of a window, and the percentiles of those times as R5 / Conveyal report them.
//
// R5's definitions, which these follow (TravelTimeReducer in conveyal/r5; Conveyal's methodology
// page "Accounting for variability"):
//   - one travel time per departure minute of the window: a 07:00-09:00 window departs at 07:00,
//     07:01, ..., 08:59 (120 times); the time counts the wait at the origin, so it is the earliest
//     arrival of a journey leaving at that minute, minus the minute;
//   - walking all the way counts when it is faster;
//   - times are whole minutes, truncated (59 min 59 s is 59), and a time of max_duration or more
//     is unreachable;
//   - the p-th percentile is the value at index ceil(p / 100 x n) - 1 of the n times sorted, with
//     unreachable sorted last (no interpolation: the median of 120 times is the 60th smallest);
//   - a place is reached "within T minutes" when its time is below T.
//
// Method: one range RAPTOR query (rRAPTOR, raptor::router::range) per origin and destination set
// gives every Pareto journey departing in the window; one earliest-arrival query from the last
// minute covers the journeys leaving after it. The whole set is one target of the router: a
// place with an egress edge from every stop within walking distance of any of its points (the
// fastest per stop), so one search answers "the nearest of the set" (not one per place).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "nebuta/raptor/router.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::access {

inline constexpr std::int16_t unreachable_minutes = -1;

struct window {
  date_t date{};
  seconds_t start{0};  // first departure, seconds after midnight of `date`
  seconds_t end{0};    // departures every `step` seconds in [start, end)
  seconds_t step{60};
  std::size_t departures() const {
    return end > start && step > 0 ? static_cast<std::size_t>((end - start + step - 1) / step) : 0U;
  }
  seconds_t departure(std::size_t i) const { return start + static_cast<seconds_t>(i) * step; }
};

struct travel_options {
  raptor::options ropt;
  seconds_t max_duration{7200};  // times at or above it are unreachable (R5's maxTripDuration)
};

// A destination set made into one target of the router. A point is reached by walking to it
// from a stop within ropt.max_walk_m (ceil(distance / walk speed) seconds, as the router walks
// to a coordinate), or from the origin directly, or by the extra egress edges given (an
// on-demand ride from a stop; they then reach the set's `direct` points too, see travel_times).
class destination_set {
 public:
  destination_set() = default;
  destination_set(raptor::index const& idx, std::vector<latlon> points, travel_options const& o,
                  std::span<raptor::access_edge const> extra_egress = {});

  std::span<latlon const> points() const { return points_; }
  std::span<raptor::access_edge const> egress() const { return egress_; }
  // The router's target: a coordinate no stop is near, reached only over the egress edges.
  raptor::place place() const;

 private:
  std::vector<latlon> points_;
  std::vector<raptor::access_edge> egress_;
};

// Computes per-minute travel times with one router (per thread; the router's scratch is reused).
class travel_times {
 public:
  explicit travel_times(raptor::router& r) : router_{r} {}

  // out[i] = the travel time in seconds departing at w.departure(i) to the nearest point of the
  // set, or unreachable_time: exactly the minimum over the points of the earliest arrival of
  // router.earliest_arrival(at_coord(origin, access), at_coord(point)) at that minute, minus the
  // minute, and of `direct_s` (a door-to-door time by other means, e.g. an on-demand ride, or -1).
  void from(latlon origin, std::span<raptor::access_edge const> access, destination_set const& set, window const& w,
            travel_options const& o, seconds_t direct_s, std::vector<seconds_t>& out);

  // Lowers each out[i] to `arrival - departure(i)` for every journey (departure, arrival) in
  // `journeys` leaving at or after the minute; `after`: the earliest arrival leaving after the
  // window (or unreachable_time). `journeys` must be sorted by decreasing departure.
  static void lower(std::span<raptor::range_entry const> journeys, seconds_t after, window const& w,
                    std::vector<seconds_t>& out);

 private:
  raptor::router& router_;
  std::vector<raptor::range_entry> entries_;
};

// The walking time from `origin` to the nearest point within max_walk_m, or -1.
seconds_t walk_to_nearest(latlon origin, std::span<latlon const> points, raptor::options const& o);

// R5's percentiles of per-minute times (seconds or unreachable_time) in whole minutes, or
// unreachable_minutes; `percentiles` in (0, 100], ascending.
void percentile_minutes(std::span<seconds_t const> times, std::span<double const> percentiles, seconds_t max_duration,
                        std::span<std::int16_t> out);

}  // namespace nebuta::access
