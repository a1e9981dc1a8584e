// A tiny blocking HTTP/1.1 client for the server tests (127.0.0.1 only, one request per
// connection, bounded by a receive timeout), and an in-process server on a free port.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "nebuta/api/places_source.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/service.h"

namespace nebuta::test {

struct http_reply {
  int status{0};
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(std::string const& name) const {
    auto const it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

inline std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A connection to 127.0.0.1:port with send and receive timeouts, or -1 when it is refused.
inline int connect_loopback(std::uint16_t port, long timeout_s = 10) {
  auto const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error{"socket"};
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends raw bytes and reads the reply until the server closes the connection.
inline http_reply http_raw(std::uint16_t port, std::string const& request) {
  auto const fd = connect_loopback(port);
  if (fd < 0) throw std::runtime_error{"connect"};
  std::size_t sent = 0;
  while (sent < request.size()) {
    auto const n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string data;
  char buf[65536];
  for (;;) {
    auto const n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    // Stop once the whole body (Content-Length) is in, even if the server keeps the connection.
    auto const end = data.find("\r\n\r\n");
    if (end != std::string::npos) {
      auto const head = lower_ascii(data.substr(0, end));
      auto const cl = head.find("content-length:");
      if (cl != std::string::npos && data.size() >= end + 4 + std::stoul(head.substr(cl + 15))) break;
    }
  }
  ::close(fd);
  http_reply r;
  auto const end = data.find("\r\n\r\n");
  if (data.size() < 12 || end == std::string::npos) return r;
  r.status = std::stoi(data.substr(9, 3));
  std::size_t pos = data.find("\r\n") + 2;
  while (pos < end) {
    auto const eol = data.find("\r\n", pos);
    auto const line = data.substr(pos, eol - pos);
    auto const colon = line.find(':');
    if (colon != std::string::npos) {
      auto v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      r.headers[lower_ascii(line.substr(0, colon))] = v;
    }
    pos = eol + 2;
  }
  r.body = data.substr(end + 4);
  if (auto const cl = r.header("content-length"); !cl.empty() && r.body.size() > std::stoul(cl))
    r.body.resize(std::stoul(cl));
  return r;
}

inline http_reply http_get(std::uint16_t port, std::string const& target, std::string const& extra_headers = {}) {
  return http_raw(port,
                  "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n");
}

inline http_reply http_post(std::uint16_t port, std::string const& target, std::string const& content_type,
                            std::string const& body, std::string const& extra_headers = {}) {
  std::string req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
  return http_raw(port, req);
}

// A port on 127.0.0.1 that was free a moment ago (for servers started as child processes).
inline std::uint16_t free_port() {
  auto const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Percent-encodes a query value.
inline std::string url_encode(std::string const& s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (auto const ch : s) {
    auto const c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == ',') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A timetable, its service and a running server on 127.0.0.1, as `nebuta serve` sets them up.
struct test_server {
  api::loaded_timetable loaded;
  std::unique_ptr<api_service::service> svc;
  std::unique_ptr<api_server::http_server> server;

  // `places`: a gazetteer file, as `nebuta serve --places`.
  explicit test_server(std::string const& feed, unsigned threads = 4, std::string const& places = {}) {
    api::timetable_source src;
    src.feeds.push_back(feed);
    loaded = api::load_timetable(src);
    api_service::limits lim;
    lim.strict_dates = true;
    lim.max_window_s = 6 * 3600;
    lim.max_compute = std::chrono::milliseconds{20000};
    svc = std::make_unique<api_service::service>(loaded.tt, lim, api::load_places(places));
    api_server::server_config cfg;
    cfg.address = "127.0.0.1";
    cfg.port = 0;
    cfg.threads = threads;
    cfg.access_log = false;
    cfg.header_timeout = cfg.body_timeout = std::chrono::milliseconds{1000};
    server = std::make_unique<api_server::http_server>(*svc, cfg);
    server->start();
  }
  ~test_server() { server->stop(); }
  std::uint16_t port() const { return server->port(); }
};

// stdout of the nebuta binary run with `args` (a shell command line; stderr dropped).
inline std::string run_cli(std::string const& args) {
  auto const cmd = std::string{NEBUTA_BINARY_DIR "/api/nebuta "} + args + " 2>/dev/null";
  std::string out;
  auto* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error{"popen failed: " + cmd};
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

}  // namespace nebuta::test
