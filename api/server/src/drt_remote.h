// Several service areas (issue 19, docs/maas.md#remote-areas, docs/deployment.md): one `nebuta
// dispatch` process per area, and a planner (`nebuta serve --drt AREA=URL ...`) whose on-demand
// legs are asked of the dispatcher of their area over HTTP.
//
// The dispatcher's side (drt_remote_area.cc): GET /v1/drt/area describes the area, and POST
// /v1/journeys also takes journey tokens a planner signed for this area. The planner's side
// (drt_remote.cc, drt_remote_book.cc): each area fetched at start and refreshed, offers through
// POST /v1/drt/offers, bookings forwarded to the area's POST /v1/journeys.
//
// Journey tokens. A planner and its areas share one secret by configuration (environment
// NEBUTA_JOURNEY_SECRET, at least 16 characters, on every process). A token for area X is signed
// with HMAC-SHA256(secret, "nebuta-area-journey-v1:" + X's area_id), X's area_id being derived from
// its own database's secret: another area, even with the same shared secret, does not accept it,
// so request ids of one area can never book another's. The planner hands it out as
// "AREA~<token>" so that its own POST /v1/journeys knows where to forward it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/api_server/journey_token.h"
#include "nebuta/api_server/server.h"

namespace nebuta::api_server {

struct drt_state;
struct call;
class on_demand_area;

// ---- the dispatcher's side (drt_remote_area.cc)

// GET /v1/drt/area (public).
http_response drt_area(drt_state& m, call& c);
// A journey token a planner signed for this area with the shared secret (NEBUTA_JOURNEY_SECRET);
// nullopt when there is no shared secret or the token is not one of those. Never throws.
std::optional<journey_offer> decode_area_journey_token(drt_state const& m, std::string_view token, std::int64_t now);

// The shared secret of NEBUTA_JOURNEY_SECRET ("" when unset). Throws when set but shorter than 16.
std::string shared_journey_secret();
// An area's public identity, from its database's secret.
std::string area_id_of(std::string_view area_secret);
// The key journey tokens for that area are signed with.
std::string area_journey_key(std::string_view shared_secret, std::string_view area_id);

// ---- the planner's side (drt_remote.cc)

// Where an area's dispatcher answers.
struct remote_endpoint {
  std::string name, url;  // url without a trailing slash: http://host:port
  unsigned timeout_s{2};
};

// drt_remote_book.cc: POST /v1/journeys (forwarded to the token's area), GET /v1/journeys/{id}?area=AREA
// and POST /v1/journeys/{id}/cancel?area=AREA (forwarded with the caller's bearer token); nullopt
// for other paths.
std::optional<http_response> route_remote_journeys(std::span<remote_endpoint const> areas, call& c);

struct remote_area_options {
  std::vector<std::string> areas;  // "AREA=URL" (serve --drt)
  std::vector<std::string> osm;    // "AREA=FILE.osm.pbf" (serve --drt-osm): that area's OSM model, loaded here
  unsigned timeout_s{2};           // one request to a dispatcher at most
  unsigned refresh_s{60};          // the area's description fetched again (a dead area: every 5 s)
};

// The remote areas of a planner: fetched once before serving (an area that does not answer then
// starts as unreachable, a warning on stderr), then refreshed by a background thread.
class remote_areas {
 public:
  // Throws std::invalid_argument on a malformed --drt value, a repeated area, or no shared secret.
  remote_areas(remote_area_options const& o, timetable const& tt, char const* log);
  ~remote_areas();
  remote_areas(remote_areas const&) = delete;
  remote_areas& operator=(remote_areas const&) = delete;

  std::vector<std::shared_ptr<on_demand_area>> areas() const;
  std::optional<http_response> route_journeys(call& c) const;  // route_remote_journeys of these areas
  void start();                                                // the refresh thread
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nebuta::api_server
