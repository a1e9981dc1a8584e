// `nebuta flex-info FEED`: what a GTFS-Flex feed describes (zones, location groups, booking
// rules, flex trips and their windows) and what could not be read, by kind (--validate: each
// problem with file:line). Reads through feeds/gtfs_flex; see docs/flex.md.
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nebuta/gtfs_flex/reader.h"

namespace nebuta::cli {
namespace {

struct flex_counts {
  std::size_t zones, groups, group_stops, booking_rules, trips, windows, time_windows, problems;
};

flex_counts count(gtfs_flex::result const& r) {
  auto const& m = r.model;
  return {m.zones.size(), m.groups.size(),  r.group_stops,      m.booking_rules.size(),
          m.trips.size(), m.windows.size(), m.n_time_windows(), r.problems.size()};
}

void print_text(gtfs_flex::result const& r, flex_counts const& c, bool validate) {
  std::cout << "zones:           " << c.zones << "\nlocation groups: " << c.groups << " (" << c.group_stops
            << " stops)\nbooking rules:   " << c.booking_rules << "\nflex trips:      " << c.trips
            << "\nwindows:         " << c.windows << " (" << c.time_windows << " pickup/drop-off windows, "
            << c.windows - c.time_windows << " timed stops)\nproblems:        " << c.problems;
  auto first = true;
  for (auto const& [kind, n] : r.problem_counts) std::cout << (first ? " (" : ", ") << kind << " " << n, first = false;
  std::cout << (first ? "" : ")") << "\n";
  if (!r.unknown_geometries.empty()) {
    std::cout << "skipped geometry:";
    for (auto const& [type, n] : r.unknown_geometries) std::cout << " " << type << " " << n;
    std::cout << "\n";
  }
  if (validate) {
    for (auto const& p : r.problems) std::cout << p.to_string() << "\n";
  }
}

nlohmann::json to_json(gtfs_flex::result const& r, flex_counts const& c, bool validate) {
  nlohmann::json j{{"zones", c.zones},
                   {"location_groups", c.groups},
                   {"location_group_stops", c.group_stops},
                   {"booking_rules", c.booking_rules},
                   {"flex_trips", c.trips},
                   {"windows", c.windows},
                   {"time_windows", c.time_windows},
                   {"problems", c.problems}};
  j["problem_counts"] = r.problem_counts;
  j["unknown_geometries"] = r.unknown_geometries;
  if (validate) {
    j["problem_list"] = nlohmann::json::array();
    for (auto const& p : r.problems) {
      j["problem_list"].push_back({{"file", p.file}, {"line", p.line}, {"kind", p.kind}, {"message", p.message}});
    }
  }
  return j;
}

}  // namespace

void register_flex_info(CLI::App& app) {
  struct options {
    std::string feed, format{"text"};
    bool validate{false};
  };
  auto opt = std::make_shared<options>();
  auto* cmd =
      app.add_subcommand("flex-info", "GTFS-Flex v2: zones, location groups, booking rules, flex trips, problems");
  cmd->add_option("feed", opt->feed, "GTFS-Flex feed folder or .zip")->required();
  cmd->add_option("--format", opt->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--validate", opt->validate, "list every problem with file:line");
  cmd->callback([opt] {
    auto const r = gtfs_flex::read(std::filesystem::path{opt->feed});
    auto const c = count(r);
    if (opt->format == "json") {
      std::cout << to_json(r, c, opt->validate).dump(2) << "\n";
    } else {
      print_text(r, c, opt->validate);
    }
  });
}

}  // namespace nebuta::cli
