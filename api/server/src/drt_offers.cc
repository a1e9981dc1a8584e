// POST /v1/drt/offers: a ride request → an offer (or a rejection) and the rider token.
#include <optional>

#include "drt_call.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

// POST /v1/drt/offers
http_response drt_offers(drt_call& c) {
  auto& m = c.m;
  auto const& req = c.req;
  c.ep = endpoint::drt_offer;
  c.allow({"POST"});
  v1::DrtOfferRequest in;
  parse_body(req, in, m.opt.max_body_bytes, false);
  auto const place = [&](bool has, v1::DrtPlace const& p, std::string const& what) -> latlon {
    if (!has) throw drt_error{400, "missing_field", "'" + what + "' is required"};
    if (!p.stop_id().empty()) {
      if (p.has_lat() || p.has_lon())
        throw drt_error{400, "invalid_place", what + ": give either stop_id or lat and lon, not both"};
      if (!m.opt.stop_lookup)
        throw drt_error{400, "unknown_stop", what + ": no timetable is loaded; give lat and lon"};
      auto const coord = m.opt.stop_lookup(p.stop_id());
      if (!coord) throw drt_error{400, "unknown_stop", what + ": no stop with id '" + p.stop_id().substr(0, 100) + "'"};
      return *coord;
    }
    if (!p.has_lat() || !p.has_lon()) throw drt_error{400, "invalid_place", what + ": give lat and lon, or stop_id"};
    return require_coordinate(p.lat(), p.lon(), what);
  };
  d::request_spec spec;
  spec.pickup = place(in.has_pickup(), in.pickup(), "pickup");
  spec.dropoff = place(in.has_dropoff(), in.dropoff(), "dropoff");
  auto const passengers = in.passengers() == 0 ? 1U : in.passengers();
  if (passengers > 1000) throw drt_error{400, "invalid_passengers", "passengers must be between 1 and 1000"};
  if (in.wheelchair_users() > passengers)
    throw drt_error{400, "invalid_passengers", "wheelchair_users cannot exceed passengers"};
  spec.passengers = static_cast<std::uint16_t>(passengers);
  spec.wheelchair_users = static_cast<std::uint16_t>(in.wheelchair_users());
  std::optional<seconds_t> earliest;
  if (!in.earliest_pickup_time().empty()) {
    earliest = m.sclock.parse(in.earliest_pickup_time());
    if (!earliest)
      throw drt_error{400, "invalid_time",
                      "earliest_pickup_time must be ISO 8601 with offset, HH:MM[:SS] or seconds of the service day"};
  }
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  spec.earliest_pickup = earliest.value_or(now);
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
    m.set_time(o->mutable_pickup_window_start(), res.o.window_start);
    m.set_time(o->mutable_pickup_window_end(), res.o.window_end);
    m.set_time(o->mutable_pickup_eta(), res.o.pickup_eta);
    m.set_time(o->mutable_dropoff_eta(), res.o.dropoff_eta);
    m.set_time(o->mutable_latest_dropoff(), res.o.latest_dropoff);
    m.set_time(o->mutable_expires(), res.o.expires);
  } else {
    out.set_reject_reason(d::to_string(res.reason));
    out.set_reject_message(reject_text(res.reason));
  }
  return message_response(out, c.fmt);
}

}  // namespace nebuta::api_server
