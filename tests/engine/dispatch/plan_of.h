// Turns a dispatcher's state into the validator's plain description (the only place the two meet).
#pragma once

#include <string>
#include <vector>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/dispatch/validate.h"

namespace nebuta::dispatch::test {

inline validate::fleet_plan plan_of(dispatcher const& d) {
  validate::fleet_plan plan;
  plan.dwell = d.service_rules().dwell;
  std::vector<std::uint32_t> rider_of(d.requests().size(), 0);
  for (std::size_t r = 0; r < d.requests().size(); ++r) {
    auto const& q = d.requests()[r];
    if (q.status != request_status::assigned && q.status != request_status::on_board) continue;
    rider_of[r] = static_cast<std::uint32_t>(plan.riders.size());
    plan.riders.push_back({q.spec.passengers - q.spec.wheelchair_users, q.spec.wheelchair_users, q.pickup.coord,
                           q.dropoff.coord, q.window_start, q.window_end, q.latest_dropoff,
                           q.max_ride + d.service_rules().dwell, q.status == request_status::on_board, q.picked_up_at,
                           q.vehicle.v()});
  }
  for (auto const& v : d.vehicles()) {
    plan.vehicles.push_back({v.spec.seats, v.spec.wheelchairs, v.spec.depot, v.spec.shift_start, v.spec.shift_end,
                             v.pos.coord, v.pos_time});
    auto& sched = plan.schedules.emplace_back();
    for (auto const& s : v.stops) {
      sched.push_back({rider_of[s.request.v()], s.kind == stop_kind::pickup, s.arrival, s.begin, s.departure, s.arrived,
                       s.arrived_at});
    }
  }
  return plan;
}

inline std::string joined(std::vector<std::string> const& errors) {
  std::string out;
  for (auto const& e : errors) out += e + "\n";
  return out;
}

}  // namespace nebuta::dispatch::test
