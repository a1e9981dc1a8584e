// `nebuta rt-simulate`: a day of GTFS-Realtime snapshots from a seeded delay model
// (engine/rt/simulate.h), for load and soak tests that replay a whole day, for demos, and for
// operators without realtime who want to try the feature. Writes, into --out:
//   trip-updates-HHMMSS.pb, vehicle-positions-HHMMSS.pb  one FeedMessage each, every --every
//   index.csv   time, unix time and the two files of each snapshot
//   truth.csv   what every trip really did (the delays the positions were made from)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "commands.h"
#include "nebuta/api/progress.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/simulate.h"

namespace nebuta::cli {
namespace {

namespace fs = std::filesystem;

struct rt_simulate_options {
  api::timetable_source src;
  std::string date, out, every{"15s"}, from, to;
  std::uint64_t seed{1};
  double noise_m{20.0};
  int gap_min_s{15}, gap_max_s{60};
  double cancel{0.01};
};

// "15s", "2m", "30" (seconds).
seconds_t parse_interval(std::string const& s) {
  if (s.empty()) throw std::runtime_error{"--every: empty"};
  auto unit = 1;
  auto digits = s;
  if (s.back() == 's') digits.pop_back();
  else if (s.back() == 'm') digits.pop_back(), unit = 60;
  auto const v = civil::parse_clock_or_seconds(digits);
  if (!v || *v <= 0 || *v * unit > 3600) throw std::runtime_error{"--every: give 1s .. 1h, e.g. 15s"};
  return static_cast<seconds_t>(*v * unit);
}

std::string hhmmss(rt::unix_time t, civil::time_zone const& z) {
  auto const iso = z.iso(t);  // 2026-04-08T09:05:00+09:00
  return iso.substr(11, 2) + iso.substr(14, 2) + iso.substr(17, 2);
}

void write(fs::path const& p, std::string const& bytes) {
  std::ofstream out{p, std::ios::binary | std::ios::trunc};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error{"cannot write " + p.string()};
}

void run(rt_simulate_options const& o) {
  auto const date = civil::parse_date(o.date);
  if (!date) throw std::runtime_error{"--date: give YYYY-MM-DD"};
  auto const every = parse_interval(o.every);
  if (o.gap_min_s <= 0 || o.gap_max_s < o.gap_min_s) throw std::runtime_error{"--gap: give MIN <= MAX, both > 0"};
  api::progress progress;
  progress.stage("loading the timetable");
  auto const loaded = api::load_timetable(o.src);
  auto const& tt = loaded.tt;
  rt::schedule_extras extras;
  if (!o.src.feeds.empty()) {
    progress.stage("reading stop sequences and blocks");
    std::vector<gtfs_import::feed_spec> specs;
    for (auto const& f : o.src.feeds) specs.push_back(gtfs_import::parse_feed_arg(f));
    extras = gtfs_rt::read_schedule_extras(specs, tt);
  }
  rt::context const ctx{tt, std::move(extras)};
  auto const day = tt.day_of(*date);
  if (!day) throw std::runtime_error{"--date " + o.date + " is outside the timetable"};
  rt::sim_options so;
  so.seed = o.seed;
  so.gps_noise_m = o.noise_m;
  so.report_min_s = o.gap_min_s;
  so.report_max_s = o.gap_max_s;
  so.cancel_probability = o.cancel;
  progress.stage("simulating the day");
  rt::day_simulation const sim{ctx, *date, so};
  if (sim.trips().empty()) throw std::runtime_error{"no trip runs on " + o.date};
  auto const& zone = ctx.zone(0);
  auto const base = ctx.day_base_of_zone(0, *day);
  auto from = sim.first_report(), to = sim.last_report();
  if (!o.from.empty()) {
    auto const v = civil::parse_clock(o.from);
    if (!v) throw std::runtime_error{"--from: give HH:MM"};
    from = base + *v;
  }
  if (!o.to.empty()) {
    auto const v = civil::parse_clock(o.to);
    if (!v) throw std::runtime_error{"--to: give HH:MM"};
    to = base + *v;
  }

  fs::path const out{o.out};
  fs::create_directories(out);
  {
    std::ofstream truth{out / "truth.csv"};
    truth << "trip_id,vehicle_id,canceled,stop_index,stop_id,scheduled_arrival,arrival,scheduled_departure,departure\n";
    for (auto const& s : sim.trips()) {
      auto const id = tt.strings[tt.trip_ids[s.trip]];
      for (auto i = 0U; i < s.arrival.size(); ++i) {
        truth << id << "," << s.vehicle << "," << (s.canceled ? 1 : 0) << "," << i << ","
              << tt.strings[tt.stop_ids[ctx.stops(s.trip)[i]]] << "," << civil::format_clock(ctx.arrival(s.trip, i))
              << "," << civil::format_clock(s.arrival[i]) << "," << civil::format_clock(ctx.departure(s.trip, i)) << ","
              << civil::format_clock(s.departure[i]) << "\n";
      }
    }
  }
  std::ofstream index{out / "index.csv"};
  index << "time,unix_time,trip_updates,vehicle_positions\n";
  std::size_t n = 0, total = static_cast<std::size_t>((to - from) / every + 1);
  for (auto at = from; at <= to; at += every, ++n) {
    auto const name = hhmmss(at, zone);
    auto const tu = "trip-updates-" + name + ".pb", vp = "vehicle-positions-" + name + ".pb";
    write(out / tu, gtfs_rt::encode(sim.trip_updates(at), tt));
    write(out / vp, gtfs_rt::encode(sim.vehicle_positions(at), tt));
    index << zone.iso(at) << "," << at << "," << tu << "," << vp << "\n";
    if (n % 40 == 0) progress.stage("writing snapshots: " + std::to_string(n) + "/" + std::to_string(total));
  }
  progress.done();
  std::size_t canceled = 0;
  for (auto const& s : sim.trips()) canceled += s.canceled ? 1U : 0U;
  std::printf("%s: %zu trips (%zu cancelled), %zu snapshots every %d s from %s to %s\n", out.string().c_str(),
              sim.trips().size(), canceled, n, every, zone.iso(from).c_str(), zone.iso(to).c_str());
}

}  // namespace

void register_rt_simulate(CLI::App& app) {
  auto opt = std::make_shared<rt_simulate_options>();
  auto* cmd = app.add_subcommand("rt-simulate", "write a day of GTFS-Realtime snapshots from a seeded delay model");
  add_timetable_options(*cmd, opt->src);
  cmd->add_option("--date", opt->date, "service date, YYYY-MM-DD")->required();
  cmd->add_option("--out", opt->out, "folder for the snapshots")->required();
  cmd->add_option("--every", opt->every, "snapshot interval, e.g. 15s or 1m")->capture_default_str();
  cmd->add_option("--from", opt->from, "first snapshot, HH:MM (default: first position of the day)");
  cmd->add_option("--to", opt->to, "last snapshot, HH:MM (default: last position of the day)");
  cmd->add_option("--seed", opt->seed, "seed of the delay model")->capture_default_str();
  cmd->add_option("--noise", opt->noise_m, "GPS noise, metres (standard deviation north and east)")->capture_default_str();
  cmd->add_option("--gap-min", opt->gap_min_s, "shortest time between two positions of a vehicle, s")->capture_default_str();
  cmd->add_option("--gap-max", opt->gap_max_s, "longest time between two positions of a vehicle, s")->capture_default_str();
  cmd->add_option("--cancel", opt->cancel, "probability that a trip is cancelled")->capture_default_str();
  cmd->callback([opt] { run(*opt); });
}

}  // namespace nebuta::cli
