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
#include "drt_token.h"
#include "nebuta/storage/meta.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

void drt_state::background_loop() {
  std::unique_lock lock{mutex};
  while (!stopping) {
    wake.wait_for(lock, std::chrono::seconds{opt.reoptimise_every_s});
    if (stopping) break;
    if (failed) continue;
    auto const& rq = disp.requests();
    // Without open bookings there is nothing to move: skip instead of journaling a no-op.
    if (std::none_of(rq.begin(), rq.end(), [](d::request_state const& r) { return r.status == d::request_status::assigned; }))
      continue;
    try {
      write([&] { return disp.reoptimise(now()); });
    } catch (api_service::api_error const&) {  // storage failed: the service is read-only now
    }
  }
}

namespace {

// GET /v1/drt/info
http_response drt_info(drt_state& m, call& c) {
  std::lock_guard const lock{m.mutex};
  v1::DrtInfo info;
  info.set_service_date(m.sclock.service_date);
  info.set_timezone(m.sclock.timezone);
  m.set_time(info.mutable_now(), m.now());
  info.set_n_vehicles(static_cast<std::uint32_t>(m.disp.vehicles().size()));
  info.set_n_requests(static_cast<std::uint32_t>(m.disp.requests().size()));
  info.set_writable(!m.failed);
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
constexpr std::array<route<drt_state>, 14> table{{
    {"/v1/drt/info", "GET", "", endpoint::drt_other, drt_info},
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
    {"/v1/drt/gtfs-rt/vehicle-positions", "GET", "", endpoint::drt_gtfs_rt, drt_gtfs_rt, false, answers::protobuf},
}};

server_config const& default_limits() {
  static server_config const cfg;
  return cfg;
}

}  // namespace

drt_service::drt_service(std::unique_ptr<road::travel_model> model, dispatch::rules rules, drt_options opt)
    : state_{std::make_unique<drt_state>(std::move(model), std::move(rules), std::move(opt))} {
  auto& m = *state_;
  if (m.opt.db.empty()) throw std::invalid_argument{"no database path"};
  (void)civil::time_zone::locate(m.opt.timezone);  // throws std::invalid_argument for an unknown zone
  std::error_code ec;
  if (std::filesystem::exists(m.opt.db, ec)) {
    for (auto const& c : storage::load_commands(m.opt.db)) {
      m.observe(c, m.disp.apply(c));
      ++m.n_replayed;
    }
  }
  m.journal = std::make_unique<storage::sqlite_journal>(m.opt.db);
  auto const today = m.opt.service_date.empty() ? service_clock::today(m.opt.timezone, m.unix_now()) : m.opt.service_date;
  auto const stored_zone = storage::meta_value(m.opt.db, "timezone", m.opt.timezone);
  auto const stored_date = storage::meta_value(m.opt.db, "service_date", today);
  if (stored_zone != m.opt.timezone)
    throw std::invalid_argument{"database " + m.opt.db.string() + " was created for time zone " + stored_zone +
                                ", not " + m.opt.timezone};
  if (!m.opt.service_date.empty() && stored_date != m.opt.service_date)
    throw std::invalid_argument{"database " + m.opt.db.string() + " holds service date " + stored_date + ", not " +
                                m.opt.service_date};
  m.sclock = service_clock::make(stored_zone, stored_date);
  m.secret = storage::meta_value(m.opt.db, "rider_token_secret", random_secret());
  m.disp.set_journal(m.journal.get());
}

drt_service::~drt_service() { stop_background(); }

std::size_t drt_service::add_missing_vehicles(std::span<dispatch::vehicle_spec const> fleet) {
  auto& m = *state_;
  std::lock_guard const lock{m.mutex};
  std::size_t n = 0;
  try {
    for (auto const& spec : fleet) {
      if (m.vehicle_by_name.contains(spec.name)) continue;
      auto const now = m.now();
      auto const v = m.write([&] { return m.disp.add_vehicle(now, spec); });
      m.observe(d::add_vehicle_cmd{now, spec}, v);
      ++n;
    }
  } catch (api_error const& e) {
    throw std::runtime_error{std::string{"registering the fleet: "} + e.what()};
  }
  return n;
}

void drt_service::start_background() {
  auto& m = *state_;
  if (m.opt.reoptimise_every_s == 0 || m.background.joinable()) return;
  m.background = std::thread{[&m] { m.background_loop(); }};
}

void drt_service::stop_background() {
  auto& m = *state_;
  {
    std::lock_guard const lock{m.mutex};
    m.stopping = true;
  }
  m.wake.notify_all();
  if (m.background.joinable()) m.background.join();
}

bool drt_service::owns(std::string_view target) const {
  auto const path = target.substr(0, target.find('?'));
  return path == "/v1/drt" || path.starts_with("/v1/drt/");
}

std::size_t drt_service::n_replayed() const { return state_->n_replayed; }
std::size_t drt_service::n_vehicles() const {
  std::lock_guard const lock{state_->mutex};
  return state_->disp.vehicles().size();
}
service_clock const& drt_service::clock() const { return state_->sclock; }
std::string drt_service::rider_token(std::uint32_t request) const { return state_->token(request); }

std::optional<http_response> drt_service::route_call(call& c) {
  if (owns(c.req.target)) c.ep = endpoint::drt_other;
  if (auto const* r = find_route(std::span<route<drt_state> const>{table}, c)) return dispatch(*r, *state_, c);
  return std::nullopt;
}

http_response drt_service::handle(http_request const& req, endpoint& ep) {
  return run_pipeline(req, default_limits(), nullptr, ep, [&](call& c) { return route_call(c); });
}

}  // namespace nebuta::api_server
