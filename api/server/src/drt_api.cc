// The on-demand dispatch API: routing, auth, parsing and message mapping of /v1/drt/.
#include "nebuta/api_server/drt_api.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "gtfs-realtime.pb.h"
#include "message_response.h"
#include "negotiation.h"
#include "nebuta/api_service/json.h"
#include "nebuta/api_service/text_fold.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/meta.h"
#include "nebuta/v1/drt.pb.h"
#include "nebuta/v1/nebuta.pb.h"

namespace nebuta::api_server {

namespace {

namespace d = nebuta::dispatch;

// ------------------------------------------------------------------ errors

struct drt_error {
  int status;
  std::string code;
  std::string message;
  std::string allow{};
};

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string{s};
}

// ------------------------------------------------------------------ crypto

std::string to_hex(unsigned char const* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

std::string random_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error{"no random bytes"};
  return to_hex(bytes.data(), bytes.size());
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<unsigned char const*>(s.data()), s.size(), out.data());
  return out;
}

// Equal strings, in time independent of where they differ and of their lengths.
bool equal_secret(std::string_view a, std::string_view b) {
  auto const ha = sha256(a);
  auto const hb = sha256(b);
  return CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

// ------------------------------------------------------------------ messages

char const* to_name(d::reject_reason r) { return d::to_string(r); }

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

constexpr std::array<std::pair<d::stop_event_kind, char const*>, 4> event_names{
    {{d::stop_event_kind::arrived, "arrived"},
     {d::stop_event_kind::picked_up, "picked_up"},
     {d::stop_event_kind::dropped_off, "dropped_off"},
     {d::stop_event_kind::no_show, "no_show"}}};

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

}  // namespace

// ------------------------------------------------------------------ the service

struct drt_service::impl {
  impl(std::unique_ptr<road::travel_model> m, d::rules r, drt_options o)
      : model{std::move(m)}, disp{*model, std::move(r)}, opt{std::move(o)} {}

  struct posted_position {
    latlon coord{};
    seconds_t at{0};
    bool valid{false};
  };

  std::unique_ptr<road::travel_model> model;
  d::dispatcher disp;
  drt_options opt;
  service_clock sclock;
  std::string secret;
  std::unique_ptr<storage::sqlite_journal> journal;
  std::size_t n_replayed{0};

  mutable std::mutex mutex;  // guards everything below and the dispatcher
  seconds_t last_now{std::numeric_limits<seconds_t>::min()};
  bool failed{false};
  std::unordered_map<std::string, d::vehicle_idx> vehicle_by_name;
  std::vector<posted_position> positions;  // by vehicle index

  std::thread background;
  std::condition_variable wake;
  bool stopping{false};

  std::int64_t unix_now() const {
    if (opt.clock) return opt.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Caller holds the mutex.
  seconds_t now() {
    last_now = std::max(last_now, sclock.to_service(unix_now()));
    return last_now;
  }

  void observe(d::command const& c, d::command_result const& res) {
    std::visit([&](auto const& cmd) { last_now = std::max(last_now, static_cast<seconds_t>(cmd.now)); }, c);
    if (auto const* add = std::get_if<d::add_vehicle_cmd>(&c)) {
      auto const v = std::get<d::vehicle_idx>(res);
      vehicle_by_name.try_emplace(add->spec.name, v);
      positions.resize(disp.vehicles().size());
    } else if (auto const* p = std::get_if<d::position_cmd>(&c)) {
      if (std::get<d::command_status>(res) == d::command_status::ok) positions[p->vehicle.v()] = {p->position, static_cast<seconds_t>(p->now), true};
    }
  }

  std::string token(std::uint32_t request) const {
    auto const msg = "nebuta-rider-token-v1:" + std::to_string(request);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<unsigned char const*>(msg.data()),
         msg.size(), out, &n);
    return to_hex(out, std::min<unsigned>(n, 16));
  }

  // Runs a state-changing call; a throwing journal makes the service read-only.
  template <typename F>
  auto write(F&& f) {
    if (failed) throw drt_error{503, "storage_unavailable", "storage failed earlier; the service is read-only until restarted"};
    try {
      return f();
    } catch (std::exception const& e) {
      failed = true;
      std::fprintf(stderr, "nebuta dispatch: storage failure, refusing further writes: %s\n", e.what());
      throw drt_error{503, "storage_unavailable", "the command could not be stored; the service is read-only until restarted"};
    }
  }

  void background_loop() {
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

  // ---------------------------------------------------------------- message mapping

  v1::DrtTime* set_time(v1::DrtTime* t, seconds_t s) const {
    t->set_seconds(s);
    t->set_time(sclock.iso(s));
    return t;
  }
  static void set_latlon(v1::LatLon* out, latlon p) {
    out->set_lat(p.lat);
    out->set_lon(p.lon);
  }
  std::string const& vehicle_name(d::vehicle_idx v) const { return disp.vehicle(v).spec.name; }

  v1::DrtRequestStatus request_status(d::request_idx r) const {
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
      out.set_reject_reason(to_name(rq.reason));
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

  v1::DrtVehicle vehicle_message(d::vehicle_idx vi) const {
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

  v1::DrtVehicleStops stops_message(d::vehicle_idx vi) const {
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

  transit_realtime::FeedMessage vehicle_positions() const {
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
};

// ------------------------------------------------------------------ request plumbing

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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto const end = std::min(path.find('/', start), path.size());
    auto const part = path.substr(start, end - start);
    std::string seg;
    for (std::size_t i = 0; i < part.size(); ++i) {
      if (part[i] == '%' && i + 2 < part.size() + 0 && hex_value(part[i + 1]) >= 0 && hex_value(part[i + 2]) >= 0) {
        seg += static_cast<char>(hex_value(part[i + 1]) * 16 + hex_value(part[i + 2]));
        i += 2;
      } else {
        seg += part[i];
      }
    }
    out.push_back(std::move(seg));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// Parses the body into `m`; an empty body leaves `m` empty when allowed.
void parse_body(http_request const& req, google::protobuf::Message& m, std::size_t max_bytes, bool allow_empty) {
  if (req.body.size() > max_bytes)
    throw drt_error{413, "body_too_large", "request body too large (at most " + std::to_string(max_bytes) + " bytes)"};
  auto const ct = trim(lower(std::string_view{req.content_type}.substr(0, req.content_type.find(';'))));
  if (req.body.empty()) {
    if (allow_empty) return;
    throw drt_error{400, "malformed_body", "empty body; send a " + m.GetDescriptor()->full_name()};
  }
  if (ct == protobuf_type || ct == "application/protobuf" || ct == "application/octet-stream") {
    if (!m.ParseFromString(req.body))
      throw drt_error{400, "malformed_body", "not a " + m.GetDescriptor()->full_name()};
  } else if (ct.empty() || ct == json_type) {
    if (!api_service::valid_utf8(req.body)) throw drt_error{400, "malformed_body", "not UTF-8"};
    if (auto const err = api_service::from_json(req.body, m); !err.empty())
      throw drt_error{400, "malformed_body", err.substr(0, 200)};
  } else {
    throw drt_error{415, "unsupported_media_type",
                    "unsupported Content-Type '" + req.content_type.substr(0, 100) +
                        "'; send application/json or application/x-protobuf"};
  }
}

latlon require_coordinate(double lat, double lon, std::string const& what) {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90.0 || lat > 90.0 || lon < -180.0 || lon > 180.0)
    throw drt_error{400, "invalid_coordinate",
                    what + ": latitude must be within ±90 and longitude within ±180 (finite numbers)"};
  return {lat, lon};
}

std::optional<std::uint32_t> parse_index(std::string const& s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<std::uint32_t>(std::stoul(s));
}

bool valid_vehicle_id(std::string const& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    auto const u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == ':' || c == '~';
  });
}

}  // namespace

drt_service::drt_service(std::unique_ptr<road::travel_model> model, dispatch::rules rules, drt_options opt)
    : impl_{std::make_unique<impl>(std::move(model), std::move(rules), std::move(opt))} {
  auto& m = *impl_;
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
  auto& m = *impl_;
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
  auto& m = *impl_;
  if (m.opt.reoptimise_every_s == 0 || m.background.joinable()) return;
  m.background = std::thread{[&m] { m.background_loop(); }};
}

void drt_service::stop_background() {
  auto& m = *impl_;
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

std::size_t drt_service::n_replayed() const { return impl_->n_replayed; }
std::size_t drt_service::n_vehicles() const {
  std::lock_guard const lock{impl_->mutex};
  return impl_->disp.vehicles().size();
}
service_clock const& drt_service::clock() const { return impl_->sclock; }
std::string drt_service::rider_token(std::uint32_t request) const { return impl_->token(request); }

http_response drt_service::handle(http_request const& req, endpoint& ep) {
  auto& m = *impl_;
  ep = endpoint::drt_other;
  auto fmt = format::json;
  auto error_fmt = format::json;  // the GTFS-RT feed answers binary by default, its errors JSON
  try {
    auto const qpos = req.target.find('?');
    auto const path = std::string_view{req.target}.substr(0, qpos);
    auto const seg = split_path(path);  // "v1", "drt", ...
    auto const is_gtfs_rt = seg.size() == 4 && seg[2] == "gtfs-rt";
    fmt = negotiate(req.accept, is_gtfs_rt);
    error_fmt = negotiate(req.accept, false);
    if (req.target.size() > 4096) throw drt_error{414, "uri_too_long", "request URI too long (at most 4096 bytes)"};
    if (qpos != std::string::npos && qpos + 1 < req.target.size())
      throw drt_error{400, "unknown_parameter", "the on-demand API takes no query parameters"};
    if (req.method == "OPTIONS") return {204, {}, {}, {}, {}};

    auto const is_get = req.method == "GET" || req.method == "HEAD";
    auto const allow = [&](std::initializer_list<std::string_view> methods) {
      std::string list;
      for (auto const mth : methods) {
        if (mth == req.method || (mth == "GET" && req.method == "HEAD")) return;
        list += (list.empty() ? "" : ", ") + std::string{mth};
      }
      throw drt_error{405, "method_not_allowed", "method " + req.method + " is not allowed here (allowed: " + list + ")",
                      list};
    };

    // Auth.
    auto const bearer = [&]() -> std::optional<std::string> {
      auto const a = trim(req.authorization);
      if (a.size() < 7 || lower(a.substr(0, 7)) != "bearer ") return std::nullopt;
      auto t = trim(std::string_view{a}.substr(7));
      if (t.empty()) return std::nullopt;
      return t;
    }();
    auto const is_operator = [&] {
      return bearer && !m.opt.operator_token.empty() && equal_secret(*bearer, m.opt.operator_token);
    };
    auto const require_operator = [&] {
      if (!bearer) throw drt_error{401, "unauthorized", "this endpoint needs Authorization: Bearer <operator token>"};
      if (!is_operator()) throw drt_error{403, "forbidden", "the token does not allow this"};
    };

    auto const sub = seg.size() > 2 ? std::string_view{seg[2]} : std::string_view{};

    // GET /v1/drt/info
    if (sub == "info" && seg.size() == 3) {
      allow({"GET"});
      std::lock_guard const lock{m.mutex};
      v1::DrtInfo info;
      info.set_service_date(m.sclock.service_date);
      info.set_timezone(m.sclock.timezone);
      m.set_time(info.mutable_now(), m.now());
      info.set_n_vehicles(static_cast<std::uint32_t>(m.disp.vehicles().size()));
      info.set_n_requests(static_cast<std::uint32_t>(m.disp.requests().size()));
      info.set_writable(!m.failed);
      info.set_travel_model(m.opt.travel_model_name);
      return message_response(info, fmt);
    }

    // POST /v1/drt/offers
    if (sub == "offers" && seg.size() == 3) {
      ep = endpoint::drt_offer;
      allow({"POST"});
      v1::DrtOfferRequest in;
      parse_body(req, in, m.opt.max_body_bytes, false);
      auto const place = [&](bool has, v1::DrtPlace const& p, std::string const& what) -> latlon {
        if (!has) throw drt_error{400, "missing_field", "'" + what + "' is required"};
        if (!p.stop_id().empty()) {
          if (p.has_lat() || p.has_lon())
            throw drt_error{400, "invalid_place", what + ": give either stop_id or lat and lon, not both"};
          if (!m.opt.stop_lookup)
            throw drt_error{400, "unknown_stop", what + ": no timetable is loaded; give lat and lon"};
          auto const c = m.opt.stop_lookup(p.stop_id());
          if (!c) throw drt_error{400, "unknown_stop", what + ": no stop with id '" + p.stop_id().substr(0, 100) + "'"};
          return *c;
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
        impl::set_latlon(o->mutable_pickup(), res.o.pickup);
        impl::set_latlon(o->mutable_dropoff(), res.o.dropoff);
        m.set_time(o->mutable_pickup_window_start(), res.o.window_start);
        m.set_time(o->mutable_pickup_window_end(), res.o.window_end);
        m.set_time(o->mutable_pickup_eta(), res.o.pickup_eta);
        m.set_time(o->mutable_dropoff_eta(), res.o.dropoff_eta);
        m.set_time(o->mutable_latest_dropoff(), res.o.latest_dropoff);
        m.set_time(o->mutable_expires(), res.o.expires);
      } else {
        out.set_reject_reason(to_name(res.reason));
        out.set_reject_message(reject_text(res.reason));
      }
      return message_response(out, fmt);
    }

    // /v1/drt/requests/{id}[/accept|/cancel]
    if (sub == "requests" && (seg.size() == 4 || seg.size() == 5)) {
      ep = endpoint::drt_request;
      auto const action = seg.size() == 5 ? std::string_view{seg[4]} : std::string_view{};
      if (!action.empty() && action != "accept" && action != "cancel")
        throw drt_error{404, "not_found", "no such endpoint: " + std::string{path.substr(0, 200)}};
      if (action.empty()) {
        allow({"GET"});
      } else {
        allow({"POST"});
      }
      if (!bearer)
        throw drt_error{401, "unauthorized", "this endpoint needs Authorization: Bearer <rider token or operator token>"};
      auto const id = parse_index(seg[3]);
      auto const op = is_operator();
      // A rider token names its request: any other id is forbidden, known or not.
      if (!op && (!id || !equal_secret(*bearer, m.token(*id))))
        throw drt_error{403, "forbidden", "the token does not allow access to this request"};
      if (action == "cancel") {
        v1::DrtCancelRequest body;
        parse_body(req, body, m.opt.max_body_bytes, true);
      }
      std::lock_guard const lock{m.mutex};
      if (!id || *id >= m.disp.requests().size()) throw drt_error{404, "unknown_request", "no such request"};
      auto const r = d::request_idx{*id};
      if (action.empty()) m.now();  // offer_expired is judged at the current time
      if (action == "accept") {
        auto const now = m.now();
        auto const res = m.write([&] { return m.disp.accept(now, r); });
        if (!res.ok()) throw status_error(res.status);
      } else if (action == "cancel") {
        auto const now = m.now();
        auto const res =
            m.write([&] { return m.disp.cancel(now, r, op ? d::cancelled_by::operator_ : d::cancelled_by::rider); });
        if (res != d::command_status::ok) throw status_error(res);
      }
      return message_response(m.request_status(r), fmt);
    }

    // /v1/drt/vehicles[/{id}[/stops|/position|/events]]
    if (sub == "vehicles" && seg.size() >= 3 && seg.size() <= 5) {
      ep = seg.size() == 5 && seg[4] != "stops" ? endpoint::drt_telemetry : endpoint::drt_vehicle;
      auto const action = seg.size() == 5 ? std::string_view{seg[4]} : std::string_view{};
      if (!action.empty() && action != "stops" && action != "position" && action != "events")
        throw drt_error{404, "not_found", "no such endpoint: " + std::string{path.substr(0, 200)}};
      if (seg.size() == 3) {
        allow({"GET", "POST"});
      } else if (seg.size() == 4) {
        allow({"GET", "PUT"});
      } else if (action == "stops") {
        allow({"GET"});
      } else {
        allow({"POST"});
      }
      require_operator();

      if (seg.size() == 3 && is_get) {
        std::lock_guard const lock{m.mutex};
        v1::DrtFleet fleet;
        for (auto v = d::vehicle_idx{0}; v.v() < m.disp.vehicles().size(); ++v)
          *fleet.add_vehicles() = m.vehicle_message(v);
        return message_response(fleet, fmt);
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
          if (seg.size() == 4 && same) return message_response(m.vehicle_message(it->second), fmt);
          throw drt_error{409, "vehicle_exists",
                          same ? "a vehicle with this id is registered already"
                               : "a vehicle with this id is registered already with other values (vehicles cannot be "
                                 "changed once registered)"};
        }
        auto const now = m.now();
        auto const v = m.write([&] { return m.disp.add_vehicle(now, spec); });
        m.observe(d::add_vehicle_cmd{now, spec}, v);
        return message_response(m.vehicle_message(v), fmt, 201);
      }

      // One vehicle.
      std::unique_lock lock{m.mutex};
      auto const it = m.vehicle_by_name.find(seg[3]);
      if (it == m.vehicle_by_name.end()) {
        lock.unlock();
        throw drt_error{404, "unknown_vehicle", "no vehicle with id '" + seg[3].substr(0, 100) + "'"};
      }
      auto const vi = it->second;
      if (seg.size() == 4) return message_response(m.vehicle_message(vi), fmt);
      if (action == "stops") return message_response(m.stops_message(vi), fmt);
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
        return message_response(m.vehicle_message(vi), fmt);
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
      return message_response(m.stops_message(vi), fmt);
    }

    // POST /v1/drt/reoptimise
    if (sub == "reoptimise" && seg.size() == 3) {
      allow({"POST"});
      require_operator();
      std::lock_guard const lock{m.mutex};
      auto const now = m.now();
      auto const res = m.write([&] { return m.disp.reoptimise(now); });
      v1::DrtReoptimiseResponse out;
      out.set_considered(res.n_considered);
      out.set_moved(res.n_moved);
      out.set_cost_saved(res.cost_saved);
      return message_response(out, fmt);
    }

    // GET /v1/drt/gtfs-rt/vehicle-positions
    if (is_gtfs_rt && seg[3] == "vehicle-positions") {
      ep = endpoint::drt_gtfs_rt;
      allow({"GET"});
      std::lock_guard const lock{m.mutex};
      auto const feed = m.vehicle_positions();
      return fmt == format::json ? respond_gtfs_rt_json(feed) : message_response(feed, fmt);
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
