// `nebuta inspect`: what a feed (or snapshot) contains, when it runs, and what was wrong with it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "commands.h"

namespace nebuta::cli {
namespace {

std::string iso_date(date_t d) {
  std::chrono::year_month_day const ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

struct summary {
  load_stats rows;
  std::size_t raptor_routes{0};
  std::optional<date_t> service_start, service_end, busiest_day;
  std::uint64_t busiest_trips{0};
  std::vector<std::string> languages;
  std::map<std::string, std::uint64_t> warnings;
};

summary summarise(timetable const& tt) {
  summary s;
  for (auto const& f : tt.feed_stats) {
    s.rows.agencies += f.agencies, s.rows.stops += f.stops, s.rows.routes += f.routes;
    s.rows.trips += f.trips, s.rows.stop_times += f.stop_times;
  }
  s.raptor_routes = tt.n_routes();
  // Service range = first and last day with at least one active trip.
  std::vector<std::uint8_t> used(tt.n_bitfields(), 0);
  for (auto const b : tt.trip_service) used[b.v()] = 1;
  std::vector<std::uint64_t> trips_per_bitfield(tt.n_bitfields(), 0);
  for (auto const b : tt.trip_service) ++trips_per_bitfield[b.v()];
  for (std::int64_t day = 0; day < static_cast<std::int64_t>(tt.n_days); ++day) {
    std::uint64_t n = 0;
    for (auto b = bitfield_idx{0}; b.v() < tt.n_bitfields(); ++b) {
      if (trips_per_bitfield[b.v()] != 0 && tt.active(b, day)) n += trips_per_bitfield[b.v()];
    }
    if (n == 0) continue;
    auto const d = tt.first_date + std::chrono::days{day};
    if (!s.service_start) s.service_start = d;
    s.service_end = d;
    if (n > s.busiest_trips) s.busiest_trips = n, s.busiest_day = d;
  }
  for (auto const l : tt.languages) s.languages.emplace_back(tt.strings[l]);
  for (auto const& w : tt.warnings) s.warnings[std::string{tt.strings[w.kind]}] += w.count;
  return s;
}

void print_text(timetable const& tt, summary const& s, api::loaded_timetable const& loaded) {
  std::cout << "feeds:          ";
  for (auto f = feed_idx{0}; f.v() < tt.n_feeds(); ++f)
    std::cout << (f.v() ? ", " : "") << tt.strings[tt.feed_names[f]];
  std::cout << "\nagencies:       " << s.rows.agencies;
  for (auto a = agency_idx{0}; a.v() < tt.n_agencies(); ++a) {
    std::cout << (a.v() ? ", " : " (") << tt.text(tt.agency_names[a]);
  }
  std::cout << (tt.n_agencies() ? ")" : "") << "\nstops:          " << s.rows.stops
            << "\nroutes:         " << s.rows.routes << "\nraptor routes:  " << s.raptor_routes
            << "\ntrips:          " << s.rows.trips << " (" << tt.n_trips() << " compiled, frequencies expanded)"
            << "\nstop_times:     " << s.rows.stop_times << " (" << tt.n_stop_times() << " compiled)"
            << "\nservice:        " << (s.service_start ? iso_date(*s.service_start) : "none") << " – "
            << (s.service_end ? iso_date(*s.service_end) : "none")
            << "\nbusiest day:    " << (s.busiest_day ? iso_date(*s.busiest_day) : "none") << " (" << s.busiest_trips
            << " trips)\nlanguages:      ";
  for (std::size_t i = 0; i < s.languages.size(); ++i) std::cout << (i ? ", " : "") << s.languages[i];
  std::cout << "\nwarnings:       ";
  if (s.warnings.empty()) std::cout << "none";
  auto first = true;
  for (auto const& [kind, n] : s.warnings) std::cout << (first ? "" : ", ") << kind << " " << n, first = false;
  std::cout << "\nloaded in:      " << loaded.load_seconds << " s" << (loaded.from_snapshot ? " (snapshot)" : "") << "\n";
  for (auto const& sec : loaded.sections)
    std::cout << "stored index:   " << sec.name << ", " << sec.bytes.size() << " bytes\n";
}

nlohmann::json to_json(timetable const& tt, summary const& s, api::loaded_timetable const& loaded) {
  nlohmann::json j;
  j["feeds"] = nlohmann::json::array();
  for (auto f = feed_idx{0}; f.v() < tt.n_feeds(); ++f) {
    auto const& r = tt.feed_stats[f];
    j["feeds"].push_back({{"name", tt.strings[tt.feed_names[f]]},
                          {"agencies", r.agencies},
                          {"stops", r.stops},
                          {"routes", r.routes},
                          {"trips", r.trips},
                          {"stop_times", r.stop_times}});
  }
  j["agencies"] = s.rows.agencies;
  j["stops"] = s.rows.stops;
  j["routes"] = s.rows.routes;
  j["trips"] = s.rows.trips;
  j["stop_times"] = s.rows.stop_times;
  j["raptor_routes"] = s.raptor_routes;
  j["compiled_trips"] = tt.n_trips();
  j["compiled_stop_times"] = tt.n_stop_times();
  j["service_start"] = s.service_start ? nlohmann::json(iso_date(*s.service_start)) : nlohmann::json();
  j["service_end"] = s.service_end ? nlohmann::json(iso_date(*s.service_end)) : nlohmann::json();
  j["busiest_day"] = s.busiest_day ? nlohmann::json(iso_date(*s.busiest_day)) : nlohmann::json();
  j["busiest_day_trips"] = s.busiest_trips;
  j["languages"] = s.languages;
  j["warnings"] = nlohmann::json::object();
  for (auto const& [kind, n] : s.warnings) j["warnings"][kind] = n;
  j["load_seconds"] = loaded.load_seconds;
  j["from_snapshot"] = loaded.from_snapshot;
  j["snapshot_sections"] = nlohmann::json::array();
  for (auto const& sec : loaded.sections)
    j["snapshot_sections"].push_back({{"name", sec.name}, {"bytes", sec.bytes.size()}});
  return j;
}

}  // namespace

void register_inspect(CLI::App& app) {
  struct options {
    api::timetable_source src;
    std::string format{"text"};
    bool validate{false};
  };
  auto opt = std::make_shared<options>();
  auto* cmd = app.add_subcommand("inspect", "summarise feeds: counts, service dates, languages, warnings");
  add_timetable_options(*cmd, opt->src);
  cmd->add_option("--format", opt->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--validate", opt->validate, "list every problem with file:line");
  cmd->callback([opt] {
    auto const loaded = api::load_timetable(opt->src);
    auto const s = summarise(loaded.tt);
    if (opt->format == "json") {
      auto j = to_json(loaded.tt, s, loaded);
      if (opt->validate) {
        j["problems"] = nlohmann::json::array();
        for (auto const& p : loaded.problems) {
          j["problems"].push_back({{"file", p.file}, {"line", p.line}, {"kind", p.kind}, {"message", p.message}});
        }
      }
      std::cout << j.dump(2) << "\n";
    } else {
      print_text(loaded.tt, s, loaded);
      if (opt->validate) {
        if (loaded.from_snapshot) std::cout << "(a snapshot keeps warning counts, not the problem list)\n";
        for (auto const& p : loaded.problems) std::cout << p.to_string() << "\n";
      }
    }
  });
}

}  // namespace nebuta::cli
