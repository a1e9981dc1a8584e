// The route tables of the pipeline (pipeline.h), one per context: the server's own pages
// (api.cc), the journey planner (planner_routes.cc) and the on-demand API (drt_api.cc).
#pragma once

#include <memory>
#include <span>

#include "nebuta/api_service/service.h"
#include "nebuta/raptor/router.h"
#include "nebuta/rt/state.h"
#include "pipeline.h"

namespace nebuta::api_server {

class static_files;
class drt_service;
class realtime;
class on_demand_area;

// /healthz, /metrics, /v1/openapi.json and the web app's files.
struct server_pages {
  std::string const& health_json;
  std::string const& health_pb;
  std::string const& openapi;
  metrics& stats;
  static_files const& web;
  drt_service const* drt;       // its counters join /metrics (nullptr: no on-demand service)
  realtime const* rt{nullptr};  // the realtime sources' health and metrics, when configured
  bool draining{false};         // SIGTERM's drain has begun: /readyz answers 503
};
std::span<route<server_pages> const> server_page_routes();

// /v1/plan, /v1/stops, /v1/nearby, /v1/routes, /v1/trips, /v1/feeds: the timetable's service
// and the calling thread's router.
struct planner {
  api_service::service const& svc;
  raptor::router& router;
  // The realtime state of this request, taken once (null: no realtime sources, the schedule).
  std::shared_ptr<rt::state const> realtime;
  // The on-demand areas whose legs plans may take (plan_on_demand.h); empty: none.
  std::span<std::shared_ptr<on_demand_area> const> areas{};
};
std::span<route<planner> const> planner_routes();

// /v1/alerts, /v1/rt/{source}, /v1/gtfs-rt/...: the realtime sources (rt_routes.cc) and the
// state of this request.
struct realtime_api {
  realtime& rt;
  std::shared_ptr<rt::state const> state;
};
std::span<route<realtime_api> const> realtime_routes();

}  // namespace nebuta::api_server
