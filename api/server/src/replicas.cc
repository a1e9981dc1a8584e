#include "replicas.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

namespace nebuta::api_server {

namespace {

using steady = std::chrono::steady_clock;

struct replica {
  pid_t pid{-1};
  steady::time_point started;
};

}  // namespace

std::optional<unsigned> fork_replicas(unsigned n, char const* who) {
  // SIGCHLD joins the blocked signals, so that the parent's sigwait learns of a replica's end.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto const parent = ::getpid();
  std::vector<replica> replicas(n);
  // True in the new replica.
  auto const spawn = [&](unsigned i) {
    auto const pid = ::fork();
    if (pid < 0) throw std::runtime_error{"cannot fork a replica"};
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::raise(SIGTERM);  // the parent died before prctl
      sigset_t chld;
      sigemptyset(&chld);
      sigaddset(&chld, SIGCHLD);
      pthread_sigmask(SIG_UNBLOCK, &chld, nullptr);
      return true;
    }
    replicas[i] = {pid, steady::now()};
    std::fprintf(stderr, "%s: replica %u is process %d\n", who, i, static_cast<int>(pid));
    return false;
  };
  for (unsigned i = 0; i < n; ++i) {
    if (spawn(i)) return i;
  }
  for (;;) {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGCHLD) {
      std::fprintf(stderr, "%s: signal %d, draining the replicas\n", who, sig);
      for (auto const& r : replicas) ::kill(r.pid, SIGTERM);
      for (auto const& r : replicas) ::waitpid(r.pid, nullptr, 0);
      return std::nullopt;
    }
    int status = 0;
    for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
      for (unsigned i = 0; i < n; ++i) {
        if (replicas[i].pid != pid) continue;
        auto const code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::fprintf(stderr, "%s: replica %u (process %d) ended (%d); forking it again\n", who, i,
                     static_cast<int>(pid), code);
        // A replica that cannot live a second is not forked in a tight loop.
        if (steady::now() - replicas[i].started < std::chrono::seconds{1})
          std::this_thread::sleep_for(std::chrono::seconds{1});
        if (spawn(i)) return i;
      }
    }
  }
}

}  // namespace nebuta::api_server
