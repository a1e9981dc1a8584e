// Strict HTTP/1.1 request framing; see request_framer.h for what is checked where.
#include "nebuta/api_server/request_framer.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace nebuta::api_server {
namespace {

// A chunk-size line (size and extensions) or a trailer line longer than this is refused.
constexpr std::size_t max_chunk_line = 1024;

bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

// field-value characters: VCHAR, SP, HTAB, obs-text; no other control characters.
bool valid_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    auto const c = static_cast<unsigned char>(ch);
    return c == '\t' || (c >= 0x20 && c != 0x7F);
  });
}

// request-target characters: visible ASCII only (RFC 3986 characters, percent-encoded beyond).
bool valid_target_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    auto const c = static_cast<unsigned char>(ch);
    return c > 0x20 && c < 0x7F;
  });
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether the comma-separated list `value` holds `token` (case-insensitive), as Connection does.
bool list_has(std::string_view value, std::string_view token) {
  auto const v = lower(value);
  std::size_t start = 0;
  while (start <= v.size()) {
    auto const end = std::min(v.find(',', start), v.size());
    if (trim_ows(std::string_view{v}.substr(start, end - start)) == token) return true;
    start = end + 1;
  }
  return false;
}

// A printable, ASCII-only excerpt of client bytes for an error message.
std::string excerpt(std::string_view s, std::size_t max = 60) {
  std::string out;
  for (auto const ch : s.substr(0, max)) {
    auto const c = static_cast<unsigned char>(ch);
    out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

std::string const* framed_request::header(std::string_view lower_name) const {
  for (auto const& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

bool valid_host_header(std::string_view host) {
  if (host.empty()) return true;  // allowed when the target has no authority (RFC 9112 3.2)
  std::string_view name = host, port;
  if (host.front() == '[') {  // IP-literal
    auto const close = host.find(']');
    if (close == std::string_view::npos) return false;
    auto const inside = host.substr(1, close - 1);
    if (inside.empty() || !std::all_of(inside.begin(), inside.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return false;
    }
    auto const rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
    name = {};
  } else if (auto const colon = host.rfind(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (port.empty()) return false;
  }
  // reg-name / IPv4: unreserved, pct-encoded, sub-delims
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto const c = static_cast<unsigned char>(name[i]);
    if (std::isalnum(c) || std::string_view{"-._~!$&'()*+,;="}.find(static_cast<char>(c)) != std::string_view::npos) {
      continue;
    }
    if (c == '%' && i + 2 < name.size() && std::isxdigit(static_cast<unsigned char>(name[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(name[i + 2]))) {
      i += 2;
      continue;
    }
    return false;
  }
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    unsigned value = 0;
    std::from_chars(port.data(), port.data() + port.size(), value);
    if (value > 65535) return false;
  }
  return true;
}

// The chunked transfer coding (RFC 9112 7.1), decoded as bytes arrive: a chunk-size line,
// its data and CRLF, ..., the last chunk, trailer fields (checked, then dropped), CRLF. Only
// whole lines and the bytes of the current chunk are consumed, so any split of the stream gives
// the same body. Boost.Beast's parser did this before; it asserts when the last chunk is
// re-presented with fewer than 5 bytes (a valid split), so the gate decodes it itself.
struct request_framer::chunked_decoder {
  enum class step { size_line, data, data_end, trailers, done };
  step at{step::size_line};
  std::uint64_t remaining{0};  // bytes left of the current chunk's data
  std::size_t trailer_bytes{0};
  std::string body;
};

namespace {

// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), val = token / quoted-string
bool valid_chunk_extensions(std::string_view s) {
  auto skip_bws = [&s] {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  };
  auto take_token = [&s] {
    std::size_t n = 0;
    while (n < s.size() && is_tchar(static_cast<unsigned char>(s[n]))) ++n;
    s.remove_prefix(n);
    return n > 0;
  };
  while (true) {
    skip_bws();
    if (s.empty()) return true;
    if (s.front() != ';') return false;
    s.remove_prefix(1);
    skip_bws();
    if (!take_token()) return false;
    skip_bws();
    if (s.empty() || s.front() != '=') continue;
    s.remove_prefix(1);
    skip_bws();
    if (!s.empty() && s.front() == '"') {
      s.remove_prefix(1);
      bool closed = false;
      while (!s.empty() && !closed) {
        auto const c = static_cast<unsigned char>(s.front());
        s.remove_prefix(1);
        if (c == '"') {
          closed = true;
        } else if (c == '\\') {
          if (s.empty()) return false;
          s.remove_prefix(1);
        } else if (c < 0x20 && c != '\t') {
          return false;
        }
      }
      if (!closed) return false;
    } else if (!take_token()) {
      return false;
    }
  }
}

}  // namespace

request_framer::request_framer(framing_limits limits) : limits_{limits} {}
request_framer::~request_framer() = default;
request_framer::request_framer(request_framer&&) noexcept = default;
request_framer& request_framer::operator=(request_framer&&) noexcept = default;

void request_framer::feed(std::string_view bytes) {
  if (!failed_) buffer_.append(bytes);
}

request_framer::state request_framer::fail(framing_error& err, int status, std::string id, std::string arg) {
  failed_ = true;
  error_ = framing_error{status, std::move(id), std::move(arg)};
  err = error_;
  buffer_.clear();
  buffer_.shrink_to_fit();
  chunks_.reset();
  return state::error;
}

request_framer::state request_framer::next(framed_request& out, framing_error& err) {
  if (failed_) {
    err = error_;
    return state::error;
  }
  if (!head_done_) {
    auto const s = parse_head(err);
    if (s != state::request) return s;
  }
  return read_body(out, err);
}

// The request line and header block: returns `request` once they are complete and valid.
request_framer::state request_framer::parse_head(framing_error& err) {
  // RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line.
  while (buffer_.starts_with("\r\n")) buffer_.erase(0, 2);
  if (buffer_.empty()) return state::need_more;

  // Where the header block ends, checking line endings on the way: a bare LF or CR is refused
  // at once, not after a timeout.
  std::size_t end = std::string::npos;
  std::size_t const scan_limit = std::min(buffer_.size(), limits_.max_request_line + limits_.max_header_bytes + 4);
  auto const first_line_end = buffer_.find("\r\n");
  for (std::size_t i = 0; i < scan_limit; ++i) {
    auto const c = buffer_[i];
    if (c == '\n' && (i == 0 || buffer_[i - 1] != '\r')) return fail(err, 400, "bad_request.bare_lf");
    if (c == '\r' && i + 1 < buffer_.size() && buffer_[i + 1] != '\n') {
      return fail(err, 400, "bad_request.bare_cr");
    }
    if (c == '\0') return fail(err, 400, "bad_request.nul");
    if (c == '\n' && i >= 3 && buffer_.compare(i - 3, 4, "\r\n\r\n") == 0) {
      end = i + 1;
      break;
    }
  }
  auto const line_len = first_line_end == std::string::npos ? buffer_.size() : first_line_end;
  if (line_len > limits_.max_request_line) {
    return fail(err, 414, "uri_too_long.request_line", std::to_string(limits_.max_request_line));
  }
  if (end == std::string::npos) {
    if (first_line_end != std::string::npos && buffer_.size() - line_len > limits_.max_header_bytes + 4) {
      return fail(err, 431, "headers_too_large.bytes", std::to_string(limits_.max_header_bytes));
    }
    return state::need_more;
  }
  if (end - line_len - 2 > limits_.max_header_bytes + 2) {
    return fail(err, 431, "headers_too_large.bytes", std::to_string(limits_.max_header_bytes));
  }

  // Request line: method SP request-target SP HTTP-version
  std::string_view const head{buffer_.data(), end};
  auto const line = head.substr(0, line_len);
  auto const sp1 = line.find(' ');
  auto const sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(err, 400, "bad_request.request_line", excerpt(line));
  }
  auto const method = line.substr(0, sp1);
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto const version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(err, 400, "bad_request.method", excerpt(method));
  if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return fail(err, 400, "bad_request.version", excerpt(version));
  }
  if (version[5] != '1') return fail(err, 400, "version_not_supported");
  if (target.empty() || !valid_target_chars(target)) {
    return fail(err, 400, "bad_request.target", excerpt(target));
  }
  framed_request r;
  r.method = std::string{method};
  r.version_minor = version[7] - '0';
  // absolute-form (RFC 9112 3.2.2) becomes origin-form; authority-form only goes with CONNECT.
  if (target.front() != '/') {
    auto const l = lower(target.substr(0, 8));
    if (target == "*" && method == "OPTIONS") {
    } else if (l.starts_with("http://") || l.starts_with("https://")) {
      auto const authority_start = target.find("//") + 2;
      auto const path_start = target.find_first_of("/?", authority_start);
      target = path_start == std::string_view::npos ? std::string_view{"/"} : target.substr(path_start);
      if (target.front() == '?') r.target = "/";
    } else {
      return fail(err, 400, "bad_request.target_form", excerpt(target));
    }
  }
  r.target += target;
  if (auto const hash = r.target.find('#'); hash != std::string::npos) {
    return fail(err, 400, "bad_request.fragment");
  }

  // Header fields.
  std::size_t pos = line_len + 2;
  std::size_t n_content_length = 0, n_transfer_encoding = 0, n_host = 0;
  std::string content_length, transfer_encoding, connection, expect;
  while (pos + 2 < end) {
    auto const eol = head.find("\r\n", pos);
    auto const field = head.substr(pos, eol - pos);
    pos = eol + 2;
    if (field.front() == ' ' || field.front() == '\t') {
      return fail(err, 400, "bad_request.obs_fold");
    }
    auto const colon = field.find(':');
    if (colon == std::string_view::npos) return fail(err, 400, "bad_request.no_colon", excerpt(field));
    auto const name = field.substr(0, colon);
    if (!is_token(name)) return fail(err, 400, "bad_request.header_name", excerpt(name));
    auto const value = trim_ows(field.substr(colon + 1));
    if (!valid_field_value(value)) return fail(err, 400, "bad_request.header_value", excerpt(name));
    if (r.headers.size() >= limits_.max_headers) {
      return fail(err, 431, "headers_too_large.count", std::to_string(limits_.max_headers));
    }
    auto lname = lower(name);
    if (lname == "content-length") {
      ++n_content_length;
      content_length = value;
    } else if (lname == "transfer-encoding") {
      ++n_transfer_encoding;
      transfer_encoding = value;
    } else if (lname == "host") {
      ++n_host;
      if (!valid_host_header(value)) return fail(err, 400, "bad_request.host", excerpt(value));
    } else if (lname == "connection") {
      if (!connection.empty()) connection += ",";
      connection += value;
    } else if (lname == "expect") {
      expect = lower(value);
    }
    r.headers.emplace_back(std::move(lname), std::string{value});
  }

  if (n_host > 1) return fail(err, 400, "bad_request.two_hosts");
  if (n_host == 0 && r.version_minor == 1) return fail(err, 400, "bad_request.no_host");
  if (n_content_length > 1) return fail(err, 400, "bad_request.two_content_lengths");
  if (n_transfer_encoding > 1) return fail(err, 400, "bad_request.two_transfer_encodings");
  if (n_content_length != 0 && n_transfer_encoding != 0) {
    return fail(err, 400, "bad_request.length_and_chunked");
  }
  chunked_ = false;
  content_length_ = 0;
  if (n_transfer_encoding != 0) {
    if (lower(transfer_encoding) != "chunked") {
      return fail(err, 400, "bad_request.transfer_encoding", excerpt(transfer_encoding));
    }
    if (r.version_minor == 0) return fail(err, 400, "bad_request.chunked_http10");
    chunked_ = true;
  }
  if (n_content_length != 0) {
    // 1*DIGIT, nothing else: no sign, no list, no spaces inside.
    if (content_length.empty() || content_length.size() > 18 ||
        !std::all_of(content_length.begin(), content_length.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(err, 400, "bad_request.content_length", excerpt(content_length));
    }
    std::from_chars(content_length.data(), content_length.data() + content_length.size(), content_length_);
    if (content_length_ > limits_.max_body) {
      return fail(err, 413, "body_too_large", std::to_string(limits_.max_body));
    }
  }
  if (!expect.empty() && expect != "100-continue") {
    return fail(err, 417, "expectation_failed", excerpt(expect));
  }
  r.keep_alive = r.version_minor == 1 ? !list_has(connection, "close") : list_has(connection, "keep-alive");

  current_ = std::move(r);
  head_size_ = end;
  head_done_ = true;
  continue_done_ = false;
  wants_continue_ = !expect.empty() && current_.version_minor == 1 && (chunked_ || content_length_ > 0);
  if (chunked_) chunks_ = std::make_unique<chunked_decoder>();
  buffer_.erase(0, head_size_);
  return state::request;
}

request_framer::state request_framer::read_body(framed_request& out, framing_error& err) {
  if (!chunked_) {
    if (buffer_.size() < content_length_) return state::need_more;
    current_.body.assign(buffer_, 0, content_length_);
    buffer_.erase(0, content_length_);
  } else {
    auto const s = read_chunks(err);
    if (s != state::request) return s;
    current_.body = std::move(chunks_->body);
    chunks_.reset();
  }
  head_done_ = false;
  wants_continue_ = false;
  out = std::move(current_);
  current_ = framed_request{};
  return state::request;
}

// Decodes what has arrived of a chunked body; `request` once the final CRLF is in.
request_framer::state request_framer::read_chunks(framing_error& err) {
  using step = chunked_decoder::step;
  auto& d = *chunks_;
  std::size_t pos = 0;  // consumed from buffer_, erased once on the way out
  // The next CRLF-terminated line from pos, without its CRLF; false while it is incomplete.
  auto next_line = [&](std::string_view& line) {
    auto const window = std::string_view{buffer_}.substr(pos, max_chunk_line + 2);
    auto const eol = window.find("\r\n");
    if (eol == std::string_view::npos) return false;
    line = window.substr(0, eol);
    pos += eol + 2;
    return true;
  };
  auto const refuse = [&](int status, std::string id, std::string arg = {}) {
    return fail(err, status, std::move(id), std::move(arg));
  };
  auto const wait_for_more = [&] {  // keeps what is not consumed yet
    buffer_.erase(0, pos);
    return state::need_more;
  };
  auto const incomplete_line_too_long = [&] { return buffer_.size() - pos > max_chunk_line + 1; };
  while (d.at != step::done) {
    switch (d.at) {
      case step::size_line: {
        std::string_view line;
        if (!next_line(line)) {
          if (incomplete_line_too_long()) return refuse(400, "bad_request.chunk_line_too_long");
          return wait_for_more();
        }
        std::size_t digits = 0;
        std::uint64_t size = 0;
        while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
          auto const c = static_cast<unsigned char>(line[digits]);
          auto const v = static_cast<std::uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
          if (size > (UINT64_MAX >> 4U)) return refuse(400, "bad_request.chunk_size_overflow");
          size = size << 4U | v;
          ++digits;
        }
        if (digits == 0) return refuse(400, "bad_request.chunk_size", excerpt(line));
        if (!valid_chunk_extensions(line.substr(digits))) {
          return refuse(400, "bad_request.chunk_extension", excerpt(line));
        }
        if (size > limits_.max_body - d.body.size())
          return refuse(413, "body_too_large", std::to_string(limits_.max_body));
        d.remaining = size;
        d.at = size == 0 ? step::trailers : step::data;
        break;
      }
      case step::data: {
        auto const take = static_cast<std::size_t>(std::min<std::uint64_t>(d.remaining, buffer_.size() - pos));
        d.body.append(buffer_, pos, take);
        pos += take;
        d.remaining -= take;
        if (d.remaining != 0) {
          return wait_for_more();
        }
        d.at = step::data_end;
        break;
      }
      case step::data_end:
        if (buffer_.size() - pos < 2) {
          if (buffer_.size() > pos && buffer_[pos] != '\r') return refuse(400, "bad_request.chunk_crlf");
          return wait_for_more();
        }
        if (buffer_.compare(pos, 2, "\r\n") != 0) return refuse(400, "bad_request.chunk_crlf");
        pos += 2;
        d.at = step::size_line;
        break;
      case step::trailers: {
        std::string_view line;
        if (!next_line(line)) {
          if (incomplete_line_too_long()) return refuse(431, "headers_too_large.trailer_line");
          return wait_for_more();
        }
        if (line.empty()) {
          d.at = step::done;
          break;
        }
        d.trailer_bytes += line.size() + 2;
        if (d.trailer_bytes > limits_.max_header_bytes) {
          return refuse(431, "headers_too_large.trailer_bytes", std::to_string(limits_.max_header_bytes));
        }
        auto const colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)) ||
            !valid_field_value(trim_ows(line.substr(colon + 1)))) {
          return refuse(400, "bad_request.trailer", excerpt(line));
        }
        break;
      }
      case step::done: break;
    }
  }
  buffer_.erase(0, pos);
  return state::request;
}

}  // namespace nebuta::api_server
