// The on-demand service's side of the MaaS planner (docs/maas.md): its intermodal settings, its
// travel model, the stops its vehicles may serve, and offers for the on-demand legs of planned
// journeys, journaled like POST /v1/drt/offers.
#include <cmath>
#include <mutex>

#include "drt_state.h"
#include "nebuta/intermodal/candidates.h"

namespace nebuta::api_server {

intermodal::settings const& drt_service::intermodal_settings() const { return state_->opt.intermodal; }

road::travel_model const& drt_service::travel_model() const { return *state_->model; }

std::string drt_service::vehicle_name(dispatch::vehicle_idx v) const {
  std::lock_guard const lock{state_->mutex};
  return state_->vehicle_name(v);  // vehicle specs are never changed once registered
}

std::shared_ptr<intermodal::stop_catalog const> drt_service::stop_catalog(timetable const& tt) const {
  std::lock_guard const lock{catalog_mutex_};
  if (catalog_ == nullptr || catalog_tt_ != &tt) {
    auto const& rules = state_->disp.service_rules();  // set at construction, never changed
    catalog_ = std::make_shared<intermodal::stop_catalog const>(tt, *state_->model, rules.service_area,
                                                                rules.meeting_points, state_->opt.intermodal);
    catalog_tt_ = &tt;
  }
  return catalog_;
}

dispatch::offer_result drt_service::on_demand_offer(on_demand_ask const& ask) {
  auto& m = *state_;
  dispatch::request_spec spec;
  spec.pickup = ask.pickup;
  spec.dropoff = ask.dropoff;
  spec.passengers = ask.passengers;
  spec.wheelchair_users = ask.wheelchair_users;
  spec.latest_dropoff = ask.latest_dropoff;
  spec.earliest_pickup = ask.earliest_pickup;
  if (ask.pickup_late && ask.latest_dropoff != dispatch::no_time) {
    // The dispatcher promises a drop-off by pickup start + dwell + longest ride, the pickup
    // starting within max_wait of the earliest pickup. Asking for a pickup from latest_dropoff
    // less all of that makes its own promise end in time for the connection, whether or not
    // it holds latest_dropoff as a limit itself.
    auto const& r = m.disp.service_rules();
    auto const direct = m.model->cost(m.model->snap(ask.pickup), m.model->snap(ask.dropoff));
    if (direct) {
      auto const longest = static_cast<dispatch::instant>(std::floor(r.ride_alpha * direct->seconds)) + r.ride_beta;
      spec.earliest_pickup = std::max(spec.earliest_pickup, ask.latest_dropoff - r.max_wait - r.dwell - longest);
    }
  }
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  spec.earliest_pickup = std::max(now, spec.earliest_pickup);
  m.register_shifts(now);  // a plan for a date the horizon just reached finds its shifts
  return m.write([&] { return m.disp.request_offer(now, spec); });
}

}  // namespace nebuta::api_server
