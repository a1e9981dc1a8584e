// Checks the on-demand API's handlers share (drt_handlers.h).
#include <algorithm>
#include <cctype>
#include <cmath>

#include "drt_handlers.h"
#include "drt_token.h"

namespace nebuta::api_server {

namespace {
bool is_token(call const& c, std::string_view token) {
  auto const bearer = c.bearer();
  return bearer && !token.empty() && equal_secret(*bearer, token);
}
}  // namespace

bool is_operator(drt_state const& m, call const& c) { return is_token(c, m.opt.operator_token); }

void require_operator_token(call const& c, std::string_view token) {
  if (!c.bearer()) throw api_error{401, "unauthorized"};
  if (!is_token(c, token)) throw api_error{403, "forbidden"};
}

void require_operator(drt_state const& m, call const& c) { require_operator_token(c, m.opt.operator_token); }

latlon require_coordinate(double lat, double lon, std::string const& what) {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90.0 || lat > 90.0 || lon < -180.0 || lon > 180.0)
    throw api_error{400, "invalid_coordinate", {what}};
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

}  // namespace nebuta::api_server
