// A simulation scenario in plain engine values (parsed at the edge, in api/sim_io): rules, fleet,
// demand (explicit requests and/or a generator), rider behaviour, costs and fares.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nebuta/dispatch/types.h"

namespace nebuta::sim {

// One ride request as the demand gives it. Times are seconds after midnight of the first
// simulated day; earliest_pickup <= requested_at means "as soon as possible".
struct trip_request {
  std::string id;
  seconds_t requested_at{0};
  seconds_t earliest_pickup{0};
  latlon origin{}, destination{};
  std::uint16_t passengers{1};
  std::uint16_t wheelchair_users{0};
  // How late the rider reaches the pickup after the promised window start; -1: drawn
  // (rider_behaviour::late_probability).
  seconds_t late_s{-1};
};

// Places are drawn from weighted circles (uniform inside) and weighted points together: a
// candidate is chosen with probability weight / total weight.
struct circle_zone {
  latlon centre{};
  double radius_m{0.0};
  double weight{1.0};
};
struct weighted_point {
  latlon at{};
  double weight{1.0};
};
struct place_distribution {
  std::vector<circle_zone> zones;
  std::vector<weighted_point> points;
  bool empty() const { return zones.empty() && points.empty(); }
};

// Generated demand, per simulated day: Poisson arrivals of desired pickup times with rate
// requests_per_day * scale * hourly_profile[h] / sum(hourly_profile) in hour h.
struct demand_model {
  double requests_per_day{1000.0};
  double scale{1.0};
  std::array<double, 24> hourly_profile{};   // all zero: flat over the day
  place_distribution origins, destinations;  // destinations empty: same as origins
  double min_trip_m{300.0};                  // origin and destination are drawn again when closer
  double prebooked_share{0.0};               // requested lead time before the pickup ...
  seconds_t prebook_min_lead{1800};          // ... uniform in [min, max]
  seconds_t prebook_max_lead{86'400};
  std::vector<double> group_size_weights{1.0};  // weight of a group of 1, 2, 3, ... persons
  double wheelchair_share{0.0};                 // requests with one wheelchair user
};

// How simulated riders answer. A rider accepts an offer when its promised latest pickup is at
// most max_wait_accepted after the earliest pickup asked for, unless a draw below
// decline_probability makes them decline anyway; the answer comes response_s after the request.
// Accepted riders cancel with cancel_probability at a uniform moment between accepting and the
// planned pickup; riders still booked are absent at the pickup with no_show_probability.
struct rider_behaviour {
  seconds_t max_wait_accepted{3600};
  double decline_probability{0.0};
  seconds_t response_s{10};
  double cancel_probability{0.0};
  double no_show_probability{0.0};
  // Riders who come, come late with late_probability: uniform in [0, late_max_s] after the pickup
  // window's start. The vehicle waits until the dispatcher's no_show_time; a rider later than
  // that is a no-show.
  double late_probability{0.0};
  seconds_t late_max_s{0};
};

// Operator cost: per vehicle hour in service, per km driven, fixed per simulated day. Fare per
// passenger: base + per_km x direct distance of the ride.
struct cost_model {
  double per_vehicle_hour{0.0};
  double per_km{0.0};
  double fixed_per_day{0.0};
  double fare_base{0.0};
  double fare_per_km{0.0};
  std::string currency{"JPY"};  // ISO 4217 code every money figure is in
};

// The bus lines on-demand replaces or feeds, for the comparison of money (docs/simulation.md):
// their service per day is measured on the timetable (trips of the chosen routes running on the
// simulated date), the rest are the operator's figures.
struct bus_lines {
  std::vector<std::string> routes;  // GTFS route_id
  double per_vehicle_km{0.0};
  double per_vehicle_hour{0.0};
  double fare_revenue_per_day{0.0};
  double passengers_per_day{0.0};
  // Measured: trips, vehicle-km (shape, else stop to stop) and vehicle-hours (first departure to
  // last arrival of each trip) per day.
  std::size_t trips_per_day{0};
  double vehicle_km_per_day{0.0};
  double vehicle_hours_per_day{0.0};
};

struct scenario {
  std::string name;
  std::uint64_t seed{1};
  int days{1};
  dispatch::rules rules;
  // One service day's fleet; with several days every vehicle is added once per day, its shift
  // moved by 86,400 s per day.
  std::vector<dispatch::vehicle_spec> fleet;
  std::vector<trip_request> requests;  // explicit demand (any day)
  std::optional<demand_model> generated;
  rider_behaviour riders;
  cost_model costs;
  std::optional<bus_lines> bus;
  seconds_t reoptimise_every{300};  // 0: never
};

}  // namespace nebuta::sim
