// The HTTP gate in front of Pistache, as an attacker tries it: raw bytes on a socket, on the
// planner server (in-process) and on the dispatcher (`nebuta dispatch`, a child process).
// Every bad request gets its 4xx with a JSON body in valid UTF-8 within a second, and the
// server answers normally afterwards.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "nebuta/api_server/request_framer.h"
#include "nebuta/api_service/text_fold.h"
#include "server_client.h"
#include "temp_dir.h"

namespace {

using namespace std::chrono_literals;
using nebuta::api_server::framed_request;
using nebuta::api_server::framing_error;
using nebuta::api_server::framing_limits;
using nebuta::api_server::request_framer;
using json = nlohmann::json;

// ------------------------------------------------------------------ a raw client

int connect_to(std::uint16_t port) {
  auto const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error{"socket"};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    throw std::runtime_error{"connect"};
  }
  return fd;
}

void send_all(int fd, std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto const n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

struct response {
  int status{0};
  std::map<std::string, std::string> headers;
  std::string body;
};

// Splits `data` into whole responses (1xx interim answers included).
std::vector<response> parse_responses(std::string const& data, bool* complete = nullptr) {
  std::vector<response> out;
  std::size_t pos = 0;
  if (complete != nullptr) *complete = true;
  while (pos < data.size()) {
    auto const end = data.find("\r\n\r\n", pos);
    if (end == std::string::npos || data.compare(pos, 9, "HTTP/1.1 ") != 0) {
      if (complete != nullptr) *complete = false;
      break;
    }
    response r;
    r.status = std::stoi(data.substr(pos + 9, 3));
    auto p = data.find("\r\n", pos) + 2;
    while (p < end) {
      auto const eol = data.find("\r\n", p);
      auto const line = data.substr(p, eol - p);
      auto const colon = line.find(':');
      if (colon != std::string::npos) {
        r.headers[nebuta::test::lower_ascii(line.substr(0, colon))] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      p = eol + 2;
    }
    std::size_t len = 0;
    if (auto const it = r.headers.find("content-length"); it != r.headers.end()) len = std::stoul(it->second);
    if (data.size() < end + 4 + len) {
      if (complete != nullptr) *complete = false;
      break;
    }
    r.body = data.substr(end + 4, len);
    pos = end + 4 + len;
    out.push_back(std::move(r));
  }
  return out;
}

// Sends the pieces (with `gap` between them), then reads until the server closes, `expected`
// final responses are in, or `wait` passes.
std::vector<response> exchange(std::uint16_t port, std::vector<std::string> const& pieces, std::size_t expected = 1,
                               std::chrono::milliseconds gap = 0ms, std::chrono::milliseconds wait = 1000ms,
                               bool* closed = nullptr) {
  auto const fd = connect_to(port);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0 && gap.count() > 0) std::this_thread::sleep_for(gap);
    send_all(fd, pieces[i]);
  }
  std::string data;
  auto const deadline = std::chrono::steady_clock::now() + wait;
  if (closed != nullptr) *closed = false;
  for (;;) {
    auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[65536];
    auto const n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {
      if (closed != nullptr) *closed = true;
      break;
    }
    data.append(buf, static_cast<std::size_t>(n));
    auto const rs = parse_responses(data);
    auto const finals = std::count_if(rs.begin(), rs.end(), [](auto const& r) { return r.status >= 200; });
    if (static_cast<std::size_t>(finals) >= expected) break;
  }
  ::close(fd);
  auto rs = parse_responses(data);
  std::erase_if(rs, [](auto const& r) { return r.status < 200; });
  return rs;
}

bool healthy(std::uint16_t port) {
  auto const r = exchange(port, {"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"});
  return r.size() == 1 && r[0].status == 200;
}

// ------------------------------------------------------------------ servers

nebuta::test::test_server& planner() {
  static nebuta::test::test_server s{NEBUTA_SOURCE_DIR "/data/sample", 2};
  return s;
}

using nebuta::test::free_port;

// A `nebuta` child process serving on a free port; killed when it goes out of scope.
struct child_server {
  pid_t pid{-1};
  std::uint16_t port{0};
  nebuta::test::temp_dir dir{"gate"};

  // `fd_limit` > 0: the child's RLIMIT_NOFILE.
  child_server(std::vector<std::string> args, rlim_t fd_limit = 0) {
    port = free_port();
    args.insert(args.end(), {"--address", "127.0.0.1", "--port", std::to_string(port), "--quiet"});
    for (auto& a : args) {
      if (a.starts_with("@DIR")) a = dir.path.string() + a.substr(4);
    }
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto const log = (dir.path / "server.log").string();
      auto const fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      if (fd_limit > 0) {
        rlimit rl{fd_limit, fd_limit};
        ::setrlimit(RLIMIT_NOFILE, &rl);
      }
      ::setenv("NEBUTA_OPERATOR_TOKEN", "gate-test-operator-token-0123", 1);
      std::vector<char*> argv;
      static std::string const bin = NEBUTA_BINARY_DIR "/api/nebuta";
      argv.push_back(const_cast<char*>(bin.c_str()));
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    auto const deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        FAIL("nebuta exited at start: " << nebuta::test::read_file(dir.path / "server.log"));
      }
      try {
        if (healthy(port)) return;
      } catch (std::exception const&) {
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL("nebuta did not start");
  }
  ~child_server() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

child_server& dispatcher() {
  static child_server s{{"dispatch", "--db", "@DIR/state.sqlite", "--threads", "2", "--reoptimise-every", "0",
                         "--header-timeout-ms", "1000", "--body-timeout-ms", "1000"}};
  return s;
}

// ------------------------------------------------------------------ the table

struct raw_case {
  std::string name, bytes;
  int status;              // on the planner server
  std::string code{};      // error code expected in the JSON body ("" for a success)
  int dispatch_status{0};  // on the dispatcher, when it differs
  std::string dispatch_code{};
};

std::string const H = "Host: x\r\n";

std::vector<raw_case> table() {
  std::string const long_line = "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n" + H + "\r\n";
  std::string big_headers = "GET /healthz HTTP/1.1\r\n" + H;
  for (int i = 0; i < 40; ++i) big_headers += "X-Pad-" + std::to_string(i) + ": " + std::string(1000, 'p') + "\r\n";
  big_headers += "\r\n";
  std::string many_headers = "GET /healthz HTTP/1.1\r\n" + H;
  for (int i = 0; i < 101; ++i) many_headers += "X-" + std::to_string(i) + ": 1\r\n";
  many_headers += "\r\n";
  std::string const long_uri = "GET /v1/stops?q=" + std::string(5000, 'a') + " HTTP/1.1\r\n" + H + "\r\n";
  std::string const big_chunks = "POST /healthz HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n" + "10000\r\n" +
                                 std::string(0x10000, 'x') + "\r\n10000\r\n" + std::string(0x10000, 'x') +
                                 "\r\n0\r\n\r\n";
  auto const get = [](std::string const& extra) { return "GET /healthz HTTP/1.1\r\n" + extra + "\r\n"; };
  auto const post = [](std::string const& extra, std::string const& body) {
    return "POST /healthz HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n" + body;
  };
  return {
      // request line
      {"garbage", "GARBAGE\r\n\r\n", 400, "bad_request"},
      {"method only", "GET\r\n\r\n", 400, "bad_request"},
      {"no version", "GET /\r\n" + H + "\r\n", 400, "bad_request"},
      {"double space", "GET  /healthz HTTP/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"four parts", "GET /healthz HTTP/1.1 x\r\n" + H + "\r\n", 400, "bad_request"},
      {"lower-case version", "GET /healthz http/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"short version", "GET /healthz HTTP/1\r\n" + H + "\r\n", 400, "bad_request"},
      {"long version", "GET /healthz HTTP/1.10\r\n" + H + "\r\n", 400, "bad_request"},
      {"HTTP/9.9", "GET / HTTP/9.9\r\n\r\n", 400, "version_not_supported"},
      {"HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 400, "version_not_supported"},
      {"HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 400, "version_not_supported"},
      {"binary", "\x01\x02\x03\r\n\r\n", 400, "bad_request"},
      {"bad method character", "G@T /healthz HTTP/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"DEL in target", "GET /\x7f HTTP/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"raw UTF-8 in target", "GET /\xc3\xa9 HTTP/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"target not a path", "GET healthz HTTP/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"fragment", "GET /healthz#x HTTP/1.1\r\n" + H + "\r\n", 400, "bad_request"},
      {"request line too long", long_line, 414, "uri_too_long"},
      {"200 KB without a line end", std::string(200000, 'A'), 414, "uri_too_long"},
      // line endings and header syntax
      {"bare LF", "GET /healthz HTTP/1.1\nHost: x\n\n", 400, "bad_request"},
      {"bare LF in a header", "GET /healthz HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", 400, "bad_request"},
      {"bare CR", "GET /healthz HTTP/1.1\rHost: x\r\n\r\n", 400, "bad_request"},
      {"NUL in a header", std::string{"GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n", 42}, 400, "bad_request"},
      {"obs-fold", get(H + "X-A: 1\r\n  continued\r\n"), 400, "bad_request"},
      {"header without colon", get(H + "NoColonHere\r\n"), 400, "bad_request"},
      {"space in header name", get(H + "Bad Name: 1\r\n"), 400, "bad_request"},
      {"space before colon", get("Host : x\r\n"), 400, "bad_request"},
      {"control character in value",
       get(H + "X: a\x01"
               "b\r\n"),
       400, "bad_request"},
      {"empty header name", get(H + ": x\r\n"), 400, "bad_request"},
      {"header block too large", big_headers, 431, "headers_too_large"},
      {"101 headers", many_headers, 431, "headers_too_large"},
      // Host
      {"no Host on HTTP/1.1", get(""), 400, "bad_request"},
      {"two Hosts", get(H + H), 400, "bad_request"},
      {"Host x:abc", get("Host: x:abc\r\n"), 400, "bad_request"},
      {"Host port too large", get("Host: x:99999\r\n"), 400, "bad_request"},
      {"Host empty port", get("Host: x:\r\n"), 400, "bad_request"},
      {"Host open bracket", get("Host: [::1\r\n"), 400, "bad_request"},
      {"Host with space", get("Host: a b\r\n"), 400, "bad_request"},
      {"Host with slash", get("Host: x/y\r\n"), 400, "bad_request"},
      {"Host with at", get("Host: user@x\r\n"), 400, "bad_request"},
      // Content-Length
      {"Content-Length -1", post("Content-Length: -1\r\n", ""), 400, "bad_request"},
      {"Content-Length +75", post("Content-Length: +75\r\n", ""), 400, "bad_request"},
      {"Content-Length list", post("Content-Length: 2, 2\r\n", "{}"), 400, "bad_request"},
      {"Content-Length abc", post("Content-Length: abc\r\n", ""), 400, "bad_request"},
      {"Content-Length empty", post("Content-Length:\r\n", ""), 400, "bad_request"},
      {"Content-Length hex", post("Content-Length: 0x10\r\n", ""), 400, "bad_request"},
      {"Content-Length 1.5", post("Content-Length: 1.5\r\n", ""), 400, "bad_request"},
      {"two equal Content-Lengths", post("Content-Length: 2\r\nContent-Length: 2\r\n", "{}"), 400, "bad_request"},
      {"two different Content-Lengths", post("Content-Length: 2\r\nContent-Length: 3\r\n", "{}"), 400, "bad_request"},
      {"Content-Length overflow", post("Content-Length: 99999999999999999999999\r\n", ""), 400, "bad_request"},
      {"Content-Length 4 GB", post("Content-Length: 4294967296\r\n", ""), 413, "body_too_large"},
      {"Content-Length 1 GB on GET", get(H + "Content-Length: 999999999\r\n"), 413, "body_too_large"},
      {"Content-Length over max-body", post("Content-Length: 65537\r\n", ""), 413, "body_too_large"},
      // Transfer-Encoding
      {"CL and TE", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400, "bad_request"},
      {"TE gzip", post("Transfer-Encoding: gzip\r\n", ""), 400, "bad_request"},
      {"TE chunked, gzip", post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400, "bad_request"},
      {"TE gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 400, "bad_request"},
      {"TE identity", post("Transfer-Encoding: identity\r\n", ""), 400, "bad_request"},
      {"two TEs", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400, "bad_request"},
      {"TE on HTTP/1.0", "POST /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"},
      {"chunk size not hex", post("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n"), 400, "bad_request"},
      {"chunk size overflow", post("Transfer-Encoding: chunked\r\n", "fffffffffffffffffff\r\n"), 400, "bad_request"},
      {"chunk without CRLF", post("Transfer-Encoding: chunked\r\n", "3\r\nabcX0\r\n\r\n"), 400, "bad_request"},
      {"chunked over max-body", big_chunks, 413, "body_too_large"},
      {"Expect other", post("Expect: 200-ok\r\nContent-Length: 2\r\n", "{}"), 417, "expectation_failed"},
      // what the API itself refuses, through the gate
      {"URI over max-uri", long_uri, 414, "uri_too_long", 414, "uri_too_long"},
      {"invalid UTF-8 in a path", "GET /v1/stops/%C0%AF HTTP/1.1\r\n" + H + "\r\n", 404, "unknown_stop", 404, "not_found"},
      {"duplicate query parameter", "GET /v1/stops?q=a&q=b HTTP/1.1\r\n" + H + "\r\n", 400, "duplicate_parameter", 404,
       "not_found"},  // the dispatcher has no /v1/stops
      {"duplicate query parameter, both servers", "GET /healthz?x=1&x=2 HTTP/1.1\r\n" + H + "\r\n", 400,
       "duplicate_parameter"},
      {"duplicate query parameter, on-demand API", "GET /v1/drt/info?lang=en&lang=ja HTTP/1.1\r\n" + H + "\r\n", 404,
       "not_found", 400, "duplicate_parameter"},  // the planner server runs without --db here
      {"unknown query parameter, on-demand API", "GET /v1/drt/info?x=1 HTTP/1.1\r\n" + H + "\r\n", 404, "not_found",
       400, "unknown_parameter"},
      {"Accept text/html", get(H + "Accept: text/html\r\n"), 406, "not_acceptable"},
      {"Accept both q=0", get(H + "Accept: application/json;q=0, application/x-protobuf;q=0\r\n"), 406, "not_acceptable"},
      {"method BREW", "BREW /healthz HTTP/1.1\r\n" + H + "\r\n", 405, "method_not_allowed"},
      {"POST healthz chunked", post("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), 405, "method_not_allowed"},
      // accepted as the RFC says
      {"plain GET", get(H), 200},
      {"HTTP/1.0 without Host", "GET /healthz HTTP/1.0\r\n\r\n", 200},
      {"absolute form", "GET http://x/healthz HTTP/1.1\r\n" + H + "\r\n", 200},
      {"empty lines before the request", "\r\n\r\nGET /healthz HTTP/1.1\r\n" + H + "\r\n", 200},
      {"lower-case names", "GET /healthz HTTP/1.1\r\nhost: x\r\naccept: application/json\r\n\r\n", 200},
      {"tabs around a value", get("Host:\tx \t\r\n"), 200},
      {"Host IPv6 with port", get("Host: [::1]:8080\r\n"), 200},
      {"Host IPv4 with port", get("Host: 127.0.0.1:80\r\n"), 200},
      {"Host empty", get("Host:\r\n"), 200},
      {"Accept with a trailing comma", get(H + "Accept: application/json,\r\n"), 200},
      {"Accept protobuf q=0", get(H + "Accept: application/x-protobuf;q=0, */*\r\n"), 200},
      {"Accept malformed q", get(H + "Accept: text/html;q=abc, application/json\r\n"), 200},
      {"Connection close", get(H + "Connection: close\r\n"), 200},
      {"HTTP/1.0 keep-alive", "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200},
      {"OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", 204},
      {"long method", std::string(100, 'A') + " /healthz HTTP/1.1\r\n" + H + "\r\n", 405, "method_not_allowed"},
      {"OPTIONS preflight", "OPTIONS /v1/plan HTTP/1.1\r\n" + H + "Origin: http://a\r\n\r\n", 204},
  };
}

void check_answer(raw_case const& c, std::vector<response> const& rs, int status, std::string const& code,
                  std::chrono::steady_clock::duration took) {
  INFO(c.name);
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].status == status);
  CHECK(took < 1s);
  if (status == 204) return;
  CHECK(nebuta::api_service::valid_utf8(rs[0].body));
  auto const j = json::parse(rs[0].body, nullptr, false);
  REQUIRE(!j.is_discarded());
  if (!code.empty()) {
    CHECK(j.value("code", "") == code);
    CHECK(!j.value("message", "").empty());
  }
  if (status >= 400 && (code == "bad_request" || code == "uri_too_long" || code == "headers_too_large" ||
                        code == "body_too_large" || code == "version_not_supported" || code == "expectation_failed")) {
    if (c.name != "URI over max-uri") CHECK(rs[0].headers.at("connection") == "close");
  }
}

void run_table(std::uint16_t port, bool dispatcher_server) {
  auto const cases = table();
  REQUIRE(cases.size() >= 80);
  for (auto const& c : cases) {
    auto const t0 = std::chrono::steady_clock::now();
    auto const rs = exchange(port, {c.bytes});
    auto const took = std::chrono::steady_clock::now() - t0;
    auto const status = dispatcher_server && c.dispatch_status != 0 ? c.dispatch_status : c.status;
    auto const code = dispatcher_server && c.dispatch_status != 0 ? c.dispatch_code : c.code;
    check_answer(c, rs, status, code, took);
    REQUIRE(healthy(port));
  }
}

// ------------------------------------------------------------------ framer alone

std::string const chunked_request =
    "POST /v1/plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    "7;ext=1\r\n{\"from\"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n";

// Feeds `pieces` and collects requests until need_more; the error if one occurs.
std::vector<framed_request> frame(std::vector<std::string_view> const& pieces, framing_error* err = nullptr,
                                  framing_limits lim = {}) {
  request_framer f{lim};
  std::vector<framed_request> out;
  for (auto const& p : pieces) {
    f.feed(p);
    for (;;) {
      framed_request r;
      framing_error e;
      auto const s = f.next(r, e);
      if (s == request_framer::state::need_more) break;
      if (s == request_framer::state::error) {
        if (err != nullptr) *err = e;
        return out;
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("gate framer: a chunked request split at every byte boundary", "[api][gate]") {
  auto const whole = frame({chunked_request});
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].body == "{\"from\": 1}");
  CHECK(whole[0].method == "POST");
  CHECK(whole[0].target == "/v1/plan");
  CHECK(*whole[0].header("content-type") == "application/json");
  std::string_view const all{chunked_request};
  for (std::size_t i = 1; i < all.size(); ++i) {
    INFO("split at " << i);
    auto const two = frame({all.substr(0, i), all.substr(i)});
    REQUIRE(two.size() == 1);
    CHECK(two[0].body == whole[0].body);
    for (std::size_t j = i + 1; j < all.size(); j += 7) {
      auto const three = frame({all.substr(0, i), all.substr(i, j - i), all.substr(j)});
      REQUIRE(three.size() == 1);
      CHECK(three[0].body == whole[0].body);
    }
  }
  // One byte at a time, twice in a row (pipelined).
  std::vector<std::string_view> bytes;
  auto const twice = chunked_request + chunked_request;
  for (std::size_t i = 0; i < twice.size(); ++i) bytes.push_back(std::string_view{twice}.substr(i, 1));
  auto const pipelined = frame(bytes);
  REQUIRE(pipelined.size() == 2);
  CHECK(pipelined[1].body == whole[0].body);
}

namespace {

// An independent, whole-buffer decoder of a chunked body (RFC 9112 7.1) for the split tests: the
// body, or nullopt when the coding is malformed. Extensions and trailers are skipped unchecked.
std::optional<std::string> reference_dechunk(std::string_view s) {
  std::string body;
  while (true) {
    auto const eol = s.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    auto const line = s.substr(0, eol);
    std::size_t n = 0;
    std::size_t size = 0;
    while (n < line.size() && std::isxdigit(static_cast<unsigned char>(line[n]))) {
      size = size * 16 + static_cast<std::size_t>(std::stoi(std::string{line[n]}, nullptr, 16));
      ++n;
    }
    if (n == 0) return std::nullopt;
    s.remove_prefix(eol + 2);
    if (size == 0) break;
    if (s.size() < size + 2 || s.substr(size, 2) != "\r\n") return std::nullopt;
    body += s.substr(0, size);
    s.remove_prefix(size + 2);
  }
  while (true) {  // trailer fields, then the empty line
    auto const eol = s.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    if (eol == 0) return body;
    s.remove_prefix(eol + 2);
  }
}

}  // namespace

TEST_CASE("gate framer: chunked bodies are the same for every split and for a re-presented buffer", "[api][gate]") {
  std::string const head = "POST /v1/plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::vector<std::string> const bodies = {
      "0\r\n\r\n",  // only the last chunk: libFuzzer's find, Beast asserted on "0\r\n" re-presented
      "0;a=b\r\n\r\n",
      "000\r\nT: 1\r\n\r\n",
      "1\r\nx\r\n0\r\n\r\n",
      "A\r\n0123456789\r\n0\r\n\r\n",
      "3 ; name = \"q\\\"uoted\"\r\nabc\r\n2;x\r\nde\r\n0\r\nA: b\r\nC: d\r\n\r\n",
      "00010\r\n0123456789abcdef\r\n0\r\n\r\n",
  };
  for (auto const& body : bodies) {
    auto const expected = reference_dechunk(body);
    REQUIRE(expected.has_value());
    auto const wire = head + body;
    for (std::size_t i = 0; i <= wire.size(); ++i) {
      for (std::size_t j = i; j <= wire.size(); ++j) {
        INFO("body " << body << " split at " << i << ", " << j);
        request_framer f;
        std::vector<framed_request> got;
        for (auto const piece : {std::string_view{wire}.substr(0, i), std::string_view{wire}.substr(i, j - i),
                                 std::string_view{wire}.substr(j)}) {
          f.feed(piece);
          // next() until need_more, then once more with nothing new: the framer must not assume
          // that a call follows new bytes.
          for (int extra = 0; extra < 2;) {
            framed_request r;
            framing_error e;
            auto const st = f.next(r, e);
            REQUIRE(st != request_framer::state::error);
            if (st == request_framer::state::request) {
              got.push_back(std::move(r));
            } else {
              ++extra;
            }
          }
        }
        REQUIRE(got.size() == 1);
        CHECK(got[0].body == *expected);
      }
    }
  }
  // What is malformed, the reference and the framer agree on (the framer checks more).
  struct bad_case {
    std::string body;
    int status;
  };
  std::vector<bad_case> const bad = {
      {"x\r\n\r\n", 400},
      {"\r\n\r\n", 400},
      {"3\r\nabcd\r\n0\r\n\r\n", 400},
      {"1;\r\nx\r\n0\r\n\r\n", 400},
      {"1;=\r\nx\r\n0\r\n\r\n", 400},
      {"1;a=\"x\r\nx\r\n0\r\n\r\n", 400},
      {"1\nx\r\n0\r\n\r\n", 400},
      {"0\r\nno colon\r\n\r\n", 400},
      {"0\r\n: v\r\n\r\n", 400},
      {"10000000000000000\r\n", 400},
      {"10001\r\n", 413},
      {std::string(2000, '0') + "\r\n\r\n", 400},  // a chunk-size line over 1 KiB
  };
  for (auto const& c : bad) {
    INFO("body " << c.body.substr(0, 40));
    framing_error e;
    CHECK(frame({head + c.body}, &e).empty());
    CHECK(e.status == c.status);
  }
  framing_limits small;
  small.max_header_bytes = 60;  // the header block (38 bytes) fits, the trailers (75) do not
  framing_error e;
  CHECK(frame({head + "0\r\n" + std::string{"A: 0123456789\r\n"} + "B: 0123456789\r\nC: 0123456789\r\n" +
               "D: 0123456789\r\nE: 0123456789\r\n\r\n"},
              &e, small)
            .empty());
  CHECK(e.status == 431);
}

TEST_CASE("gate framer: limits are kept without buffering more than was sent", "[api][gate]") {
  framing_error e;
  framing_limits lim;
  lim.max_body = 10;
  CHECK(frame({"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n"}, &e, lim).empty());
  CHECK(e.status == 413);
  auto const ok = frame({"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"}, &e, lim);
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].body == "0123456789");
  // A request line growing byte by byte is refused as soon as it passes the limit.
  request_framer f{framing_limits{}};
  framed_request r;
  std::string line = "GET /";
  f.feed(line);
  std::size_t fed = line.size();
  auto s = f.next(r, e);
  while (s == request_framer::state::need_more) {
    f.feed("a");
    ++fed;
    s = f.next(r, e);
  }
  CHECK(s == request_framer::state::error);
  CHECK(e.status == 414);
  CHECK(fed == 8193);
  // keep-alive defaults
  auto const ka =
      frame({"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: "
             "Keep-Alive, Close\r\n\r\n"});
  REQUIRE(ka.size() == 3);
  CHECK(ka[0].keep_alive);
  CHECK_FALSE(ka[1].keep_alive);
  CHECK_FALSE(ka[2].keep_alive);
}

TEST_CASE("gate: a table of raw requests on the planner server", "[api][gate]") { run_table(planner().port(), false); }

TEST_CASE("gate: the same table on nebuta dispatch", "[api][gate]") { run_table(dispatcher().port, true); }

TEST_CASE("gate: chunked requests split at every byte boundary over the socket, and at the 4,096-byte read",
          "[api][gate]") {
  auto const port = planner().port();
  std::string const req = "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
  for (std::size_t i = 1; i < req.size(); ++i) {
    INFO("split at " << i);
    auto const rs = exchange(port, {req.substr(0, i), req.substr(i)}, 1, 15ms);
    REQUIRE(rs.size() == 1);
    CHECK(rs[0].status == 405);
  }
  // The chunk-size line straddles the first 4,096 bytes the transport reads.
  for (std::size_t at : {4094U, 4095U, 4096U, 4097U}) {
    std::string head = "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Pad: ";
    auto const base = head.size() + 4;  // "\r\n\r\n"
    head += std::string(at - base, 'p') + "\r\n\r\n";
    auto const r = head + "10\r\n0123456789abcdef\r\n0\r\n\r\n";
    INFO("size line at " << at);
    auto const rs = exchange(port, {r.substr(0, at + 1), r.substr(at + 1)}, 1, 100ms);
    REQUIRE(rs.size() == 1);
    CHECK(rs[0].status == 405);
  }
  // No worker is left spinning: the process is idle afterwards.
  rusage before{}, after{};
  ::getrusage(RUSAGE_SELF, &before);
  std::this_thread::sleep_for(1s);
  ::getrusage(RUSAGE_SELF, &after);
  auto const cpu = [](rusage const& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  };
  CHECK(cpu(after) - cpu(before) < 0.2);
  CHECK(healthy(port));
}

TEST_CASE("gate: pipelined requests are answered in order", "[api][gate]") {
  auto const port = planner().port();
  for (std::size_t n : {3U, 100U, 1000U}) {
    std::string bytes;
    for (std::size_t i = 0; i < n; ++i) {
      bytes += i % 2 == 0 ? "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                          : "GET /v1/stops/no" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }
    auto const rs = exchange(port, {bytes}, n, 0ms, 20s);
    INFO(n << " pipelined requests");
    REQUIRE(rs.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 2 == 0) {
        CHECK(rs[i].status == 200);
      } else {
        CHECK(rs[i].status == 404);
        CHECK(rs[i].body.find("no" + std::to_string(i) + "'") != std::string::npos);
      }
    }
  }
}

TEST_CASE("gate: slow clients are dropped by the deadlines, idle keep-alive is kept", "[api][gate]") {
  auto const port = planner().port();  // header and body timeouts of 1 s
  bool closed = false;
  auto const t0 = std::chrono::steady_clock::now();
  // slowloris: a header line that never ends
  auto const rs = exchange(port, {"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a"}, 1, 0ms, 5s, &closed);
  CHECK(rs.empty());
  CHECK(closed);
  CHECK(std::chrono::steady_clock::now() - t0 < 2500ms);
  // a body that stops arriving
  auto const body =
      exchange(port, {"POST /v1/plan HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"}, 1, 0ms, 5s, &closed);
  CHECK(body.empty());
  CHECK(closed);
  // an idle keep-alive connection stays open past the header timeout and is served again
  auto const fd = connect_to(port);
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(1500ms);
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string data;
  auto const deadline = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < deadline && parse_responses(data).size() < 2) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[4096];
    auto const n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  CHECK(parse_responses(data).size() == 2);
  // Expect: 100-continue gets its interim answer before the body is sent.
  auto const c = connect_to(port);
  send_all(c, "POST /healthz HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  pollfd p{c, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 1000) == 1);
  char buf[256];
  auto const n = ::recv(c, buf, sizeof(buf), 0);
  REQUIRE(n > 0);
  CHECK(std::string(buf, static_cast<std::size_t>(n)).starts_with("HTTP/1.1 100 Continue\r\n\r\n"));
  ::close(c);
  CHECK(healthy(port));
}

TEST_CASE("gate: 1,100 slow connections at an open-file limit of 1,024 do not lock out fresh clients", "[api][gate]") {
  rlimit own{};
  ::getrlimit(RLIMIT_NOFILE, &own);
  auto raised = own;  // the test process itself needs 1,300 descriptors
  raised.rlim_cur = std::max<rlim_t>(own.rlim_cur, 1300);
  raised.rlim_max = std::max<rlim_t>(own.rlim_max, raised.rlim_cur);
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &raised) == 0);
  child_server server{{"serve", "--feed", NEBUTA_SOURCE_DIR "/data/sample", "--threads", "2"}, 1024};
  std::vector<int> slow;
  for (int i = 0; i < 1100; ++i) {
    try {
      auto const fd = connect_to(server.port);
      send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      slow.push_back(fd);
    } catch (std::exception const&) {
      break;
    }
  }
  CHECK(slow.size() == 1100);
  std::this_thread::sleep_for(1200ms);  // so that the slow ones are the oldest when fresh ones come
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    auto const t0 = std::chrono::steady_clock::now();
    auto const rs = exchange(server.port, {"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"});
    if (rs.size() == 1 && rs[0].status == 200 && std::chrono::steady_clock::now() - t0 < 1s) ++ok;
  }
  CHECK(ok == 20);
  // The server process is not spinning on accept.
  auto const stat = nebuta::test::read_file("/proc/" + std::to_string(server.pid) + "/stat");
  auto const fields_at = stat.rfind(')') + 2;
  std::istringstream in{stat.substr(fields_at)};
  std::vector<std::string> f{std::istream_iterator<std::string>{in}, {}};
  auto const cpu0 = std::stol(f[11]) + std::stol(f[12]);
  std::this_thread::sleep_for(1s);
  auto const stat2 = nebuta::test::read_file("/proc/" + std::to_string(server.pid) + "/stat");
  std::istringstream in2{stat2.substr(stat2.rfind(')') + 2)};
  std::vector<std::string> f2{std::istream_iterator<std::string>{in2}, {}};
  auto const cpu1 = std::stol(f2[11]) + std::stol(f2[12]);
  CHECK(cpu1 - cpu0 < 30);  // clock ticks (100/s): under 30 % of one core
  for (auto const fd : slow) ::close(fd);
  ::setrlimit(RLIMIT_NOFILE, &own);
}

TEST_CASE("gate: plans are rate-limited per client address, X-Forwarded-For only from a trusted proxy", "[api][gate]") {
  child_server server{{"serve", "--feed", NEBUTA_SOURCE_DIR "/data/sample", "--rate-limit", "2", "--rate-burst", "3",
                       "--rate-limit-loopback", "--trusted-proxy", "127.0.0.1"}};
  auto const plan = [&](std::string const& xff) {
    auto const extra = xff.empty() ? std::string{} : "X-Forwarded-For: " + xff + "\r\n";
    auto const rs = exchange(server.port, {"GET /v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=09:45 "
                                           "HTTP/1.1\r\nHost: x\r\n" +
                                           extra + "\r\n"});
    REQUIRE(rs.size() == 1);
    return rs[0];
  };
  for (int i = 0; i < 3; ++i) CHECK(plan("203.0.113.7").status == 200);
  auto const limited = plan("203.0.113.7");
  CHECK(limited.status == 429);
  CHECK(!limited.headers.at("retry-after").empty());
  CHECK(json::parse(limited.body).value("code", "") == "rate_limited");
  // The limit follows the route, not the spelling of the path.
  auto const encoded =
      exchange(server.port, {"GET /v1/%70lan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08"
                             "&depart=09:45 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n"});
  REQUIRE(encoded.size() == 1);
  CHECK(encoded[0].status == 429);
  CHECK(plan("198.51.100.1, 203.0.113.8").status == 200);  // another client behind the proxy
  CHECK(exchange(server.port, {"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"})[0].status == 200);  // not limited
  std::this_thread::sleep_for(600ms);
  CHECK(plan("203.0.113.7").status == 200);  // refilled at 2/s
}

// Issue 4 ended blocked on what Debian's Pistache 0.0.5 answered itself, before any handler of
// ours: a negative Content-Length (plain-text 500) and bodies over 1 MiB (plain-text 413). Its
// parser no longer sees a byte: both are our JSON answers, and a 1.5 MiB body that --max-body
// allows reaches our body parser.
TEST_CASE("gate: issue 4's gap, Pistache's own answers, is closed", "[api][gate]") {
  child_server server{{"serve", "--feed", NEBUTA_SOURCE_DIR "/data/sample", "--max-body", "2097152"}};
  auto const negative = exchange(server.port, {"POST /v1/plan HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"});
  REQUIRE(negative.size() == 1);
  CHECK(negative[0].status == 400);
  CHECK(negative[0].headers.at("content-type") == "application/json");
  CHECK(json::parse(negative[0].body).value("code", "") == "bad_request");

  std::string const big(1536 * 1024, ' ');  // 1.5 MiB: not JSON, so our parser answers 400
  auto const large = exchange(server.port,
                              {"POST /v1/plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                                   std::to_string(big.size()) + "\r\n\r\n",
                               big},
                              1, 0ms, 5000ms);
  REQUIRE(large.size() == 1);
  CHECK(large[0].status == 400);
  CHECK(large[0].headers.at("content-type") == "application/json");
  CHECK(json::parse(large[0].body).value("code", "") == "malformed_body");

  // Over --max-body: our 413, as JSON, before the body is read.
  auto const over = exchange(server.port, {"POST /v1/plan HTTP/1.1\r\nHost: x\r\nContent-Length: 3000000\r\n\r\n"});
  REQUIRE(over.size() == 1);
  CHECK(over[0].status == 413);
  CHECK(json::parse(over[0].body).value("code", "") == "body_too_large");
  CHECK(healthy(server.port));
}

// Long (70 s; hidden: `api_http_gate_test "[long]"`): keep-alive connections in use for longer
// than Pistache's own default header timeout (60 s) are never closed under the gate. Before the
// gate set Pistache's timeouts beyond reach, Pistache closed every connection after 60 s without
// telling the gate, whose reaper then shut down the descriptors' next owners (the 10-minute soak
// saw 42,347 read errors).
TEST_CASE("gate: keep-alive connections outlive Pistache's own timeouts", "[.][long][api][gate]") {
  auto const port = planner().port();
  constexpr int n = 8;
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) fds.push_back(connect_to(port));
  auto const deadline = std::chrono::steady_clock::now() + 70s;
  int rounds = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    for (auto const fd : fds) {
      send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      std::string data;
      for (;;) {
        pollfd p{fd, POLLIN, 0};
        REQUIRE(::poll(&p, 1, 1000) == 1);
        char buf[4096];
        auto const got = ::recv(fd, buf, sizeof buf, 0);
        REQUIRE(got > 0);  // never closed by the server
        data.append(buf, static_cast<std::size_t>(got));
        if (parse_responses(data).size() == 1) break;
      }
      CHECK(parse_responses(data)[0].status == 200);
    }
    ++rounds;
    std::this_thread::sleep_for(1s);
  }
  CHECK(rounds >= 60);
  for (auto const fd : fds) ::close(fd);
}
