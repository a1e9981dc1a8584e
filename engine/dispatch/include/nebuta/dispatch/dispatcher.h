// In-memory core of the demand-responsive dispatcher: fleet, requests, one schedule per vehicle,
// cheapest-insertion offers, accept/cancel/no-show, telemetry and re-optimisation.
//
// Determinism and replay. The dispatcher has no clock and no randomness: every command carries
// `now`, vehicles and requests get dense indices in command order, and every loop runs in index
// order with strict tie-breaking. Given the same rules, the same travel model and the same
// sequence of commands, two dispatchers reach identical states (compare `dump()`); durability
// records the commands (see `journal`) and replays them with `apply`. Expired offers are not
// timed out by a timer: the expiry is checked when the offer is accepted.
//
// Time model. A vehicle was at `pos` at `pos_time` and may drive from then on (`pos_time` is in
// the future while it dwells at a stop). Its plan starts there (and not before its shift start):
// arrival = previous departure + travel time; at a pickup the service begins at max(arrival,
// window start), later only where a rider's ride would otherwise exceed its limit (the vehicle then
// waits at that pickup, see below); departure = begin + dwell. The vehicle has left for its first
// stop once `now` is past the latest departure that reaches that stop's begin (begin - travel
// time); from then on the first stop is locked: nothing is inserted before it, re-optimisation
// leaves it, and when it is cancelled the vehicle is assumed to reach that place at the planned
// arrival and go on from there. Before that (and when idle) the vehicle waits at `pos` and starts
// at max(now, pos_time, shift start). A vehicle standing at a stop it reported (`arrived`) is
// there at least until `now`: every command first moves its plan to now. Position updates
// refresh `pos` and the ETAs.
//
// Promises. An offer promises a pickup window [earliest pickup, min(earliest + W, eta + slack)], a
// latest drop-off (eta + dwell + max ride) and a ride no longer than max ride + dwell from the
// moment of the pickup to the arrival at the drop-off (max ride = floor(alpha x direct) + beta,
// direct being the travel time between the two meeting points, computed once at the offer).
// Once accepted, no command the dispatcher controls (offer, accept, cancel, no-show,
// re-optimisation) plans a stop later than its promise, a ride longer than its limit, a vehicle
// over capacity or back at the depot after its shift:
//   - insertions check the arrival shift they cause at every later stop against that stop's slack
//     (`max_shift`), which includes the ride limit of every rider picked up before the shift;
//   - a plan that gets earlier (a ride removed, a rider absent) could stretch a ride whose pickup
//     moves earlier than its drop-off: recompute then delays that pickup (the vehicle waits there)
//     just enough, which the waiting freed by the change always allows;
//   - the wait for an absent rider is bounded by the promises after it: `no_show_time` is the
//     earlier of max(arrival, window start) + no_show_wait and the latest service begin of that
//     pickup that keeps every later promise (`latest_front_begin`); a rider who turns up until
//     then is taken, and the vehicle leaves without one at that moment at the latest. (Planning
//     the wait into every pickup instead would cost every ride the no-show wait for the few
//     riders who do not come.)
// When telemetry makes a stop late already, that stop's planned time becomes its limit: later
// insertions may not delay it further.
//
// Offers do not reserve capacity; accept re-checks the promise (offered vehicle first, then the
// cheapest other vehicle that keeps it).
//
// Connections (issue 16). A request's `latest_dropoff` (a leg that feeds a train) is a hard limit:
// the offer's promised latest drop-off is never later than it, so insertion, accept,
// re-optimisation and every re-plan keep it as they keep every promise. A journey is several
// offers accepted by one command, all or none; each leg's promise is first tightened to its
// connection (drop-off by departure - buffer, pickup from arrival + buffer). `move` re-plans a
// booking whose connection moved, keeping every other promise; when it cannot, the booking keeps
// its old plan and promise and is marked `connection_lost`.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nebuta/dispatch/commands.h"
#include "nebuta/dispatch/types.h"
#include "nebuta/road/travel_model.h"

namespace nebuta::dispatch {

struct stop {
  request_idx request;
  stop_kind kind{stop_kind::pickup};
  road::snapped_point loc{};
  instant arrival{0};  // planned
  instant begin{0};    // planned service begin (pickups wait for the window start)
  instant departure{0};
  bool arrived{false};  // the vehicle reported its arrival here
  instant arrived_at{0};
};

struct vehicle_state {
  vehicle_spec spec;
  road::snapped_point depot{};
  road::snapped_point pos{};
  instant pos_time{0};
  std::uint16_t seats_used{0};  // riders on board now
  std::uint16_t wheelchairs_used{0};
  std::vector<stop> stops;  // remaining stops, in order

  // Derived from the above by the dispatcher after every change (not part of the replayed state
  // in any other sense): travel time into stop k (k == n: to the depot); the largest delay of the
  // arrival at stop k (k == n: at the depot) that keeps every promise; load after stop k; for a
  // drop-off the position of its pickup (-1: the rider is on board) and how much longer the ride
  // may get; the latest service begin of the first stop that keeps every later promise.
  std::vector<seconds_t> leg;
  std::vector<seconds_t> max_shift;
  std::vector<std::uint16_t> seats_after, wheelchairs_after;
  std::vector<std::int32_t> partner;
  std::vector<seconds_t> ride_room;
  instant depot_arrival{0};
  instant latest_front_begin{0};
};

struct request_state {
  request_spec spec;
  request_status status{request_status::rejected};
  reject_reason reason{reject_reason::none};
  road::snapped_point pickup{}, dropoff{};  // after meeting-point snapping
  instant requested_at{0};
  instant earliest{0};    // max(earliest pickup, time of the offer)
  seconds_t direct{0};    // direct travel time pickup -> drop-off (between the meeting points used)
  double direct_m{0.0};   // and its length
  seconds_t max_ride{0};  // the ride (pickup to arrival at the drop-off) is at most max_ride + dwell
  instant window_start{0}, window_end{0}, latest_dropoff{0};  // the promise (once offered)
  instant expires{0};
  vehicle_idx vehicle;  // offered or assigned vehicle
  instant picked_up_at{no_time}, dropped_off_at{no_time};
  cancelled_by cancelled{cancelled_by::rider};
  // When the vehicle reached the pickup (reported arriving there, or, cancelled while on its way
  // there, is taken to get there as planned: see cancel) and when it declared the rider absent;
  // kept after the cancellation or no-show for the day's records: the vehicle drove there anyway.
  instant pickup_reached_at{no_time}, no_show_at{no_time};
  // The last move of its connection could not be kept (see move); cleared by a move that is kept.
  bool connection_lost{false};
  journey_idx journey;  // the journey it was booked in (invalid: none)
};

// A booking whose plan no longer keeps its promise (after a travel model changed under it, or
// telemetry made it late): which promise, what is planned and what was promised. For a long ride,
// `planned` and `promised` are durations (the planned ride and its limit).
struct broken_promise {
  enum class kind : std::uint8_t { late_pickup, late_dropoff, long_ride };
  request_idx request;
  kind what{kind::late_pickup};
  instant planned{0}, promised{0};
};

struct request_eta {
  instant pickup{no_time};  // no_time once picked up
  instant dropoff{no_time};
};

class dispatcher {
 public:
  dispatcher(road::travel_model const& model, rules r);

  // --- Commands (each is recorded in the journal, if set, after it was applied) ---
  vehicle_idx add_vehicle(instant now, vehicle_spec spec);
  offer_result request_offer(instant now, request_spec spec);
  accept_result accept(instant now, request_idx r);
  command_status cancel(instant now, request_idx r, cancelled_by by);
  command_status update_position(instant now, vehicle_idx v, latlon position);
  command_status stop_event(instant now, vehicle_idx v, request_idx r, stop_event_kind kind);
  command_status no_show(instant now, vehicle_idx v, request_idx r) {
    return stop_event(now, v, r, stop_event_kind::no_show);
  }
  reoptimise_result reoptimise(instant now);
  journey_result accept_journey(instant now, std::vector<journey_leg> legs);
  command_status cancel_journey(instant now, journey_idx j, cancelled_by by);
  command_status move(instant now, request_idx r, instant earliest_pickup, instant latest_dropoff);

  // Applies one command (what a replay calls).
  command_result apply(command const& c);

  void set_journal(journal* j) { journal_ = j; }

  // Rebuilds the state a snapshot holds: every field of the vehicles and requests that dump()
  // shows, except the planned times and the other derived fields, which are computed again (so
  // the result dumps identically and goes on exactly as the dispatcher it was taken from). Only
  // on a dispatcher without vehicles and requests; returns false and changes nothing when the
  // state is not consistent (an index out of range, a stop of a request that is not booked).
  bool restore(std::vector<vehicle_state> vehicles, std::vector<request_state> requests,
               std::vector<journey_state> journeys = {});

  // --- Reading ---
  rules const& service_rules() const { return rules_; }
  std::span<vehicle_state const> vehicles() const { return vehicles_.raw(); }
  vehicle_state const& vehicle(vehicle_idx v) const { return vehicles_[v]; }
  std::span<request_state const> requests() const { return requests_.raw(); }
  request_state const& request(request_idx r) const { return requests_[r]; }
  std::span<journey_state const> journeys() const { return journeys_.raw(); }
  journey_state const& journey(journey_idx j) const { return journeys_[j]; }
  request_eta eta(request_idx r) const;
  // The earliest moment the rider of the vehicle's first stop, a pickup it reported arriving at,
  // may be declared absent (see Promises); no_time when the first stop is no such pickup.
  instant no_show_time(vehicle_idx v) const;

  // Every booked ride whose plan breaks its promise, by vehicle and stop order. Empty as long as
  // the dispatcher alone changed the plans (see Promises); telemetry and a new travel model can
  // make it otherwise. A pickup the vehicle reported arriving at counts as kept when it came in
  // its window.
  std::vector<broken_promise> broken_promises() const;

  // Every field of the replayed state as text, for comparing two dispatchers.
  std::string dump() const;

 private:
  struct ride;
  struct insertion;
  struct scan_target;

  static ride promised_ride(request_state const& rq);

  template <typename Cmd>
  void record(Cmd const& c) {
    if (journal_ != nullptr) journal_->record(command{c});
  }

  instant start_time(vehicle_state const& v, instant now) const;
  bool waiting_at_pos(vehicle_state const& v, instant now) const;
  void touch(vehicle_state& v, instant now) const;
  void advance_to(instant now);
  void recompute(vehicle_idx v);
  void plan_times(vehicle_state& v, std::size_t from);
  void plan_slack(vehicle_state& v);
  std::optional<insertion> best_insertion(ride const& x, instant now, std::span<vehicle_idx const> candidates,
                                          insertion const* forced = nullptr, double* forced_cost = nullptr);
  void insert(vehicle_idx v, request_idx r, insertion const& ins, instant now);
  accept_result accept_one(instant now, request_idx r, ride const& x);
  command_status cancel_one(instant now, request_idx r, cancelled_by by);
  bool locked_pickup(vehicle_state const& v, request_idx r, instant now) const;
  seconds_t travel(road::snapped_point const& a, road::snapped_point const& b) const;

  road::travel_model const& model_;
  rules rules_;
  journal* journal_{nullptr};
  vecmap<vehicle_idx, vehicle_state> vehicles_;
  vecmap<request_idx, request_state> requests_;
  vecmap<journey_idx, journey_state> journeys_;

  // Per-query scratch, reused.
  std::vector<road::snapped_point> pts_, pd_;
  std::vector<std::optional<road::travel_cost>> to_pd_, from_pd_;
  std::vector<std::uint32_t> base_;
  // Vehicles that may still take or serve a ride (not: shift over and nothing planned), in index
  // order, and the first request that may still change; both only shrink the work of later
  // commands (pruned at each command from its `now`), never their results.
  std::vector<vehicle_idx> active_, cand_;
  request_idx first_open_{0};
  std::vector<std::int64_t> not_before_, wait_, limit_;
};

// Geometry helpers of the rules (also used by the API to explain rejections).
bool inside_area(std::span<std::vector<latlon> const> rings, latlon p);
std::optional<latlon> nearest_meeting_point(std::span<latlon const> points, latlon p, double max_walk_m);
// 0 inside the area; else the distance in metres to its nearest edge.
double distance_to_area_m(std::span<std::vector<latlon> const> rings, latlon p);

}  // namespace nebuta::dispatch
