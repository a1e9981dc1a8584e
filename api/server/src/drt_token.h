// Secrets of the on-demand API: the per-database secret, rider tokens (HMAC-SHA256 of the
// request id) and the constant-time comparison of bearer tokens (OpenSSL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nebuta::api_server {

// 32 random bytes as hex; throws std::runtime_error when the system has no random bytes.
std::string random_secret();

// The first 16 bytes of HMAC-SHA256 of `message` under `secret`, as hex: every signature of the
// on-demand API (rider tokens, journey tokens).
std::string signature_of(std::string_view secret, std::string_view message);

// The rider token of a request id under `secret`: the first 16 bytes of HMAC-SHA256, as hex.
std::string rider_token_of(std::string_view secret, std::uint32_t request);

// Equal strings, in time independent of where they differ and of their lengths.
bool equal_secret(std::string_view a, std::string_view b);

// The operator's endpoints (on-demand API, realtime push): 401 without a bearer token, 403 when
// it is not `token` (an empty `token` allows nobody). Defined in drt_checks.cc.
struct call;
void require_operator_token(call const& c, std::string_view token);

}  // namespace nebuta::api_server
