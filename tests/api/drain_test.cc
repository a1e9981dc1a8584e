// GET /readyz and the drain of SIGTERM (http_server::drain, docs/http.md) on an in-process
// server: once draining, new connections are refused, an idle keep-alive connection is closed,
// a request still arriving on an open connection is answered (503 for /readyz, with
// Connection: close), and a connection that never finishes its request is cut at the bound.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "server_client.h"

namespace {

using namespace std::chrono_literals;

using nebuta::test::connect_loopback;

void send_all(int fd, std::string const& s) {
  REQUIRE(::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()));
}

// What arrives until the peer closes (or the 10 s receive timeout passes).
std::string read_to_end(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

}  // namespace

TEST_CASE("readyz is 200 while serving and 503 draining, the drain refuses, answers, closes and is bounded",
          "[http][drain]") {
  nebuta::test::test_server s{NEBUTA_SOURCE_DIR "/data/sample", 2};
  // A server of its own on the same service, with a header deadline far beyond the drain's bound.
  nebuta::api_server::server_config cfg;
  cfg.address = "127.0.0.1";
  cfg.port = 0;
  cfg.threads = 2;
  cfg.access_log = false;
  cfg.header_timeout = 20s;
  nebuta::api_server::http_server server{*s.svc, cfg};
  server.start();
  auto const port = server.port();
  auto const ready = nebuta::test::http_get(port, "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body.find("\"status\":\"ready\"") != std::string::npos);
  CHECK(ready.header("cache-control") == "no-store");

  // An idle keep-alive connection (one request answered), one in the middle of its header, and
  // one that will never finish its header.
  auto const idle = connect_loopback(port);
  REQUIRE(idle >= 0);
  send_all(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  char buf[4096];
  REQUIRE(::recv(idle, buf, sizeof buf, 0) > 0);
  auto const arriving = connect_loopback(port);
  REQUIRE(arriving >= 0);
  send_all(arriving, "GET /readyz HTTP/1.1\r\n");
  auto const stuck = connect_loopback(port);
  REQUIRE(stuck >= 0);
  send_all(stuck, "GET /readyz HTTP/1.1\r\n");
  std::this_thread::sleep_for(100ms);

  auto const t0 = std::chrono::steady_clock::now();
  auto drained = std::async(std::launch::async, [&] { return server.drain(600ms); });
  std::this_thread::sleep_for(150ms);
  CHECK(server.handler_api().draining());
  // Not listening any more: a proxy sees a refused connection and tries another replica.
  auto const late = connect_loopback(port);
  CHECK(late < 0);
  if (late >= 0) ::close(late);
  // The idle connection is closed, with nothing sent.
  CHECK(read_to_end(idle).empty());
  // The request that was arriving is answered, and its connection closed after the answer.
  send_all(arriving, "Host: x\r\n\r\n");
  auto const answer = read_to_end(arriving);
  CHECK(answer.starts_with("HTTP/1.1 503 "));
  CHECK(answer.find("Connection: close\r\n") != std::string::npos);
  CHECK(answer.find("\"status\":\"draining\"") != std::string::npos);

  auto const result = drained.get();
  auto const took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(result.answered == 1);
  CHECK(result.left_open == 1);  // the stuck header: cut at the bound, not waited for
  CHECK(result.seconds >= 0.6);
  CHECK(took < 10);  // the bound, not the 20 s header deadline
  server.stop();
  CHECK(read_to_end(stuck).empty());
  for (auto const fd : {idle, arriving, stuck}) ::close(fd);
}
