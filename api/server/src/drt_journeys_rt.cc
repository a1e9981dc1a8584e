// The journeys of `nebuta serve` and its realtime and planner (issue 16). A journey leg names its
// transit ride by trip id, stop id and scheduled unix time; the lookup finds that ride in the
// server's published realtime state and gives its expected time there (and whether it runs at
// all). Each newly published state checks the journeys whose rides it may have moved (those in
// it or in the state before), so a late train moves a last-mile pickup as soon as its trip update
// is applied. A rider whose connection is lost is offered the next alternative: a plan from the
// connection's stop at the train's realtime arrival plus the buffer to the leg's drop-off. The
// on-demand service only sees functions (drt_api.h), never the realtime state or the planner:
// engine and API layers stay apart.
#include <algorithm>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_set>

#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/realtime.h"
#include "plan_on_demand.h"

namespace nebuta::api_server {

connection_lookup realtime_connection_lookup(realtime const& rt) {
  return [&rt](dispatch::connection const& c) -> std::optional<connection_realtime> {
    if (c.k == dispatch::connection::kind::none) return std::nullopt;
    auto const stop = rt.find_stop(c.stop_id);
    auto const trips = rt.find_trips(c.trip_id);
    if (!stop || trips.empty()) return std::nullopt;
    auto const state = rt.current();
    auto const after = c.k == dispatch::connection::kind::after_arrival;
    for (auto const& ts : state->trips()) {
      if (std::find(trips.begin(), trips.end(), ts.trip) == trips.end()) continue;
      auto const base = rt.context().day_base(ts.trip, ts.day);
      for (auto const& st : state->times(ts)) {
        if (st.stop != *stop) continue;
        if (base + (after ? st.sched_arrival : st.sched_departure) != c.scheduled) continue;
        auto const cancelled = ts.status == rt::trip_status::canceled || ts.status == rt::trip_status::deleted;
        return connection_realtime{base + (after ? st.arrival : st.departure), cancelled, 0};
      }
    }
    return std::nullopt;  // no realtime for that ride: it runs as scheduled
  };
}

namespace {

// The alternative: the plan answer's journey arriving first (by bus or train before an on-demand
// one arriving as early), asked like GET /v1/plan with on-demand legs when the service offers them.
alternative_finder plan_alternative(api_service::service const& svc, realtime const* rt, drt_service& drt) {
  // The service itself as the plan's one on-demand area, as `serve --db` plans with it.
  std::shared_ptr<on_demand_area> area = local_area(drt);
  return [&svc, rt, &drt, area = std::move(area)](alternative_ask const& a) -> std::optional<v1::Journey> {
    auto const coord = [](latlon p) { return std::to_string(p.lat) + "," + std::to_string(p.lon); };
    v1::PlanRequest req;
    req.set_from(coord(a.from));
    req.set_to(coord(a.to));
    req.set_depart(drt.clock().iso(a.at));
    req.set_wheelchair(a.wheelchair);
    raptor::router router{svc.raptor_index()};  // rare (a lost connection, then cached): no pool
    planner p{svc, router, rt != nullptr ? rt->current() : nullptr, std::span{&area, 1}};
    v1::PlanResponse res;
    try {
      res = plan_answer(p, req, a.langs);
    } catch (api_service::api_error const&) {  // e.g. no stop near the drop-off: no alternative
      return std::nullopt;
    }
    v1::Journey const* best = nullptr;
    for (auto const& j : res.journeys()) {
      auto const key = [](v1::Journey const& x) { return std::make_pair(x.arrival_seconds(), x.on_demand()); };
      if (best == nullptr || key(j) < key(*best)) best = &j;
    }
    if (best == nullptr) return std::nullopt;
    return *best;
  };
}

}  // namespace

void connect_journeys(drt_service& drt, api_service::service const& svc, realtime* rt) {
  drt.set_next_alternative(plan_alternative(svc, rt, drt));
  if (rt == nullptr) return;
  drt.set_transit_realtime(realtime_connection_lookup(*rt));
  // The trips of the last state checked: a ride that leaves the realtime state runs as scheduled
  // again, which moves its legs back.
  struct seen_trips {
    std::mutex m;
    std::unordered_set<std::uint32_t> trips;
  };
  auto seen = std::make_shared<seen_trips>();
  rt->on_new_state([&drt, rt, seen] {
    std::lock_guard const lock{seen->m};
    std::unordered_set<std::uint32_t> now_in;
    for (auto const& ts : rt->current()->trips()) {
      if (ts.trip.valid()) now_in.insert(ts.trip.v());
    }
    auto touched = now_in;
    touched.insert(seen->trips.begin(), seen->trips.end());
    drt.check_connections([&](dispatch::connection const& c) {
      auto const trips = rt->find_trips(c.trip_id);
      return std::any_of(trips.begin(), trips.end(), [&](trip_idx t) { return touched.contains(t.v()); });
    });
    seen->trips = std::move(now_in);
  });
  drt.check_connections();  // the state published before (the first poll)
}

}  // namespace nebuta::api_server
