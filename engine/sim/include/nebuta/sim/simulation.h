// The discrete-event simulation of a service area. It drives a real dispatch::dispatcher through
// its public commands, exactly as live dispatch does, with a simulated clock:
//
//   - a request arrives: request_offer; the rider answers response_s later (rider_behaviour):
//     accept, or declines (the offer then simply expires);
//   - vehicles follow their plans exactly: at a stop's planned arrival they report their position
//     (update_position) and `arrived`; at the planned service begin `picked_up` / `dropped_off`;
//     an absent rider is waited for until the dispatcher's no_show_time (no_show_wait after
//     max(arrival, window start), less where the later promises on the vehicle leave less), then
//     reported as `no_show`; accepted riders may cancel (cancel, by the rider);
//   - every reoptimise_every seconds: reoptimise.
//
// At equal times the order is: vehicle events (by vehicle), cancellations, rider answers, new
// requests, re-optimisation. Idle vehicles wait where they are; a vehicle that left its depot
// drives back at the end of its shift (leaving at the latest moment that reaches the depot at
// shift end, or right away when it is late). Everything is deterministic for a seed: riders'
// draws come from hash(seed, request index), not from the order of events.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nebuta/dispatch/commands.h"
#include "nebuta/road/travel_model.h"
#include "nebuta/sim/journeys.h"
#include "nebuta/sim/scenario.h"
#include "nebuta/sim/transit.h"

namespace nebuta::dispatch {
class dispatcher;
}

namespace nebuta::sim {

// `open`: booked or on board when the records were taken (a live service's day in progress,
// exported by the on-demand API); a finished simulation has none.
enum class request_outcome : std::uint8_t { served, rejected, declined, cancelled, no_show, open };
enum class event_kind : std::uint8_t { depart_depot, pickup, dropoff, no_show, return_depot };

char const* to_string(request_outcome);
char const* to_string(event_kind);

struct request_record {
  trip_request request;  // earliest_pickup already max(requested_at, asked)
  request_outcome outcome{request_outcome::rejected};
  std::string reject_reason;  // dispatcher's reason, or expired / no_longer_feasible at accept
  std::int32_t vehicle{-1};   // index into result::vehicles (offered or serving vehicle)
  std::optional<seconds_t> promised_pickup_start, promised_pickup_end, promised_dropoff_by;
  std::optional<seconds_t> pickup_at, dropoff_at;
  std::optional<seconds_t> direct_s;  // the dispatcher's travel time between the (meeting) points, when reachable
  double direct_m{0.0};
  bool shared{false};                          // served, and another request was on board at some moment of the ride
  std::optional<transit_alternative> transit;  // with sim_options::transit_index: the timetable's answer
};

struct vehicle_record {
  std::string id;
  std::uint16_t seats{0}, wheelchair_spaces{0};
  seconds_t shift_start{0}, shift_end{0};
  double km_driven{0.0};
  double km_empty{0.0};                 // driven with nobody on board
  double passenger_km{0.0};             // sum over legs of persons on board x leg length
  double hours_in_service{0.0};         // shift length
  double hours_occupied{0.0};           // time with at least one person on board
  std::uint32_t passengers_carried{0};  // persons dropped off
};

struct vehicle_event {
  seconds_t time{0};
  std::uint32_t vehicle{0};
  std::int32_t request{-1};  // index into result::requests, -1 for depot events
  event_kind kind{event_kind::pickup};
  latlon at{};
  std::uint16_t onboard{0};  // persons on board after the event
};

struct kpis {
  std::size_t requests{0}, served{0};
  std::map<std::string, std::size_t> rejected_by_reason;
  std::optional<double> served_rate, wait_mean_s, wait_p50_s, wait_p95_s, wait_max_s, ride_mean_s, detour_mean,
      detour_p95, occupancy, pooling_rate, empty_km_share, vehicle_utilisation, passengers_per_vehicle_hour,
      cost_per_passenger, farebox_recovery;
  // With a timetable (docs/simulation.md): shares of all requests, means in seconds.
  // Money (docs/simulation.md, "Money"), in `currency`, over all simulated days.
  std::string currency;
  double cost{0.0}, fare_revenue{0.0};
  std::optional<double> public_cost_per_passenger;
  std::optional<double> bus_vehicle_km, bus_vehicle_hours, bus_cost, bus_cost_per_passenger,
      bus_public_cost_per_passenger, bus_farebox_recovery;
  std::size_t transit_planned{0};
  std::optional<double> transit_no_option_share, transit_unreachable_share, transit_duration_mean_s, transit_rides_mean,
      door_to_door_on_demand_mean_s, door_to_door_transit_mean_s;
  std::size_t door_to_door_compared{0};  // served requests with a reachable transit journey
  std::optional<journey_kpis> journeys;  // a journeys run (sim_options::journeys)
};

struct result {
  std::vector<request_record> requests;  // in the order they were made (requested_at, stable)
  std::vector<vehicle_record> vehicles;
  std::vector<vehicle_event> events;  // by time, then in the order they happened
  // A journeys run: one record per journey of the demand, in the order they were made; then
  // `requests` holds one record per on-demand leg asked of the dispatcher (offers not booked:
  // declined).
  std::vector<journey_record> journeys;
  kpis k;
  std::vector<std::string> validation_errors;  // with options.validate: first errors found
  std::size_t n_commands{0};                   // dispatcher commands issued
  std::size_t n_checks{0};                     // validator runs
};

struct sim_options {
  // Runs the dispatcher's independent validator (dispatch/validate) after every dispatcher
  // command, against the promises exactly as given (the simulated world causes no lateness: a
  // no-show wait ends at the dispatcher's no_show_time).
  bool validate{false};
  road::travel_model const* validation_model{nullptr};  // default: the simulation's model
  std::size_t max_validation_errors{20};
  std::function<void(std::size_t done, std::size_t total)> progress;  // called every ~1% of requests
  // Receives every dispatcher command, as live dispatch journals them; `after_command` is called
  // after each one with the dispatcher (e.g. to compact that journal from its state).
  dispatch::journal* journal{nullptr};
  std::function<void(dispatch::dispatcher const&)> after_command;
  // Plans every request's fixed-route alternative on this index (sim/transit.h) after the run.
  raptor::index const* transit_index{nullptr};
  transit_settings transit;
  // Journeys instead of rides (journeys.h): the demand's requests are door-to-door journeys the
  // MaaS planner plans on this index. transit_index is then not used for requests.
  journey_options const* journeys{nullptr};
};

// Runs the scenario (its requests plus generated demand) on the travel model.
result simulate(scenario const& sc, road::travel_model const& model, sim_options const& opt = {});

// Fills request_record::transit of every request (plan_transit with one router).
void add_transit_alternatives(result& r, raptor::index const& idx, transit_settings const& s);

// The KPIs of a finished run (see docs/simulation.md for the definitions).
kpis compute_kpis(result const& r, scenario const& sc);

// Nearest-rank percentile (p in [0, 100]) of unsorted values; nullopt when empty.
std::optional<double> percentile(std::vector<double> values, double p);

}  // namespace nebuta::sim
