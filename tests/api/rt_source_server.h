// A tiny HTTP/1.1 server for the realtime source tests: serves one body at any path with an ETag,
// answers 304 when If-None-Match carries it, or fails on demand (status 500, garbage bytes, a
// stall longer than the client's timeout). One request per connection; it records what each
// request sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nebuta::test {

class rt_source_server {
 public:
  enum class mode { serve, fail_500, stall };

  rt_source_server() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    ::listen(fd_, 16);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread{[this] { run(); }};
  }
  ~rt_source_server() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  std::string url(std::string const& path = "/feed.pb") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void set(std::string body, std::string etag) {
    std::lock_guard const lock{m_};
    body_ = std::move(body);
    etag_ = std::move(etag);
  }
  void set_mode(mode m) {
    std::lock_guard const lock{m_};
    mode_ = m;
  }
  // The If-None-Match header of every request so far ("" when absent).
  std::vector<std::string> if_none_match() const {
    std::lock_guard const lock{m_};
    return inm_;
  }
  int requests() const {
    std::lock_guard const lock{m_};
    return static_cast<int>(inm_.size());
  }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      auto const c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      answer(c);
      ::close(c);
    }
  }

  void answer(int c) {
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      auto const n = ::recv(c, buf, sizeof(buf), 0);
      if (n <= 0) return;
      req.append(buf, static_cast<std::size_t>(n));
    }
    std::string inm;
    auto lower = req;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (auto const at = lower.find("\r\nif-none-match:"); at != std::string::npos) {
      auto const start = at + 16;
      inm = req.substr(start, req.find("\r\n", start) - start);
      while (!inm.empty() && inm.front() == ' ') inm.erase(0, 1);
    }
    std::string out;
    mode md{};
    {
      std::lock_guard const lock{m_};
      inm_.push_back(inm);
      md = mode_;
      if (md == mode::fail_500) {
        out = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops";
      } else if (!etag_.empty() && inm == etag_) {
        out = "HTTP/1.1 304 Not Modified\r\nETag: " + etag_ + "\r\nConnection: close\r\n\r\n";
      } else {
        out = "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nETag: " + etag_ +
              "\r\nContent-Length: " + std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_;
      }
    }
    if (md == mode::stall) {  // headers never come: the client's timeout must end it
      for (auto i = 0; i < 60 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds{50});
      return;
    }
    std::size_t sent = 0;
    while (sent < out.size()) {
      auto const n = ::send(c, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  int fd_{-1};
  std::uint16_t port_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex m_;
  mode mode_{mode::serve};
  std::string body_, etag_;
  std::vector<std::string> inm_;
};

}  // namespace nebuta::test
