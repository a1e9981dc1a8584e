// The on-demand dispatch API (/v1/drt/): the service's life (journal replay, fleet, background
// re-optimisation) and the routing of a request to the handler of its resource.
#include "nebuta/api_server/drt_api.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include <google/protobuf/util/json_util.h>

#include "drt_call.h"
#include "drt_token.h"
#include "negotiation.h"
#include "nebuta/api_service/text_fold.h"
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
    } catch (drt_error const&) {
    }
  }
}

namespace {

format negotiate(std::string_view accept, bool binary_default) {
  if (auto const f = negotiate_format(accept, binary_default ? format::protobuf : format::json)) return *f;
  throw drt_error{406, "not_acceptable",
                  "cannot answer as '" + std::string{accept.substr(0, 100)} +
                      "'; accept application/json or application/x-protobuf"};
}

// GTFS-RT as JSON: only the fields that are set (proto2 defaults such as bearing 0 would read as
// measurements).
http_response respond_gtfs_rt_json(google::protobuf::Message const& m) {
  google::protobuf::util::JsonPrintOptions opt;
  opt.preserve_proto_field_names = true;
  http_response r;
  r.content_type = json_type;
  if (!google::protobuf::util::MessageToJsonString(m, &r.body, opt).ok())
    throw std::runtime_error{"cannot print the feed as JSON"};
  return r;
}

// GET /v1/drt/info
http_response drt_info(drt_call& c) {
  auto& m = c.m;
  c.allow({"GET"});
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
http_response drt_reoptimise(drt_call& c) {
  auto& m = c.m;
  c.allow({"POST"});
  c.require_operator();
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto const res = m.write([&] { return m.disp.reoptimise(now); });
  v1::DrtReoptimiseResponse out;
  out.set_considered(res.n_considered);
  out.set_moved(res.n_moved);
  out.set_cost_saved(res.cost_saved);
  return message_response(out, c.fmt);
}

// GET /v1/drt/gtfs-rt/vehicle-positions
http_response drt_gtfs_rt(drt_call& c) {
  auto& m = c.m;
  if (c.seg[3] != "vehicle-positions")
    throw drt_error{404, "not_found", "no such endpoint: " + std::string{c.path.substr(0, 200)}};
  c.ep = endpoint::drt_gtfs_rt;
  c.allow({"GET"});
  std::lock_guard const lock{m.mutex};
  auto const feed = m.vehicle_positions();
  return c.fmt == format::json ? respond_gtfs_rt_json(feed) : message_response(feed, c.fmt);
}

// The resources under /v1/drt/: the segment after /v1/drt/, how many segments the path may
// have in all, and the handler.
struct resource {
  std::string_view name;
  std::size_t min_segments, max_segments;
  http_response (*handle)(drt_call&);
};
constexpr std::array<resource, 6> resources{{
    {"info", 3, 3, drt_info},
    {"offers", 3, 3, drt_offers},
    {"requests", 4, 5, drt_requests},
    {"vehicles", 3, 5, drt_vehicles},
    {"reoptimise", 3, 3, drt_reoptimise},
    {"gtfs-rt", 4, 4, drt_gtfs_rt},
}};

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
  } catch (drt_error const& e) {
    throw std::runtime_error{"registering the fleet: " + e.message};
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

http_response drt_service::handle(http_request const& req, endpoint& ep) {
  auto& m = *state_;
  ep = endpoint::drt_other;
  auto fmt = format::json;
  auto error_fmt = format::json;  // the GTFS-RT feed answers binary by default, its errors JSON
  try {
    auto const qpos = req.target.find('?');
    auto const path = std::string_view{req.target}.substr(0, qpos);
    auto seg = split_path(path);  // "v1", "drt", ...
    auto const is_gtfs_rt = seg.size() == 4 && seg[2] == "gtfs-rt";
    fmt = negotiate(req.accept, is_gtfs_rt);
    error_fmt = negotiate(req.accept, false);
    if (req.target.size() > 4096) throw drt_error{414, "uri_too_long", "request URI too long (at most 4096 bytes)"};
    if (qpos != std::string::npos && qpos + 1 < req.target.size())
      throw drt_error{400, "unknown_parameter", "the on-demand API takes no query parameters"};
    if (req.method == "OPTIONS") return {204, {}, {}, {}, {}};

    // Auth.
    auto bearer = [&]() -> std::optional<std::string> {
      auto const a = trim(req.authorization);
      if (a.size() < 7 || lower(a.substr(0, 7)) != "bearer ") return std::nullopt;
      auto t = trim(std::string_view{a}.substr(7));
      if (t.empty()) return std::nullopt;
      return t;
    }();

    auto const sub = seg.size() > 2 ? std::string_view{seg[2]} : std::string_view{};
    for (auto const& r : resources) {
      if (sub != r.name || seg.size() < r.min_segments || seg.size() > r.max_segments) continue;
      drt_call call{m, req, path, std::move(seg), fmt, ep, std::move(bearer)};
      return r.handle(call);
    }
    throw drt_error{404, "not_found", "no such endpoint: " + std::string{path.substr(0, 200)}};
  } catch (drt_error const& e) {
    v1::Error err;
    err.set_code(e.code);
    err.set_message(api_service::replace_invalid_utf8(e.message));  // messages echo client input
    // Errors of the GTFS-RT feed are written as JSON unless protobuf was asked for explicitly.
    auto r = message_response(err, e.status == 406 ? format::json : error_fmt, e.status);
    r.allow = e.allow;
    return r;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "nebuta dispatch: internal error on %s: %s\n", req.target.substr(0, 200).c_str(), e.what());
    v1::Error err;
    err.set_code("internal");
    err.set_message("internal error");
    return message_response(err, error_fmt, 500);
  }
}

}  // namespace nebuta::api_server