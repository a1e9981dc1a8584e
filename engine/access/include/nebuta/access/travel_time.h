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

// One place of a destination set: a stop (arrival at the stop), or a coordinate reached on foot
// from the stops within the router's max_walk_m.
struct target {
  latlon at{};
  stop_idx stop{stop_idx::invalid()};
  raptor::place place() const { return stop.valid() ? raptor::place::at_stop(stop) : raptor::place::at_coord(at); }
};

struct travel_options {
  raptor::options ropt;
  seconds_t max_duration{7200};  // times at or above it are unreachable (R5's maxTripDuration)
};

// Computes per-minute travel times with one router (per thread; the router's scratch is reused).
class travel_times {
 public:
  explicit travel_times(raptor::router& r) : router_{r} {}

  // out[i] = the travel time in seconds departing at w.departure(i) to the nearest target, or
  // unreachable_time. Exactly the earliest arrival of router.earliest_arrival at that minute
  // minus the minute, minimised over the targets: one range query per target gives every
  // departure of the window, and one earliest-arrival query covers the journeys leaving after it.
  void from(latlon origin, std::span<target const> targets, window const& w, travel_options const& o,
            std::vector<seconds_t>& out);

  // Lower each out[i] to `arrival - departure(i)` for every journey (departure, arrival) in
  // `journeys` leaving at or after the minute: how access by other means (an on-demand ride to a
  // stop) joins the minutes. `journeys` must be sorted by decreasing departure.
  static void lower(std::span<raptor::range_entry const> journeys, seconds_t after, window const& w,
                    std::vector<seconds_t>& out);

 private:
  raptor::router& router_;
  std::vector<raptor::range_entry> entries_;
};

// R5's percentiles of per-minute times (seconds or unreachable_time) in whole minutes, or
// unreachable_minutes; `percentiles` in (0, 100], ascending.
void percentile_minutes(std::span<seconds_t const> times, std::span<double const> percentiles, seconds_t max_duration,
                        std::span<std::int16_t> out);

}  // namespace nebuta::access
