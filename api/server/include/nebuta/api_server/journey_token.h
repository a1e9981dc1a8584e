// The journey token: what a /v1/plan answer hands the rider for a journey with on-demand legs, and
// what POST /v1/journeys takes back to book all of them at once. It names the dispatcher's offers
// (request indices, made while planning) and, per leg, the transit ride it connects to, so the
// booking can hold the connection as a promise. Signed with the on-demand service's secret
// (HMAC-SHA256), so a rider cannot book offers that are not theirs or change a connection; valid
// until the earliest of its offers expires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nebuta::api_server {

// How an on-demand leg hangs on a transit ride of the same journey.
struct journey_link {
  enum class kind : std::uint8_t {
    none,              // no transit ride (door to door)
    before_departure,  // first mile: drop-off by the ride's departure at stop_id less buffer_s
    after_arrival      // last mile: pickup from the ride's arrival at stop_id plus buffer_s
  };
  kind k{kind::none};
  std::string trip_id;             // the transit trip, as the plan answer names it
  std::string stop_id;             // the stop where the connection is made, as the answer names it
  std::int64_t scheduled_unix{0};  // the ride's scheduled departure (before) or arrival (after) there
  std::int32_t buffer_s{300};

  bool operator==(journey_link const&) const = default;
};

struct journey_offer_leg {
  std::uint32_t request{0};  // the dispatcher's request index of the offer made while planning
  journey_link link;

  bool operator==(journey_offer_leg const&) const = default;
};

struct journey_offer {
  std::int64_t expires_unix{0};  // the earliest expiry of its offers
  std::vector<journey_offer_leg> legs;

  bool operator==(journey_offer const&) const = default;
};

// "<payload hex>.<first 16 bytes of HMAC-SHA256 hex>"; URL-safe.
std::string encode_journey_token(journey_offer const&, std::string_view secret);

// The journey, or nothing when the token is malformed, signed with another secret or expired
// (`now_unix` past `expires_unix`). Never throws on any input.
std::optional<journey_offer> decode_journey_token(std::string_view token, std::string_view secret, std::int64_t now_unix);

}  // namespace nebuta::api_server
