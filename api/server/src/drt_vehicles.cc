// /v1/drt/vehicles[/{id}[/stops|/position|/events]]: the operator's fleet and the vehicles'
// telemetry. Every route here is the operator's.
#include <algorithm>
#include <array>
#include <mutex>
#include <utility>

#include "drt_handlers.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

constexpr std::array<std::pair<d::stop_event_kind, char const*>, 4> event_names{
    {{d::stop_event_kind::arrived, "arrived"},
     {d::stop_event_kind::picked_up, "picked_up"},
     {d::stop_event_kind::dropped_off, "dropped_off"},
     {d::stop_event_kind::no_show, "no_show"}}};

// Registers the vehicle of the body; `path_id` is the id of PUT /v1/drt/vehicles/{id} (empty
// for POST). The dispatcher has no command that changes a vehicle: a PUT of the values already
// registered answers the vehicle, any other registration of a known id is 409.
http_response register_vehicle(drt_state& m, call& c, std::string const& path_id) {
  require_operator(m, c);
  v1::DrtVehicleSpec in;
  c.parse_body(in);
  if (!path_id.empty()) {
    if (in.vehicle_id().empty()) in.set_vehicle_id(path_id);
    if (in.vehicle_id() != path_id) throw api_error{400, "invalid_vehicle.mismatch"};
  }
  if (!valid_vehicle_id(in.vehicle_id())) throw api_error{400, "invalid_vehicle"};
  if (in.seats() > 1000 || in.wheelchair_spaces() > 1000 || in.seats() + in.wheelchair_spaces() == 0)
    throw api_error{400, "invalid_vehicle.capacity"};
  if (!in.has_depot()) throw api_error{400, "missing_field", {"depot"}};
  d::vehicle_spec spec;
  spec.name = in.vehicle_id();
  spec.seats = static_cast<std::uint16_t>(in.seats());
  spec.wheelchairs = static_cast<std::uint16_t>(in.wheelchair_spaces());
  spec.depot = require_coordinate(in.depot().lat(), in.depot().lon(), "depot");
  auto const shift = [&](std::string const& text, seconds_t fallback, char const* what) {
    if (text.empty()) return fallback;
    auto const s = m.sclock.parse(text);
    if (!s) throw api_error{400, "invalid_time.service_day", {what, text.substr(0, 100)}};
    return *s;
  };
  spec.shift_start = shift(in.shift_start_time(), 0, "shift_start_time");
  spec.shift_end = shift(in.shift_end_time(), seconds_per_day, "shift_end_time");
  if (spec.shift_end <= spec.shift_start) throw api_error{400, "invalid_shift"};
  std::lock_guard const lock{m.mutex};
  if (auto const it = m.vehicle_by_name.find(spec.name); it != m.vehicle_by_name.end()) {
    auto const& old = m.disp.vehicle(it->second).spec;
    auto const same = old.seats == spec.seats && old.wheelchairs == spec.wheelchairs && old.depot == spec.depot &&
                      old.shift_start == spec.shift_start && old.shift_end == spec.shift_end;
    if (!path_id.empty() && same) return message_response(m.vehicle_message(it->second), c.fmt);
    throw api_error{409, same ? "vehicle_exists" : "vehicle_exists.changed"};
  }
  auto const now = m.now();
  auto const v = m.write([&] { return m.disp.add_vehicle(now, spec); });
  m.observe(d::add_vehicle_cmd{now, spec}, v);
  return message_response(m.vehicle_message(v), c.fmt, 201);
}

// The vehicle of the path, with the mutex held by `lock`; 404 when there is none.
d::vehicle_idx vehicle_of_path(drt_state& m, call const& c, std::unique_lock<std::mutex>& lock) {
  lock = std::unique_lock{m.mutex};
  auto const it = m.vehicle_by_name.find(c.seg[3]);
  if (it == m.vehicle_by_name.end()) {
    lock.unlock();
    throw api_error{404, "unknown_vehicle", {c.seg[3].substr(0, 100)}};
  }
  return it->second;
}

// The vehicle of a telemetry route (operator only) and the route's body, parsed outside the lock.
d::vehicle_idx telemetry_vehicle(drt_state& m, call& c, google::protobuf::Message& body) {
  require_operator(m, c);
  std::unique_lock<std::mutex> lock;
  auto const vi = vehicle_of_path(m, c, lock);
  lock.unlock();
  c.parse_body(body);
  return vi;
}

}  // namespace

// GET /v1/drt/vehicles
http_response drt_list_vehicles(drt_state& m, call& c) {
  require_operator(m, c);
  std::lock_guard const lock{m.mutex};
  v1::DrtFleet fleet;
  for (auto v = d::vehicle_idx{0}; v.v() < m.disp.vehicles().size(); ++v) *fleet.add_vehicles() = m.vehicle_message(v);
  return message_response(fleet, c.fmt);
}

// POST /v1/drt/vehicles with a DrtVehicleSpec
http_response drt_register_vehicle(drt_state& m, call& c) { return register_vehicle(m, c, {}); }

// PUT /v1/drt/vehicles/{id} with a DrtVehicleSpec
http_response drt_put_vehicle(drt_state& m, call& c) { return register_vehicle(m, c, c.seg[3]); }

// GET /v1/drt/vehicles/{id}
http_response drt_get_vehicle(drt_state& m, call& c) {
  require_operator(m, c);
  std::unique_lock<std::mutex> lock;
  auto const vi = vehicle_of_path(m, c, lock);
  return message_response(m.vehicle_message(vi), c.fmt);
}

// GET /v1/drt/vehicles/{id}/stops
http_response drt_vehicle_stops(drt_state& m, call& c) {
  require_operator(m, c);
  std::unique_lock<std::mutex> lock;
  auto const vi = vehicle_of_path(m, c, lock);
  return message_response(m.stops_message(vi), c.fmt);
}

// POST /v1/drt/vehicles/{id}/position with a DrtPositionUpdate
http_response drt_vehicle_position(drt_state& m, call& c) {
  v1::DrtPositionUpdate in;
  auto const vi = telemetry_vehicle(m, c, in);
  auto const p = require_coordinate(in.lat(), in.lon(), "position");
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto const res = m.write([&] { return m.disp.update_position(now, vi, p); });
  m.observe(d::position_cmd{now, vi, p}, res);
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.vehicle_message(vi), c.fmt);
}

// POST /v1/drt/vehicles/{id}/events with a DrtStopEvent
http_response drt_vehicle_event(drt_state& m, call& c) {
  v1::DrtStopEvent in;
  auto const vi = telemetry_vehicle(m, c, in);
  auto const kind =
      std::find_if(event_names.begin(), event_names.end(), [&](auto const& e) { return in.kind() == e.second; });
  if (kind == event_names.end()) throw api_error{400, "invalid_event"};
  auto const id = parse_index(in.request_id());
  if (!id) throw api_error{400, "invalid_event.request_id"};
  std::lock_guard const lock{m.mutex};
  if (*id >= m.disp.requests().size()) throw api_error{404, "unknown_request"};
  auto const now = m.now();
  auto const res = m.write([&] { return m.disp.stop_event(now, vi, d::request_idx{*id}, kind->first); });
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.stops_message(vi), c.fmt);
}

}  // namespace nebuta::api_server
