#include "nebuta/rt/simulate.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_map>

#include "nebuta/sim/random.h"  // the project's seeded generators (header only)

namespace nebuta::rt {
namespace {

double normal(sim::rng& r) {  // Box-Muller
  auto const u1 = std::max(r.uniform(), 1e-300);
  auto const u2 = r.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double smooth(double x) {  // slow off and into stops
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3.0 - 2.0 * x);
}

}  // namespace

day_simulation::day_simulation(context const& ctx, date_t date, sim_options opt) : ctx_{ctx}, opt_{opt} {
  auto const& tt = ctx.tt();
  auto const day = tt.day_of(date);
  if (!day) return;
  first_ = std::numeric_limits<unix_time>::max();
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (!tt.trip_active(t, day->v())) continue;
    auto const n = ctx.n_stops(t);
    if (n < 2) continue;
    sim::rng r{sim::hash_keys(opt.seed, t.v(), day->v())};
    sim_trip s;
    s.trip = t;
    s.day = *day;
    s.canceled = r.uniform() < opt.cancel_probability;
    auto const block = ctx.block_of(t);
    s.vehicle = block != none ? "bus-b" + std::to_string(block) : "bus-" + std::string{tt.strings[tt.trip_ids[t]]};
    auto const kind = r.uniform();
    s.descriptor = kind < opt.anonymous_fraction ? 2 : (kind < opt.anonymous_fraction + opt.route_only_fraction ? 1 : 0);
    s.arrival.resize(n);
    s.departure.resize(n);
    s.segments.resize(n - 1);
    auto late_start = r.uniform() < opt.late_start_probability ? r.exponential(1.0 / opt.late_start_mean_s) : 0.0;
    double now = ctx.departure(t, 0) + late_start;
    s.arrival[0] = ctx.arrival(t, 0);
    s.departure[0] = static_cast<seconds_t>(std::lround(now));
    for (auto i = 0U; i + 1 < n; ++i) {
      auto const sched_run = std::max(30.0, static_cast<double>(ctx.arrival(t, i + 1) - ctx.departure(t, i)));
      auto moving = sched_run * std::clamp(1.0 + opt.running_time_sd * normal(r), 0.8, 1.4);
      auto const late = now - ctx.departure(t, i);
      if (late > 0.0) moving -= std::min(late, opt.recovery_fraction * sched_run);
      auto& seg = s.segments[i];
      seg.moving_s = std::max(moving, 0.5 * sched_run);
      if (r.uniform() < opt.incident_rate_per_hour * seg.moving_s / 3600.0) {
        seg.incident_at = r.uniform();
        seg.incident_s = r.exponential(1.0 / opt.incident_mean_s);
      }
      now += seg.moving_s + seg.incident_s;
      s.arrival[i + 1] = static_cast<seconds_t>(std::lround(now));
      auto const dwell = i + 2 == n ? 0.0 : r.uniform(opt.dwell_min_s, opt.dwell_max_s);
      now = std::max(now + dwell, static_cast<double>(ctx.departure(t, i + 1)));
      s.departure[i + 1] = static_cast<seconds_t>(std::lround(now));
    }
    s.departure[n - 1] = s.arrival[n - 1];
    if (!s.canceled) {
      auto const b = base(s);
      for (auto at = b + ctx.departure(t, 0) - opt.terminal_s; at <= b + s.arrival[n - 1];
           at += opt.report_min_s +
                 static_cast<unix_time>(r.below(static_cast<std::uint64_t>(opt.report_max_s - opt.report_min_s + 1)))) {
        s.reports.push_back(at);
      }
      if (!s.reports.empty()) {
        first_ = std::min(first_, s.reports.front());
        last_ = std::max(last_, s.reports.back());
      }
    }
    trips_.push_back(std::move(s));
  }
  if (first_ == std::numeric_limits<unix_time>::max()) first_ = 0;
}

double day_simulation::along_at(sim_trip const& s, unix_time at) const {
  auto const& stop_at = ctx_.path_of(s.trip).stop_at;
  auto const n = static_cast<std::uint32_t>(stop_at.size());
  auto const t = static_cast<double>(at - base(s));
  if (t <= s.departure[0]) return stop_at[0];
  for (auto i = 0U; i + 1 < n; ++i) {
    if (t >= s.arrival[i + 1]) continue;
    auto const& seg = s.segments[i];
    auto tau = t - s.departure[i];
    if (seg.incident_at >= 0.0) {
      auto const stop_t = seg.incident_at * seg.moving_s;
      if (tau > stop_t) tau = std::max(stop_t, tau - seg.incident_s);
    }
    return stop_at[i] + (stop_at[i + 1] - stop_at[i]) * smooth(tau / seg.moving_s);
  }
  return stop_at[n - 1];
}

vehicle_position day_simulation::report(sim_trip const& s, std::size_t k) const {
  auto const& tt = ctx_.tt();
  auto const at = s.reports[k];
  sim::rng r{sim::hash_keys(opt_.seed ^ 0x5EED, s.trip.v(), k)};
  auto const p = ctx_.path_of(s.trip).at(along_at(s, at));
  constexpr double metres_per_degree = 6'371'000.0 * std::numbers::pi / 180.0;
  auto const dn = opt_.gps_noise_m * normal(r), de = opt_.gps_noise_m * normal(r);
  vehicle_position v;
  v.entity_id = s.vehicle;
  v.vehicle_id = s.vehicle;
  v.position = latlon{p.lat + dn / metres_per_degree,
                      p.lon + de / (metres_per_degree * std::cos(p.lat * std::numbers::pi / 180.0))};
  v.timestamp = at;
  if (s.descriptor <= 1) {
    v.line = tt.trip_line[s.trip];
    auto const dir = ctx_.direction_of(s.trip);
    if (dir >= 0) v.direction = static_cast<std::uint8_t>(dir);
  }
  if (s.descriptor == 0) {
    v.trip = s.trip;
    v.trip_id = std::string{tt.strings[tt.trip_ids[s.trip]]};
    v.start_date = tt.date_of(s.day);
    v.start_time = ctx_.departure(s.trip, 0);  // names one copy of a frequency-based trip
  }
  return v;
}

void day_simulation::positions(unix_time from, unix_time to, std::vector<vehicle_position>& out) const {
  for (auto const& s : trips_) {
    if (s.reports.empty() || s.reports.back() <= from || s.reports.front() > to) continue;
    auto k = static_cast<std::size_t>(std::upper_bound(s.reports.begin(), s.reports.end(), from) - s.reports.begin());
    for (; k < s.reports.size() && s.reports[k] <= to; ++k) out.push_back(report(s, k));
  }
}

feed_message day_simulation::vehicle_positions(unix_time at) const {
  feed_message m;
  m.version = "2.0";
  m.timestamp = at;
  for (auto const& s : trips_) {
    if (s.reports.empty() || s.reports.front() > at || s.reports.back() < at) continue;
    auto const k = static_cast<std::size_t>(std::upper_bound(s.reports.begin(), s.reports.end(), at) - s.reports.begin());
    m.vehicles.push_back(report(s, k - 1));
  }
  m.entities = m.vehicles.size();
  return m;
}

feed_message day_simulation::trip_updates(unix_time at) const {
  auto const& tt = ctx_.tt();
  feed_message m;
  m.version = "2.0";
  m.timestamp = at;
  for (auto const& s : trips_) {
    auto const b = base(s);
    auto const n = static_cast<std::uint32_t>(s.arrival.size());
    if (at < b + ctx_.departure(s.trip, 0) - 3600 || at > b + s.arrival[n - 1]) continue;
    trip_update u;
    u.trip = s.trip;
    u.trip_id = std::string{tt.strings[tt.trip_ids[s.trip]]};
    u.line = tt.trip_line[s.trip];
    u.start_date = tt.date_of(s.day);
    // The copies of a frequency-based trip share its trip_id: start_time tells them apart (the
    // spec requires it for them), and the entity id carries it so that entity ids stay unique.
    u.start_time = ctx_.departure(s.trip, 0);
    u.entity_id = u.trip_id + "@" + std::to_string(*u.start_time);
    u.timestamp = at;
    u.vehicle_id = s.vehicle;
    if (s.canceled) {
      u.relationship = trip_relationship::canceled;
      m.trip_updates.push_back(std::move(u));
      continue;
    }
    // The producer knows what happened up to `at` and holds the last departure delay.
    std::int64_t delay = 0;
    auto const t = at - b;
    for (auto i = 0U; i < n; ++i) {
      if (s.departure[i] <= t) delay = s.departure[i] - ctx_.departure(s.trip, i);
    }
    if (s.departure[0] > t && t > ctx_.departure(s.trip, 0)) delay = t - ctx_.departure(s.trip, 0);
    for (auto i = 0U; i < n; ++i) {
      stop_time_update x;
      x.stop = ctx_.stops(s.trip)[i];
      if (auto const q = ctx_.sequence_at(s.trip, i); q != no_sequence) x.stop_sequence = q;
      auto const sa = ctx_.arrival(s.trip, i), sd = ctx_.departure(s.trip, i);
      std::int64_t a = 0, d = 0;
      if (s.arrival[i] <= t) {
        a = s.arrival[i];
        d = s.departure[i] <= t ? s.departure[i] : std::max<std::int64_t>(sd + std::max<std::int64_t>(delay, 0), t);
      } else {
        a = sa + delay;
        d = std::max<std::int64_t>(sd + delay, sd);
      }
      x.arrival.time = b + a;
      x.arrival.delay = static_cast<std::int32_t>(a - sa);
      x.departure.time = b + std::max(a, d);
      x.departure.delay = static_cast<std::int32_t>(std::max(a, d) - sd);
      u.stops.push_back(x);
    }
    m.trip_updates.push_back(std::move(u));
  }
  m.entities = m.trip_updates.size();
  return m;
}

double estimator_error::percentile_of(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  auto const k = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

estimator_error measure_estimator(day_simulation const& sim, context const& ctx, tracker_options const& opt,
                                  seconds_t interval_s, unix_time from, unix_time to, unsigned next_stops) {
  estimator_error out;
  vehicle_tracker tracker{ctx, opt};
  std::vector<vehicle_position> batch;
  std::unordered_map<std::string, trip_update const*> by_vehicle;
  for (auto at = from; at <= to; at += interval_s) {
    batch.clear();
    sim.positions(at - interval_s, at, batch);
    out.positions += batch.size();
    tracker.update(batch, at, out.skipped);
    auto const estimates = tracker.estimates(at);
    by_vehicle.clear();
    for (auto const& e : estimates) by_vehicle[e.vehicle_id] = &e;
    ++out.instants;
    for (auto const& s : sim.trips()) {
      if (s.canceled || s.reports.empty() || s.reports.front() > at) continue;
      auto const b = sim.base(s);
      auto const n = static_cast<std::uint32_t>(s.arrival.size());
      if (b + s.arrival[n - 1] <= at) continue;
      ++out.running;
      auto const it = by_vehicle.find(s.vehicle);
      if (it == by_vehicle.end()) continue;
      auto const& e = *it->second;
      if (e.trip != s.trip) {
        ++out.wrong_trip;
        continue;
      }
      ++out.estimated;
      auto taken = 0U;
      for (auto i = 0U; i < n && taken < next_stops; ++i) {
        if (b + s.arrival[i] <= at) continue;
        if (i < e.stops.size() && e.stops[i].arrival.time) {
          out.abs_error_s.push_back(std::abs(static_cast<double>(*e.stops[i].arrival.time - (b + s.arrival[i]))));
          out.schedule_abs_error_s.push_back(std::abs(static_cast<double>(ctx.arrival(s.trip, i) - s.arrival[i])));
        }
        ++taken;
      }
    }
  }
  return out;
}

}  // namespace nebuta::rt
