// Door-to-door journeys across a region (issue 16, item 6): the simulation's demand is journeys
// rather than rides, and the MaaS planner decides for each one between transit only, an on-demand
// first or last mile to or from a train (or both), and an on-demand ride the whole way; riders book
// the chosen journey as one (dispatch accept_journey with its connection promises) and follow it
// on the timetable. docs/simulation.md ("Journeys") gives the rule and the KPIs.
//
// Per journey, at its request time and in simulated time:
//   1. transit only: raptor::tight_journeys from the origin to the destination (as `nebuta plan`);
//   2. on-demand: intermodal::search_on_demand on the same router, each variant through the mixer
//      (intermodal::mix, the rule of /v1/plan), the shown ones best first (earliest arrival, then
//      fewest vehicles), at most settings::max_offers of them asked of the dispatcher, each leg's
//      pickup window and drop-off limit derived from the train it connects to;
//   3. the rider books the first variant whose every leg is offered and keeps its connection
//      (accept_journey, all legs at once); else travels by transit only when there is a journey;
//      else has no option.
// Then the rider follows the journey: a first-mile rider boards the planned train only when the
// vehicle dropped them by its departure less the buffer; otherwise the connection is missed and the
// rider goes on by transit only from where they are (as also after a first-mile no-show, from home).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "nebuta/core/time.h"
#include "nebuta/intermodal/settings.h"
#include "nebuta/sim/scenario.h"
#include "nebuta/sim/transit.h"

namespace nebuta::raptor {
class index;
}

namespace nebuta::sim {

// What the planner chose for a journey.
enum class journey_mode : std::uint8_t {
  no_option,  // neither transit nor a bookable on-demand journey
  transit_only,
  first_mile,      // on-demand to a stop, then transit
  last_mile,       // transit, then on-demand from a stop
  first_and_last,  // both
  door_to_door     // on-demand the whole way
};
char const* to_string(journey_mode m);

// How the first-mile connection went: none (no first mile), kept (dropped off by the train's
// departure less the buffer), missed (dropped off later), no_show (the rider missed the vehicle),
// cancelled (the leg did not run), booking_failed is a mode-level outcome (see journey_record).
enum class connection_outcome : std::uint8_t { none, kept, missed, no_show, not_run };
char const* to_string(connection_outcome c);

struct journey_record {
  trip_request request;  // as the demand gives it; earliest_pickup = max(requested_at, asked)
  journey_mode mode{journey_mode::no_option};
  std::string shown_reason;                            // the mixer's reason for the booked on-demand variant
  std::uint32_t variants_shown{0};                     // on-demand variants the mixer let through
  std::uint32_t variants_dropped{0};                   // asked but refused, or not keeping their connection
  bool booking_failed{false};                          // accept_journey refused the chosen variant: transit only
  seconds_t planned_departure{0}, planned_arrival{0};  // of the chosen journey (offer's times)
  transit_alternative transit;                         // the transit-only journey of the same request (arrival first)
  // Indices into result::requests of the booked legs (-1: none).
  std::int32_t first_leg{-1}, last_leg{-1}, door_leg{-1};
  // The first mile's train: trip and stop (the timetable's ids), departure, and the drop-off limit
  // departure - buffer (seconds after midnight of day 1).
  std::string first_trip, first_stop;
  seconds_t first_departure{0}, dropoff_by{0};
  // The last mile's train: trip, stop, arrival, and the pickup window's start arrival + buffer.
  std::string last_trip, last_stop;
  seconds_t last_arrival{0}, pickup_from{0};
  connection_outcome connection{connection_outcome::none};
  std::optional<seconds_t> first_dropoff_at;  // when the first-mile vehicle dropped the rider off
  // After a missed connection or a first-mile no-show: the transit-only journey taken from there.
  bool replanned{false};
  std::optional<seconds_t> arrival;  // at the destination, as travelled; nullopt: did not arrive
};

// The journey KPIs of a run (docs/simulation.md, "Journeys").
struct journey_kpis {
  std::size_t journeys{0}, no_option{0}, transit_only{0}, first_mile{0}, last_mile{0}, first_and_last{0},
      door_to_door{0}, booking_failed{0};
  std::optional<double> on_demand_share, first_mile_share, last_mile_share, door_to_door_share;
  std::size_t connections{0}, connections_kept{0}, connections_missed{0}, connections_no_show{0};
  std::optional<double> connections_kept_rate;
  std::size_t time_compared{0};  // on-demand journeys that arrived, with a reachable transit-only journey
  std::optional<double> door_to_door_mean_s, transit_only_mean_s, time_saved_mean_s;
  std::size_t only_way{0};          // on-demand journeys without any reachable transit-only journey
  std::size_t connected_riders{0};  // persons on first/last-mile journeys that kept every connection and arrived
  double vehicle_km{0.0};
  std::optional<double> vehicle_km_per_connected_rider;
};

// Journey mode of sim_options: the timetable's planner index (its timetable is the one the
// intermodal search uses), the intermodal settings of the service (the rules JSON's "intermodal"
// object) and the planner's settings for transit legs.
struct journey_options {
  raptor::index const* index{nullptr};
  intermodal::settings intermodal;
  transit_settings transit;
};

}  // namespace nebuta::sim
