// `nebuta serve`: registers itself on the CLI app.
#pragma once

#include <CLI/CLI.hpp>

namespace nebuta::api_server {

void register_serve(CLI::App& app);

}  // namespace nebuta::api_server
