#include "nebuta/sim/transit.h"

#include "nebuta/sim/simulation.h"

#include <tuple>

#include "nebuta/raptor/coordinate_walk.h"
#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"

namespace nebuta::sim {

transit_alternative plan_transit(raptor::router& router, latlon from, latlon to, seconds_t depart,
                                 transit_settings const& s, std::vector<raptor::journey>& scratch) {
  transit_alternative out;
  auto const day = depart >= 0 ? depart / seconds_per_day : 0;
  auto const date = s.first_date + std::chrono::days{day};
  auto const time_in_day = depart - day * seconds_per_day;
  scratch.clear();
  // As `nebuta plan` walks from and to a coordinate (a point far from every stop included).
  raptor::tight_journeys(router, raptor::place::at_coord(from), raptor::place::at_coord(to), date, time_in_day, false,
                         raptor::with_coordinate_walks(s.planner, router.idx(), from, to), scratch);
  raptor::journey const* best = nullptr;
  for (auto const& j : scratch) {
    if (best == nullptr || std::make_tuple(j.arrival, j.rides, -j.departure) <
                               std::make_tuple(best->arrival, best->rides, -best->departure)) {
      best = &j;
    }
  }
  if (best == nullptr) return out;
  out.found = true;
  out.arrival = best->arrival + day * seconds_per_day;
  out.duration_s = best->arrival - time_in_day;
  out.rides = best->rides;
  out.same_day = true;
  for (auto const& l : best->legs) {
    if (l.kind == raptor::leg_kind::walk) out.walk_m += l.distance_m;
    if (l.kind == raptor::leg_kind::ride && l.day_offset != 0) out.same_day = false;
  }
  out.reachable = out.same_day && out.duration_s <= s.max_duration_s;
  return out;
}

void add_transit_alternatives(result& r, raptor::index const& idx, transit_settings const& s) {
  raptor::router router{idx};
  std::vector<raptor::journey> scratch;
  for (auto& q : r.requests) {
    q.transit = plan_transit(router, q.request.origin, q.request.destination, q.request.earliest_pickup, s, scratch);
  }
}

}  // namespace nebuta::sim
