// Strict HTTP/1.1 request framing (RFC 9112) for the gate in front of Pistache: bytes in,
// whole requests or one precise error out. It never reserves more than it has been sent, never
// keeps more than the limits, and costs linear time in what it is fed, whatever way the bytes are
// split. Everything is checked here, chunked bodies included: Boost.Beast's parser accepts
// things a gate must refuse (obs-fold, repeated Content-Length, any Transfer-Encoding list), has
// no request-line or header-count limit, and asserts on some valid splits of a chunked body.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nebuta::api_server {

struct framing_limits {
  std::size_t max_request_line{8192}, max_header_bytes{32768}, max_headers{100}, max_body{64 * 1024};
};

struct framed_request {
  std::string method, target;                                // target in origin form ("/path?query"), or "*"
  int version_minor{1};                                      // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case, values trimmed
  std::string body;                                          // de-chunked
  bool keep_alive{true};

  // The value of the first header of that (lower-case) name, or null.
  std::string const* header(std::string_view lower_name) const;
};

// A refusal: the connection is answered with `status` and then closed.
struct framing_error {
  int status{400};
  std::string id;   // of the error catalogue (nebuta/api_service/errors.h): "bad_request.bare_lf"
  std::string arg;  // its argument, if it has one: a limit, or an ASCII excerpt of the client's bytes
  std::string_view code() const { return std::string_view{id}.substr(0, id.find('.')); }
};

class request_framer {
 public:
  explicit request_framer(framing_limits limits = {});
  ~request_framer();
  request_framer(request_framer&&) noexcept;
  request_framer& operator=(request_framer&&) noexcept;

  void feed(std::string_view bytes);  // appends received bytes

  enum class state { need_more, request, error };
  // The next whole request, or need_more, or an error (after which the connection is dead and
  // every later call returns the same error).
  state next(framed_request& out, framing_error& err);

  // True once a request's header block announced "Expect: 100-continue" and its body has not
  // arrived yet; the caller answers "100 Continue" once and calls continue_sent().
  bool wants_continue() const { return wants_continue_; }
  void continue_sent() {
    wants_continue_ = false;
    continue_done_ = true;
  }

  // Whether bytes of an unfinished request are buffered (a request has started).
  bool in_request() const { return !buffer_.empty() || head_done_; }
  // Whether the header block of the current request is complete (the body is being read).
  bool in_body() const { return head_done_; }
  std::size_t buffered() const { return buffer_.size(); }

 private:
  state fail(framing_error& err, int status, std::string id, std::string arg = {});
  state parse_head(framing_error& err);
  state read_body(framed_request& out, framing_error& err);
  state read_chunks(framing_error& err);

  struct chunked_decoder;

  framing_limits limits_;
  std::string buffer_;  // received, not yet consumed
  bool head_done_{false}, wants_continue_{false}, continue_done_{false};
  framed_request current_;
  std::size_t head_size_{0};  // bytes of the header block in buffer_ (when head_done_)
  std::size_t content_length_{0};
  bool chunked_{false};
  std::unique_ptr<chunked_decoder> chunks_;
  bool failed_{false};
  framing_error error_;
};

// Whether `host` is a valid Host header value (RFC 9110 7.2: uri-host [ ":" port ]).
bool valid_host_header(std::string_view host);

}  // namespace nebuta::api_server
