// Thousands of random days (fixed seeds) around Porto Alegre with the straight-line model: riders
// ask for offers, accept (sometimes too late), cancel, do not show up; vehicles follow their plans
// exactly, reporting arrivals, pickups and drop-offs; the fleet is re-optimised every two minutes.
// After every command the independent validator checks every schedule, and at the end every
// completed ride must have kept its promise. Some seeds also replay the journal, and restore the
// state of a moment (as a snapshot does) and replay the rest.
#include <catch2/catch.hpp>
#include <random>

#include "random_day.h"

using namespace nebuta;
using namespace nebuta::dispatch;
using namespace nebuta::dispatch::test;

namespace {

road::straight_line_model const model{};

latlon central_porto_alegre(std::mt19937_64& rng) {
  return {std::uniform_real_distribution<double>{-30.11, -29.99}(rng),
          std::uniform_real_distribution<double>{-51.27, -51.13}(rng)};
}

// An outer ring with a hole.
std::vector<std::vector<latlon>> const area{{{-30.10, -51.26}, {-30.10, -51.14}, {-30.00, -51.14}, {-30.00, -51.26}},
                                            {{-30.06, -51.21}, {-30.06, -51.19}, {-30.04, -51.19}, {-30.04, -51.21}}};

}  // namespace

TEST_CASE("random days: every schedule valid after every command, promises kept, replay identical") {
  day_totals totals;
  constexpr std::uint64_t n_days = 3000;
  for (std::uint64_t seed = 1; seed <= n_days; ++seed) {
    INFO("seed " << seed);
    std::mt19937_64 rules_rng{seed * 7919};
    random_day sim{model, central_porto_alegre, seed, random_rules(rules_rng, area, central_porto_alegre)};
    sim.run();
    totals.add(sim);
    if (seed % 10 == 0) sim.require_identical_replay();
    if (seed % 100 == 0) {
      auto const n = sim.rec.log.size();
      sim.require_identical_restore({0, 1, n / 3, n / 2, n - 1, n});
    }
  }
  WARN(totals.summary());
  CHECK(totals.n_accepted > totals.n_offers / 5);
  CHECK(totals.n_moved > 0);
  CHECK(totals.n_no_show > 0);
  CHECK(totals.n_cancelled > 0);
}

// Issue 15: a service that runs every day. Three days from Sunday 2026-11-22 in Asia/Tokyo, the
// Monday a holiday (勤労感謝の日): weekday vehicles do not work it, the weekend-and-holiday ones
// do, a night shift runs 20:00-02:00 past midnight each day; riders book now and up to a day and
// a half ahead, so today's, tomorrow's and the day after's plans fill at once.
TEST_CASE("random days across midnight and days: dated shifts, a holiday, bookings ahead") {
  auto const zone = civil::time_zone::locate("Asia/Tokyo");
  auto const first = date_t{std::chrono::year{2026} / 11 / 22};
  auto const pattern = [](char const* name, std::uint16_t wc, latlon depot, seconds_t start, seconds_t end,
                          day_rule days) {
    return shift_pattern{{name, 4, wc, depot, 0, 0}, start, end, days};
  };
  day_rule weekdays{0x1f, false, {}, {}}, weekend{0x60, true, {}, {}};
  day_totals totals;
  std::size_t n_night = 0, n_holiday = 0, n_ahead = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    std::mt19937_64 rules_rng{seed * 31};
    auto r = random_rules(rules_rng, area, central_porto_alegre);
    r.max_booking_ahead = 36 * 3600;
    day_options o;
    o.start = 7 * 3600;
    o.requests_until = 2 * 86'400 + 23 * 3600;  // Tuesday 23:00
    o.min_mean_gap_s = 240;
    o.max_mean_gap_s = 480;
    day_options::calendar c;
    c.patterns = {pattern("w1", 0, {-30.03, -51.23}, 7 * 3600, 19 * 3600, weekdays),
                  pattern("w2", 1, {-30.06, -51.18}, 7 * 3600, 19 * 3600, weekdays),
                  pattern("e1", 1, {-30.05, -51.20}, 9 * 3600, 17 * 3600, weekend),
                  pattern("e2", 0, {-30.02, -51.16}, 9 * 3600, 17 * 3600, weekend),
                  pattern("n1", 1, {-30.04, -51.21}, 20 * 3600, 26 * 3600, day_rule::daily())};
    c.holidays = holiday_calendar{{date_t{std::chrono::year{2026} / 11 / 23}}};
    c.zone = zone;
    c.first = first;
    c.days = 3;
    c.book_ahead_s = 36 * 3600;
    o.several_days = c;
    random_day sim{model, central_porto_alegre, seed, r, o};
    sim.run();
    totals.add(sim);
    CHECK(sim.d.vehicles().size() == 3 + 2 * 2 + 2);  // n1 on 3 days; e1, e2 on Sunday and the holiday; w1, w2 on Tuesday
    for (auto const& q : sim.d.requests()) {
      if (q.status != request_status::completed) continue;
      auto const& v = sim.d.vehicle(q.vehicle).spec;
      auto const local = zone.local_date(q.picked_up_at);
      n_night += zone.local_date(v.shift_start) != zone.local_date(q.dropped_off_at) ? 1 : 0;
      n_holiday += local == date_t{std::chrono::year{2026} / 11 / 23} ? 1 : 0;
      n_ahead += zone.local_date(q.requested_at) != local ? 1 : 0;
      CHECK(q.picked_up_at >= v.shift_start);
      CHECK(q.dropped_off_at <= v.shift_end);
    }
    if (seed % 5 == 0) sim.require_identical_replay();
    if (seed % 10 == 0) {
      auto const n = sim.rec.log.size();
      sim.require_identical_restore({n / 4, n / 2, 3 * n / 4});
    }
  }
  WARN(totals.summary() << "; rides ending past the midnight of their shift's date: " << n_night
                        << ", on the holiday: " << n_holiday << ", booked on an earlier date: " << n_ahead);
  CHECK(n_night > 0);
  CHECK(n_holiday > 0);
  CHECK(n_ahead > 0);
  CHECK(totals.n_no_show > 0);
  CHECK(totals.n_moved > 0);
}
