// Inside the scenario reader: what its parts share (schema.cc: the JSON helpers, the scenario
// file and its fleet; demand.cc: demand CSV and generator; travel.cc: the travel model;
// sweep.cc: sweep keys, runs and the sweep runner). Not installed.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebuta/io/json_path.h"
#include "nebuta/sim/demand.h"
#include "nebuta/sim_io/scenario_file.h"

namespace nebuta::sim_io::detail {

using json = nlohmann::json;
namespace fs = std::filesystem;

[[noreturn]] void raise_scenario_error(std::string const& message);

// Where a value sits, for messages: "scenario.json: demand.generate.origins.zones[2].radius_m".
using where = io::json_path;

// --- JSON values (schema.cc) ---
void only_keys(json const& o, where const& w, std::initializer_list<char const*> allowed);
double number(json const& o, char const* k, double def, where const& w, double lo = -1e300, double hi = 1e300);
double number_value(json const& v, where const& w);
std::string string_of(json const& o, char const* k, std::string def, where const& w);
// "HH:MM", "HH:MM:SS" (hours may exceed 23) or integer seconds.
seconds_t time_of(json const& v, where const& w);
latlon latlon_of(json const& v, where const& w);
fs::path resolve(fs::path const& base, std::string const& p);
std::string read_file(fs::path const& p, std::string const& what);

// --- the fleet (schema.cc) ---
void drop_unusable_meeting_points(dispatch::rules& r);
std::vector<dispatch::vehicle_spec> generate_fleet(fleet_generator const& g);

// --- demand (demand.cc) ---
std::vector<sim::trip_request> load_demand_csv(fs::path const& p, std::vector<std::string>& warnings);
sim::demand_model generator_of(json const& g, fs::path const& base, where const& w, json& echo);

}  // namespace nebuta::sim_io::detail
