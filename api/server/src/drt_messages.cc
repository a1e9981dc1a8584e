// The on-demand API's answers: dispatcher state → DRT messages and the GTFS-RT feed, reject
// reasons and command statuses → texts and errors.
#include <algorithm>
#include <cstdint>

#include "drt_state.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

std::string reject_text(d::reject_reason r) {
  switch (r) {
    case d::reject_reason::none: return "";
    case d::reject_reason::invalid_request: return "the request is not valid (same place, or bad passenger counts)";
    case d::reject_reason::too_many_passengers: return "no vehicle can carry that many passengers";
    case d::reject_reason::too_far_ahead: return "the pickup time is beyond the pre-booking horizon";
    case d::reject_reason::outside_area: return "pickup or drop-off is outside the service area";
    case d::reject_reason::no_meeting_point: return "no meeting point within walking distance";
    case d::reject_reason::unreachable: return "a place cannot be reached by road";
    case d::reject_reason::no_vehicle_in_service: return "no vehicle is in service at that time";
    case d::reject_reason::no_feasible_insertion: return "no vehicle can take the ride without breaking a promise";
  }
  return "";
}

drt_error status_error(d::command_status s) {
  switch (s) {
    case d::command_status::ok: break;
    case d::command_status::unknown_vehicle: return {404, "unknown_vehicle", "no such vehicle"};
    case d::command_status::unknown_request: return {404, "unknown_request", "no such request"};
    case d::command_status::wrong_state:
      return {409, "wrong_state", "the request is not in a state that allows this"};
    case d::command_status::expired: return {409, "offer_expired", "the offer has expired; ask for a new one"};
    case d::command_status::no_longer_feasible:
      return {409, "no_longer_feasible", "the fleet changed and the offer cannot be kept any more; ask again"};
    case d::command_status::wrong_vehicle: return {409, "wrong_vehicle", "another vehicle serves this request"};
    case d::command_status::too_early:
      return {409, "too_early", "the waiting time at the pickup is not over yet"};
    case d::command_status::invalid_position:
      return {422, "unreachable_position", "the position cannot be placed on the road network"};
  }
  return {500, "internal", "internal error"};
}

v1::DrtRequestStatus drt_state::request_status(d::request_idx r) const {
  auto const& rq = disp.request(r);
  v1::DrtRequestStatus out;
  out.set_request_id(std::to_string(r.v()));
  out.set_status(d::to_string(rq.status));
  if (rq.vehicle.valid() && rq.vehicle.v() < disp.vehicles().size()) out.set_vehicle_id(vehicle_name(rq.vehicle));
  set_latlon(out.mutable_pickup(), rq.pickup.valid ? rq.pickup.coord : rq.spec.pickup);
  set_latlon(out.mutable_dropoff(), rq.dropoff.valid ? rq.dropoff.coord : rq.spec.dropoff);
  out.set_passengers(rq.spec.passengers);
  out.set_wheelchair_users(rq.spec.wheelchair_users);
  set_time(out.mutable_requested_at(), rq.requested_at);
  set_time(out.mutable_earliest_pickup(), rq.status == d::request_status::rejected ? rq.spec.earliest_pickup : rq.earliest);
  if (rq.status == d::request_status::rejected) {
    out.set_reject_reason(d::to_string(rq.reason));
    return out;
  }
  set_time(out.mutable_pickup_window_start(), rq.window_start);
  set_time(out.mutable_pickup_window_end(), rq.window_end);
  set_time(out.mutable_latest_dropoff(), rq.latest_dropoff);
  set_time(out.mutable_expires(), rq.expires);
  auto const eta = disp.eta(r);
  if (eta.pickup != d::no_time) set_time(out.mutable_pickup_eta(), eta.pickup);
  if (eta.dropoff != d::no_time) set_time(out.mutable_dropoff_eta(), eta.dropoff);
  if (rq.picked_up_at != d::no_time) set_time(out.mutable_picked_up_at(), rq.picked_up_at);
  if (rq.dropped_off_at != d::no_time) set_time(out.mutable_dropped_off_at(), rq.dropped_off_at);
  if (rq.status == d::request_status::cancelled)
    out.set_cancelled_by(rq.cancelled == d::cancelled_by::rider ? "rider" : "operator");
  out.set_offer_expired(rq.status == d::request_status::offered && last_now > rq.expires);
  return out;
}

v1::DrtVehicle drt_state::vehicle_message(d::vehicle_idx vi) const {
  auto const& v = disp.vehicle(vi);
  v1::DrtVehicle out;
  out.set_vehicle_id(v.spec.name);
  out.set_seats(v.spec.seats);
  out.set_wheelchair_spaces(v.spec.wheelchairs);
  set_latlon(out.mutable_depot(), v.spec.depot);
  set_time(out.mutable_shift_start(), v.spec.shift_start);
  set_time(out.mutable_shift_end(), v.spec.shift_end);
  auto const& p = positions[vi.v()];
  set_latlon(out.mutable_position(), p.valid ? p.coord : v.spec.depot);
  if (p.valid) set_time(out.mutable_position_time(), p.at);
  out.set_seats_used(v.seats_used);
  out.set_wheelchairs_used(v.wheelchairs_used);
  out.set_n_stops(static_cast<std::uint32_t>(v.stops.size()));
  set_time(out.mutable_depot_arrival(), v.depot_arrival);
  return out;
}

v1::DrtVehicleStops drt_state::stops_message(d::vehicle_idx vi) const {
  auto const& v = disp.vehicle(vi);
  v1::DrtVehicleStops out;
  out.set_vehicle_id(v.spec.name);
  for (auto const& s : v.stops) {
    auto const& rq = disp.request(s.request);
    auto& m = *out.add_stops();
    m.set_kind(s.kind == d::stop_kind::pickup ? "pickup" : "dropoff");
    m.set_request_id(std::to_string(s.request.v()));
    set_latlon(m.mutable_location(), s.loc.coord);
    set_time(m.mutable_planned_arrival(), s.arrival);
    set_time(m.mutable_planned_departure(), s.departure);
    if (s.kind == d::stop_kind::pickup) {
      set_time(m.mutable_window_start(), rq.window_start);
      set_time(m.mutable_window_end(), rq.window_end);
    } else {
      set_time(m.mutable_latest_dropoff(), rq.latest_dropoff);
    }
    m.set_passengers(rq.spec.passengers);
    m.set_wheelchair_users(rq.spec.wheelchair_users);
    m.set_arrived(s.arrived);
    if (s.arrived) set_time(m.mutable_arrived_at(), s.arrived_at);
  }
  set_time(out.mutable_depot_arrival(), v.depot_arrival);
  return out;
}

transit_realtime::FeedMessage drt_state::vehicle_positions() const {
  transit_realtime::FeedMessage feed;
  auto* h = feed.mutable_header();
  h->set_gtfs_realtime_version("2.0");
  h->set_incrementality(transit_realtime::FeedHeader::FULL_DATASET);
  h->set_timestamp(static_cast<std::uint64_t>(std::max<std::int64_t>(0, unix_now())));
  auto const vehicles = disp.vehicles();
  for (std::size_t i = 0; i < vehicles.size(); ++i) {
    auto const& p = positions[i];
    if (!p.valid) continue;  // only reported positions: the depot is not a measurement
    auto const& v = vehicles[i];
    auto* e = feed.add_entity();
    e->set_id(v.spec.name);
    auto* vp = e->mutable_vehicle();
    auto* vd = vp->mutable_vehicle();
    vd->set_id(v.spec.name);
    vd->set_label(v.spec.name);
    vd->set_wheelchair_accessible(v.spec.wheelchairs > 0
                                      ? transit_realtime::VehicleDescriptor::WHEELCHAIR_ACCESSIBLE
                                      : transit_realtime::VehicleDescriptor::WHEELCHAIR_INACCESSIBLE);
    vp->mutable_position()->set_latitude(static_cast<float>(p.coord.lat));
    vp->mutable_position()->set_longitude(static_cast<float>(p.coord.lon));
    vp->set_timestamp(static_cast<std::uint64_t>(std::max<std::int64_t>(0, sclock.to_unix(p.at))));
    vp->set_current_status(!v.stops.empty() && v.stops.front().arrived ? transit_realtime::VehiclePosition::STOPPED_AT
                                                                        : transit_realtime::VehiclePosition::IN_TRANSIT_TO);
    using occ = transit_realtime::VehiclePosition;
    auto const used = v.seats_used;
    vp->set_occupancy_status(used == 0                       ? occ::EMPTY
                             : used >= v.spec.seats          ? occ::FULL
                             : 2 * used < v.spec.seats       ? occ::MANY_SEATS_AVAILABLE
                                                             : occ::FEW_SEATS_AVAILABLE);
  }
  return feed;
}

}  // namespace nebuta::api_server
