// `nebuta serve`: registers itself on the CLI app.
#pragma once

#include <CLI/CLI.hpp>

#include "nebuta/api_server/server.h"

namespace nebuta::api_server {

// The HTTP gate's options (limits, deadlines, connection and rate limits), shared by `nebuta
// serve` and `nebuta dispatch`.
void add_http_options(CLI::App& cmd, server_config& cfg);
// One line on stderr about a finished drain (http_server::drain).
void report_drain(char const* who, http_server::drain_result const& d);

void register_serve(CLI::App& app);

}  // namespace nebuta::api_server
