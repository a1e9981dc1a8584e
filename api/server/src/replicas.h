// `nebuta serve --replicas N` (docs/deployment.md): the timetable is loaded and indexed once, then
// N replica processes are forked from it. They share its memory copy-on-write (the timetable is
// immutable, so its pages stay shared), each listens on its own port, and a replica that dies is
// forked again from the loaded image.
#pragma once

#include <optional>

namespace nebuta::api_server {

// Call with SIGINT and SIGTERM blocked (block_shutdown_signals) and before any thread starts.
// In each replica: returns its index (0..n-1). In the supervising parent: forks the replicas,
// forks a replica again when it ends, and on SIGTERM or SIGINT sends SIGTERM to every replica
// (each drains) and waits for them; then returns nullopt. A replica gets SIGTERM when the parent
// dies.
std::optional<unsigned> fork_replicas(unsigned n, char const* who);

}  // namespace nebuta::api_server
