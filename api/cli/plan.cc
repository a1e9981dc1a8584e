// `nebuta plan`: journeys between two stops or coordinates, one query or a batch from CSV.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/raptor/router.h"

namespace nebuta::cli {
namespace {

struct plan_options {
  api::timetable_source src;
  std::string date, from, to, depart, arrive, window, lang{"en"}, format{"text"}, queries;
  bool wheelchair{false}, literal{false};
  unsigned max_legs{8};
  std::optional<double> walk_radius;
  double walk_speed{1.2};
  std::optional<seconds_t> transfer_slack;
};

std::string clock_time(seconds_t t) {
  auto const day = t >= 0 ? t / seconds_per_day : -((-t + seconds_per_day - 1) / seconds_per_day);
  auto const s = t - day * seconds_per_day;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%02d:%02d", s / 3600, (s / 60) % 60);
  std::string out{buf};
  if (day > 0) out += " (+" + std::to_string(day) + (day == 1 ? " day)" : " days)");
  if (day < 0) out += " (" + std::to_string(day) + (day == -1 ? " day)" : " days)");
  return out;
}

std::string iso_local(date_t date, seconds_t t) {
  auto const day = static_cast<int>(std::floor(static_cast<double>(t) / seconds_per_day));
  std::chrono::year_month_day const ymd{date + std::chrono::days{day}};
  auto const s = t - day * seconds_per_day;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

seconds_t parse_clock(std::string const& s, char const* what) {
  auto v = gtfs::parse_time(s);
  if (!v) v = gtfs::parse_time(s + ":00");
  if (!v) throw std::runtime_error{std::string{what} + " must be HH:MM, got '" + s + "'"};
  return *v;
}

seconds_t parse_duration(std::string const& s) {
  // 2h, 90m, 45min, 3600s, 1h30m, or HH:MM
  if (s.find(':') != std::string::npos) return parse_clock(s, "--window");
  seconds_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i) throw std::runtime_error{"--window must look like 2h, 90m or 1h30m, got '" + s + "'"};
    auto const n = std::stoi(s.substr(i, j - i));
    std::size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    auto const unit = s.substr(j, k - j);
    if (unit == "h") total += n * 3600;
    else if (unit == "m" || unit == "min" || unit.empty()) total += n * 60;
    else if (unit == "s") total += n;
    else throw std::runtime_error{"unknown unit '" + unit + "' in --window"};
    i = k;
  }
  return total;
}

date_t parse_iso_date(std::string const& s) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    if (auto d = gtfs::parse_date(s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2))) return *d;
  }
  throw std::runtime_error{"--date must be YYYY-MM-DD, got '" + s + "'"};
}

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A place given on the command line: a coordinate, a stop id, or a stop name in any language.
// A name may stand for several stops (a station's platforms): all are tried.
struct resolved_place {
  std::vector<raptor::place> candidates;
  std::string label;
};

resolved_place resolve_place(timetable const& tt, std::string const& arg, std::span<std::string const> chain) {
  resolved_place out;
  double lat = 0.0, lon = 0.0;
  char tail = 0;
  if (std::sscanf(arg.c_str(), "%lf,%lf%c", &lat, &lon, &tail) == 2) {
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw std::runtime_error{"coordinate out of range: " + arg};
    out.candidates.push_back(raptor::place::at_coord({lat, lon}));
    out.label = arg;
    return out;
  }
  auto const add_stop = [&](stop_idx s) {
    if (tt.stop_location_type[s] == 1) {
      for (auto const c : tt.stop_children[s]) {
        if (tt.stop_location_type[c] == 0) out.candidates.push_back(raptor::place::at_stop(c));
      }
    } else {
      out.candidates.push_back(raptor::place::at_stop(s));
    }
  };
  if (auto s = tt.find_stop(arg)) {
    add_stop(*s);
    out.label = std::string{tt.text(tt.stop_names[*s], chain)};
    if (out.candidates.empty()) throw std::runtime_error{"stop '" + arg + "' has no platforms with service"};
    return out;
  }
  auto const wanted = lower_ascii(arg);
  std::vector<stop_idx> matches;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    auto const name = tt.stop_names[s];
    auto hit = lower_ascii(tt.text(name)) == wanted;
    for (auto const& tr : tt.text_translations[name]) hit = hit || lower_ascii(tt.strings[tr.value]) == wanted;
    if (hit) matches.push_back(s);
  }
  if (matches.empty()) throw std::runtime_error{"no stop with id or name '" + arg + "'"};
  // Unambiguous when every match is one station, its platforms, or stops sharing one name.
  auto const station_of = [&](stop_idx s) { return tt.stop_parent[s].valid() ? tt.stop_parent[s] : s; };
  auto const same_station = std::all_of(matches.begin(), matches.end(),
                                        [&](stop_idx s) { return station_of(s) == station_of(matches.front()); });
  auto const same_name = std::all_of(matches.begin(), matches.end(), [&](stop_idx s) {
    return tt.text(tt.stop_names[s]) == tt.text(tt.stop_names[matches.front()]);
  });
  if (!same_station && !same_name) {
    std::string msg = "'" + arg + "' is ambiguous; use a stop id:";
    for (auto const s : matches) msg += " " + tt.external_stop_id(s);
    throw std::runtime_error{msg};
  }
  for (auto const s : matches) add_stop(s);
  std::sort(out.candidates.begin(), out.candidates.end(), [](auto const& a, auto const& b) { return a.stop < b.stop; });
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end(),
                                   [](auto const& a, auto const& b) { return a.stop == b.stop; }),
                       out.candidates.end());
  out.label = std::string{tt.text(tt.stop_names[matches.front()], chain)};
  return out;
}

raptor::options router_options(plan_options const& o, timetable const& tt) {
  raptor::options opt;
  opt.max_legs = o.max_legs;
  opt.gtfs_literal = o.literal;
  opt.wheelchair = o.wheelchair;
  opt.walk_speed_mps = o.walk_speed;
  opt.walk_radius_m = o.walk_radius.value_or(o.literal ? 0.0 : 400.0);
  if (opt.walk_radius_m > tt.walk_link_radius_m + 1e-6) {
    throw std::runtime_error{"--walk-radius " + std::to_string(static_cast<int>(opt.walk_radius_m)) +
                             " exceeds the precomputed walking links (" +
                             std::to_string(static_cast<int>(tt.walk_link_radius_m)) +
                             " m); load with a larger --walk-links"};
  }
  if (o.literal) {
    opt.transfer_slack_s = o.transfer_slack.value_or(0);
  } else if (o.transfer_slack) {
    opt.default_min_change_s = *o.transfer_slack;
  }
  if (o.max_legs > raptor::max_legs_limit) {
    throw std::runtime_error{"--max-legs must be at most " + std::to_string(raptor::max_legs_limit)};
  }
  return opt;
}

// Pareto-optimal journeys over every pair of candidate origin and destination stops.
std::vector<raptor::journey> plan_once(raptor::router& r, resolved_place const& from, resolved_place const& to,
                                       date_t date, seconds_t t, bool arrive_by, raptor::options const& opt) {
  std::vector<raptor::journey> all;
  for (auto const& o : from.candidates) {
    for (auto const& d : to.candidates) {
      auto const res = arrive_by ? r.latest_departure(o, d, date, t, opt) : r.earliest_arrival(o, d, date, t, opt);
      if (!res.reachable) continue;
      for (auto const& p : res.pareto) {
        raptor::journey j;
        if (r.reconstruct(p.legs, j)) all.push_back(std::move(j));
      }
    }
  }
  // Keep what no other journey dominates: it departs no earlier, arrives no later, with no more
  // rides. (Several candidate stops of one station often give the same journey with a walk added.)
  auto const dominates = [](raptor::journey const& a, raptor::journey const& b) {
    return a.arrival <= b.arrival && a.departure >= b.departure && a.rides <= b.rides;
  };
  std::vector<raptor::journey> kept;
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto dominated = false;
    for (std::size_t k = 0; k < all.size() && !dominated; ++k) {
      if (k == i || !dominates(all[k], all[i])) continue;
      auto const equal = dominates(all[i], all[k]);
      dominated = !equal || k < i;  // of equal journeys keep the first
    }
    if (!dominated) kept.push_back(all[i]);
  }
  std::sort(kept.begin(), kept.end(), [](auto const& a, auto const& b) { return a.rides < b.rides; });
  return kept;
}

std::string stop_label(timetable const& tt, stop_idx s, std::span<std::string const> chain, std::string const& fallback) {
  if (!s.valid()) return fallback;
  std::string out{tt.text(tt.stop_names[s], chain)};
  auto const platform = tt.strings[tt.stop_platform_codes[s]];
  if (!platform.empty()) out += " [" + std::string{platform} + "]";
  return out;
}

std::string line_label(timetable const& tt, line_idx l, std::span<std::string const> chain) {
  auto const short_name = tt.text(tt.line_short_names[l], chain);
  auto const long_name = tt.text(tt.line_long_names[l], chain);
  if (!short_name.empty() && !long_name.empty()) return std::string{short_name} + " " + std::string{long_name};
  return std::string{short_name.empty() ? long_name : short_name};
}

std::string headsign(timetable const& tt, raptor::leg const& leg, std::span<std::string const> chain) {
  auto const stop_headsigns = tt.trip_stop_headsigns[leg.trip];
  if (!stop_headsigns.empty()) {
    auto const h = tt.text(stop_headsigns[leg.board_pos], chain);
    if (!h.empty()) return std::string{h};
  }
  return std::string{tt.text(tt.trip_headsigns[leg.trip], chain)};
}

nlohmann::json journey_json(timetable const& tt, raptor::journey const& j, date_t date,
                            std::span<std::string const> chain, std::string const& from_label,
                            std::string const& to_label) {
  nlohmann::json legs = nlohmann::json::array();
  std::vector<raptor::stop_visit> visits;
  for (auto const& leg : j.legs) {
    nlohmann::json l;
    auto const place_json = [&](stop_idx s, seconds_t t, std::string const& fallback) {
      nlohmann::json p{{"name", stop_label(tt, s, chain, fallback)}, {"time", iso_local(date, t)}, {"seconds", t}};
      if (s.valid()) {
        p["stop_id"] = tt.external_stop_id(s);
        p["name"] = std::string{tt.text(tt.stop_names[s], chain)};
        p["platform_code"] = std::string{tt.strings[tt.stop_platform_codes[s]]};
        p["lat"] = tt.stop_coords[s].lat;
        p["lon"] = tt.stop_coords[s].lon;
      }
      return p;
    };
    l["from"] = place_json(leg.from, leg.start, from_label);
    l["to"] = place_json(leg.to, leg.end, to_label);
    l["duration_s"] = leg.end - leg.start;
    if (leg.kind == raptor::leg_kind::walk) {
      l["mode"] = "walk";
      l["distance_m"] = std::lround(leg.distance_m);
    } else {
      auto const line = tt.trip_line[leg.trip];
      l["mode"] = "ride";
      l["route_type"] = tt.line_types[line];
      l["route_id"] = tt.external_line_id(line);
      l["route_short_name"] = std::string{tt.text(tt.line_short_names[line], chain)};
      l["route_long_name"] = std::string{tt.text(tt.line_long_names[line], chain)};
      if (tt.line_agency[line].valid()) l["agency"] = std::string{tt.text(tt.agency_names[tt.line_agency[line]], chain)};
      l["headsign"] = headsign(tt, leg, chain);
      l["trip_id"] = tt.external_trip_id(leg.trip);
      l["intermediate_stops"] = nlohmann::json::array();
      raptor::ride_stops(tt, leg, visits);
      for (auto const& v : visits) {
        l["intermediate_stops"].push_back({{"stop_id", tt.external_stop_id(v.stop)},
                                           {"name", std::string{tt.text(tt.stop_names[v.stop], chain)}},
                                           {"arrival", iso_local(date, v.arrival)},
                                           {"departure", iso_local(date, v.departure)}});
      }
    }
    legs.push_back(std::move(l));
  }
  return {{"departure", iso_local(date, j.departure)}, {"arrival", iso_local(date, j.arrival)},
          {"departure_seconds", j.departure}, {"arrival_seconds", j.arrival},
          {"duration_s", j.arrival - j.departure}, {"rides", j.rides}, {"legs", legs}};
}

void print_journey_text(timetable const& tt, raptor::journey const& j, std::span<std::string const> chain,
                        std::string const& from_label, std::string const& to_label) {
  auto const minutes = (j.arrival - j.departure + 59) / 60;
  std::cout << "  depart " << clock_time(j.departure) << ", arrive " << clock_time(j.arrival) << ", " << minutes
            << " min, " << j.rides << (j.rides == 1 ? " ride\n" : " rides\n");
  for (auto const& leg : j.legs) {
    auto const from = stop_label(tt, leg.from, chain, from_label);
    auto const to = stop_label(tt, leg.to, chain, to_label);
    if (leg.kind == raptor::leg_kind::walk) {
      std::cout << "    " << clock_time(leg.start) << "  walk " << (leg.end - leg.start + 59) / 60 << " min";
      if (leg.distance_m > 0) std::cout << " (" << std::lround(leg.distance_m) << " m)";
      std::cout << "  " << from << " → " << to << "\n";
    } else {
      auto const line = tt.trip_line[leg.trip];
      std::cout << "    " << clock_time(leg.start) << "  " << from << "  " << line_label(tt, line, chain) << " → "
                << headsign(tt, leg, chain) << "\n"
                << "    " << clock_time(leg.end) << "  " << to << "\n";
    }
  }
}

void run_batch(plan_options const& o, timetable const& tt, raptor::options const& opt, date_t date) {
  std::ifstream in{o.queries, std::ios::binary};
  if (!in) throw std::runtime_error{"cannot open " + o.queries};
  std::string const data{std::istreambuf_iterator<char>{in}, {}};
  gtfs::string_arena arena;
  gtfs::csv_reader csv{data, arena};
  std::vector<std::string_view> fields;
  std::uint32_t line = 0;
  if (csv.next(fields, line) != gtfs::csv_status::row) throw std::runtime_error{o.queries + ": empty file"};
  auto const col = [&](std::string_view name) {
    auto const it = std::find(fields.begin(), fields.end(), name);
    if (it == fields.end()) throw std::runtime_error{o.queries + ": missing column " + std::string{name}};
    return static_cast<std::size_t>(it - fields.begin());
  };
  auto const id_col = col("id"), from_col = col("from_stop"), to_col = col("to_stop"), dep_col = col("departure");
  auto const n_cols = fields.size();
  raptor::router router{tt};
  std::vector<double> latencies;
  std::string out = "id,arrival,legs\n";
  auto const wall_start = std::chrono::steady_clock::now();
  while (csv.next(fields, line) == gtfs::csv_status::row) {
    if (fields.size() < n_cols) {
      std::cerr << o.queries << ":" << line << ": too few fields, skipped\n";
      continue;
    }
    auto const dep = gtfs::parse_int<seconds_t>(fields[dep_col]);
    if (!dep) {
      std::cerr << o.queries << ":" << line << ": bad departure '" << fields[dep_col] << "', skipped\n";
      continue;
    }
    auto const from = tt.find_stop(fields[from_col]);
    auto const to = tt.find_stop(fields[to_col]);
    out += std::string{fields[id_col]} + ",";
    if (from && to) {
      auto const t0 = std::chrono::steady_clock::now();
      auto const res = router.earliest_arrival(raptor::place::at_stop(*from), raptor::place::at_stop(*to), date, *dep, opt);
      latencies.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      if (res.reachable) out += std::to_string(res.time) + "," + std::to_string(res.legs);
      else out += ",";
    } else {
      out += ",";
    }
    out += "\n";
  }
  auto const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::cout << out;
  std::sort(latencies.begin(), latencies.end());
  auto const pct = [&](double p) {
    return latencies.empty() ? 0.0 : latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
  };
  double sum = 0;
  for (auto const v : latencies) sum += v;
  std::fprintf(stderr, "queries: %zu  p50: %.1f us  p90: %.1f us  p99: %.1f us  max: %.1f us  %.0f queries/s (%.0f incl. I/O)\n",
               latencies.size(), pct(0.5), pct(0.9), pct(0.99), latencies.empty() ? 0.0 : latencies.back(),
               sum > 0 ? static_cast<double>(latencies.size()) / (sum / 1e6) : 0.0,
               wall > 0 ? static_cast<double>(latencies.size()) / wall : 0.0);
}

void run_plan(plan_options const& o) {
  auto const date = parse_iso_date(o.date);
  auto const loaded = api::load_timetable(o.src);
  auto const& tt = loaded.tt;
  auto const opt = router_options(o, tt);
  if (!tt.day_of(date)) {
    std::cerr << "nebuta: warning: " << o.date << " is outside the timetable's service dates\n";
  }
  if (!o.queries.empty()) return run_batch(o, tt, opt, date);

  if (o.from.empty() || o.to.empty()) throw std::runtime_error{"--from and --to are required (or --queries)"};
  if (o.depart.empty() == o.arrive.empty()) throw std::runtime_error{"give exactly one of --depart and --arrive"};
  std::vector<std::string> chain;
  std::stringstream langs{o.lang};
  for (std::string l; std::getline(langs, l, ',');) if (!l.empty()) chain.push_back(l);
  for (auto const* fallback : {"ja-Hrkt", "ja"}) {
    if (std::find(chain.begin(), chain.end(), fallback) == chain.end()) chain.emplace_back(fallback);
  }
  auto const from = resolve_place(tt, o.from, chain);
  auto const to = resolve_place(tt, o.to, chain);
  auto const arrive_by = !o.arrive.empty();
  auto const t = parse_clock(arrive_by ? o.arrive : o.depart, arrive_by ? "--arrive" : "--depart");
  raptor::router router{tt};

  std::vector<raptor::journey> journeys;
  if (!o.window.empty()) {
    if (arrive_by) throw std::runtime_error{"--window goes with --depart"};
    auto const window = parse_duration(o.window);
    if (window <= 0 || window > 24 * 3600) throw std::runtime_error{"--window must be between 1 minute and 24 h"};
    std::vector<raptor::range_entry> entries;
    for (auto const& f : from.candidates) {
      for (auto const& d : to.candidates) {
        router.range(f, d, date, t, t + window, opt, entries);
        for (auto const& e : entries) {
          auto const res = router.earliest_arrival(f, d, date, e.departure, opt);
          raptor::journey j;
          if (res.reachable && router.reconstruct(e.legs, j) && j.arrival == e.arrival) journeys.push_back(std::move(j));
        }
      }
    }
    std::sort(journeys.begin(), journeys.end(), [](auto const& a, auto const& b) {
      return std::tie(a.departure, a.arrival, a.rides) < std::tie(b.departure, b.arrival, b.rides);
    });
  } else {
    journeys = plan_once(router, from, to, date, t, arrive_by, opt);
  }

  if (o.format == "json") {
    nlohmann::json j{{"from", from.label}, {"to", to.label}, {"date", o.date}, {"journeys", nlohmann::json::array()}};
    for (auto const& jr : journeys) j["journeys"].push_back(journey_json(tt, jr, date, chain, from.label, to.label));
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << from.label << " → " << to.label << ", " << o.date << ", "
            << (arrive_by ? "arrive by " : "depart ") << clock_time(t) << "\n";
  if (journeys.empty()) {
    std::cout << "  no route\n";
    return;
  }
  for (std::size_t i = 0; i < journeys.size(); ++i) {
    std::cout << "journey " << i + 1 << ":\n";
    print_journey_text(tt, journeys[i], chain, from.label, to.label);
  }
}

}  // namespace

void register_plan(CLI::App& app) {
  auto o = std::make_shared<plan_options>();
  auto* cmd = app.add_subcommand("plan", "plan journeys (earliest arrival, arrive-by, range) on a timetable");
  add_timetable_options(*cmd, o->src);
  cmd->add_option("--date", o->date, "service date YYYY-MM-DD")->required();
  cmd->add_option("--from", o->from, "origin: stop id, stop name or LAT,LON");
  cmd->add_option("--to", o->to, "destination: stop id, stop name or LAT,LON");
  cmd->add_option("--depart", o->depart, "departure time HH:MM");
  cmd->add_option("--arrive", o->arrive, "arrive by HH:MM");
  cmd->add_option("--window", o->window, "range query: every Pareto-optimal journey departing within, e.g. 2h");
  cmd->add_option("--lang", o->lang, "language of names, e.g. en, ja, ja-Hrkt, zh-Hans, ko (comma-separated chain)")
      ->capture_default_str();
  cmd->add_flag("--wheelchair", o->wheelchair, "only wheelchair-accessible stops and trips");
  cmd->add_option("--max-legs", o->max_legs, "most vehicle legs")->capture_default_str();
  cmd->add_option("--walk-radius", o->walk_radius, "walking links between stops up to this many metres (default 400, 0 in --gtfs-literal)");
  cmd->add_option("--walk-speed", o->walk_speed, "walking speed in m/s")->capture_default_str();
  cmd->add_option("--transfer-slack", o->transfer_slack, "seconds to change vehicles (default 60 or transfers.txt; 0 in --gtfs-literal)");
  cmd->add_flag("--gtfs-literal", o->literal, "GTFS-literal comparison mode (see README)");
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--queries", o->queries, "batch: CSV id,from_stop,to_stop,departure → id,arrival,legs on stdout");
  cmd->callback([o] { run_plan(*o); });
}

}  // namespace nebuta::cli
