// /v1/drt/vehicles[/{id}[/stops|/position|/events]]: the operator's fleet and the vehicles'
// telemetry. Every route here is the operator's.
#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drt_handlers.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

constexpr std::array<std::pair<d::stop_event_kind, char const*>, 4> event_names{
    {{d::stop_event_kind::arrived, "arrived"},
     {d::stop_event_kind::picked_up, "picked_up"},
     {d::stop_event_kind::dropped_off, "dropped_off"},
     {d::stop_event_kind::no_show, "no_show"}}};

// A position no vehicle of this service can be at: far from the service area, or farther from the
// vehicle's last reported position than it could have driven since (a GPS glitch, a wrong id).
std::optional<api_error> implausible_position(drt_state const& m, d::vehicle_idx vi, latlon p, d::instant now) {
  auto const& area = m.disp.service_rules().service_area;
  if (!area.empty()) {
    auto const off = d::distance_to_area_m(area, p);
    if (off > m.opt.max_off_area_m) {
      return api_error{422,
                       "implausible_position.off_area",
                       {std::to_string(static_cast<long>(off / 1000.0 + 0.5)),
                        std::to_string(static_cast<long>(m.opt.max_off_area_m))}};
    }
  }
  // The last position any shift of this vehicle reported.
  std::optional<drt_state::posted_position> last;
  for (auto const v : m.vehicle_by_name.at(m.vehicle_name(vi))) {
    auto const& q = m.positions[v.v()];
    if (q.valid && (!last || q.at >= last->at)) last = q;
  }
  if (last) {
    auto const dist = haversine_m(last->coord, p);
    auto const elapsed = static_cast<double>(std::max<d::instant>(0, now - last->at));
    auto const reach = m.opt.max_speed_kmh / 3.6 * elapsed + m.opt.position_jitter_m;
    if (dist > reach) {
      return api_error{422,
                       "implausible_position.speed",
                       {std::to_string(static_cast<long>(dist)), std::to_string(static_cast<long>(elapsed)),
                        std::to_string(static_cast<long>(m.opt.max_speed_kmh))}};
    }
  }
  return std::nullopt;
}

// Registers one shift of the vehicle of the body; `path_id` is the id of PUT /v1/drt/vehicles/{id} (empty
// for POST). A vehicle id has one shift per start; shifts of one id must not overlap. The
// dispatcher has no command that changes a vehicle: a PUT of the values already registered
// answers the shift, any other registration of a known shift is 409.
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
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto const today = m.sclock.day_start(m.sclock.service_date(now));
  auto const shift = [&](std::string const& text, d::instant fallback, char const* what) {
    if (text.empty()) return fallback;
    auto const s = m.sclock.parse(text, now);
    if (!s) throw api_error{400, "invalid_time.service_day", {what, text.substr(0, 100)}};
    return *s;
  };
  spec.shift_start = shift(in.shift_start_time(), today, "shift_start_time");
  spec.shift_end = shift(in.shift_end_time(), today + seconds_per_day, "shift_end_time");
  if (spec.shift_end <= spec.shift_start) throw api_error{400, "invalid_shift"};
  if (auto const it = m.vehicle_by_name.find(spec.name); it != m.vehicle_by_name.end()) {
    for (auto const v : it->second) {
      auto const& old = m.disp.vehicle(v).spec;
      if (old.shift_start == spec.shift_start) {
        auto const same = old.seats == spec.seats && old.wheelchairs == spec.wheelchairs && old.depot == spec.depot &&
                          old.shift_end == spec.shift_end;
        if (!path_id.empty() && same) return message_response(m.vehicle_message(v), c.fmt);
        throw api_error{409, same ? "vehicle_exists.shift" : "vehicle_exists.shift_changed"};
      }
      if (spec.shift_start < old.shift_end && old.shift_start < spec.shift_end)
        throw api_error{409, "shift_overlaps", {m.sclock.iso(old.shift_start), m.sclock.iso(old.shift_end)}};
    }
  }
  auto const v = m.write([&] { return m.disp.add_vehicle(now, spec); });
  m.observe(d::add_vehicle_cmd{now, spec}, v);
  return message_response(m.vehicle_message(v), c.fmt, 201);
}

// The current shift of the vehicle of the path (drt_state::current_shift), with the mutex held
// by `lock`; 404 when there is none.
d::vehicle_idx vehicle_of_path(drt_state& m, call const& c, std::unique_lock<std::mutex>& lock) {
  lock = std::unique_lock{m.mutex};
  auto const current = m.current_shift(c.seg[3], m.now());
  if (!current) {
    lock.unlock();
    throw api_error{404, "unknown_vehicle", {c.seg[3].substr(0, 100)}};
  }
  return *current;
}

// Checks that the vehicle of a telemetry route exists (operator only) and parses the route's
// body outside the lock; the shift is chosen under the lock that applies the command.
void telemetry_vehicle(drt_state& m, call& c, google::protobuf::Message& body) {
  require_operator(m, c);
  std::unique_lock<std::mutex> lock;
  (void)vehicle_of_path(m, c, lock);
  lock.unlock();
  c.parse_body(body);
}

}  // namespace

// GET /v1/drt/vehicles
http_response drt_list_vehicles(drt_state& m, call& c) {
  require_operator(m, c);
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  // Each vehicle id once (its current shift), in the order the ids were first registered.
  std::vector<std::pair<d::vehicle_idx, std::string const*>> names;
  for (auto const& [name, shifts] : m.vehicle_by_name)
    names.emplace_back(*std::min_element(shifts.begin(), shifts.end()), &name);
  std::sort(names.begin(), names.end());
  v1::DrtFleet fleet;
  for (auto const& [_, name] : names) *fleet.add_vehicles() = m.vehicle_message(*m.current_shift(*name, now));
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
  return message_response(m.stops_message(vi, c.chain), c.fmt);
}

// POST /v1/drt/vehicles/{id}/position with a DrtPositionUpdate
http_response drt_vehicle_position(drt_state& m, call& c) {
  v1::DrtPositionUpdate in;
  telemetry_vehicle(m, c, in);
  auto const p = require_coordinate(in.lat(), in.lon(), "position");
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto const vi = *m.current_shift(c.seg[3], now);
  if (auto const error = implausible_position(m, vi, p, now)) {
    ++m.n_implausible_positions;
    throw *error;
  }
  auto const res = m.write([&] { return m.disp.update_position(now, vi, p); });
  m.observe(d::position_cmd{now, vi, p}, res);
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.vehicle_message(vi), c.fmt);
}

// POST /v1/drt/vehicles/{id}/events with a DrtStopEvent
http_response drt_vehicle_event(drt_state& m, call& c) {
  v1::DrtStopEvent in;
  telemetry_vehicle(m, c, in);
  auto const kind =
      std::find_if(event_names.begin(), event_names.end(), [&](auto const& e) { return in.kind() == e.second; });
  if (kind == event_names.end()) throw api_error{400, "invalid_event"};
  auto const id = parse_index(in.request_id());
  if (!id) throw api_error{400, "invalid_event.request_id"};
  std::lock_guard const lock{m.mutex};
  if (*id >= m.disp.requests().size()) throw api_error{404, "unknown_request"};
  auto const now = m.now();
  // The event is for the shift that serves the request (a shift running late keeps its riders).
  auto const& q = m.disp.request(d::request_idx{*id});
  auto vi = *m.current_shift(c.seg[3], now);
  if (q.vehicle.valid() && q.vehicle.v() < m.disp.vehicles().size() && m.vehicle_name(q.vehicle) == c.seg[3])
    vi = q.vehicle;
  auto const res = m.write([&] { return m.disp.stop_event(now, vi, d::request_idx{*id}, kind->first); });
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.stops_message(vi, c.chain), c.fmt);
}

}  // namespace nebuta::api_server
