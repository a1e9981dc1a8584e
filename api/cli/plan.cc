// `nebuta plan`: journeys between two stops or coordinates, one query or a batch from CSV.
// Checking the request, resolving places and planning live in the shared api_service (the
// HTTP server's /v1/plan runs the same code); --format json prints the same PlanResponse JSON.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "commands.h"
#include "nebuta/api/places_source.h"
#include "nebuta/api_service/json.h"
#include "nebuta/api_service/service.h"
#include "nebuta/fare/journey.h"
#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/io/file.h"
#include "nebuta/raptor/router.h"

namespace nebuta::cli {
namespace {

struct plan_options {
  std::string places;  // --places FILE (docs/search.md)
  api::timetable_source src;
  std::string date, from, to, depart, arrive, window, lang{"en"}, format{"text"}, queries, sort;
  std::optional<double> max_fare;
  bool wheelchair{false}, literal{false};
  unsigned max_legs{8};
  std::optional<double> walk_radius;
  double walk_speed{1.2};
  std::optional<seconds_t> transfer_slack;
};

using api_service::clock_time;

v1::PlanRequest to_request(plan_options const& o) {
  v1::PlanRequest req;
  req.set_from(o.from);
  req.set_to(o.to);
  req.set_date(o.date);
  req.set_depart(o.depart);
  req.set_arrive(o.arrive);
  req.set_window(o.window);
  req.set_lang(o.lang);
  req.set_wheelchair(o.wheelchair);
  req.set_gtfs_literal(o.literal);
  req.set_max_legs(o.max_legs);
  if (o.walk_radius) req.set_walk_radius(*o.walk_radius);
  req.set_walk_speed(o.walk_speed);
  if (o.transfer_slack) req.set_transfer_slack(*o.transfer_slack);
  req.set_sort(o.sort);
  if (o.max_fare) req.set_max_fare(*o.max_fare);
  return req;
}

// "150 JPY", "2.50 USD", "fare unknown".
std::string fare_text(timetable const& tt, bool known, std::int64_t amount, std::uint8_t digits, string_idx currency) {
  if (!known) return "fare unknown";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(digits), fare::to_major(amount, digits));
  return std::string{buf} + " " + (currency.valid() ? std::string{tt.strings[currency]} : std::string{});
}

void print_journey_text(api_service::service const& svc, raptor::journey const& j, date_t date,
                        api_service::lang_chain const& chain, std::string const& from_label, std::string const& to_label) {
  auto const& tt = svc.tt();
  std::array<fare::ride, fare::max_rides> rides{};
  std::array<fare::leg_fare, fare::max_rides> fares{};
  auto const n_rides = fare::rides_of(tt, j, rides);
  auto const total = fare::compute(tt, {rides.data(), n_rides}, (date - tt.first_date).count(), {fares.data(), n_rides});
  auto const minutes = (j.arrival - j.departure + 59) / 60;
  std::cout << "  depart " << clock_time(j.departure) << ", arrive " << clock_time(j.arrival) << ", " << minutes
            << " min, " << j.rides << (j.rides == 1 ? " ride" : " rides");
  if (n_rides > 0) {
    std::cout << ", fare " << fare_text(tt, total.legs_counted > 0, total.total, total.currency_digits, total.currency);
    if (!total.known && total.legs_counted > 0)
      std::cout << " for " << total.legs_counted << " of " << n_rides << " rides";
  }
  std::cout << "\n";
  std::size_t ride = 0;
  for (auto const& leg : j.legs) {
    auto const from = svc.stop_label(leg.from, chain, from_label);
    auto const to = svc.stop_label(leg.to, chain, to_label);
    if (leg.kind == raptor::leg_kind::walk) {
      std::cout << "    " << clock_time(leg.start) << "  walk " << (leg.end - leg.start + 59) / 60 << " min";
      if (leg.distance_m > 0) std::cout << " (" << std::lround(leg.distance_m) << " m)";
      std::cout << "  " << from << " → " << to << "\n";
    } else {
      auto const line = tt.trip_line[leg.trip];
      auto const& f = fares[std::min(ride++, fare::max_rides - 1)];
      if (leg.stay_seated) std::cout << "      (stay on board: it runs on as)\n";
      std::cout << "    " << clock_time(leg.start) << "  " << from << "  " << svc.line_label(line, chain) << " → "
                << svc.headsign(leg, chain) << "  [" << fare_text(tt, f.known, f.amount, f.currency_digits, f.currency)
                << (f.transfer ? ", transfer" : "") << "]\n"
                << "    " << clock_time(leg.end) << "  " << to << "\n";
    }
  }
}

void run_batch(plan_options const& o, raptor::index const& idx, raptor::options const& opt, date_t date) {
  auto const& tt = idx.tt();
  std::string data;
  if (io::read_file(o.queries, data) != io::read_status::ok) throw std::runtime_error{"cannot open " + o.queries};
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
  raptor::router router{idx};
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
      auto const res =
          router.earliest_arrival(raptor::place::at_stop(*from), raptor::place::at_stop(*to), date, *dep, opt);
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
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
  };
  double sum = 0;
  for (auto const v : latencies) sum += v;
  std::fprintf(stderr,
               "queries: %zu  p50: %.1f us  p90: %.1f us  p99: %.1f us  max: %.1f us  %.0f queries/s (%.0f incl. I/O)\n",
               latencies.size(), pct(0.5), pct(0.9), pct(0.99), latencies.empty() ? 0.0 : latencies.back(),
               sum > 0 ? static_cast<double>(latencies.size()) / (sum / 1e6) : 0.0,
               wall > 0 ? static_cast<double>(latencies.size()) / wall : 0.0);
}

void run_plan(plan_options const& o) {
  api_service::parse_iso_date(o.date, "--date");  // before the (slow) load
  auto const loaded = api::load_timetable(o.src);
  auto const& tt = loaded.tt;
  api_service::service const svc{tt, {}, api::load_places(o.places), loaded.sections};
  auto const req = to_request(o);
  auto const date = api_service::parse_iso_date(o.date, "--date");
  if (!tt.day_of(date)) {
    std::cerr << "nebuta: warning: " << o.date << " is outside the timetable's service dates\n";
  }
  if (!o.queries.empty()) return run_batch(o, svc.raptor_index(), svc.router_options(req), date);

  if (o.from.empty() || o.to.empty()) throw std::runtime_error{"--from and --to are required (or --queries)"};
  if (o.depart.empty() == o.arrive.empty()) throw std::runtime_error{"give exactly one of --depart and --arrive"};
  auto const chain = api_service::make_lang_chain(o.lang);
  raptor::router router{svc.raptor_index()};
  auto const p = svc.plan_journeys(req, chain, router);

  if (o.format == "json") {
    std::cout << api_service::to_json(svc.plan_message(p)) << "\n";
    return;
  }
  std::cout << p.from.label << " → " << p.to.label << ", " << o.date << ", " << (p.arrive_by ? "arrive by " : "depart ")
            << clock_time(p.time) << "\n";
  if (p.journeys.empty()) {
    std::cout << "  no route\n";
    return;
  }
  for (std::size_t i = 0; i < p.journeys.size(); ++i) {
    std::cout << "journey " << i + 1 << ":\n";
    print_journey_text(svc, p.journeys[i], p.date, chain, p.from.label, p.to.label);
  }
}

}  // namespace

void register_plan(CLI::App& app) {
  auto o = std::make_shared<plan_options>();
  auto* cmd = app.add_subcommand("plan", "plan journeys (earliest arrival, arrive-by, range) on a timetable");
  add_timetable_options(*cmd, o->src);
  cmd->add_option("--date", o->date, "service date YYYY-MM-DD")->required();
  cmd->add_option("--places", o->places, "gazetteer of places usable as --from / --to (GeoJSON or CSV, docs/search.md)");
  cmd->add_option("--from", o->from, "origin: stop id, stop name or LAT,LON");
  cmd->add_option("--to", o->to, "destination: stop id, stop name or LAT,LON");
  cmd->add_option("--depart", o->depart, "departure time HH:MM");
  cmd->add_option("--arrive", o->arrive, "arrive by HH:MM");
  cmd->add_option("--window", o->window, "range query: every Pareto-optimal journey departing within, e.g. 2h");
  cmd->add_option("--lang", o->lang, "language of names, e.g. en, ja, ja-Hrkt, zh-Hans, ko (comma-separated chain)")
      ->capture_default_str();
  cmd->add_flag("--wheelchair", o->wheelchair, "only wheelchair-accessible stops and trips");
  cmd->add_option("--max-legs", o->max_legs, "most vehicle legs")->capture_default_str();
  cmd->add_option("--walk-radius", o->walk_radius,
                  "walking links between stops up to this many metres (default 400, 0 in --gtfs-literal)");
  cmd->add_option("--walk-speed", o->walk_speed, "walking speed in m/s")->capture_default_str();
  cmd->add_option("--transfer-slack", o->transfer_slack,
                  "seconds to change vehicles (default 60 or transfers.txt; 0 in --gtfs-literal)");
  cmd->add_flag("--gtfs-literal", o->literal, "GTFS-literal comparison mode (see docs/planner.md)");
  cmd->add_option("--sort", o->sort, "departure (default) or fare: cheapest known fare first")
      ->check(CLI::IsMember({"departure", "fare"}));
  cmd->add_option("--max-fare", o->max_fare, "drop journeys whose known fare is above this (yen, dollars, ...)");
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--queries", o->queries, "batch: CSV id,from_stop,to_stop,departure → id,arrival,legs on stdout");
  cmd->callback([o] { run_plan(*o); });
}

}  // namespace nebuta::cli
