// Planner replicas behind the shipped nginx configuration (deploy/nginx.conf, docs/deployment.md):
// three `nebuta serve --snapshot` processes and an nginx of our own (temporary prefix, loopback
// ports, the shipped file as its template). During 20 s of plan queries from several client
// threads one replica is SIGKILLed and another SIGTERMed: no client request may fail, every
// answer must equal the answer a replica gives directly, the drained replica must exit 0 within
// its bound, and the replicas must see the client's X-Forwarded-For address. Then `serve
// --replicas`: replicas forked from one load, a killed one forked again, all drained on SIGTERM. (The replicas'
// per-client rate limit is off: every query of the test comes from that one address.)
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run_nebuta.h"
#include "server_client.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nebuta::test::free_port;
using nebuta::test::http_get;

// The nginx binary (Debian installs it in /usr/sbin, often not on a user's PATH), or empty.
std::string find_nginx() {
  std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/sbin";
  std::stringstream dirs{path};
  for (std::string d; std::getline(dirs, d, ':');) {
    if (d.empty()) continue;
    auto const p = fs::path{d} / "nginx";
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return {};
}

// A child process with stdout and stderr in `log`; stopped if still running at scope exit
// (`stop_signal`, then SIGKILL after 5 s: nginx's master takes its workers down on SIGTERM).
struct child {
  pid_t pid{-1};
  fs::path log;
  int stop_signal{SIGKILL};
  child(std::vector<std::string> argv, fs::path log_file, int stop = SIGKILL)
      : log{std::move(log_file)}, stop_signal{stop} {
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto const fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~child() {
    if (pid <= 0) return;
    ::kill(pid, stop_signal);
    if (stop_signal != SIGKILL && wait_exit(5s)) return;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  child(child const&) = delete;
  child& operator=(child const&) = delete;
  // The exit status once the process has ended within `bound`, else nullopt.
  std::optional<int> wait_exit(std::chrono::milliseconds bound) {
    auto const deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }
};

bool answers(std::uint16_t port, std::string const& target, int status) {
  try {
    return http_get(port, target).status == status;
  } catch (std::exception const&) {
    return false;
  }
}

bool bindable(std::uint16_t port) {
  auto const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto const ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// deploy/nginx.conf made runnable in `prefix`: files of `# @path` lines moved into it, the
// `# @listen` port, the `# @replica` lines replaced by `ports` (same parameters).
std::string nginx_config(std::string const& shipped, fs::path const& prefix, std::uint16_t listen,
                         std::vector<std::uint16_t> const& ports) {
  std::stringstream in{shipped};
  std::string out;
  bool replicas_written = false;
  std::size_t replaced = 0;
  for (std::string line; std::getline(in, line);) {
    auto const marker = line.rfind("# @");
    auto const tag = marker == std::string::npos ? std::string{} : line.substr(marker + 3);
    if (tag == "path") {
      auto const slash = line.find(" /");
      auto const end = line.find_first_of(" ;", slash + 1);
      REQUIRE(slash != std::string::npos);
      auto const file = fs::path{line.substr(slash + 1, end - slash - 1)}.filename();
      line = line.substr(0, slash + 1) + (prefix / file).string() + line.substr(end);
      ++replaced;
    } else if (tag == "listen") {
      line = "    listen 127.0.0.1:" + std::to_string(listen) + ";";
      ++replaced;
    } else if (tag == "replica") {
      ++replaced;
      if (replicas_written) continue;
      replicas_written = true;
      auto const addr = line.find("127.0.0.1:");
      auto const params = line.find(' ', addr);
      REQUIRE(addr != std::string::npos);
      auto const indent = line.substr(0, line.find("server"));
      auto const rest = line.substr(params, marker - params);
      for (auto const p : ports) out += indent + "server 127.0.0.1:" + std::to_string(p) + rest + "\n";
      continue;
    }
    out += line + "\n";
  }
  // The template's markers: 3 files of the main context and 6 of http, listen, 3 replicas.
  REQUIRE(replaced == 12);
  return out;
}

}  // namespace

TEST_CASE("three replicas behind the shipped nginx.conf: a SIGKILL and a SIGTERM under load fail no request",
          "[deploy][nginx]") {
  auto const nginx = find_nginx();
  if (nginx.empty()) {
    if (nebuta::test::running_in_ci()) FAIL("nginx is not installed (scripts/install-deps.sh installs it)");
    WARN("SKIPPED: nginx is not installed (apt-get install nginx, or scripts/install-deps.sh)");
    return;
  }
  nebuta::test::temp_dir dir{"replicas"};
  // nginx's workers run as www-data when the test runs as root: they must reach the prefix.
  fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
  auto const snapshot = dir.path / "tt.snapshot";
  auto const import =
      nebuta::test::run_nebuta("import --feed " + nebuta::test::shell_quote(NEBUTA_SOURCE_DIR "/data/sample") + " -o " +
                               nebuta::test::shell_quote(snapshot.string()));
  REQUIRE(import.exit_code == 0);

  std::string const bin = NEBUTA_BINARY_DIR "/api/nebuta";
  std::vector<std::uint16_t> ports;
  std::vector<std::unique_ptr<child>> replicas;
  for (int i = 0; i < 3; ++i) {
    ports.push_back(free_port());
    replicas.push_back(std::make_unique<child>(
        std::vector<std::string>{bin, "serve", "--snapshot", snapshot.string(), "--address", "127.0.0.1", "--port",
                                 std::to_string(ports.back()), "--threads", "2", "--trusted-proxy", "127.0.0.1",
                                 "--drain-timeout", "5000", "--rate-limit", "0"},
        dir.path / ("replica" + std::to_string(i) + ".log")));
  }
  for (std::size_t i = 0; i < 3; ++i) {
    auto const deadline = std::chrono::steady_clock::now() + 60s;
    while (!answers(ports[i], "/readyz", 200)) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(50ms);
    }
  }

  auto const listen = free_port();
  auto const conf = dir.write("nginx.conf", nginx_config(nebuta::test::read_file(NEBUTA_SOURCE_DIR "/deploy/nginx.conf"),
                                                         dir.path, listen, ports));
  child proxy{{nginx, "-p", dir.path.string() + "/", "-c", conf.string(), "-e", (dir.path / "startup.log").string(),
               "-g", "daemon off;"},
              dir.path / "nginx.out",
              SIGTERM};
  {
    auto const deadline = std::chrono::steady_clock::now() + 20s;
    while (!answers(listen, "/readyz", 200)) {
      INFO(nebuta::test::read_file(dir.path / "nebuta-error.log") << nebuta::test::read_file(dir.path / "nginx.out"));
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(50ms);
    }
  }

  // The queries and their answers straight from a replica (the same snapshot everywhere).
  std::vector<std::string> targets;
  for (auto const* depart : {"07:10", "09:45", "12:30", "17:05"}) {
    targets.push_back(std::string{"/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart="} + depart);
    targets.push_back(std::string{"/v1/plan?from=tanesashi_kaigan&to=hachinohe&date=2026-04-08&depart="} + depart);
  }
  std::map<std::string, std::string> expected;
  for (auto const& t : targets) {
    auto const r = http_get(ports[2], t);
    REQUIRE(r.status == 200);
    REQUIRE(r.body.find("\"journeys\":[{") != std::string::npos);  // a real journey, not an empty answer
    expected[t] = r.body;
  }

  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> ok{0}, ok_after_kills{0};
  std::atomic<bool> kills_done{false};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (std::size_t i = static_cast<std::size_t>(c); !stop.load(); ++i) {
        auto const& t = targets[i % targets.size()];
        std::string failure;
        try {
          auto const r = http_get(listen, t, "X-Forwarded-For: 203.0.113.7\r\n");
          if (r.status != 200) failure = "status " + std::to_string(r.status) + " " + r.body.substr(0, 200);
          else if (r.body != expected[t]) failure = "a different answer";
        } catch (std::exception const& e) {
          failure = e.what();
        }
        if (!failure.empty()) {
          std::lock_guard const lock{failures_mutex};
          failures.push_back(t + ": " + failure);
        } else {
          ok.fetch_add(1);
          if (kills_done.load()) ok_after_kills.fetch_add(1);
        }
      }
    });
  }
  auto const t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(5s);
  ::kill(replicas[0]->pid, SIGKILL);
  REQUIRE(replicas[0]->wait_exit(5s) == 128 + SIGKILL);
  auto const ok_at_kill = ok.load();
  std::this_thread::sleep_for(5s);
  ::kill(replicas[1]->pid, SIGTERM);
  auto const drained = replicas[1]->wait_exit(8s);  // --drain-timeout 5000, plus the exit
  kills_done.store(true);
  auto const ok_at_term = ok.load();
  std::this_thread::sleep_until(t0 + 20s);
  stop.store(true);
  for (auto& t : clients) t.join();

  INFO("answered: " << ok.load() << " (" << ok_at_kill << " before the SIGKILL, " << ok_at_term
                    << " before the drained replica exited, " << ok_after_kills.load() << " after)");
  {
    std::lock_guard const lock{failures_mutex};
    INFO("first failure: " << (failures.empty() ? std::string{} : failures.front()));
    CHECK(failures.empty());
  }
  CHECK(drained == 0);
  auto const drain_log = nebuta::test::read_file(replicas[1]->log);
  CHECK(drain_log.find("draining") != std::string::npos);
  CHECK(drain_log.find("drained in") != std::string::npos);
  // Load ran through both events and on to the end, on the surviving replica.
  CHECK(ok_at_kill > 20);
  CHECK(ok_at_term > ok_at_kill);
  CHECK(ok_after_kills.load() > 20);
  CHECK(answers(listen, targets[0], 200));
  // X-Forwarded-For reached the replicas: their access log names the client nginx was told of.
  CHECK(nebuta::test::read_file(replicas[2]->log).find("203.0.113.7 \"GET /v1/plan") != std::string::npos);
  ::kill(proxy.pid, SIGQUIT);  // nginx's graceful stop
  CHECK(proxy.wait_exit(10s) == 0);
}

TEST_CASE("serve --replicas forks replicas from one load, forks a killed one again, drains all on SIGTERM",
          "[deploy][replicas]") {
  nebuta::test::temp_dir dir{"forked"};
  auto const snapshot = dir.path / "tt.snapshot";
  REQUIRE(nebuta::test::run_nebuta("import --feed " + nebuta::test::shell_quote(NEBUTA_SOURCE_DIR "/data/sample") +
                                   " -o " + nebuta::test::shell_quote(snapshot.string()))
              .exit_code == 0);
  // A free port whose next one is free too (the replicas listen on port and port + 1).
  std::uint16_t base = 0;
  for (int attempt = 0; attempt < 50 && base == 0; ++attempt) {
    auto const p = free_port();
    if (p < 65535 && bindable(static_cast<std::uint16_t>(p + 1))) base = p;
  }
  REQUIRE(base != 0);
  std::string const bin = NEBUTA_BINARY_DIR "/api/nebuta";
  child supervisor{{bin, "serve", "--snapshot", snapshot.string(), "--address", "127.0.0.1", "--port",
                    std::to_string(base), "--replicas", "2", "--threads", "1", "--quiet", "--drain-timeout", "3000"},
                   dir.path / "serve.log",
                   SIGTERM};
  auto const wait_ready = [&](std::uint16_t port) {
    auto const deadline = std::chrono::steady_clock::now() + 60s;
    while (!answers(port, "/readyz", 200)) {
      INFO(nebuta::test::read_file(supervisor.log));
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(50ms);
    }
  };
  wait_ready(base);
  wait_ready(static_cast<std::uint16_t>(base + 1));
  // The replicas' process ids, from the supervisor's log.
  auto const replica_pids = [&] {
    std::map<int, pid_t> pids;
    std::stringstream log{nebuta::test::read_file(supervisor.log)};
    for (std::string line; std::getline(log, line);) {
      int i = 0, pid = 0;
      if (std::sscanf(line.c_str(), "nebuta serve: replica %d is process %d", &i, &pid) == 2) pids[i] = pid;
    }
    return pids;
  };
  auto const before = replica_pids();
  REQUIRE(before.size() == 2);
  CHECK(before.at(0) != supervisor.pid);
  std::string const plan = "/v1/plan?from=hachinohe&to=tanesashi_kaigan&date=2026-04-08&depart=09:45";
  auto const a = http_get(base, plan), b = http_get(static_cast<std::uint16_t>(base + 1), plan);
  CHECK(a.status == 200);
  CHECK(a.body == b.body);

  ::kill(before.at(1), SIGKILL);
  {
    auto const deadline = std::chrono::steady_clock::now() + 10s;
    while (replica_pids().at(1) == before.at(1)) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(20ms);
    }
  }
  wait_ready(static_cast<std::uint16_t>(base + 1));
  CHECK(http_get(static_cast<std::uint16_t>(base + 1), plan).body == a.body);
  auto const after = replica_pids();
  CHECK(after.at(0) == before.at(0));

  ::kill(supervisor.pid, SIGTERM);
  CHECK(supervisor.wait_exit(10s) == 0);
  for (auto const& [i, pid] : after) CHECK(::kill(pid, 0) != 0);  // every replica is gone
  CHECK_FALSE(answers(base, "/healthz", 200));
  CHECK(nebuta::test::read_file(supervisor.log).find("drained in") != std::string::npos);
}
