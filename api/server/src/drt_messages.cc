// The on-demand API's answers: dispatcher state → DRT messages and the GTFS-RT feed, reject
// reasons and command statuses → texts and errors.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include "nebuta/core/civil_time.h"

#include "drt_state.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

std::string reject_message_id(d::reject_reason r) { return std::string{"rejected."} + d::to_string(r); }

api_service::api_error status_error(d::command_status s) {
  using api_service::api_error;
  switch (s) {
    case d::command_status::ok: break;
    case d::command_status::unknown_vehicle: return api_error{404, "unknown_vehicle.index"};
    case d::command_status::unknown_request: return api_error{404, "unknown_request"};
    case d::command_status::wrong_state: return api_error{409, "wrong_state"};
    case d::command_status::expired: return api_error{409, "offer_expired"};
    case d::command_status::no_longer_feasible: return api_error{409, "no_longer_feasible"};
    case d::command_status::wrong_vehicle: return api_error{409, "wrong_vehicle"};
    case d::command_status::too_early: return api_error{409, "too_early"};
    case d::command_status::invalid_position: return api_error{422, "unreachable_position"};
    case d::command_status::connection_not_kept: return api_error{409, "no_longer_feasible"};
    case d::command_status::unknown_journey: return api_error{404, "unknown_journey"};
  }
  return api_error{500, "internal"};
}

v1::DrtTime* drt_state::set_time(v1::DrtTime* t, d::instant s) const {
  auto const day = sclock.service_date(s);
  t->set_seconds(static_cast<std::int32_t>(std::clamp<std::int64_t>(s - sclock.day_start(day), INT32_MIN, INT32_MAX)));
  t->set_time(sclock.iso(s));
  t->set_date(civil::format_date(day));
  t->set_unix(s);
  return t;
}

void drt_state::set_point(v1::DrtMeetingPoint* out, latlon asked, latlon at, langs const& chain) const {
  if (opt.stop_at) {
    if (auto const label = opt.stop_at(at, chain)) {
      out->set_stop_id(label->stop_id);
      out->set_name(label->name);
      out->set_platform_code(label->platform_code);
    }
  }
  set_latlon(out->mutable_location(), at);
  auto const walk = haversine_m(asked, at);
  out->set_walk_m(std::round(walk * 10.0) / 10.0);
  out->set_walk_s(static_cast<std::int32_t>(std::lround(walk / (opt.walk_speed_kmh / 3.6))));
}

v1::DrtRequestStatus drt_state::request_status(d::request_idx r, langs const& chain) const {
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
  set_time(out.mutable_earliest_pickup(),
           rq.status == d::request_status::rejected ? rq.spec.earliest_pickup : rq.earliest);
  if (rq.pickup.valid) set_point(out.mutable_pickup_point(), rq.spec.pickup, rq.pickup.coord, chain);
  if (rq.dropoff.valid) set_point(out.mutable_dropoff_point(), rq.spec.dropoff, rq.dropoff.coord, chain);
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

v1::DrtVehicleStops drt_state::stops_message(d::vehicle_idx vi, langs const& chain) const {
  auto const& v = disp.vehicle(vi);
  v1::DrtVehicleStops out;
  out.set_vehicle_id(v.spec.name);
  set_time(out.mutable_shift_start(), v.spec.shift_start);
  set_time(out.mutable_shift_end(), v.spec.shift_end);
  out.set_on_board(static_cast<std::uint32_t>(v.seats_used + v.wheelchairs_used));
  if (!v.stops.empty()) set_time(out.mutable_next_stop_eta(), v.stops.front().arrival);
  for (std::size_t k = 0; k < v.stops.size(); ++k) {
    auto const& s = v.stops[k];
    auto const& rq = disp.request(s.request);
    auto& m = *out.add_stops();
    m.set_kind(s.kind == d::stop_kind::pickup ? "pickup" : "dropoff");
    m.set_request_id(std::to_string(s.request.v()));
    set_latlon(m.mutable_location(), s.loc.coord);
    set_point(m.mutable_point(), s.kind == d::stop_kind::pickup ? rq.spec.pickup : rq.spec.dropoff, s.loc.coord, chain);
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
    m.set_on_board_after(static_cast<std::uint32_t>(v.seats_after[k] + v.wheelchairs_after[k]));
    m.set_arrived(s.arrived);
    if (s.arrived) set_time(m.mutable_arrived_at(), s.arrived_at);
    if (k == 0 && s.arrived && s.kind == d::stop_kind::pickup)
      set_time(m.mutable_no_show_after(), disp.no_show_time(vi));
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
  // One entity per vehicle id: the last position any of its shifts reported.
  std::vector<std::pair<std::string const*, d::vehicle_idx>> latest;
  for (auto const& [name, shifts] : vehicle_by_name) {
    std::optional<d::vehicle_idx> best;
    for (auto const v : shifts)
      if (positions[v.v()].valid && (!best || positions[v.v()].at >= positions[best->v()].at)) best = v;
    if (best) latest.emplace_back(&name, *best);
  }
  std::sort(latest.begin(), latest.end(), [&](auto const& a, auto const& b) {  // first registered first
    auto const& sa = vehicle_by_name.at(*a.first);
    auto const& sb = vehicle_by_name.at(*b.first);
    return *std::min_element(sa.begin(), sa.end()) < *std::min_element(sb.begin(), sb.end());
  });
  for (auto const& [name, vi] : latest) {
    auto const& p = positions[vi.v()];
    auto const& v = disp.vehicle(vi);
    auto* e = feed.add_entity();
    e->set_id(v.spec.name);
    auto* vp = e->mutable_vehicle();
    auto* vd = vp->mutable_vehicle();
    vd->set_id(v.spec.name);
    vd->set_label(v.spec.name);
    vd->set_wheelchair_accessible(v.spec.wheelchairs > 0 ? transit_realtime::VehicleDescriptor::WHEELCHAIR_ACCESSIBLE
                                                         : transit_realtime::VehicleDescriptor::WHEELCHAIR_INACCESSIBLE);
    vp->mutable_position()->set_latitude(static_cast<float>(p.coord.lat));
    vp->mutable_position()->set_longitude(static_cast<float>(p.coord.lon));
    vp->set_timestamp(static_cast<std::uint64_t>(std::max<std::int64_t>(0, p.at)));
    vp->set_current_status(!v.stops.empty() && v.stops.front().arrived
                               ? transit_realtime::VehiclePosition::STOPPED_AT
                               : transit_realtime::VehiclePosition::IN_TRANSIT_TO);
    using occ = transit_realtime::VehiclePosition;
    auto const used = v.seats_used;
    vp->set_occupancy_status(used == 0                 ? occ::EMPTY
                             : used >= v.spec.seats    ? occ::FULL
                             : 2 * used < v.spec.seats ? occ::MANY_SEATS_AVAILABLE
                                                       : occ::FEW_SEATS_AVAILABLE);
  }
  return feed;
}

}  // namespace nebuta::api_server
