// Scenario files of `nebuta simulate` (JSON; schema in docs/simulation.md) turned into sim::scenario, the
// sweep keys that vary it, the travel model it names, and the "scenario as run" JSON written next
// to the results.
//
// Error policy: an unreadable file, invalid JSON, an unknown key, a value of the wrong type or
// out of range throws scenario_error "file: key.path: reason" (a scenario must be right; half a
// scenario is worse than none). Rows of a demand or fleet CSV are different: a bad row is
// reported as "file:line: reason" in `warnings`, skipped and counted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebuta/road/travel_model.h"
#include "nebuta/sim/scenario.h"
#include "nebuta/sim/simulation.h"

namespace nebuta::sim_io {

struct scenario_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A fleet given as a count, regenerated for every fleet size of a sweep.
struct fleet_generator {
  int count{0};
  std::uint16_t seats{4};
  std::uint16_t wheelchair_spaces{0};
  int wheelchair_vehicles{-1};                          // the first n vehicles get wheelchair_spaces (-1: all of them)
  std::vector<latlon> depots;                           // vehicle i uses depot i mod |depots|
  std::vector<std::pair<seconds_t, seconds_t>> shifts;  // vehicle i uses shift i mod |shifts|
};

struct travel_spec {
  std::string model{"straight_line"};  // or "osm"
  double detour_factor{1.3};
  double speed_kmh{30.0};
  std::filesystem::path osm_path;  // absolute
  double speed_factor{1.0};
};

// The timetable requests are also planned on (the fixed-route alternative, sim/transit.h).
struct transit_spec {
  std::vector<std::string> feeds;  // absolute paths (or NAME=PATH, as nebuta plan --feed)
  date_t first_date{};             // simulated day 1
  seconds_t max_duration_s{10'800};
  double walk_radius_m{400.0}, max_walk_m{400.0}, walk_speed_mps{1.2};
  bool currency_given{false};  // costs.currency was in the file (else: the feed's)
};

struct scenario_file {
  std::filesystem::path file;
  sim::scenario base;                             // fleet filled in
  std::optional<fleet_generator> fleet_gen;       // else the fleet came from a CSV
  std::vector<dispatch::vehicle_spec> fleet_csv;  // every vehicle of the CSV
  travel_spec travel;
  std::optional<transit_spec> transit;
  // "kind": "journeys": the demand is door-to-door journeys the MaaS planner plans (sim/journeys.h),
  // with these settings (the rules' "intermodal" object).
  std::optional<intermodal::settings> journeys;
  nlohmann::json echo;                // the scenario with defaults filled in, paths absolute
  std::vector<std::string> warnings;  // skipped CSV rows, "file:line: reason"
};

scenario_file load_scenario(std::filesystem::path const& file);

// --- sweeps ---
struct sweep_axis {
  std::string key;
  std::vector<double> values;
  std::vector<std::string> labels;  // values as written to sweep.csv
};

// "key=a..b:step" (inclusive) or "key=v1,v2,...". Throws scenario_error for an unknown key, a
// malformed range, a non-integer value of an integer key, or more than 10,000 values.
sweep_axis parse_sweep(std::string const& text);
std::vector<std::string> const& sweepable_keys();

struct run_setup {
  sim::scenario sc;
  nlohmann::json echo;  // scenario.json of this run
};
// The base scenario with `overrides` (sweep key, value) applied, and the seed if given.
run_setup make_run(scenario_file const& f, std::vector<std::pair<std::string, double>> const& overrides,
                   std::optional<std::uint64_t> seed);

// --- travel model ---
// The model the scenario names. For OSM, a table (sim::matrix_model) between the meeting points
// near the service area and every depot answers most questions without a search; answers are
// the road network's own either way. Shared read-only by every run of a sweep.
struct travel_models {
  std::unique_ptr<road::travel_model> base;
  std::unique_ptr<road::travel_model> table;
  road::travel_model const& model() const { return table ? *table : *base; }
};
travel_models load_travel_model(scenario_file const& f, std::function<void(std::string const&)> const& stage = {});

// --- the timetable of the fixed-route alternative and of the bus lines ---
struct transit_network;  // the loaded timetable and its planner index
struct transit_handle {
  std::unique_ptr<transit_network> net;
  transit_handle();
  transit_handle(transit_handle&&) noexcept;
  transit_handle& operator=(transit_handle&&) noexcept;
  ~transit_handle();
  explicit operator bool() const { return net != nullptr; }
  // Sets opt.transit_index / opt.transit when a timetable is loaded, and opt.journeys for a
  // journeys scenario.
  void attach(sim::sim_options& opt) const;
  // dir/network.json: the routes running on the simulated date and the main stations (the
  // report's base layer; docs/report.md). Nothing without a timetable.
  void write_network(std::filesystem::path const& dir) const;
};
// Loads the scenario's transit feeds (none: an empty handle); with them, measures f.base.bus on
// the timetable and, unless the file gave costs.currency, takes the feed's fare currency. Throws
// scenario_error (a route id not in the feed, a date outside it, an unreadable feed).
transit_handle load_transit(scenario_file& f, std::function<void(std::string const&)> const& stage = {});

}  // namespace nebuta::sim_io
