// Which flex services can take a rider from one point to another: for the planner's on-demand
// legs and call-ahead legs. Linear over the trips running that day (flex feeds have a few
// thousand windows at most); the caller owns the output vector and reuses it.
#pragma once

#include <optional>
#include <vector>

#include "nebuta/flex/booking.h"
#include "nebuta/flex/model.h"

namespace nebuta::flex {

struct request {
  latlon from, to;
  date_t day;                  // the service day
  seconds_t pickup_time{0};    // seconds of that service day
  local_seconds booked_at{0};  // when the rider books, on the feed's local clock
  double max_walk_m{400.0};    // to a stop of a location group, or to a fixed stop
};

// One way to ride: a trip, the window that picks up at `from` and the later window (the same
// one when the trip has only one) that drops off at `to`, and the booking rules that apply.
struct offer {
  trip_idx trip;
  window_idx pickup, drop_off;
  booking_rule_idx pickup_rule{booking_rule_idx::invalid()}, drop_off_rule{booking_rule_idx::invalid()};
  std::optional<booking_window> booking;  // of the pickup rule; none without one
};

// True when `p` is in the zone, or within max_walk_m of a stop of the group, or of the stop.
bool covers(model const& m, location_ref where, latlon p, double max_walk_m);

// Clears `out`, then appends at most one offer per trip (its first pickup window, then its first
// drop-off window after it) where: the trip's service runs on req.day; the pickup window allows
// pickups (pickup_type != 1), covers `from` and contains pickup_time; the drop-off window allows
// drop-offs, covers `to` and is still open at pickup_time (a fixed stop: reached no earlier);
// and both windows' booking rules, evaluated for a ride at pickup_time, allow booking at
// booked_at. Offers come in trip order.
void find_offers(model const& m, request const& req, std::vector<offer>& out);

}  // namespace nebuta::flex
