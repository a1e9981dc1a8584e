// A PostgreSQL cluster of the test's own: `initdb` in a temporary folder, `pg_ctl start` on a free
// loopback port with its unix socket in that folder, `pg_ctl stop` at the end. The server binaries
// come from the Debian package (/usr/lib/postgresql/<version>/bin, the highest version found;
// NEBUTA_PG_BIN overrides). When they are absent the test returns early with a visible warning;
// under CI=true it fails instead (like shared_data.h). As root (containers), the server runs as
// the `postgres` user (else `nobody`): PostgreSQL refuses to run as root.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shared_data.h"
#include "temp_dir.h"

namespace nebuta::test {

// The folder of initdb and pg_ctl (empty: not installed).
inline std::filesystem::path postgres_bin_dir() {
  namespace fs = std::filesystem;
  auto const usable = [](fs::path const& d) { return fs::exists(d / "initdb") && fs::exists(d / "pg_ctl"); };
  if (auto const* env = std::getenv("NEBUTA_PG_BIN")) return usable(env) ? fs::path{env} : fs::path{};
  std::error_code ec;
  std::vector<std::pair<int, fs::path>> found;
  for (auto const& e : fs::directory_iterator{"/usr/lib/postgresql", ec}) {
    auto const name = e.path().filename().string();
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        usable(e.path() / "bin"))
      found.emplace_back(std::stoi(name), e.path() / "bin");
  }
  if (found.empty()) return {};
  return std::max_element(found.begin(), found.end())->second;
}

class pg_cluster {
 public:
  pg_cluster() : dir_{"pg"} {
    bin_ = postgres_bin_dir();
    if (bin_.empty()) {
      if (running_in_ci()) FAIL("PostgreSQL server binaries (initdb, pg_ctl) missing under CI=true");
      WARN("SKIPPED: PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin) not found");
      return;
    }
    if (::geteuid() == 0) {
      auto const* pw = ::getpwnam("postgres");
      if (pw == nullptr) pw = ::getpwnam("nobody");
      REQUIRE(pw != nullptr);
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      REQUIRE(::chown(dir_.path.c_str(), uid_, gid_) == 0);
    }
    data_ = dir_.path / "data";
    REQUIRE(run({(bin_ / "initdb").string(), "-D", data_.string(), "-U", "nebuta", "-A", "trust", "-E", "UTF8",
                 "--locale=C", "--no-sync"}) == 0);
    for (int attempt = 0; attempt < 5 && !started_; ++attempt) {
      port_ = free_port();
      auto const options = "-p " + std::to_string(port_) + " -k " + dir_.path.string() +
                           " -c listen_addresses=127.0.0.1 -c max_connections=100";
      started_ = run({(bin_ / "pg_ctl").string(), "-D", data_.string(), "-l", (dir_.path / "server.log").string(), "-w",
                      "-t", "60", "-o", options, "start"}) == 0;
    }
    if (!started_) FAIL("PostgreSQL did not start; see " << (dir_.path / "server.log") << ":\n" << log());
  }
  ~pg_cluster() {
    if (started_) (void)run({(bin_ / "pg_ctl").string(), "-D", data_.string(), "-m", "immediate", "-w", "stop"});
  }
  pg_cluster(pg_cluster const&) = delete;
  pg_cluster& operator=(pg_cluster const&) = delete;

  bool available() const { return started_; }
  std::uint16_t port() const { return port_; }
  // A libpq URI of the cluster's `postgres` database over TCP on the loopback.
  std::string uri() const { return "postgresql://nebuta@127.0.0.1:" + std::to_string(port_) + "/postgres"; }
  std::string log() const { return read_file(dir_.path / "server.log"); }

 private:
  // Runs a server binary (as the unprivileged user when root), its output into the folder's log.
  int run(std::vector<std::string> const& args) const {
    auto const child = ::fork();
    if (child < 0) return -1;
    if (child == 0) {
      auto const out = (dir_.path / "ctl.log").string();
      auto const fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      if (::geteuid() == 0 && (::setgid(gid_) != 0 || ::setuid(uid_) != 0)) ::_exit(126);
      std::vector<char*> argv;
      for (auto const& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }

  static std::uint16_t free_port() {
    auto const fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    auto const ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    ::close(fd);
    return ok ? ntohs(a.sin_port) : 0;
  }

  temp_dir dir_;
  std::filesystem::path bin_, data_;
  uid_t uid_{0};
  gid_t gid_{0};
  std::uint16_t port_{0};
  bool started_{false};
};

// One cluster for the whole test process, started on first use (nullptr: not available, reported).
inline pg_cluster* shared_pg_cluster() {
  static std::unique_ptr<pg_cluster> cluster = [] {
    auto c = std::make_unique<pg_cluster>();
    return c;
  }();
  return cluster->available() ? cluster.get() : nullptr;
}

}  // namespace nebuta::test
