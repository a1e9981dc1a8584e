// The on-demand dispatch API (/v1/drt/): the service's life (journal replay, fleet, background
// re-optimisation) and the routing of a request to the handler of its resource.
#include "nebuta/api_server/drt_api.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include "drt_handlers.h"
#include "drt_remote.h"
#include "drt_token.h"
#include "nebuta/core/civil_time.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

// Every period: register the shifts of a date that came into the booking horizon, re-optimise
// (when there are open bookings; a no-op would only lengthen the journal) and compact the journal
// when it is due.
void drt_state::background_loop() {
  std::unique_lock lock{mutex};
  auto const period = std::chrono::seconds{opt.reoptimise_every_s > 0 ? opt.reoptimise_every_s : 60U};
  while (!stopping) {
    wake.wait_for(lock, period);
    if (stopping) break;
    if (failed) continue;
    try {
      register_shifts(now());
      auto const& rq = disp.requests();
      if (opt.reoptimise_every_s > 0 && std::any_of(rq.begin(), rq.end(), [](d::request_state const& r) {
            return r.status == d::request_status::assigned;
          }))
        write([&] { return disp.reoptimise(now()); });
      check_connections(now());
      compact_if_due(false);
    } catch (api_service::api_error const&) {  // storage failed: the service is read-only now
    }
  }
}

namespace {

// GET /v1/drt/info
http_response drt_info(drt_state& m, call& c) {
  std::lock_guard const lock{m.mutex};
  v1::DrtInfo info;
  auto const now = m.now();
  info.set_service_date(civil::format_date(m.sclock.service_date(now)));
  info.set_timezone(m.sclock.timezone);
  m.set_time(info.mutable_now(), now);
  info.set_n_vehicles(static_cast<std::uint32_t>(m.disp.vehicles().size()));
  info.set_n_requests(static_cast<std::uint32_t>(m.disp.requests().size()));
  info.set_writable(!m.failed && m.leading);
  info.set_travel_model(m.opt.travel_model_name);
  return message_response(info, c.fmt);
}

// POST /v1/drt/reoptimise
http_response drt_reoptimise(drt_state& m, call& c) {
  require_operator(m, c);
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto const res = m.write([&] { return m.disp.reoptimise(now); });
  v1::DrtReoptimiseResponse out;
  out.set_considered(res.n_considered);
  out.set_moved(res.n_moved);
  out.set_cost_saved(res.cost_saved);
  return message_response(out, c.fmt);
}

// GET /v1/drt/gtfs-rt/vehicle-positions: binary GTFS-RT unless JSON is preferred
http_response drt_gtfs_rt(drt_state& m, call& c) {
  std::lock_guard const lock{m.mutex};
  auto const feed = m.vehicle_positions();
  return c.fmt == format::json ? gtfs_rt_json_response(feed) : message_response(feed, c.fmt);
}

// Offers, /info and the GTFS-RT feed are public; a request's routes need its rider token or the
// operator's; every other route is the operator's (the handlers check).
constexpr std::array<route<drt_state>, 22> table{{
    {"/v1/drt/info", "GET", "", endpoint::drt_other, drt_info},
    {"/v1/drt/area", "GET", "", endpoint::drt_other, drt_area},  // drt_remote_area.cc
    {"/v1/drt/offers", "POST", "", endpoint::drt_offer, drt_offer, true},
    {"/v1/drt/requests/{}", "GET", "", endpoint::drt_request, drt_get_request},
    {"/v1/drt/requests/{}/accept", "POST", "", endpoint::drt_request, drt_accept_request},
    {"/v1/drt/requests/{}/cancel", "POST", "", endpoint::drt_request, drt_cancel_request},
    {"/v1/drt/vehicles", "GET", "", endpoint::drt_vehicle, drt_list_vehicles},
    {"/v1/drt/vehicles", "POST", "", endpoint::drt_vehicle, drt_register_vehicle},
    {"/v1/drt/vehicles/{}", "GET", "", endpoint::drt_vehicle, drt_get_vehicle},
    {"/v1/drt/vehicles/{}", "PUT", "", endpoint::drt_vehicle, drt_put_vehicle},
    {"/v1/drt/vehicles/{}/stops", "GET", "", endpoint::drt_vehicle, drt_vehicle_stops},
    {"/v1/drt/vehicles/{}/position", "POST", "", endpoint::drt_telemetry, drt_vehicle_position},
    {"/v1/drt/vehicles/{}/events", "POST", "", endpoint::drt_telemetry, drt_vehicle_event},
    {"/v1/drt/reoptimise", "POST", "", endpoint::drt_other, drt_reoptimise},
    {"/v1/drt/summary", "GET", "date", endpoint::drt_other, drt_summary},
    {"/v1/drt/requests", "GET", "date status limit offset", endpoint::drt_request, drt_list_requests},
    {"/v1/drt/export/{}", "GET", "date", endpoint::drt_other, drt_export},
    {"/v1/drt/gtfs-flex.zip", "GET", "days", endpoint::drt_other, drt_gtfs_flex},
    {"/v1/drt/gtfs-rt/vehicle-positions", "GET", "", endpoint::drt_gtfs_rt, drt_gtfs_rt, false, answers::protobuf},
    {"/v1/journeys", "POST", "", endpoint::drt_request, drt_book_journey, true},
    {"/v1/journeys/{}", "GET", "", endpoint::drt_request, drt_get_journey},
    {"/v1/journeys/{}/cancel", "POST", "", endpoint::drt_request, drt_cancel_journey},
}};

server_config const& default_limits() {
  static server_config const cfg;
  return cfg;
}

}  // namespace

drt_service::drt_service(std::unique_ptr<road::travel_model> model, dispatch::rules rules, drt_options opt)
    : state_{std::make_unique<drt_state>(std::move(model), std::move(rules), std::move(opt))} {
  auto& m = *state_;
  std::lock_guard const lock{m.mutex};
  m.start_up();
}

drt_service::~drt_service() { stop_background(); }

std::size_t drt_service::register_shifts() {
  auto& m = *state_;
  std::lock_guard const lock{m.mutex};
  try {
    return m.register_shifts(m.now());
  } catch (api_error const& e) {
    throw std::runtime_error{std::string{"registering the fleet's shifts: "} + e.what()};
  }
}

void drt_service::start_background() {
  auto& m = *state_;
  if (!m.leading && !m.background.joinable()) {  // a standby: follow, take over, then as a leader
    m.background = std::thread{[&m] { m.follow_loop(); }};
    return;
  }
  if (m.opt.reoptimise_every_s == 0 && m.opt.shifts.empty() && m.opt.compact_every <= 0) return;
  if (m.background.joinable()) return;
  m.background = std::thread{[&m] { m.background_loop(); }};
}

// Stops the background work and, stopping cleanly, writes a snapshot: the next start-up restores
// it without replaying anything (and a travel model changed meanwhile re-plans exactly).
void drt_service::stop_background() {
  auto& m = *state_;
  {
    std::lock_guard const lock{m.mutex};
    m.stopping = true;
  }
  m.wake.notify_all();
  if (m.background.joinable()) m.background.join();
  std::lock_guard const lock{m.mutex};
  m.compact_if_due(true);
}

bool drt_service::owns(std::string_view target) const {
  auto const path = target.substr(0, target.find('?'));
  return path == "/v1/drt" || path.starts_with("/v1/drt/") || path == "/v1/journeys" || path.starts_with("/v1/journeys/");
}

std::size_t drt_service::n_replayed() const { return state_->n_replayed; }
std::size_t drt_service::n_vehicles() const {
  std::lock_guard const lock{state_->mutex};
  return state_->disp.vehicles().size();
}
service_clock const& drt_service::clock() const { return state_->sclock; }
std::vector<std::string> const& drt_service::startup_notes() const { return state_->startup_notes; }

std::string drt_service::prometheus_text() const {
  auto const& m = *state_;
  std::string out;
  auto const counter = [&](char const* name, char const* help, std::uint64_t v) {
    out += std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(v) + "\n";
  };
  counter("nebuta_drt_implausible_positions_total", "vehicle positions refused as implausible",
          m.n_implausible_positions.load());
  counter("nebuta_drt_invalid_times_total", "requests refused for a pickup time in the past", m.n_invalid_times.load());
  counter("nebuta_drt_compactions_total", "snapshots written into the journal", m.n_compactions.load());
  return out;
}
std::string drt_service::rider_token(std::uint32_t request) const { return state_->token(request); }
std::string drt_service::journey_token(journey_offer const& j) const { return encode_journey_token(j, state_->secret); }

std::optional<http_response> drt_service::route_call(call& c) {
  if (owns(c.req.target)) c.ep = endpoint::drt_other;
  if (auto r = standby_answer(*state_, c)) return r;  // GET /v1/drt/leader; a standby refuses writes
  if (auto const* r = find_route(std::span<route<drt_state> const>{table}, c)) return dispatch(*r, *state_, c);
  return std::nullopt;
}

http_response drt_service::handle(http_request const& req, endpoint& ep) {
  return run_pipeline(req, default_limits(), nullptr, ep, [&](call& c) { return route_call(c); });
}

}  // namespace nebuta::api_server
