// Pistache glue: sockets, threads, CORS headers, access log, shutdown.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ostream>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include "nebuta/api_server/server.h"

namespace nebuta::api_server {
namespace {

namespace Http = Pistache::Http;

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

// Response headers written as given (Pistache writes only typed headers, and its Content-Type
// would re-parse the media type).
#define NEBUTA_PLAIN_HEADER(cls, header_name)                                 \
  class cls : public Http::Header::Header {                                    \
   public:                                                                     \
    NAME(header_name)                                                          \
    cls() = default;                                                           \
    explicit cls(std::string v) : value_{std::move(v)} {}                      \
    void parseRaw(char const* s, std::size_t n) override { value_.assign(s, n); } \
    void write(std::ostream& os) const override { os << value_; }              \
                                                                               \
   private:                                                                    \
    std::string value_;                                                        \
  };

NEBUTA_PLAIN_HEADER(content_type_header, "Content-Type")
NEBUTA_PLAIN_HEADER(allow_header, "Allow")
NEBUTA_PLAIN_HEADER(cors_origin_header, "Access-Control-Allow-Origin")
NEBUTA_PLAIN_HEADER(cors_methods_header, "Access-Control-Allow-Methods")
NEBUTA_PLAIN_HEADER(cors_headers_header, "Access-Control-Allow-Headers")
NEBUTA_PLAIN_HEADER(cors_max_age_header, "Access-Control-Max-Age")

class handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(handler)

  handler(api* a, bool access_log) : api_{a}, access_log_{access_log} {}

  void onRequest(Http::Request const& req, Http::ResponseWriter response) override {
    auto const t0 = std::chrono::steady_clock::now();
    http_request r;
    r.method = Http::methodString(req.method());
    r.target = req.resource();
    r.target += req.query().as_str();
    auto const& headers = req.headers();
    if (auto const accept = headers.tryGet<Http::Header::Accept>()) {
      for (auto const& m : accept->media()) {
        if (!r.accept.empty()) r.accept += ", ";
        r.accept += m.toString();
      }
    }
    if (auto const raw = headers.tryGetRaw("Accept")) r.accept = raw->value();
    if (auto const ct = headers.tryGet<Http::Header::ContentType>()) r.content_type = ct->mime().toString();
    if (auto const raw = headers.tryGetRaw("Content-Type")) r.content_type = raw->value();
    if (auto const al = headers.tryGetRaw("Accept-Language")) r.accept_language = al->value();
    if (auto const au = headers.tryGet<Http::Header::Authorization>()) r.authorization = au->value();
    if (auto const au = headers.tryGetRaw("Authorization")) r.authorization = au->value();
    r.body = req.body();

    auto res = api_->serve(r);

    auto& h = response.headers();
    if (!res.content_type.empty()) h.add<content_type_header>(res.content_type);
    h.add<cors_origin_header>("*");
    h.add<cors_methods_header>("GET, POST, PUT, OPTIONS");
    h.add<cors_headers_header>("Content-Type, Accept, Accept-Language, Authorization");
    h.add<cors_max_age_header>("86400");
    if (!res.allow.empty()) h.add<allow_header>(res.allow);
    auto const status = res.status;
    auto const size = res.body.size();
    if (r.method == "HEAD") res.body.clear();
    response.send(static_cast<Http::Code>(status), res.body);

    if (access_log_) {
      auto const ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      auto const peer = req.address().host();
      char line[1200];
      auto const n = std::snprintf(line, sizeof(line), "%s \"%s %.900s\" %d %zu %.3fms\n", peer.c_str(), r.method.c_str(),
                                   r.target.c_str(), status, size, ms);
      if (n > 0) std::fwrite(line, 1, std::min(static_cast<std::size_t>(n), sizeof(line) - 1), stderr);
    }
  }

 private:
  api* api_;
  bool access_log_;
};

}  // namespace

struct http_server::impl {
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
  auto opts = Http::Endpoint::options()
                  .threads(static_cast<int>(threads))
                  .flags(Pistache::Tcp::Options::ReuseAddr)
                  .maxRequestSize(std::max<std::size_t>(cfg_.max_body_bytes * 4, 1 << 20))
                  .maxResponseSize(256U << 20)
                  .headerTimeout(cfg_.header_timeout)
                  .bodyTimeout(cfg_.body_timeout);
  impl_->endpoint->init(opts);
  impl_->endpoint->setHandler(Http::make_handler<handler>(api_.get(), cfg_.access_log));
  impl_->endpoint->serveThreaded();
}

void http_server::stop() {
  if (impl_ && impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
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
