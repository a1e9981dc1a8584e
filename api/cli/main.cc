#include <exception>
#include <iostream>

#include "commands.h"
#include "nebuta/api_server/serve_command.h"

int main(int argc, char** argv) {
  CLI::App app{"nebuta: journey planning and on-demand dispatch over GTFS / GTFS-JP"};
  app.require_subcommand(1);
  nebuta::cli::register_inspect(app);
  nebuta::cli::register_import(app);
  nebuta::cli::register_plan(app);
  nebuta::cli::register_report(app);
  nebuta::api_server::register_serve(app);
  nebuta::cli::register_dispatch(app);
  nebuta::cli::register_simulate(app);
  nebuta::cli::register_rt_simulate(app);
  nebuta::cli::register_flex_info(app);
  nebuta::cli::register_accessibility(app);
  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    return app.exit(e);
  } catch (std::exception const& e) {
    std::cerr << "nebuta: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
