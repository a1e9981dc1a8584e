// /v1/drt/vehicles[/{id}[/stops|/position|/events]]: the operator's fleet and the vehicles'
// telemetry.
#include <algorithm>
#include <array>
#include <utility>

#include "drt_call.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

constexpr std::array<std::pair<d::stop_event_kind, char const*>, 4> event_names{
    {{d::stop_event_kind::arrived, "arrived"},
     {d::stop_event_kind::picked_up, "picked_up"},
     {d::stop_event_kind::dropped_off, "dropped_off"},
     {d::stop_event_kind::no_show, "no_show"}}};

}  // namespace

// /v1/drt/vehicles[/{id}[/stops|/position|/events]]
http_response drt_vehicles(drt_call& c) {
  auto& m = c.m;
  auto const& req = c.req;
  auto const& seg = c.seg;
  c.ep = seg.size() == 5 && seg[4] != "stops" ? endpoint::drt_telemetry : endpoint::drt_vehicle;
  auto const action = seg.size() == 5 ? std::string_view{seg[4]} : std::string_view{};
  if (!action.empty() && action != "stops" && action != "position" && action != "events")
    throw drt_error{404, "not_found", "no such endpoint: " + std::string{c.path.substr(0, 200)}};
  if (seg.size() == 3) {
    c.allow({"GET", "POST"});
  } else if (seg.size() == 4) {
    c.allow({"GET", "PUT"});
  } else if (action == "stops") {
    c.allow({"GET"});
  } else {
    c.allow({"POST"});
  }
  c.require_operator();

  if (seg.size() == 3 && c.is_get()) {
    std::lock_guard const lock{m.mutex};
    v1::DrtFleet fleet;
    for (auto v = d::vehicle_idx{0}; v.v() < m.disp.vehicles().size(); ++v)
      *fleet.add_vehicles() = m.vehicle_message(v);
    return message_response(fleet, c.fmt);
  }
  if (seg.size() == 3 || (seg.size() == 4 && req.method == "PUT")) {  // register
    v1::DrtVehicleSpec in;
    parse_body(req, in, m.opt.max_body_bytes, false);
    if (seg.size() == 4) {
      if (in.vehicle_id().empty()) in.set_vehicle_id(seg[3]);
      if (in.vehicle_id() != seg[3])
        throw drt_error{400, "invalid_vehicle", "vehicle_id in the body differs from the one in the path"};
    }
    if (!valid_vehicle_id(in.vehicle_id()))
      throw drt_error{400, "invalid_vehicle", "vehicle_id must be 1 to 64 characters: letters, digits, - _ . : ~"};
    if (in.seats() > 1000 || in.wheelchair_spaces() > 1000 || in.seats() + in.wheelchair_spaces() == 0)
      throw drt_error{400, "invalid_vehicle", "seats and wheelchair_spaces must be 0 to 1000, not both 0"};
    if (!in.has_depot()) throw drt_error{400, "missing_field", "'depot' is required"};
    d::vehicle_spec spec;
    spec.name = in.vehicle_id();
    spec.seats = static_cast<std::uint16_t>(in.seats());
    spec.wheelchairs = static_cast<std::uint16_t>(in.wheelchair_spaces());
    spec.depot = require_coordinate(in.depot().lat(), in.depot().lon(), "depot");
    auto const shift = [&](std::string const& text, seconds_t fallback, char const* what) {
      if (text.empty()) return fallback;
      auto const s = m.sclock.parse(text);
      if (!s) throw drt_error{400, "invalid_time", std::string{what} + " must be ISO 8601, HH:MM[:SS] or seconds"};
      return *s;
    };
    spec.shift_start = shift(in.shift_start_time(), 0, "shift_start_time");
    spec.shift_end = shift(in.shift_end_time(), seconds_per_day, "shift_end_time");
    if (spec.shift_end <= spec.shift_start)
      throw drt_error{400, "invalid_shift", "shift_end_time must be after shift_start_time"};
    std::lock_guard const lock{m.mutex};
    if (auto const it = m.vehicle_by_name.find(spec.name); it != m.vehicle_by_name.end()) {
      auto const& old = m.disp.vehicle(it->second).spec;
      auto const same = old.seats == spec.seats && old.wheelchairs == spec.wheelchairs && old.depot == spec.depot &&
                        old.shift_start == spec.shift_start && old.shift_end == spec.shift_end;
      // The dispatcher has no command that changes a vehicle: PUT is idempotent registration.
      if (seg.size() == 4 && same) return message_response(m.vehicle_message(it->second), c.fmt);
      throw drt_error{409, "vehicle_exists",
                      same ? "a vehicle with this id is registered already"
                           : "a vehicle with this id is registered already with other values (vehicles cannot be "
                             "changed once registered)"};
    }
    auto const now = m.now();
    auto const v = m.write([&] { return m.disp.add_vehicle(now, spec); });
    m.observe(d::add_vehicle_cmd{now, spec}, v);
    return message_response(m.vehicle_message(v), c.fmt, 201);
  }

  // One vehicle.
  std::unique_lock lock{m.mutex};
  auto const it = m.vehicle_by_name.find(seg[3]);
  if (it == m.vehicle_by_name.end()) {
    lock.unlock();
    throw drt_error{404, "unknown_vehicle", "no vehicle with id '" + seg[3].substr(0, 100) + "'"};
  }
  auto const vi = it->second;
  if (seg.size() == 4) return message_response(m.vehicle_message(vi), c.fmt);
  if (action == "stops") return message_response(m.stops_message(vi), c.fmt);
  lock.unlock();  // parse the body outside the lock
  if (action == "position") {
    v1::DrtPositionUpdate in;
    parse_body(req, in, m.opt.max_body_bytes, false);
    auto const p = require_coordinate(in.lat(), in.lon(), "position");
    lock.lock();
    auto const now = m.now();
    auto const res = m.write([&] { return m.disp.update_position(now, vi, p); });
    m.observe(d::position_cmd{now, vi, p}, res);
    if (res != d::command_status::ok) throw status_error(res);
    return message_response(m.vehicle_message(vi), c.fmt);
  }
  // events
  v1::DrtStopEvent in;
  parse_body(req, in, m.opt.max_body_bytes, false);
  auto const kind = std::find_if(event_names.begin(), event_names.end(),
                                 [&](auto const& e) { return in.kind() == e.second; });
  if (kind == event_names.end())
    throw drt_error{400, "invalid_event", "kind must be arrived, picked_up, dropped_off or no_show"};
  auto const id = parse_index(in.request_id());
  if (!id) throw drt_error{400, "invalid_event", "request_id must be a request id"};
  lock.lock();
  if (*id >= m.disp.requests().size()) throw drt_error{404, "unknown_request", "no such request"};
  auto const now = m.now();
  auto const res = m.write([&] { return m.disp.stop_event(now, vi, d::request_idx{*id}, kind->first); });
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.stops_message(vi), c.fmt);
}

}  // namespace nebuta::api_server
