// Parsing shared by the on-demand API's handlers (drt_call.h).
#include "drt_call.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "nebuta/api_service/json.h"
#include "nebuta/api_service/text_fold.h"
#include "drt_token.h"

namespace nebuta::api_server {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

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

void drt_call::allow(std::initializer_list<std::string_view> methods) const {
  std::string list;
  for (auto const mth : methods) {
    if (mth == req.method || (mth == "GET" && req.method == "HEAD")) return;
    list += (list.empty() ? "" : ", ") + std::string{mth};
  }
  throw drt_error{405, "method_not_allowed", "method " + req.method + " is not allowed here (allowed: " + list + ")",
                  list};
}

bool drt_call::is_operator() const {
  return bearer && !m.opt.operator_token.empty() && equal_secret(*bearer, m.opt.operator_token);
}

void drt_call::require_operator() const {
  if (!bearer) throw drt_error{401, "unauthorized", "this endpoint needs Authorization: Bearer <operator token>"};
  if (!is_operator()) throw drt_error{403, "forbidden", "the token does not allow this"};
}

}  // namespace nebuta::api_server
