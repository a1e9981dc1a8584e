// The journey token (journey_token.h): the journey's fields as flat bytes (engine/core's byte
// writer), hex, a dot, and the signature of that hex under the service's secret.
#include "nebuta/api_server/journey_token.h"

#include <vector>

#include "drt_token.h"
#include "nebuta/core/bytes.h"

namespace nebuta::api_server {
namespace {

constexpr std::uint8_t token_version = 1;
constexpr std::string_view signature_domain = "nebuta-journey-token-v1:";
constexpr std::size_t max_legs = 8;
constexpr std::size_t max_id_bytes = 512;

void put_string(byte_writer& w, std::string const& s) {
  w.value(static_cast<std::uint32_t>(s.size()));
  w.raw(s.data(), s.size());
}

bool get_string(byte_reader& r, std::string& s) {
  std::uint32_t n = 0;
  if (!r.value(n) || n > max_id_bytes) return false;
  auto const v = r.view(n);
  if (!r.ok()) return false;
  s.assign(v.data(), v.size());
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string payload_hex(journey_offer const& j) {
  std::vector<char> bytes;
  byte_writer w{bytes};
  w.value(token_version);
  w.value(j.expires_unix);
  w.value(static_cast<std::uint32_t>(j.legs.size()));
  for (auto const& l : j.legs) {
    w.value(l.request);
    w.value(static_cast<std::uint8_t>(l.link.k));
    w.value(l.link.scheduled_unix);
    w.value(l.link.buffer_s);
    put_string(w, l.link.trip_id);
    put_string(w, l.link.stop_id);
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes.size());
  for (char c : bytes) {
    auto const b = static_cast<unsigned char>(c);
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

}  // namespace

std::string encode_journey_token(journey_offer const& j, std::string_view secret) {
  auto hex = payload_hex(j);
  auto const sig = signature_of(secret, std::string{signature_domain} + hex);
  return hex + "." + sig;
}

std::optional<journey_offer> decode_journey_token(std::string_view token, std::string_view secret, std::int64_t now_unix) {
  auto const dot = token.find('.');
  if (dot == std::string_view::npos || dot % 2 != 0 || dot > 2 * max_legs * (2 * max_id_bytes + 64)) return {};
  auto const hex = token.substr(0, dot);
  auto const sig = token.substr(dot + 1);
  if (!equal_secret(sig, signature_of(secret, std::string{signature_domain} + std::string{hex}))) return {};

  std::vector<char> bytes(hex.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto const hi = hex_digit(hex[2 * i]);
    auto const lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return {};
    bytes[i] = static_cast<char>(hi * 16 + lo);
  }
  byte_reader r{bytes};
  std::uint8_t version = 0;
  std::uint32_t n_legs = 0;
  journey_offer j;
  if (!r.value(version) || version != token_version || !r.value(j.expires_unix) || !r.value(n_legs) || n_legs > max_legs)
    return {};
  j.legs.resize(n_legs);
  for (auto& l : j.legs) {
    std::uint8_t kind = 0;
    if (!r.value(l.request) || !r.value(kind) || kind > static_cast<std::uint8_t>(journey_link::kind::after_arrival) ||
        !r.value(l.link.scheduled_unix) || !r.value(l.link.buffer_s) || !get_string(r, l.link.trip_id) ||
        !get_string(r, l.link.stop_id))
      return {};
    l.link.k = static_cast<journey_link::kind>(kind);
  }
  if (!r.at_end() || now_unix > j.expires_unix) return {};
  return j;
}

}  // namespace nebuta::api_server
