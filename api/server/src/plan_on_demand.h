// /v1/plan with on-demand legs (docs/maas.md): the planner's answer, plus the journeys that ride
// a vehicle of the on-demand service for the first or last mile or the whole way, when the mixer
// shows them and the dispatcher offers them in time for their connections.
#pragma once

#include "routes.h"

namespace nebuta::api_server {

// The plan answer of a request: the planner's own without an on-demand service (or with
// on_demand=false), else with the on-demand journeys appended after the transit-only ones.
v1::PlanResponse plan_answer(planner& p, v1::PlanRequest const& req, api_service::lang_chain const& chain);

}  // namespace nebuta::api_server
