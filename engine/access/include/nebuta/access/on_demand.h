// An on-demand service as a way to and from the fixed network in an accessibility analysis: the
// rider inside the service area is driven to a stop inside it (access), or from a stop inside it
// to the place (egress), or door to door when both ends are inside, after an expected wait.
//
// The model is deliberately simple (a planning estimate, not a simulation): the ride lasts the
// travel model's direct driving time (road network or straight line), the wait is the same
// everywhere, the service runs during the whole window, and only stops within max_ride_m
// (straight line) are served, which keeps the range queries' departures few.
#pragma once

#include <span>
#include <vector>

#include "nebuta/raptor/index.h"
#include "nebuta/raptor/query.h"
#include "nebuta/road/travel_model.h"

namespace nebuta::access {

struct on_demand_service {
  std::vector<std::vector<latlon>> area;  // rings, even-odd rule (dispatch::rules::service_area); empty: anywhere
  seconds_t wait_s{450};                  // expected wait from the booking to the pickup
  double max_ride_m{3000.0};              // stops farther (straight line) are not served
  std::uint32_t tag{1};                   // echoed in the edges (raptor::access_edge::tag)
  bool inside(latlon p) const;
};

class on_demand_edges {
 public:
  // `model` must stay alive while the object is used; its const members may run on several threads.
  on_demand_edges(raptor::index const& idx, on_demand_service svc, road::travel_model const& model);

  // Rides from `origin` to the served stops (empty outside the area): wait + driving time.
  void access(latlon origin, std::vector<raptor::access_edge>& out) const;
  // Rides from the served stops to any of `points` inside the area, the fastest per stop.
  std::vector<raptor::access_edge> egress(std::span<latlon const> points) const;
  // Door to door from `origin` to the nearest of `points` (both inside), or -1.
  seconds_t direct(latlon origin, std::span<latlon const> points) const;

  on_demand_service const& service() const { return svc_; }

 private:
  raptor::index const& idx_;
  on_demand_service svc_;
  road::travel_model const& model_;
  std::vector<stop_idx> served_;  // stops inside the area
};

}  // namespace nebuta::access
