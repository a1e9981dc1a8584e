// POST /v1/drt/offers: a ride request → an offer (or a rejection) and the rider token.
#include <algorithm>
#include <optional>
#include <string>

#include "drt_handlers.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

// A pickup or drop-off: a stop of the loaded timetable (by id or name, the planner's place
// search, whose errors such as ambiguous_place pass through), or a coordinate.
latlon place_of(drt_state const& m, call const& c, bool has, v1::DrtPlace const& p, std::string const& what) {
  if (!has) throw api_error{400, "missing_field", {what}};
  if (!p.stop_id().empty()) {
    if (p.has_lat() || p.has_lon()) throw api_error{400, "invalid_place.both", {what}};
    if (!m.opt.stop_lookup) throw api_error{400, "unknown_stop.no_timetable", {what}};
    auto const coord = m.opt.stop_lookup(p.stop_id(), c.chain);
    if (!coord) throw api_error{400, "unknown_stop.id", {what, p.stop_id().substr(0, 100)}};
    return *coord;
  }
  if (!p.has_lat() || !p.has_lon()) throw api_error{400, "invalid_place", {what}};
  return require_coordinate(p.lat(), p.lon(), what);
}

}  // namespace

http_response drt_offer(drt_state& m, call& c) {
  v1::DrtOfferRequest in;
  c.parse_body(in);
  d::request_spec spec;
  spec.pickup = place_of(m, c, in.has_pickup(), in.pickup(), "pickup");
  spec.dropoff = place_of(m, c, in.has_dropoff(), in.dropoff(), "dropoff");
  auto const passengers = in.passengers() == 0 ? 1U : in.passengers();
  if (passengers > 1000) throw api_error{400, "invalid_passengers", {"1000"}};
  if (in.wheelchair_users() > passengers) throw api_error{400, "invalid_passengers.wheelchair"};
  spec.passengers = static_cast<std::uint16_t>(passengers);
  spec.wheelchair_users = static_cast<std::uint16_t>(in.wheelchair_users());
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  spec.earliest_pickup = now;
  if (!in.earliest_pickup_time().empty()) {
    auto const earliest = m.sclock.parse(in.earliest_pickup_time(), now);
    if (!earliest)
      throw api_error{
          400, "invalid_time.service_day", {"earliest_pickup_time", in.earliest_pickup_time().substr(0, 100)}};
    // "Now" as a client's clock says it is a little behind ours, not a booking for the past.
    if (*earliest < now - m.opt.past_pickup_tolerance_s) {
      ++m.n_invalid_times;
      throw api_error{400, "invalid_time.past", {m.sclock.iso(*earliest), m.sclock.iso(now)}};
    }
    spec.earliest_pickup = *earliest;
  }
  if (!in.latest_dropoff_time().empty()) {  // a journey's connection (issue 19, docs/maas.md#remote-areas)
    auto const by = m.sclock.parse(in.latest_dropoff_time(), now);
    if (!by)
      throw api_error{400, "invalid_time.service_day", {"latest_dropoff_time", in.latest_dropoff_time().substr(0, 100)}};
    spec.latest_dropoff = *by;
    if (!in.pickup_from_earliest()) spec.earliest_pickup = std::max(now, m.pickup_for_dropoff_by(spec));
  }
  m.register_shifts(now);  // a booking for a date the horizon just reached finds its shifts
  auto const res = m.write([&] { return m.disp.request_offer(now, spec); });
  v1::DrtOfferResponse out;
  out.set_request_id(std::to_string(res.request.v()));
  out.set_rider_token(m.token(res.request.v()));
  out.set_offered(res.ok());
  if (res.ok()) {
    auto* o = out.mutable_offer();
    o->set_vehicle_id(m.vehicle_name(res.o.vehicle));
    drt_state::set_latlon(o->mutable_pickup(), res.o.pickup);
    drt_state::set_latlon(o->mutable_dropoff(), res.o.dropoff);
    m.set_point(o->mutable_pickup_point(), spec.pickup, res.o.pickup, c.chain);
    m.set_point(o->mutable_dropoff_point(), spec.dropoff, res.o.dropoff, c.chain);
    m.set_time(o->mutable_pickup_window_start(), res.o.window_start);
    m.set_time(o->mutable_pickup_window_end(), res.o.window_end);
    m.set_time(o->mutable_pickup_eta(), res.o.pickup_eta);
    m.set_time(o->mutable_dropoff_eta(), res.o.dropoff_eta);
    m.set_time(o->mutable_latest_dropoff(), res.o.latest_dropoff);
    m.set_time(o->mutable_expires(), res.o.expires);
  } else {
    out.set_reject_reason(d::to_string(res.reason));
    out.set_reject_message(api_service::error_message(reject_message_id(res.reason), {}, c.chain));
  }
  return message_response(out, c.fmt);
}

}  // namespace nebuta::api_server
