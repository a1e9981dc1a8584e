// The planner's side of several service areas (drt_remote.h): an area whose dispatcher runs in
// another process, fetched (GET /v1/drt/area) at start and refreshed, asked for offers (POST
// /v1/drt/offers) with bounded timeouts. A dispatcher that does not answer takes its area out of
// plans (their on_demand_notes say so) until a refresh reaches it again.
//
// Road times of candidate stops: with a straight-line model the planner builds the same model
// from the parameters the area sends; an OSM area needs the same extract loaded here (serve
// --drt-osm AREA=FILE, checked against the area's fingerprint), because every plan times its
// candidate stops by road (a many-to-many call) and asking the dispatcher for them would put one
// more round trip, and the area's single writer, on the path of every plan.
#include "drt_remote.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "nebuta/drt_config/checks.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/v1/drt.pb.h"
#include "plan_on_demand.h"
#include "rt_fetch.h"

namespace nebuta::api_server {

namespace {

constexpr std::size_t max_answer_bytes = 64U << 20U;
std::string const protobuf_accept = "Accept: application/x-protobuf";
std::string const protobuf_body = "Content-Type: application/x-protobuf";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool valid_name(std::string_view n) {
  return !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
  });
}

// "NAME=VALUE" of a command-line option.
std::pair<std::string, std::string> name_value(std::string const& arg, char const* option) {
  auto const eq = arg.find('=');
  if (eq == std::string::npos || !valid_name(arg.substr(0, eq)) || eq + 1 == arg.size())
    throw std::invalid_argument{std::string{option} + " " + arg +
                                ": give AREA=VALUE, AREA of letters, digits, '_' and '-' (at most 64)"};
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

latlon checked_point(v1::LatLon const& p) {
  if (!std::isfinite(p.lat()) || !std::isfinite(p.lon()) || std::abs(p.lat()) > 90 || std::abs(p.lon()) > 180)
    throw std::runtime_error{"a coordinate out of range"};
  return {p.lat(), p.lon()};
}

intermodal::settings settings_of(v1::DrtIntermodalSettings const& m) {
  intermodal::settings s;
  s.enabled = m.enabled();
  s.max_stops_per_side = std::min(m.max_stops_per_side(), 64U);
  s.search_radius_m = std::isfinite(m.search_radius_m()) ? std::max(0.0, m.search_radius_m()) : 0.0;
  s.max_road_s = std::max(0, m.max_road_s());
  s.expected_wait_s = std::max(0, m.expected_wait_s());
  s.transfer_buffer_s = std::max(0, m.transfer_buffer_s());
  s.hub_min_routes = std::max(1U, m.hub_min_routes());
  s.door_to_door = m.door_to_door();
  s.max_door_to_door_s = std::max(0, m.max_door_to_door_s());
  s.max_offers = std::min(m.max_offers(), 10U);
  s.mixer.show_only_way = m.show_only_way();
  s.mixer.min_time_saving_s = std::max(0, m.min_time_saving_s());
  s.mixer.min_rides_saved = std::min(m.min_rides_saved(), 32U);
  s.mixer.legs_slack_s = std::max(0, m.legs_slack_s());
  s.mixer.long_walk_m = std::isfinite(m.long_walk_m()) ? std::max(0.0, m.long_walk_m()) : 0.0;
  s.mixer.walk_slack_s = std::max(0, m.walk_slack_s());
  return s;
}

dispatch::reject_reason reason_of(std::string const& text) {
  using r = dispatch::reject_reason;
  for (auto const v : {r::invalid_request, r::too_many_passengers, r::too_far_ahead, r::outside_area,
                       r::no_meeting_point, r::unreachable, r::no_vehicle_in_service}) {
    if (text == dispatch::to_string(v)) return v;
  }
  return r::no_feasible_insertion;
}

// What a view needs alive: its travel model and stop catalogue.
struct view_parts {
  std::shared_ptr<road::travel_model const> model;
  std::shared_ptr<intermodal::stop_catalog const> catalog;
};

// The OSM model of an area, loaded here (--drt-osm).
struct local_osm {
  std::shared_ptr<road::travel_model const> model;
  std::string fingerprint;
};

class remote_on_demand_area final : public on_demand_area {
 public:
  remote_on_demand_area(remote_endpoint ep, std::string shared, timetable const& tt, local_osm osm)
      : ep_{std::move(ep)}, shared_{std::move(shared)}, tt_{tt}, osm_{std::move(osm)} {}

  std::string const& name() const override { return ep_.name; }
  remote_endpoint const& endpoint() const { return ep_; }

  std::shared_ptr<on_demand_area_view const> view(timetable const&, std::string& why) override {
    std::lock_guard const lock{mutex_};
    if (!down_.empty()) why = down_;
    else if (view_ == nullptr) why = "not reached yet";
    return down_.empty() ? view_ : nullptr;
  }

  area_offer offer(on_demand_ask const& ask) override {
    auto const v = current();
    if (v == nullptr) throw area_unreachable{"not reached yet"};
    auto const& c = v->clock;
    v1::DrtOfferRequest in;
    auto const place = [](v1::DrtPlace* p, latlon at) {
      p->set_lat(at.lat);
      p->set_lon(at.lon);
    };
    place(in.mutable_pickup(), ask.pickup);
    place(in.mutable_dropoff(), ask.dropoff);
    in.set_passengers(ask.passengers);
    in.set_wheelchair_users(ask.wheelchair_users);
    // Ready now at the earliest: the dispatcher refuses a pickup in the past.
    in.set_earliest_pickup_time(c.iso(std::max(ask.earliest_pickup, unix_now())));
    if (ask.latest_dropoff != dispatch::no_time) {
      in.set_latest_dropoff_time(c.iso(ask.latest_dropoff));
      in.set_pickup_from_earliest(!ask.pickup_late);
    }
    auto const r = exchange("POST", "/v1/drt/offers", in.SerializeAsString(), {protobuf_body, protobuf_accept});
    area_offer out;
    if (r.status != 200) {  // this leg refused (bad input for that dispatcher), the area is well
      out.result.reason = dispatch::reject_reason::invalid_request;
      return out;
    }
    v1::DrtOfferResponse m;
    std::uint32_t request = 0;
    if (!m.ParseFromString(r.body) || !parse_request_id(m.request_id(), request)) {
      mark_down("its offer answer is not a DrtOfferResponse");
      throw area_unreachable{"its offer answer is not a DrtOfferResponse"};
    }
    out.result.request = dispatch::request_idx{request};
    if (!m.offered()) {
      out.result.reason = reason_of(m.reject_reason());
      return out;
    }
    auto const& o = m.offer();
    auto& of = out.result.o;
    of.request = out.result.request;
    of.pickup = {o.pickup().lat(), o.pickup().lon()};
    of.dropoff = {o.dropoff().lat(), o.dropoff().lon()};
    of.pickup_eta = o.pickup_eta().unix();
    of.window_start = o.pickup_window_start().unix();
    of.window_end = o.pickup_window_end().unix();
    of.dropoff_eta = o.dropoff_eta().unix();
    of.latest_dropoff = o.latest_dropoff().unix();
    of.expires = o.expires().unix();
    out.vehicle_id = o.vehicle_id();
    return out;
  }

  std::string journey_token(journey_offer const& j) const override {
    std::string id;
    {
      std::lock_guard const lock{mutex_};
      id = area_id_;
    }
    return ep_.name + "~" + encode_journey_token(j, area_journey_key(shared_, id));
  }

  // Fetches the area's description again; false (and the area unreachable) when that fails.
  bool refresh() {
    http_exchange_result r;
    try {
      r = exchange("GET", "/v1/drt/area", "", {protobuf_accept});
    } catch (area_unreachable const&) {
      return false;
    }
    if (r.status != 200) return fail("GET /v1/drt/area answered HTTP " + std::to_string(r.status));
    {
      std::lock_guard const lock{mutex_};
      if (view_ != nullptr && r.body == last_body_) return up();
    }
    v1::DrtArea a;
    if (!a.ParseFromString(r.body)) return fail("GET /v1/drt/area answered no DrtArea");
    try {
      auto parts = std::make_shared<view_parts>();
      auto v = std::make_shared<on_demand_area_view>();
      v->settings = settings_of(a.intermodal());
      v->clock = service_clock::make(a.timezone());
      if (a.travel_model() == "straight_line") {
        if (!(a.detour_factor() >= 1.0 && a.detour_factor() < 100.0 && a.speed_kmh() > 0.0 && a.speed_kmh() < 1000.0))
          throw std::runtime_error{"straight-line parameters out of range"};
        parts->model = std::make_shared<road::straight_line_model const>(a.detour_factor(), a.speed_kmh());
      } else if (osm_.model != nullptr && osm_.fingerprint == a.travel_model_fingerprint()) {
        parts->model = osm_.model;
      } else {
        throw std::runtime_error{"its travel model is \"" + a.travel_model_fingerprint() +
                                 "\"; load the same extract here with --drt-osm " + ep_.name + "=FILE"};
      }
      std::vector<std::vector<latlon>> rings;
      for (auto const& ring : a.service_area()) {
        auto& out = rings.emplace_back();
        for (auto const& p : ring.points()) out.push_back(checked_point(p));
      }
      std::vector<latlon> meeting_points;
      for (auto const& p : a.meeting_points()) meeting_points.push_back(checked_point(p));
      parts->catalog =
          std::make_shared<intermodal::stop_catalog const>(tt_, *parts->model, rings, meeting_points, v->settings);
      v->model = parts->model.get();
      v->catalog = parts->catalog;
      v->keep_alive = parts;
      std::lock_guard const lock{mutex_};
      view_ = std::move(v);
      area_id_ = a.area_id();
      last_body_ = r.body;
      return up();
    } catch (std::exception const& e) {
      return fail(std::string{"its description is refused: "} + e.what());
    }
  }

 private:
  std::shared_ptr<on_demand_area_view const> current() const {
    std::lock_guard const lock{mutex_};
    return view_;
  }

  static bool parse_request_id(std::string const& s, std::uint32_t& out) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return false;
    out = static_cast<std::uint32_t>(std::stoul(s));
    return true;
  }

  // One request; an answer that never came, or a 5xx, makes the area unreachable (thrown).
  http_exchange_result exchange(std::string const& method, std::string const& path, std::string const& body,
                                std::vector<std::string> const& headers) {
    fetch_limits lim;
    lim.timeout_s = ep_.timeout_s;
    lim.max_bytes = max_answer_bytes;
    auto r = http_exchange(method, ep_.url + path, body, headers, lim);
    if (r.status == 0 || r.status >= 500) {
      auto const why = r.status == 0 ? r.error : "HTTP " + std::to_string(r.status);
      mark_down(why);
      throw area_unreachable{why};
    }
    return r;
  }

  bool fail(std::string const& why) {
    mark_down(why);
    return false;
  }

  void mark_down(std::string const& why) {
    std::lock_guard const lock{mutex_};
    if (down_.empty())
      std::fprintf(stderr, "nebuta serve: on-demand area %s (%s) unreachable: %s\n", ep_.name.c_str(), ep_.url.c_str(),
                   why.c_str());
    down_ = why.empty() ? "no answer" : why;
  }

  bool up() {  // caller holds the mutex
    if (!down_.empty() || !announced_)
      std::fprintf(stderr, "nebuta serve: on-demand area %s (%s): %zu candidate stops\n", ep_.name.c_str(),
                   ep_.url.c_str(), view_->catalog->size());
    down_.clear();
    announced_ = true;
    return true;
  }

  remote_endpoint const ep_;
  std::string const shared_;
  timetable const& tt_;
  local_osm const osm_;
  mutable std::mutex mutex_;
  std::shared_ptr<on_demand_area_view const> view_;
  std::string area_id_, last_body_, down_;
  bool announced_{false};
};

}  // namespace

struct remote_areas::impl {
  remote_area_options opt;
  std::vector<std::shared_ptr<remote_on_demand_area>> areas;
  std::vector<remote_endpoint> endpoints;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping{false};
  std::thread refresher;

  void loop() {
    using clock = std::chrono::steady_clock;
    std::vector<clock::time_point> due(areas.size(), clock::now() + std::chrono::seconds{opt.refresh_s});
    std::unique_lock lock{mutex};
    while (!stopping) {
      wake.wait_for(lock, std::chrono::seconds{1});
      for (std::size_t i = 0; i < areas.size() && !stopping; ++i) {
        if (clock::now() < due[i]) continue;
        lock.unlock();
        auto const ok = areas[i]->refresh();
        lock.lock();
        due[i] = clock::now() + std::chrono::seconds{ok ? opt.refresh_s : std::min(opt.refresh_s, 5U)};
      }
    }
  }
};

remote_areas::remote_areas(remote_area_options const& o, timetable const& tt, char const* log)
    : impl_{std::make_unique<impl>()} {
  impl_->opt = o;
  auto const shared = shared_journey_secret();
  if (shared.empty())
    throw std::invalid_argument{
        "--drt: set NEBUTA_JOURNEY_SECRET (at least 16 characters) to the secret the "
        "planner and the areas' dispatchers share (docs/maas.md#remote-areas)"};
  std::vector<std::pair<std::string, std::string>> osm;
  for (auto const& arg : o.osm) osm.push_back(name_value(arg, "--drt-osm"));
  for (auto const& arg : o.areas) {
    auto [name, url] = name_value(arg, "--drt");
    if (!url.starts_with("http://") && !url.starts_with("https://"))
      throw std::invalid_argument{"--drt " + arg + ": the URL must start with http:// or https://"};
    while (url.ends_with("/")) url.pop_back();
    for (auto const& e : impl_->endpoints)
      if (e.name == name) throw std::invalid_argument{"--drt: area " + name + " given twice"};
    local_osm model;
    for (auto const& [area, file] : osm) {
      if (area != name) continue;
      auto loaded = osm::load_road_graph(file);
      std::fprintf(stderr, "%s: area %s: road graph of %s: %zu nodes\n", log, name.c_str(), file.c_str(),
                   loaded.graph.n_nodes());
      model.model = std::make_shared<road::road_network_model const>(std::move(loaded.graph));
      model.fingerprint = drt_config::travel_model_fingerprint(file, 0.0, 0.0);
    }
    impl_->endpoints.push_back({name, url, o.timeout_s});
    impl_->areas.push_back(std::make_shared<remote_on_demand_area>(impl_->endpoints.back(), shared, tt, model));
  }
  for (auto const& [area, file] : osm) {
    if (std::none_of(impl_->endpoints.begin(), impl_->endpoints.end(), [&](auto const& e) { return e.name == area; }))
      throw std::invalid_argument{"--drt-osm " + area + "=" + file + ": no --drt area of that name"};
  }
  for (auto const& a : impl_->areas) {
    if (!a->refresh())
      std::fprintf(stderr, "%s: warning: area %s starts unreachable; retried every 5 s\n", log, a->name().c_str());
  }
}

remote_areas::~remote_areas() { stop(); }

std::vector<std::shared_ptr<on_demand_area>> remote_areas::areas() const {
  return {impl_->areas.begin(), impl_->areas.end()};
}

std::optional<http_response> remote_areas::route_journeys(call& c) const {
  return route_remote_journeys(impl_->endpoints, c);
}

void remote_areas::start() {
  if (impl_->refresher.joinable() || impl_->areas.empty()) return;
  impl_->refresher = std::thread{[this] { impl_->loop(); }};
}

void remote_areas::stop() {
  {
    std::lock_guard const lock{impl_->mutex};
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->refresher.joinable()) impl_->refresher.join();
}

}  // namespace nebuta::api_server
