// The transport: Pistache's sockets and threads behind our gate (framing, limits, deadlines),
// CORS headers, access log, shutdown.
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <stdexcept>
#include <thread>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include "nebuta/api_server/request_framer.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/json.h"
#include "nebuta/api_service/text_fold.h"
#include "pipeline.h"
#include "rate_limiter.h"

namespace nebuta::api_server {
namespace {

namespace Http = Pistache::Http;
namespace Tcp = Pistache::Tcp;

std::uint16_t free_loopback_port(std::string const& address) {
  auto const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error{"cannot create a socket"};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = address == "127.0.0.1" ? htonl(INADDR_LOOPBACK) : htonl(INADDR_ANY);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error{"cannot find a free port"};
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

// ------------------------------------------------------------------ the gate
//
// Pistache owns the sockets, the reactor threads and the write queues; no byte of a request
// reaches Pistache's own HTTP parser. gate_handler overrides Http::Handler's input hook, frames
// each connection's bytes with request_framer (strict, bounded, linear), answers framing errors
// itself with JSON and closes, and hands whole requests to api::serve(). Responses are written
// by us through the peer's write queue, in request order, so pipelined requests are answered
// in order. A reaper thread enforces the read deadlines; connections and expensive requests are
// capped.

using clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now().time_since_epoch()).count();
}

enum class phase : std::uint8_t { idle, head, body, closing };

// One client connection. The transport thread that owns the peer is the only one to touch the
// framer; the reaper and other transports only read the atomics and may shut the socket down,
// under `m`, which onDisconnection also takes before Pistache closes the descriptor (so a
// shutdown never reaches a reused descriptor).
struct connection {
  connection(int f, std::string h, framing_limits lim) : fd{f}, peer_host{std::move(h)}, framer{lim} {
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer_addr), &peer_len) != 0) peer_len = 0;
  }

  void set_phase(phase p, std::int64_t t) {
    phase_start_ns.store(t, std::memory_order_relaxed);
    phase_bytes.store(0, std::memory_order_relaxed);
    current.store(p, std::memory_order_relaxed);
  }
  // Shuts the socket down (Pistache then sees the end of the stream and closes it); false when
  // the connection is gone already. The descriptor is checked to be still this connection's
  // (same peer address and port): a descriptor closed without onDisconnection and reused by a
  // new connection must never be shut down in its name.
  bool shut(int how) {
    std::lock_guard const lock{m};
    if (closed) return false;
    sockaddr_storage now{};
    socklen_t len = sizeof now;
    if (peer_len == 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&now), &len) != 0 || len != peer_len ||
        std::memcmp(&now, &peer_addr, len) != 0) {
      closed = true;
      return false;
    }
    ::shutdown(fd, how);
    return true;
  }
  // Bytes the kernel holds that the transport has not read yet (a request that arrived while
  // the connection looked idle); 0 once closed.
  int unread_bytes() {
    std::lock_guard const lock{m};
    int n = 0;
    if (closed || ::ioctl(fd, FIONREAD, &n) != 0) return 0;
    return n;
  }

  int const fd;
  std::string const peer_host;
  sockaddr_storage peer_addr{};
  socklen_t peer_len{sizeof(sockaddr_storage)};
  std::mutex m;
  bool closed{false};
  std::atomic<phase> current{phase::idle};
  std::atomic<std::int64_t> phase_start_ns{0};
  std::atomic<std::uint64_t> phase_bytes{0};
  std::atomic<bool> busy{false};       // a transport thread is in onInput (a drain leaves it open)
  std::atomic<bool> last_sent{false};  // closing: the last answer is written (a drain may close it)
  std::atomic<int> writing{0};         // answers handed to Pistache and not yet written
  request_framer framer;
};

std::size_t default_max_connections() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 10000;
  auto const limit = static_cast<std::size_t>(rl.rlim_cur);
  auto const reserve = std::max<std::size_t>(32, limit / 8);  // journal, feeds, epoll, timers, logs
  return limit > reserve + 16 ? limit - reserve : 16;
}

// What the gate's handler clones (one per Pistache transport thread) share.
struct gate_state {
  gate_state(api* a, server_config const& c)
      : api_{a},
        cfg{c},
        limits{c.max_request_line, c.max_header_bytes, c.max_headers, c.max_body_bytes},
        max_connections{c.max_connections != 0 ? c.max_connections : default_max_connections()} {}
  ~gate_state() { stop_reaper(); }

  // Registers a new connection; at the cap the longest-waiting connection that is idle or has
  // not finished its header block for a second makes room (slow clients cannot lock out fresh
  // ones), else the new one is refused.
  bool admit(std::shared_ptr<connection> const& c) {
    std::shared_ptr<connection> victim;
    {
      std::lock_guard const lock{m};
      if (conns.size() >= max_connections) {
        auto const t = now_ns();
        std::int64_t oldest = t - 1'000'000'000;
        for (auto const& [k, other] : conns) {
          auto const p = other->current.load(std::memory_order_relaxed);
          auto const start = other->phase_start_ns.load(std::memory_order_relaxed);
          if ((p == phase::idle || p == phase::head || p == phase::closing) && start <= oldest) {
            oldest = start;
            victim = other;
          }
        }
        if (!victim) {
          api_->stats().count(metrics::gate_event::connection_refused);
          return false;
        }
        conns.erase(victim.get());
        api_->stats().open_connections.fetch_sub(1);
        api_->stats().count(metrics::gate_event::connection_evicted);
      }
      conns.emplace(c.get(), c);
    }
    if (victim) victim->shut(SHUT_RDWR);  // already out of conns, gone or not
    api_->stats().open_connections.fetch_add(1);
    return true;
  }
  void forget(connection* c) {
    std::lock_guard const lock{m};
    if (conns.erase(c) != 0) api_->stats().open_connections.fetch_sub(1);
  }

  // During a drain: closes the connections that wait for a next request (nothing is in flight
  // on them; a proxy retries an idempotent request it had just sent on one) and those whose
  // last answer is written; returns how many connections still have a request to answer.
  std::size_t close_idle() {
    std::vector<std::shared_ptr<connection>> done;
    std::size_t open = 0;
    {
      std::lock_guard const lock{m};
      for (auto const& [k, c] : conns) {
        auto const p = c->current.load();
        auto const idle = p == phase::idle && !c->busy.load() && c->writing.load() == 0 && c->unread_bytes() == 0;
        if (idle || (p == phase::closing && c->last_sent.load())) {
          done.push_back(c);
        } else {
          ++open;
        }
      }
    }
    for (auto const& c : done) {
      if (!c->shut(SHUT_RDWR)) forget(c.get());
    }
    return open;
  }

  void start_reaper() {
    reaper = std::thread{[this] { reap_loop(); }};
  }
  void stop_reaper() {
    {
      std::lock_guard const lock{m};
      stopping = true;
    }
    cv.notify_all();
    if (reaper.joinable()) reaper.join();
  }

  // Every 100 ms: connections past their deadline are shut down (Pistache then sees the end of
  // the stream and closes them); their clients get no answer, as nginx's header timeouts.
  void reap_loop() {
    auto last_prune = now_ns();
    std::unique_lock lock{m};
    while (!stopping) {
      cv.wait_for(lock, std::chrono::milliseconds{100});
      if (stopping) break;
      auto const t = now_ns();
      std::vector<std::shared_ptr<connection>> expired;
      for (auto const& [k, c] : conns) {
        auto const p = c->current.load(std::memory_order_relaxed);
        auto const age = t - c->phase_start_ns.load(std::memory_order_relaxed);
        auto const bytes = c->phase_bytes.load(std::memory_order_relaxed);
        auto const too_slow = age > 2'000'000'000 && static_cast<double>(bytes) * 1e9 / static_cast<double>(age) <
                                                         static_cast<double>(cfg.min_rate_bytes_s);
        std::optional<metrics::gate_event> why;
        if (p == phase::idle && age > std::chrono::nanoseconds{cfg.keepalive_timeout}.count()) {
          why = metrics::gate_event::idle_timeout;
        } else if (p == phase::head && age > std::chrono::nanoseconds{cfg.header_timeout}.count()) {
          why = metrics::gate_event::header_timeout;
        } else if (p == phase::body && age > std::chrono::nanoseconds{cfg.body_timeout}.count()) {
          why = metrics::gate_event::body_timeout;
        } else if ((p == phase::head || p == phase::body) && too_slow) {
          why = metrics::gate_event::slow_client;
        } else if (p == phase::closing && age > 2'000'000'000) {  // answered; the client did not close
          why = metrics::gate_event::n;
        }
        if (why) {
          if (*why != metrics::gate_event::n) api_->stats().count(*why);
          expired.push_back(c);
        }
      }
      lock.unlock();
      for (auto const& c : expired) {
        if (!c->shut(SHUT_RDWR)) forget(c.get());  // closed behind our back: no onDisconnection will come
      }
      if (t - last_prune > 10'000'000'000) {
        api_->limiter().prune(t);
        last_prune = t;
      }
      lock.lock();
    }
  }

  api* api_;
  server_config cfg;
  framing_limits limits;
  std::size_t max_connections;
  std::mutex m;
  std::condition_variable cv;
  bool stopping{false};
  std::atomic<bool> draining{false};                // every answer closes its connection
  std::atomic<std::uint64_t> answered_draining{0};  // requests answered since the drain began
  std::unordered_map<connection*, std::shared_ptr<connection>> conns;
  std::thread reaper;
};

char const* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

// The whole response as bytes.
void append_response(std::string& out, http_response const& res, bool head, bool keep_alive) {
  // Appended piece by piece into one buffer reserved once: the header block was a fifth of the
  // instructions of a /healthz answer when it was built from temporaries.
  static constexpr std::string_view cors =
      "Access-Control-Allow-Origin: *\r\n"
      "Access-Control-Allow-Methods: GET, POST, PUT, OPTIONS\r\n"
      "Access-Control-Allow-Headers: Content-Type, Accept, Accept-Language, Authorization\r\n"
      "Access-Control-Max-Age: 86400\r\n";
  auto const need = out.size() + 320 + res.content_type.size() + res.allow.size() + (head ? 0 : res.body.size());
  if (out.capacity() < need) out.reserve(std::max(need, 2 * out.capacity()));  // pipelined answers share `out`
  char number[24];
  auto const append_number = [&](std::size_t v) {
    auto const r = std::to_chars(number, number + sizeof number, v);
    out.append(number, r.ptr);
  };
  out += "HTTP/1.1 ";
  append_number(static_cast<std::size_t>(res.status));
  out += ' ';
  out += reason_phrase(res.status);
  out += "\r\n";
  if (!res.content_type.empty()) {
    out += "Content-Type: ";
    out += res.content_type;
    out += "\r\n";
  }
  out += "Content-Length: ";
  append_number(res.body.size());
  out += keep_alive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n";
  out += cors;
  if (!res.allow.empty()) {
    out += "Allow: ";
    out += res.allow;
    out += "\r\n";
  }
  for (auto const& [name, value] : res.headers) {
    // Our own handlers set these; CR or LF in them would split the response.
    if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
  if (!head) out += res.body;
}

// The gate's own answers (framing errors, refused connections), in English: there are no
// headers to choose another language from.
http_response gate_error(int status, std::string id, std::string arg = {}) {
  std::vector<std::string> args;
  if (!arg.empty()) args.push_back(std::move(arg));
  return error_response(api_service::api_error{status, std::move(id), std::move(args)}, {}, format::json);
}

// The client: the peer, or, when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For that is not itself a trusted proxy.
std::string client_address(std::string const& peer, framed_request const& r, std::vector<std::string> const& trusted) {
  auto const is_trusted = [&](std::string_view a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  if (!is_trusted(peer)) return peer;
  std::string client = peer;
  for (auto const& [k, v] : r.headers) {
    if (k != "x-forwarded-for") continue;
    std::string_view list = v;
    while (!list.empty()) {
      auto const comma = list.rfind(',');
      auto item = comma == std::string_view::npos ? list : list.substr(comma + 1);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item.empty()) continue;
      client = std::string{item.substr(0, 64)};
      if (!is_trusted(item)) return client;
    }
  }
  return client;
}

constexpr char const* connection_key = "nebuta.connection";

class gate_handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(gate_handler)

  explicit gate_handler(std::shared_ptr<gate_state> s) : state_{std::move(s)} {}

  // Never called: onInput below replaces Pistache's parser and calls the API itself.
  void onRequest(Http::Request const&, Http::ResponseWriter) override {}

  void onDisconnection(std::shared_ptr<Tcp::Peer> const& peer) override {
    auto const c = std::static_pointer_cast<connection>(peer->tryGetData(connection_key));
    if (!c) return;
    {
      std::lock_guard const lock{c->m};
      c->closed = true;
    }
    state_->forget(c.get());
  }

 private:
  void onConnection(std::shared_ptr<Tcp::Peer> const& peer) override {
    auto c = std::make_shared<connection>(peer->fd(), peer->address().host(), state_->limits);
    c->set_phase(phase::idle, now_ns());
    peer->putData(connection_key, c);
    // Pistache's transport looks the parser up when a peer goes away; it is never fed.
    peer->putData(ParserData, std::make_shared<Http::RequestParser>(1));
    if (!state_->admit(c)) {
      std::string out;
      append_response(out, gate_error(503, "overloaded"), false, false);
      close_after(peer, c, std::move(out));
    }
  }

  void onInput(char const* buffer, std::size_t len, std::shared_ptr<Tcp::Peer> const& peer) override {
    auto const c = std::static_pointer_cast<connection>(peer->tryGetData(connection_key));
    if (!c || c->current.load() == phase::closing) return;  // answered and closing: the rest is dropped
    c->busy.store(true);
    struct not_busy {
      connection& c;
      ~not_busy() { c.busy.store(false); }
    } const done{*c};
    auto const t = now_ns();
    auto const& cfg = state_->cfg;
    c->framer.feed({buffer, len});
    std::string out;
    bool close = false;
    for (;;) {
      framed_request fr;
      framing_error fe;
      auto const st = c->framer.next(fr, fe);
      if (st == request_framer::state::need_more) break;
      if (st == request_framer::state::error) {
        count_framing_error(fe);
        append_response(out, gate_error(fe.status, fe.id, fe.arg), false, false);
        close = true;
        break;
      }
      http_request r;
      r.method = std::move(fr.method);
      r.target = std::move(fr.target);
      r.client = client_address(c->peer_host, fr, cfg.trusted_proxies);
      // Repeated Accept / Accept-Language fields are one comma-separated list (RFC 9110 5.3).
      auto const join = [](std::string& field, std::string const& value) {
        if (!field.empty()) field += ", ";
        field += value;
      };
      for (auto const& [k, v] : fr.headers) {
        if (k == "accept") join(r.accept, v);
        else if (k == "accept-language") join(r.accept_language, v);
        else if (k == "content-type") r.content_type = v;
        else if (k == "authorization") r.authorization = v;
      }
      r.headers = std::move(fr.headers);
      r.body = std::move(fr.body);
      auto const draining = state_->draining.load();
      auto const keep_alive = fr.keep_alive && !draining;  // a drain answers, then closes
      auto const head = r.method == "HEAD";
      auto const t0 = clock::now();
      auto const res = state_->api_->serve(r);
      append_response(out, res, head, keep_alive);
      if (draining) state_->answered_draining.fetch_add(1);
      if (cfg.access_log) log(r, res, t0);
      if (!keep_alive) {
        close = true;
        break;
      }
    }
    if (close) {
      close_after(peer, c, std::move(out));
      return;
    }
    if (c->framer.wants_continue()) {
      out += "HTTP/1.1 100 Continue\r\n\r\n";
      c->framer.continue_sent();
    }
    // The deadline of what the connection is doing now.
    auto const now_phase = c->framer.in_body() ? phase::body : c->framer.in_request() ? phase::head : phase::idle;
    if (now_phase != c->current.load(std::memory_order_relaxed) || now_phase == phase::idle) c->set_phase(now_phase, t);
    c->phase_bytes.fetch_add(len, std::memory_order_relaxed);
    if (!out.empty()) {
      auto const size = out.size();
      c->writing.fetch_add(1);
      peer->send(Pistache::RawBuffer{std::move(out), size})
          .then([c](ssize_t) { c->writing.fetch_sub(1); }, [c](std::exception_ptr&) { c->writing.fetch_sub(1); });
    }
  }

  // Sends the last bytes, then half-closes once they are written; the reaper closes for good
  // if the client does not.
  void close_after(std::shared_ptr<Tcp::Peer> const& peer, std::shared_ptr<connection> const& c, std::string out) {
    c->set_phase(phase::closing, now_ns());
    auto const size = out.size();
    peer->send(Pistache::RawBuffer{std::move(out), size})
        .then(
            [c](ssize_t) {
              c->shut(SHUT_WR);
              c->last_sent.store(true);
            },
            [c](std::exception_ptr&) {
              c->shut(SHUT_RDWR);
              c->last_sent.store(true);
            });
  }

  void count_framing_error(framing_error const& fe) {
    using e = metrics::gate_event;
    auto& m = state_->api_->stats();
    if (fe.code() == "version_not_supported") return m.count(e::version_not_supported);
    switch (fe.status) {
      case 414: m.count(e::uri_too_long); break;
      case 431: m.count(e::headers_too_large); break;
      case 413: m.count(e::body_too_large); break;

      case 417: m.count(e::expectation_failed); break;
      default: m.count(e::bad_framing); break;
    }
  }

  static void log(http_request const& r, http_response const& res, clock::time_point t0) {
    auto const ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    // The client may come from X-Forwarded-For, whose value can hold any byte but controls.
    auto const client = api_service::replace_invalid_utf8(r.client.substr(0, 64));
    auto const target = api_service::replace_invalid_utf8(r.target.substr(0, 900));
    char line[1200];
    auto const n = std::snprintf(line, sizeof(line), "%s \"%s %s\" %d %zu %.3fms\n", client.c_str(),
                                 r.method.substr(0, 20).c_str(), target.c_str(), res.status, res.body.size(), ms);
    if (n > 0) std::fwrite(line, 1, std::min(static_cast<std::size_t>(n), sizeof(line) - 1), stderr);
  }

  std::shared_ptr<gate_state> state_;
};

}  // namespace

struct http_server::impl {
  std::shared_ptr<gate_state> gate;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint;
};

http_server::http_server(api_service::service const& svc, server_config cfg)
    : http_server{&svc, nullptr, std::move(cfg)} {}

http_server::http_server(api_service::service const* svc, drt_service* drt, server_config cfg)
    : cfg_{std::move(cfg)}, api_{std::make_unique<api>(svc, drt, cfg_)}, impl_{std::make_unique<impl>()} {}

http_server::~http_server() { stop(); }

void http_server::start() {
  port_ = cfg_.port != 0 ? cfg_.port : free_loopback_port(cfg_.address);
  Pistache::Address addr{cfg_.address, Pistache::Port{port_}};
  impl_->endpoint = std::make_unique<Http::Endpoint>(addr);
  auto const threads = cfg_.threads != 0 ? cfg_.threads : std::max(1U, std::thread::hardware_concurrency());
  // Pistache's own request limits and timers never come into play: its parser is not used.
  // Pistache's own header, body and keep-alive timeouts would close connections without telling
  // the handler (Http::TransportImpl looks at the time of a parser it never feeds us, and calls
  // removePeer, not onDisconnection): after 60 s every connection, busy or not, was closed under
  // the gate, which kept its entry and later shut down the descriptor's next owner. The gate's
  // reaper enforces the deadlines; Pistache's are set beyond reach.
  constexpr auto never = std::chrono::hours{24 * 365};
  auto opts = Http::Endpoint::options()
                  .threads(static_cast<int>(threads))
                  .headerTimeout(never)
                  .bodyTimeout(never)
                  .keepaliveTimeout(never)
                  .flags(Pistache::Tcp::Options::ReuseAddr | Pistache::Tcp::Options::NoDelay)
                  .backlog(1024)
                  .maxResponseSize(256U << 20);
  impl_->endpoint->init(opts);
  impl_->gate = std::make_shared<gate_state>(api_.get(), cfg_);
  impl_->endpoint->setHandler(Http::make_handler<gate_handler>(impl_->gate));
  impl_->gate->start_reaper();
  impl_->endpoint->serveThreaded();
}

namespace {

// Closes the listening socket on `port` under Pistache's accept thread: a fresh, unbound socket
// is put in its place with dup2, which closes the listening one (the kernel then refuses new
// connections, and drops the socket from the accept thread's epoll set, so the thread neither
// accepts nor spins) and leaves Pistache a descriptor to close at shutdown. Pistache 0.0.5 has
// no call that stops accepting but keeps the connections. False when no such socket is found.
bool close_listening_socket(std::uint16_t port) {
  auto* const dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  int found = -1;
  while (auto const* e = ::readdir(dir)) {
    int fd = -1;
    auto const name = std::string_view{e->d_name};
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc{} || fd == ::dirfd(dir)) continue;
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening == 0) continue;
    sockaddr_storage a{};
    socklen_t alen = sizeof a;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &alen) != 0) continue;
    auto const p = a.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in const&>(a).sin_port)
                   : a.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6 const&>(a).sin6_port)
                                             : 0;
    if (p == port) {
      found = fd;
      break;
    }
  }
  ::closedir(dir);
  if (found < 0) return false;
  auto const placeholder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (placeholder < 0) return false;
  auto const ok = ::dup2(placeholder, found) == found;
  ::close(placeholder);
  return ok;
}

}  // namespace

http_server::drain_result http_server::drain(std::chrono::milliseconds bound) {
  drain_result out;
  if (!impl_ || !impl_->gate) return out;
  auto const t0 = clock::now();
  api_->set_draining();
  impl_->gate->draining.store(true);
  if (!close_listening_socket(port_)) std::fprintf(stderr, "nebuta: drain: the listening socket was not found\n");
  // Connections that become idle (a request in flight is answered with Connection: close and
  // closed; a header still arriving gets its answer) are closed as they go.
  for (;;) {
    out.left_open = impl_->gate->close_idle();
    if (out.left_open == 0 || clock::now() - t0 >= bound) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  out.seconds = std::chrono::duration<double>(clock::now() - t0).count();
  out.answered = impl_->gate->answered_draining.load();
  return out;
}

void http_server::stop() {
  if (impl_ && impl_->gate) impl_->gate->stop_reaper();
  if (impl_ && impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
  if (impl_) impl_->gate.reset();
}

void block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_shutdown_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace nebuta::api_server
