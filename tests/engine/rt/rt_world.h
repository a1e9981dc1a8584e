// A tiny realtime world for inline fixtures: stops S1..Sn a kilometre apart on a meridian,
// trips added by the test, compiled on finish() with a realtime context, service day
// 2024-05-15 (mini_feed's calendar runs all of 2024).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "../raptor/mini_feed.h"
#include "nebuta/rt/build.h"
#include "nebuta/rt/context.h"

namespace nebuta::test {

inline date_t const rt_day = std::chrono::year{2024} / 5 / 15;

struct rt_world {
  mini_feed f;
  timetable tt;
  std::unique_ptr<rt::context> ctx;
  day_idx day{};

  explicit rt_world(int n_stops) {
    for (auto i = 1; i <= n_stops; ++i) f.add_stop("S" + std::to_string(i), 35.0 + 0.01 * i, 139.0);
  }
  void finish(rt::schedule_extras extras = {}) {
    tt = f.compile();
    ctx = std::make_unique<rt::context>(tt, std::move(extras));
    day = *tt.day_of(rt_day);
  }
  trip_idx trip(std::string_view id) const {
    for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
      if (tt.strings[tt.trip_ids[t]] == id) return t;
    }
    return trip_idx::invalid();
  }
  stop_idx stop(std::string const& id) const { return *tt.find_stop(id); }
  // The instant of service-day second s of 2024-05-15 (Asia/Tokyo).
  rt::unix_time at(seconds_t s) const { return ctx->day_base(trip_idx{0}, day) + s; }

  // A trip update of static trip `id` on 2024-05-15, and a stop_time_update naming stop `s`.
  rt::trip_update update(std::string_view id) const {
    rt::trip_update u;
    u.entity_id = std::string{id};
    u.trip = trip(id);
    u.trip_id = std::string{id};
    u.start_date = rt_day;
    return u;
  }
  rt::stop_time_update stu(std::string const& s) const {
    rt::stop_time_update x;
    x.stop = stop(s);
    return x;
  }
  // The state of these updates and alerts as of 07:00, checked by state::validate().
  std::shared_ptr<rt::state const> apply(std::vector<rt::trip_update> const& us,
                                         std::vector<rt::alert> const& alerts = {}) const {
    rt::build_input in;
    for (auto const& u : us) in.trip_updates.push_back({&u, 0, at(7 * 3600)});
    for (auto const& a : alerts) in.alerts.push_back(&a);
    in.now = at(7 * 3600);
    auto st = rt::build_state(*ctx, in);
    CHECK(st->validate(*ctx).empty());
    return st;
  }
};

}  // namespace nebuta::test
