// The journey token (api/server/src/journey_token.h): a round trip keeps every field; a token
// signed with another secret, changed in any byte, truncated, expired or garbage is refused.
#include <catch2/catch.hpp>

#include "nebuta/api_server/journey_token.h"

using namespace nebuta::api_server;

namespace {

journey_offer two_legs() {
  journey_offer j;
  j.expires_unix = 1'780'000'060;
  j.legs.push_back({7, {journey_link::kind::before_departure, "hachinohe:1001_平日", "八戸駅:1", 1'780'003'600, 300}});
  j.legs.push_back({9, {journey_link::kind::after_arrival, "rail:T12", "tanesashi", 1'780'007'200, 420}});
  return j;
}

}  // namespace

TEST_CASE("journey token: a round trip keeps every field, until it expires") {
  auto const j = two_legs();
  auto const t = encode_journey_token(j, "secret-a");
  CHECK(t.find_first_not_of("0123456789abcdef.") == std::string::npos);
  auto const back = decode_journey_token(t, "secret-a", j.expires_unix);
  REQUIRE(back.has_value());
  CHECK(*back == j);
  CHECK_FALSE(decode_journey_token(t, "secret-a", j.expires_unix + 1).has_value());

  journey_offer door_to_door;
  door_to_door.expires_unix = 5;
  door_to_door.legs.push_back({0, {}});
  auto const d = decode_journey_token(encode_journey_token(door_to_door, "s"), "s", 0);
  REQUIRE(d.has_value());
  CHECK(*d == door_to_door);
}

TEST_CASE("journey token: another secret, a changed byte, a cut or garbage are refused") {
  auto const j = two_legs();
  auto const t = encode_journey_token(j, "secret-a");
  CHECK_FALSE(decode_journey_token(t, "secret-b", 0).has_value());
  for (std::size_t i = 0; i < t.size(); ++i) {
    auto changed = t;
    changed[i] = changed[i] == '0' ? '1' : '0';
    CHECK_FALSE(decode_journey_token(changed, "secret-a", 0).has_value());
  }
  for (std::size_t n = 0; n < t.size(); n += 3)
    CHECK_FALSE(decode_journey_token(t.substr(0, n), "secret-a", 0).has_value());
  for (std::string const bad : {"", ".", "zz.zz", "0.0", "..", "00."})
    CHECK_FALSE(decode_journey_token(bad, "secret-a", 0).has_value());
  CHECK_FALSE(decode_journey_token(std::string(100'000, 'a'), "secret-a", 0).has_value());
  CHECK_FALSE(decode_journey_token(std::string(100'000, 'a') + "." + std::string(32, '0'), "secret-a", 0).has_value());
}
