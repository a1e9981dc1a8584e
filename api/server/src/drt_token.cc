// Secrets of the on-demand API (drt_token.h).
#include "drt_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "drt_state.h"

namespace nebuta::api_server {
namespace {

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

std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<unsigned char const*>(s.data()), s.size(), out.data());
  return out;
}

}  // namespace

std::string random_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error{"no random bytes"};
  return to_hex(bytes.data(), bytes.size());
}

std::string signature_of(std::string_view secret, std::string_view msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<unsigned char const*>(msg.data()),
       msg.size(), out, &n);
  return to_hex(out, std::min<unsigned>(n, 16));
}

std::string rider_token_of(std::string_view secret, std::uint32_t request) {
  return signature_of(secret, "nebuta-rider-token-v1:" + std::to_string(request));
}

bool equal_secret(std::string_view a, std::string_view b) {
  auto const ha = sha256(a);
  auto const hb = sha256(b);
  return CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

std::string drt_state::token(std::uint32_t request) const { return rider_token_of(secret, request); }

}  // namespace nebuta::api_server
