// Delays from VehiclePositions alone (most Japanese bus location systems publish nothing else).
//
// Matching, per position:
//  1. the trip descriptor's trip (service day: start_date, else the day whose run is nearest);
//  2. else the vehicle's current trip, or the next trip of its block, when it was seen before;
//  3. else the trips of the descriptor's route (and direction), or without a route the trips of
//     the routes serving stops near the position, running around that time: the one whose
//     schedule at the projected point is nearest to the position's time.
// Projection: onto the trip's path (shapes.txt, else its stops as a polyline); of the places
// where the path passes near the position, the one nearest to where the vehicle should be (its
// last fix, or its schedule) is taken.
// Rejected and counted: positions not newer than the vehicle's last (stale_timestamp), implied
// speeds above max_speed_mps or a backward move beyond backward_tolerance_m (position_jump),
// positions farther than max_offset_m from the path (off_route), no trip (unmatched_vehicle).
// After restart_after jumps in a row the vehicle is taken to be where it now says (a wrong fix
// was accepted before, or it really moved) and its track restarts.
//
// The estimator: the delay now is the fix's time minus the scheduled time at the projected
// point (between two stops the schedule is interpolated along the path from the departure at one
// to the arrival at the next; at a stop the vehicle departs at its time or its scheduled
// departure, whichever is later; within terminal_m of the first stop, or before its departure
// time and not halfway to the second stop, it has not departed: it leaves at max(now,
// scheduled departure)). That delay holds for every later stop, decaying
// linearly to zero over decay_horizon_s of scheduled time when that is not 0; a vehicle ahead of
// schedule reaches the next stop early and leaves it on time. Passed stops get times no later
// than the fix. The estimate is an ordinary trip_update (estimated = true) with absolute times at
// every stop, so it is applied exactly like a TripUpdate.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "nebuta/rt/context.h"
#include "nebuta/rt/updates.h"

namespace nebuta::rt {

struct tracker_options {
  double max_offset_m{150.0};         // farther from the trip's path: off route
  double max_speed_mps{45.0};         // faster between two fixes: a jump
  double backward_tolerance_m{80.0};  // moving back along the path more than this: a jump
  double at_stop_m{30.0};             // this close to a stop (along the path): at the stop
  double terminal_m{150.0};           // this close to the first stop: not departed
  seconds_t forget_after_s{600};      // a vehicle silent this long is dropped
  seconds_t match_window_s{1800};     // route matching: trips within this of their schedule
  seconds_t terminal_wait_s{7200};    // before the first departure: reporting from the terminal
  double terminal_radius_m{500.0};    // off the path but this close to the first stop: at the terminal
  seconds_t decay_horizon_s{0};       // 0: the delay holds downstream
  double near_stop_radius_m{500.0};   // route-less matching: routes of stops this close
  unsigned restart_after{3};          // after this many jumps in a row the track restarts there
};

class vehicle_tracker {
 public:
  explicit vehicle_tracker(context const& ctx, tracker_options opt = {});

  // Consumes one message's positions (feed_time stands in for missing timestamps).
  void update(std::span<vehicle_position const> positions, std::optional<unix_time> feed_time, skip_counts& skipped);
  // The current estimate of every tracked vehicle seen within forget_after_s of `now`.
  std::vector<trip_update> estimates(unix_time now) const;
  std::size_t tracked() const { return tracks_.size(); }
  // Vehicles with a trip, seen within forget_after_s of now.
  std::size_t matched(unix_time now) const;

  // The estimate for one position of a known trip-day (exposed for tests and the simulator's
  // error measurement): nullopt when the fix is past the trip's end.
  std::optional<trip_update> estimate(trip_idx t, day_idx d, double along, unix_time at, std::string const& vehicle) const;

 private:
  struct fix {
    unix_time t;
    double along;
    latlon p;
  };
  struct track {
    trip_idx trip{trip_idx::invalid()};
    day_idx day{};
    std::vector<fix> history;  // last fixes on the current trip, oldest first
    unix_time last_t{0};
    std::optional<latlon> last_p;
    std::optional<trip_update> estimate;
    unsigned rejected{0};  // positions rejected in a row as jumps
  };
  struct candidate {
    trip_idx trip;
    day_idx day;
    double along{0.0};
    double score{0.0};
  };

  void process(vehicle_position const& v, unix_time t, skip_counts& skipped, bool restarting = false);
  std::optional<day_idx> running_day(trip_idx t, unix_time at, std::optional<date_t> start_date) const;
  // The scheduled instant at along-distance s of trip t on day d.
  double sched_at(trip_idx t, day_idx d, double s) const;
  std::optional<candidate> best_projection(trip_idx t, day_idx d, latlon p, unix_time at, track const* tr) const;

  context const& ctx_;
  tracker_options opt_;
  std::unordered_map<std::string, track> tracks_;
  mutable std::vector<stop_idx> near_;
};

}  // namespace nebuta::rt
