// /v1/plan with on-demand legs (docs/maas.md): the planner's answer, plus the journeys that ride
// a vehicle of an on-demand service for the first or last mile or the whole way, when the mixer
// shows them and the dispatcher of their area offers them in time for their connections.
//
// The planner sees each on-demand service area through on_demand_area: the in-process service of
// `serve --db` (plan_on_demand_drt.cc) or the dispatcher of an area in another process, `serve
// --drt AREA=URL` (drt_remote_area.cc). plan_on_demand.cc does not know which.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "nebuta/api_server/drt_api.h"
#include "nebuta/intermodal/candidates.h"
#include "routes.h"

namespace nebuta::api_server {

// What the planner needs to search one area, fixed for as long as it holds a copy: the rules'
// intermodal settings, the travel model, the stops on-demand legs may serve, the area's clock.
struct on_demand_area_view {
  intermodal::settings settings;
  road::travel_model const* model{nullptr};  // owned by the view's owner, alive as long as the view
  std::shared_ptr<intermodal::stop_catalog const> catalog;
  service_clock clock;
  std::shared_ptr<void const> keep_alive;  // what `model` and `catalog` need (a remote area's)
};

// An offer for one leg, or why there is none.
struct area_offer {
  dispatch::offer_result result;  // result.o.vehicle is not set: vehicle_id names it
  std::string vehicle_id;
};

// The dispatcher of an area could not be asked (refused, timed out, answered garbage): the
// area's options leave the plan, which says so (PlanResponse.on_demand_notes).
struct area_unreachable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class on_demand_area {
 public:
  virtual ~on_demand_area() = default;
  virtual std::string const& name() const = 0;
  // The area now, for timetable `tt`; nullptr (with the reason in `why`) when it cannot be
  // searched now (a remote area whose dispatcher does not answer). Thread-safe.
  virtual std::shared_ptr<on_demand_area_view const> view(timetable const& tt, std::string& why) = 0;
  // An offer for one on-demand leg (journaled by the area's dispatcher like POST /v1/drt/offers).
  // Throws area_unreachable. Thread-safe.
  virtual area_offer offer(on_demand_ask const& ask) = 0;
  // The signed token that books these legs at this area's dispatcher (POST /v1/journeys).
  virtual std::string journey_token(journey_offer const& j) const = 0;
};

// The in-process service of `serve --db` as an area (its name: "local").
std::shared_ptr<on_demand_area> local_area(drt_service& drt);

// The plan answer of a request: the planner's own without an on-demand area (or with
// on_demand=false), else with the on-demand journeys of every area appended after the transit-only
// ones. An area's on-demand leg has its door end (origin of a first mile, destination of a last
// mile, both of a door-to-door ride) inside the area; a journey is offered by one area only.
// `out`: an empty message (the server's lives on a protobuf arena, service.h plan_message).
void plan_answer(planner& p, v1::PlanRequest const& req, api_service::lang_chain const& chain, v1::PlanResponse& out);
v1::PlanResponse plan_answer(planner& p, v1::PlanRequest const& req, api_service::lang_chain const& chain);

}  // namespace nebuta::api_server
