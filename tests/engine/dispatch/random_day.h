// One random service day for a dispatcher over any travel model (fixed seed): riders ask for
// offers, accept (sometimes too late), cancel, do not show up; vehicles follow their plans
// exactly, reporting arrivals, pickups and drop-offs, and idle ones report where they are; the
// fleet is re-optimised every two minutes. After every command the independent validator checks
// every schedule, and at the end every completed ride must have kept its promise. Shared by the
// straight-line and the OSM random tests.
#pragma once

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/dispatch/fleet_calendar.h"
#include "plan_of.h"

namespace nebuta::dispatch::test {

struct recorder : journal {
  std::vector<command> log;
  void record(command const& c) override { log.push_back(c); }
};

struct day_options {
  int min_vehicles{2}, max_vehicles{10};
  // Absolute instants: the day starts at day0 (2026-11-22 00:00 in Asia/Tokyo, UTC 15:00 the day
  // before), so the dispatcher runs on real Unix times.
  instant day0{1'795'273'200};
  seconds_t start{7 * 3600};                           // seconds after day0
  seconds_t requests_until{11 * 3600};                 // last request time
  double min_mean_gap_s{60.0}, max_mean_gap_s{400.0};  // mean time between requests, drawn per day
  // An idle vehicle reports a position up to this far (degrees) from where it is; 0: where it is.
  // Vehicles with stops follow their plans exactly (late telemetry would break promises that the
  // dispatcher does not control).
  double idle_move_deg{0.0};
  // Several days: the fleet works the dated shifts of these patterns (fleet_calendar.h) on the
  // days from day0's date on, riders book up to `book_ahead_s` ahead; without it, random vehicles
  // of one day.
  struct calendar {
    std::vector<shift_pattern> patterns;
    holiday_calendar holidays;
    civil::time_zone zone{civil::time_zone::utc()};
    date_t first{};
    int days{1};
    seconds_t book_ahead_s{86'400};
  };
  std::optional<calendar> several_days;
};

using place_generator = std::function<latlon(std::mt19937_64&)>;

struct random_day {
  road::travel_model const& model;
  place_generator place_of;
  day_options opt;
  std::mt19937_64 rng;
  rules r;
  recorder rec;
  dispatcher d;
  instant now;
  std::size_t n_offers{0}, n_accepted{0}, n_cancelled{0}, n_no_show{0}, n_moved{0}, n_checks{0};
  std::size_t n_position_updates{0};
  std::vector<std::size_t> n_rejected_by;  // per reject_reason

  struct timed {
    instant at;
    request_idx r;
  };
  std::vector<timed> accepts, cancels;
  std::vector<char> no_show_of;  // per request

  random_day(road::travel_model const& m, place_generator places, std::uint64_t seed, rules rr, day_options o = {})
      : model{m},
        place_of{std::move(places)},
        opt{o},
        rng{seed},
        r{std::move(rr)},
        d{model, r},
        now{o.day0 + o.start},
        n_rejected_by(static_cast<std::size_t>(reject_reason::no_feasible_insertion) + 1, 0) {
    d.set_journal(&rec);
  }

  double uniform(double a, double b) { return std::uniform_real_distribution<double>{a, b}(rng); }
  int uniform_int(int a, int b) { return std::uniform_int_distribution<int>{a, b}(rng); }
  bool chance(double p) { return uniform(0.0, 1.0) < p; }
  latlon place() { return place_of(rng); }

  void check() {
    ++n_checks;
    auto const errors = validate::check(plan_of(d), model);
    if (!errors.empty()) {
      INFO(joined(errors) << d.dump());
      REQUIRE(errors.empty());
    }
  }

  // The earliest thing a vehicle will report, following its plan exactly.
  instant next_vehicle_event(vehicle_idx& which) const {
    instant best = no_time;
    for (auto v = vehicle_idx{0}; v.v() < d.vehicles().size(); ++v) {
      auto const& st = d.vehicle(v).stops;
      if (st.empty()) continue;
      auto const& s = st.front();
      auto t = !s.arrived ? s.arrival : s.begin;
      if (s.arrived && s.kind == stop_kind::pickup && no_show_of[s.request.v()]) t = std::max(now, d.no_show_time(v));
      if (t < best) {
        best = t;
        which = v;
      }
    }
    return best;
  }

  void vehicle_event(vehicle_idx v) {
    auto const s = d.vehicle(v).stops.front();
    if (!s.arrived) {
      REQUIRE(s.arrival >= now);
      now = s.arrival;
      REQUIRE(d.stop_event(now, v, s.request, stop_event_kind::arrived) == command_status::ok);
    } else if (s.kind == stop_kind::pickup && no_show_of[s.request.v()]) {
      // The absent rider is waited for as long as the dispatcher allows, not a second less.
      now = std::max(now, d.no_show_time(v));
      REQUIRE(d.stop_event(now, v, s.request, stop_event_kind::no_show) == command_status::ok);
      ++n_no_show;
    } else {
      REQUIRE(s.begin >= now);
      now = s.begin;
      auto const kind = s.kind == stop_kind::pickup ? stop_event_kind::picked_up : stop_event_kind::dropped_off;
      REQUIRE(d.stop_event(now, v, s.request, kind) == command_status::ok);
    }
    check();
  }

  void advance_vehicles(instant until) {
    vehicle_idx v;
    while (next_vehicle_event(v) <= until) vehicle_event(v);
    now = std::max(now, until);
  }

  template <typename F>
  void run_due(std::vector<timed>& list, instant until, F&& f) {
    std::stable_sort(list.begin(), list.end(), [](timed const& a, timed const& b) { return a.at < b.at; });
    std::size_t k = 0;
    for (; k < list.size() && list[k].at <= until; ++k) {
      advance_vehicles(list[k].at);
      f(list[k].r);
      check();
    }
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(k));
  }

  void step_to(instant until) {
    run_due(accepts, until, [&](request_idx q) {
      auto const res = d.accept(now, q);
      if (res.ok()) {
        ++n_accepted;
        if (chance(0.1)) cancels.push_back({now + uniform_int(0, 1800), q});
      }
    });
    run_due(cancels, until, [&](request_idx q) {
      auto const status = d.request(q).status;
      auto const res = d.cancel(now, q, chance(0.5) ? cancelled_by::rider : cancelled_by::operator_);
      CHECK(res == (status == request_status::assigned ? command_status::ok : command_status::wrong_state));
      n_cancelled += res == command_status::ok;
    });
    advance_vehicles(until);
  }

  void add_fleet(int& n_vehicles) {
    if (opt.several_days) {
      auto const& c = *opt.several_days;
      for (auto const& s :
           shifts_between(c.patterns, c.holidays, c.zone, c.first, c.first + std::chrono::days{c.days - 1})) {
        d.add_vehicle(now, s.vehicle);
      }
      n_vehicles = static_cast<int>(d.vehicles().size());
      return;
    }
    n_vehicles = uniform_int(opt.min_vehicles, opt.max_vehicles);
    for (int i = 0; i < n_vehicles; ++i) {
      auto const start = opt.day0 + uniform_int(6 * 3600, 9 * 3600);
      vehicle_spec v{"v" + std::to_string(i),
                     static_cast<std::uint16_t>(uniform_int(1, 6)),
                     static_cast<std::uint16_t>(chance(0.4) ? uniform_int(1, 2) : 0),
                     place(),
                     start,
                     start + uniform_int(3 * 3600, 9 * 3600)};
      d.add_vehicle(now, v);
    }
  }

  void run() {
    int n_vehicles = 0;
    add_fleet(n_vehicles);
    check();
    auto const mean_gap = uniform(opt.min_mean_gap_s, opt.max_mean_gap_s);
    instant next_request = now, next_reopt = now + 120;
    while (next_request < opt.day0 + opt.requests_until) {
      while (next_reopt <= next_request) {
        step_to(next_reopt);
        n_moved += d.reoptimise(now).n_moved;
        check();
        next_reopt += 120;
      }
      step_to(next_request);
      if (chance(0.2)) {  // an idle vehicle reports where it is
        auto const v = vehicle_idx{static_cast<std::uint32_t>(uniform_int(0, n_vehicles - 1))};
        if (d.vehicle(v).stops.empty()) {
          auto p = d.vehicle(v).pos.coord;
          if (opt.idle_move_deg > 0.0) {
            p.lat += uniform(-opt.idle_move_deg, opt.idle_move_deg);
            p.lon += uniform(-opt.idle_move_deg, opt.idle_move_deg);
          }
          // A vehicle whose depot is off the road network stays there; the model decides.
          auto const expected = model.snap(p).valid ? command_status::ok : command_status::invalid_position;
          REQUIRE(d.update_position(now, v, p) == expected);
          n_position_updates += expected == command_status::ok;
          check();
        }
      }
      auto const n = static_cast<std::uint16_t>(chance(0.7) ? 1 : uniform_int(2, 4));
      auto const wc = static_cast<std::uint16_t>(chance(0.15) ? 1 : 0);
      auto const ahead = opt.several_days ? opt.several_days->book_ahead_s : 7200;
      auto const earliest = chance(0.6) ? now : now + uniform_int(0, ahead);
      auto const o = d.request_offer(now, {place(), place(), n, wc, earliest});
      ++n_offers;
      ++n_rejected_by[static_cast<std::size_t>(o.reason)];
      no_show_of.push_back(chance(0.05) ? 1 : 0);
      REQUIRE(no_show_of.size() == d.requests().size());
      if (o.ok()) {
        REQUIRE(o.o.window_start <= o.o.pickup_eta);
        REQUIRE(o.o.pickup_eta <= o.o.window_end);
        REQUIRE(o.o.dropoff_eta <= o.o.latest_dropoff);
        if (chance(0.85))
          accepts.push_back({now + (chance(0.9) ? uniform_int(0, 50) : uniform_int(50, 90)), o.request});
      }
      check();
      next_request += 1 + static_cast<instant>(std::exponential_distribution<double>{1.0 / mean_gap}(rng));
    }
    step_to(next_request + 600);
    advance_vehicles(opt.day0 + (3 + (opt.several_days ? opt.several_days->days : 0)) * 86'400);

    for (auto const& q : d.requests()) {
      REQUIRE(q.status != request_status::assigned);
      REQUIRE(q.status != request_status::on_board);
      if (q.status != request_status::completed) continue;
      CHECK(q.picked_up_at >= q.window_start);
      CHECK(q.picked_up_at <= q.window_end);
      CHECK(q.dropped_off_at <= q.latest_dropoff);
      CHECK(q.dropped_off_at - q.picked_up_at <= q.max_ride + r.dwell);
    }
  }

  // A second dispatcher fed the recorded commands reaches the same state.
  void require_identical_replay() const {
    dispatcher replay{model, r};
    for (auto const& c : rec.log) replay.apply(c);
    REQUIRE(replay.dump() == d.dump());
  }

  // A dispatcher restored from the state after the first k commands (as a snapshot holds it) and
  // fed the rest reaches the same state, for every k in `cuts`.
  void require_identical_restore(std::vector<std::size_t> const& cuts) const {
    for (auto const k : cuts) {
      INFO("restored after command " << k << " of " << rec.log.size());
      dispatcher first{model, r};
      for (std::size_t i = 0; i < k && i < rec.log.size(); ++i) first.apply(rec.log[i]);
      dispatcher restored{model, r};
      REQUIRE(restored.restore({first.vehicles().begin(), first.vehicles().end()},
                               {first.requests().begin(), first.requests().end()}));
      REQUIRE(restored.dump() == first.dump());
      for (std::size_t i = k; i < rec.log.size(); ++i) restored.apply(rec.log[i]);
      REQUIRE(restored.dump() == d.dump());
    }
  }
};

// Rules drawn per day; `area` (rings) and `place` (for meeting points) describe the city.
inline rules random_rules(std::mt19937_64& rng, std::vector<std::vector<latlon>> const& area,
                          place_generator const& place) {
  auto const pick = [&](auto const& options) {
    return options[std::uniform_int_distribution<std::size_t>{0, std::size(options) - 1}(rng)];
  };
  rules r;
  r.max_wait = pick(std::array{600, 900, 1200});
  r.dwell = pick(std::array{0, 30, 60});
  r.ride_alpha = pick(std::array{1.3, 1.5, 2.0});
  r.ride_beta = pick(std::array{300, 600});
  r.promise_slack = pick(std::array{300, 900});
  r.passenger_weight = pick(std::array{0.5, 1.0, 2.0});
  r.offer_ttl = 60;
  r.no_show_wait = pick(std::array{0, 120, 300});  // cut short where later promises need it
  auto const variant = std::uniform_int_distribution<int>{0, 3}(rng);
  if (variant == 1) {
    r.service_area = area;
  } else if (variant == 2) {
    for (int i = 0; i < 60; ++i) r.meeting_points.push_back(place(rng));
    r.max_walk_m = 1500.0;
  }
  return r;
}

// Totals over many days, with the checks that the random days exercised every command.
struct day_totals {
  std::size_t n_days{0}, n_offers{0}, n_accepted{0}, n_cancelled{0}, n_no_show{0}, n_moved{0}, n_checks{0};
  std::size_t n_position_updates{0};
  std::vector<std::size_t> n_rejected_by =
      std::vector<std::size_t>(static_cast<std::size_t>(reject_reason::no_feasible_insertion) + 1, 0);

  void add(random_day const& day) {
    ++n_days;
    n_offers += day.n_offers;
    n_accepted += day.n_accepted;
    n_cancelled += day.n_cancelled;
    n_no_show += day.n_no_show;
    n_moved += day.n_moved;
    n_checks += day.n_checks;
    n_position_updates += day.n_position_updates;
    for (std::size_t i = 0; i < n_rejected_by.size(); ++i) n_rejected_by[i] += day.n_rejected_by[i];
  }

  std::string summary() const {
    auto s = std::to_string(n_days) + " days: " + std::to_string(n_offers) + " offers, " + std::to_string(n_accepted) +
             " accepted, " + std::to_string(n_cancelled) + " cancelled, " + std::to_string(n_no_show) + " no-shows, " +
             std::to_string(n_moved) + " moved by re-optimisation, " + std::to_string(n_position_updates) +
             " position updates, " + std::to_string(n_checks) + " validator runs; rejections:";
    for (std::size_t i = 1; i < n_rejected_by.size(); ++i) {
      if (n_rejected_by[i] != 0) {
        s += std::string{" "} + to_string(static_cast<reject_reason>(i)) + " " + std::to_string(n_rejected_by[i]);
      }
    }
    return s;
  }
};

}  // namespace nebuta::dispatch::test
