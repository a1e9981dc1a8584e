// libFuzzer target: the HTTP/1.1 request framer of the gate in front of Pistache
// (api_server::request_framer). Input: byte 0 picks the limits (even: the defaults, odd: tiny
// ones, so that every limit is reachable), bytes 1-2 the split point; the rest is what the
// client sends, fed in two pieces. next() is called until it needs more bytes or fails.
// Invariants: no crash or hang; an error has a 4xx/5xx status and a UTF-8 code and message; a
// request's body, request line and headers stay within the limits; nothing is framed after an
// error (the connection is dead).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_http.h"
#include "nebuta/api_server/request_framer.h"
#include "nebuta/api_service/errors.h"

namespace as = nebuta::api_server;
using nebuta::fuzz::require;
using nebuta::fuzz::valid_utf8;

namespace {

// Frames everything available; false once the framer reported an error.
bool drain(as::request_framer& framer, as::framing_limits const& limits) {
  while (true) {
    as::framed_request req;
    as::framing_error err;
    switch (framer.next(req, err)) {
      case as::request_framer::state::need_more: return true;
      case as::request_framer::state::error:
        require(err.status >= 400 && err.status <= 599);
        // An id of the one error catalogue, and an argument in valid UTF-8.
        require(nebuta::api_service::known_error(err.id) && valid_utf8(err.arg));
        return false;
      case as::request_framer::state::request:
        require(req.body.size() <= limits.max_body);
        require(req.headers.size() <= limits.max_headers);
        require(!req.method.empty() && !req.target.empty());
        require(req.method.size() + req.target.size() <= limits.max_request_line);
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size < 3) return 0;
  as::framing_limits limits;
  if ((data[0] & 1U) != 0) {
    limits.max_request_line = 64;
    limits.max_header_bytes = 256;
    limits.max_headers = 4;
    limits.max_body = 128;
  }
  std::string_view const wire{reinterpret_cast<char const*>(data + 3), size - 3};
  auto const split = std::min<std::size_t>((std::size_t{data[1]} << 8U | data[2]), wire.size());
  as::request_framer framer{limits};
  framer.feed(wire.substr(0, split));
  if (!drain(framer, limits)) return 0;
  framer.feed(wire.substr(split));
  drain(framer, limits);
  return 0;
}
