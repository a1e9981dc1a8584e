// One intermodal query: the journeys that ride an on-demand vehicle for the first mile (the
// origin -> a stop), the last mile (a stop -> the destination), both, or the whole way, beside
// the transit-only journeys the planner finds on its own.
//
// How: RAPTOR runs once more from the origin and destination coordinates with extra access /
// egress edges (raptor::access_edge) to the candidate stops of each side (candidates.h), each
// lasting expected wait + road time + transfer buffer, and keeps the journeys that take one of
// them. The transit-only journeys come from the planner's own search; the two sets together are
// the Pareto set over arrival (arrive-by: departure) x vehicle legs x on-demand used, once
// dominated() has removed what a transit-only journey beats. Two searches rather than one with an
// extra criterion: the transit-only one is what /v1/plan runs anyway, so turning on-demand on
// costs only the second (docs/maas.md gives the figures).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nebuta/intermodal/candidates.h"
#include "nebuta/intermodal/settings.h"
#include "nebuta/raptor/router.h"

namespace nebuta::intermodal {

// Which parts of a journey ride an on-demand vehicle (bits).
enum class od_use : std::uint8_t { none = 0, first_mile = 1, last_mile = 2, both = 3, door_to_door = 4 };

// The tags of the extra edges (raptor::leg::access_tag): the side and the index of the candidate
// in search_scratch::first / last.
inline constexpr std::uint32_t last_mile_tag = 0x1'0000U;
inline constexpr std::uint32_t door_to_door_tag = 0x2'0000U;

struct od_journey {
  raptor::journey j;
  od_use use{od_use::none};
};

struct query {
  latlon from{}, to{};
  date_t date{};
  seconds_t time{0};  // departure, or arrival for arrive_by (seconds after midnight of date)
  bool arrive_by{false};
  raptor::options opt{};
};

// Caller-owned scratch of one thread's queries; reused, so steady-state queries do not grow it.
// After search_on_demand, first / last hold the candidates the access legs' tags index.
struct search_scratch {
  candidate_scratch cand;
  std::vector<candidate> first, last;
  std::vector<raptor::access_edge> first_edges, last_edges;
  std::vector<raptor::journey> one;
};

// The on-demand journeys of the query (none uses no on-demand leg), Pareto-optimal among
// themselves over arrival x departure x vehicle legs, by increasing vehicle legs then arrival.
// A door-to-door ride (settings::door_to_door) is one more candidate, a journey of one access leg
// tagged door_to_door_tag from stop invalid to stop invalid.
void search_on_demand(raptor::router& router, stop_catalog const& catalog, road::travel_model const& model,
                      query const& q, settings const& s, search_scratch& scratch, std::vector<od_journey>& out);

// Rides plus on-demand legs: the vehicles a rider boards.
unsigned vehicle_legs(raptor::journey const& j);
// Metres walked (access, egress, transfers).
double walk_m(raptor::journey const& j);
od_use use_of(raptor::journey const& j);

}  // namespace nebuta::intermodal
