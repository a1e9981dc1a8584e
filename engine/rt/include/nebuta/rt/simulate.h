// A seeded day of realtime for a timetable: what every vehicle really did, and the TripUpdates
// and VehiclePositions a producer would publish about it. For tests, load and soak runs, demos,
// and operators without realtime (`nebuta rt-simulate`). Deterministic for a seed.
//
// The delay model, per trip of the day:
// - a few trips are cancelled (cancel_probability);
// - the first departure is late with late_start_probability, by an exponential delay;
// - each segment's running time is the scheduled one times a normal factor (running_time_sd),
//   minus up to recovery_fraction of it while the vehicle is late (schedule slack);
// - incidents (a Poisson process per running vehicle, incident_rate_per_hour) stop the vehicle
//   at a random point of a segment for an exponential time: the delay propagates downstream;
// - at every stop it dwells dwell_min_s..dwell_max_s and never leaves before the schedule.
// The vehicle moves along the trip's path (shape, else stops) with a smooth speed profile
// (slow off and into stops); it reports from its first stop terminal_s before departure to its
// arrival at the last stop, every report_min_s..report_max_s, with Gaussian GPS noise of
// gps_noise_m standard deviation north and east. Positions carry the trip (most), only the
// route (route_only_fraction) or no descriptor (anonymous_fraction).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nebuta/rt/context.h"
#include "nebuta/rt/updates.h"
#include "nebuta/rt/vehicle_tracker.h"

namespace nebuta::rt {

struct sim_options {
  std::uint64_t seed{1};
  double cancel_probability{0.01};
  double late_start_probability{0.3};
  double late_start_mean_s{60.0};
  double running_time_sd{0.06};
  double recovery_fraction{0.05};
  double incident_rate_per_hour{0.8};
  double incident_mean_s{120.0};
  seconds_t dwell_min_s{10}, dwell_max_s{30};
  double gps_noise_m{20.0};
  seconds_t report_min_s{15}, report_max_s{60};
  seconds_t terminal_s{300};
  double route_only_fraction{0.2};
  double anonymous_fraction{0.1};
};

struct sim_trip {
  trip_idx trip;
  day_idx day;
  bool canceled{false};
  std::string vehicle;
  std::uint8_t descriptor{0};                 // 0 trip, 1 route only, 2 none
  std::vector<seconds_t> arrival, departure;  // what happened, service-day seconds
  struct segment {
    double moving_s{0.0};      // running time without the incident
    double incident_at{-1.0};  // fraction of moving time before the stop, -1 none
    double incident_s{0.0};
  };
  std::vector<segment> segments;  // stop i → i+1
  std::vector<unix_time> reports;
};

class day_simulation {
 public:
  day_simulation(context const& ctx, date_t day, sim_options opt = {});

  std::span<sim_trip const> trips() const { return trips_; }
  unix_time base(sim_trip const& t) const { return ctx_.day_base(t.trip, t.day); }
  unix_time first_report() const { return first_; }
  unix_time last_report() const { return last_; }

  // Where the vehicle really is (along its path) at instant t.
  double along_at(sim_trip const& t, unix_time at) const;
  // Every position reported in (from, to], with its own timestamp.
  void positions(unix_time from, unix_time to, std::vector<vehicle_position>& out) const;
  // A VehiclePositions snapshot: each running vehicle's latest report at or before `at`.
  feed_message vehicle_positions(unix_time at) const;
  // A TripUpdates snapshot: cancelled trips, and for trips running or starting within the hour
  // the times passed and the current delay held downstream (what a producer knows at `at`).
  feed_message trip_updates(unix_time at) const;

 private:
  vehicle_position report(sim_trip const& t, std::size_t k) const;

  context const& ctx_;
  sim_options opt_;
  std::vector<sim_trip> trips_;
  unix_time first_{0}, last_{0};
};

// The vehicle tracker's error on a simulated day: the positions reported are fed to a tracker
// every interval_s from `from` to `to`; at each of these instants, every vehicle running (not
// cancelled, departed or waiting at its terminal, not yet at its last stop) is looked up, and its
// estimated arrival at each of its next `next_stops` stops not yet reached is compared with the
// simulated arrival.
struct estimator_error {
  std::vector<double> abs_error_s;           // one per (instant, vehicle, stop)
  std::vector<double> schedule_abs_error_s;  // the same stops predicted by the timetable alone
  std::uint64_t instants{0}, positions{0};
  std::uint64_t running{0};     // (instant, vehicle) pairs running
  std::uint64_t estimated{0};   // ... with an estimate of the right trip
  std::uint64_t wrong_trip{0};  // ... with an estimate of another trip
  skip_counts skipped;
  double percentile(double p) const { return percentile_of(abs_error_s, p); }  // p in [0, 1]
  static double percentile_of(std::vector<double> v, double p);
};
estimator_error measure_estimator(day_simulation const& sim, context const& ctx, tracker_options const& opt,
                                  seconds_t interval_s, unix_time from, unix_time to, unsigned next_stops = 5);

}  // namespace nebuta::rt
