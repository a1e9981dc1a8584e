// The on-demand service's side of the MaaS planner (docs/maas.md): its intermodal settings, its
// travel model, the stops its vehicles may serve, and offers for the on-demand legs of planned
// journeys, journaled like POST /v1/drt/offers; and the service as an area of the planner.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "drt_state.h"
#include "nebuta/intermodal/candidates.h"
#include "plan_on_demand.h"

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

// The dispatcher promises a drop-off by pickup start + dwell + longest ride, the pickup starting
// within max_wait of the earliest pickup. Asking for a pickup from latest_dropoff less all of that
// makes its own promise end in time for the connection, whether or not it holds latest_dropoff as
// a limit itself.
dispatch::instant drt_state::pickup_for_dropoff_by(dispatch::request_spec const& spec) const {
  if (spec.latest_dropoff == dispatch::no_time) return spec.earliest_pickup;
  auto const direct = model->cost(model->snap(spec.pickup), model->snap(spec.dropoff));
  if (!direct) return spec.earliest_pickup;
  return std::max(spec.earliest_pickup,
                  dispatch::pickup_to_end_by(disp.service_rules(), direct->seconds, spec.latest_dropoff));
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
  if (ask.pickup_late) spec.earliest_pickup = m.pickup_for_dropoff_by(spec);
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  spec.earliest_pickup = std::max(now, spec.earliest_pickup);
  m.register_shifts(now);  // a plan for a date the horizon just reached finds its shifts
  return m.write([&] { return m.disp.request_offer(now, spec); });
}

namespace {

// The in-process service as an area of the planner (plan_on_demand.h).
class local_on_demand_area final : public on_demand_area {
 public:
  explicit local_on_demand_area(drt_service& drt) : drt_{drt} {}
  std::string const& name() const override { return name_; }
  std::shared_ptr<on_demand_area_view const> view(timetable const& tt, std::string&) override {
    auto const catalog = drt_.stop_catalog(tt);
    std::lock_guard const lock{mutex_};
    if (view_ == nullptr || view_->catalog != catalog) {
      auto v = std::make_shared<on_demand_area_view>();
      v->settings = drt_.intermodal_settings();
      v->model = &drt_.travel_model();
      v->catalog = catalog;
      v->clock = drt_.clock();
      view_ = std::move(v);
    }
    return view_;
  }
  area_offer offer(on_demand_ask const& ask) override {
    area_offer out;
    out.result = drt_.on_demand_offer(ask);
    if (out.result.ok()) out.vehicle_id = drt_.vehicle_name(out.result.o.vehicle);
    return out;
  }
  std::string journey_token(journey_offer const& j) const override { return drt_.journey_token(j); }

 private:
  drt_service& drt_;
  std::string const name_{"local"};
  std::mutex mutex_;
  std::shared_ptr<on_demand_area_view const> view_;
};

}  // namespace

std::shared_ptr<on_demand_area> local_area(drt_service& drt) { return std::make_shared<local_on_demand_area>(drt); }

}  // namespace nebuta::api_server
