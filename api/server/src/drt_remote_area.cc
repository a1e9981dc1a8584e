// The dispatcher's side of several service areas (drt_remote.h): GET /v1/drt/area, and the journey
// tokens a planner signs for this area.
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "drt_handlers.h"
#include "drt_remote.h"
#include "drt_token.h"

namespace nebuta::api_server {

std::string shared_journey_secret() {
  auto const* v = std::getenv("NEBUTA_JOURNEY_SECRET");
  std::string s = v != nullptr ? v : "";
  if (!s.empty() && s.size() < 16)
    throw std::invalid_argument{"NEBUTA_JOURNEY_SECRET: at least 16 characters (the secret planner and areas share)"};
  return s;
}

std::string area_id_of(std::string_view area_secret) {
  return signature_of(area_secret, "nebuta-area-id-v1").substr(0, 16);
}

std::string area_journey_key(std::string_view shared_secret, std::string_view area_id) {
  return signature_of(shared_secret, "nebuta-area-journey-v1:" + std::string{area_id});
}

std::optional<journey_offer> decode_area_journey_token(drt_state const& m, std::string_view token, std::int64_t now) {
  // Read once: the process's configuration does not change while it runs.
  static std::string const shared = [] {
    try {
      return shared_journey_secret();
    } catch (std::invalid_argument const& e) {
      std::fprintf(stderr, "nebuta dispatch: %s; planners' journey tokens are refused\n", e.what());
      return std::string{};
    }
  }();
  if (shared.empty()) return std::nullopt;
  return decode_journey_token(token, area_journey_key(shared, area_id_of(m.secret)), now);
}

// GET /v1/drt/area
http_response drt_area(drt_state& m, call& c) {
  v1::DrtArea out;
  auto const& r = m.disp.service_rules();  // set at construction, never changed
  out.set_area_id(area_id_of(m.secret));
  out.set_timezone(m.sclock.timezone);
  out.set_travel_model(m.opt.travel_model_name);
  out.set_travel_model_fingerprint(m.opt.travel_model_fingerprint);
  if (auto const* line = dynamic_cast<road::straight_line_model const*>(m.model.get())) {
    out.set_detour_factor(line->detour_factor());
    out.set_speed_kmh(line->speed_kmh());
  }
  for (auto const& ring : r.service_area) {
    auto& mr = *out.add_service_area();
    for (auto const& p : ring) drt_state::set_latlon(mr.add_points(), p);
  }
  for (auto const& p : r.meeting_points) drt_state::set_latlon(out.add_meeting_points(), p);
  out.set_max_walk_m(r.max_walk_m);
  auto const& s = m.opt.intermodal;
  auto& mi = *out.mutable_intermodal();
  mi.set_enabled(s.enabled);
  mi.set_max_stops_per_side(s.max_stops_per_side);
  mi.set_search_radius_m(s.search_radius_m);
  mi.set_max_road_s(s.max_road_s);
  mi.set_expected_wait_s(s.expected_wait_s);
  mi.set_transfer_buffer_s(s.transfer_buffer_s);
  mi.set_hub_min_routes(s.hub_min_routes);
  mi.set_door_to_door(s.door_to_door);
  mi.set_max_door_to_door_s(s.max_door_to_door_s);
  mi.set_max_offers(s.max_offers);
  mi.set_show_only_way(s.mixer.show_only_way);
  mi.set_min_time_saving_s(s.mixer.min_time_saving_s);
  mi.set_min_rides_saved(s.mixer.min_rides_saved);
  mi.set_legs_slack_s(s.mixer.legs_slack_s);
  mi.set_long_walk_m(s.mixer.long_walk_m);
  mi.set_walk_slack_s(s.mixer.walk_slack_s);
  {
    std::lock_guard const lock{m.mutex};
    out.set_writable(!m.failed);
  }
  return message_response(out, c.fmt);
}

}  // namespace nebuta::api_server
