// Generated days with everything switched on (pre-bookings, groups, wheelchairs, declines,
// cancellations, no-shows, re-optimisation): the independent validator checks the fleet's plans
// after every dispatcher command, the same seed gives the same day and another seed another one.
#include <catch2/catch.hpp>

#include "nebuta/sim/demand.h"
#include "nebuta/sim/simulation.h"

using namespace nebuta;
using namespace nebuta::sim;

namespace {

road::straight_line_model const model{};

scenario busy_day(std::uint64_t seed) {
  scenario sc;
  sc.name = "busy";
  sc.seed = seed;
  sc.rules.no_show_wait = 120;
  demand_model m;
  m.requests_per_day = 400;
  m.hourly_profile.fill(0.0);
  for (int h = 7; h < 19; ++h) m.hourly_profile[static_cast<std::size_t>(h)] = (h == 8 || h == 17) ? 3.0 : 1.0;
  m.origins.zones = {{{40.51, 141.49}, 2500.0, 2.0}, {{40.508, 141.432}, 800.0, 1.0}};
  m.origins.points = {{{40.5164, 141.4890}, 1.0}};
  m.prebooked_share = 0.3;
  m.prebook_max_lead = 4 * 3600;
  m.group_size_weights = {0.8, 0.15, 0.05};
  m.wheelchair_share = 0.05;
  sc.generated = m;
  for (int i = 0; i < 6; ++i) {
    sc.fleet.push_back({"v" + std::to_string(i + 1),
                        6,
                        static_cast<std::uint16_t>(i % 3 == 0 ? 1 : 0),
                        {40.51, 141.46 + 0.01 * i},
                        6 * 3600 + 1800 * (i % 2),
                        20 * 3600});
  }
  sc.riders = {1500, 0.05, 20, 0.05, 0.05};
  sc.reoptimise_every = 300;
  sc.days = 2;
  return sc;
}

bool same(result const& a, result const& b) {
  if (a.requests.size() != b.requests.size() || a.events.size() != b.events.size()) return false;
  for (std::size_t i = 0; i < a.requests.size(); ++i) {
    auto const &x = a.requests[i], &y = b.requests[i];
    if (x.request.id != y.request.id || x.outcome != y.outcome || x.pickup_at != y.pickup_at ||
        x.dropoff_at != y.dropoff_at || x.vehicle != y.vehicle || x.shared != y.shared) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    auto const &x = a.events[i], &y = b.events[i];
    if (x.time != y.time || x.vehicle != y.vehicle || x.request != y.request || x.kind != y.kind) return false;
  }
  return a.k.wait_mean_s == b.k.wait_mean_s && a.k.occupancy == b.k.occupancy;
}

}  // namespace

TEST_CASE("the validator passes after every command of two busy generated days") {
  auto const sc = busy_day(7);
  sim_options opt;
  opt.validate = true;
  auto const res = simulate(sc, model, opt);
  std::string errors;
  for (auto const& e : res.validation_errors) errors += e + "\n";
  INFO(errors);
  CHECK(res.validation_errors.empty());
  CHECK(res.n_checks == res.n_commands);
  CHECK(res.requests.size() > 500);
  CHECK(res.k.served > 300);
  std::map<request_outcome, int> outcomes;
  for (auto const& q : res.requests) ++outcomes[q.outcome];
  CHECK(outcomes[request_outcome::declined] > 0);
  CHECK(outcomes[request_outcome::cancelled] > 0);
  CHECK(outcomes[request_outcome::no_show] > 0);
  CHECK(res.vehicles.size() == 12);  // 6 vehicles x 2 days
  CHECK(res.vehicles[6].id == "v1-d2");
  // Every served ride kept its promise, no-shows of other riders notwithstanding: pickup inside the
  // window, drop-off by the promised time, ride within alpha x direct + beta + dwell.
  for (auto const& q : res.requests) {
    if (q.outcome != request_outcome::served) continue;
    INFO(q.request.id);
    CHECK(*q.pickup_at >= *q.promised_pickup_start);
    CHECK(*q.pickup_at <= *q.promised_pickup_end);
    CHECK(*q.dropoff_at <= *q.promised_dropoff_by);
    CHECK(*q.dropoff_at - *q.pickup_at <= sc.rules.ride_alpha * *q.direct_s + sc.rules.ride_beta + sc.rules.dwell);
  }
  // Events are in time order and onboard never exceeds the largest vehicle.
  for (std::size_t i = 1; i < res.events.size(); ++i) CHECK(res.events[i - 1].time <= res.events[i].time);
}

TEST_CASE("the same seed gives the same day, another seed another day") {
  auto const a = simulate(busy_day(11), model);
  auto const b = simulate(busy_day(11), model);
  auto const c = simulate(busy_day(12), model);
  CHECK(same(a, b));
  CHECK_FALSE(same(a, c));
}

TEST_CASE("generated demand follows the hourly profile and the shares") {
  demand_model m;
  m.requests_per_day = 20'000;
  m.hourly_profile.fill(0.0);
  m.hourly_profile[8] = 3.0;
  m.hourly_profile[9] = 1.0;
  m.origins.zones = {{{40.5, 141.5}, 1000.0, 1.0}};
  m.prebooked_share = 0.25;
  m.prebook_min_lead = 600;
  m.prebook_max_lead = 1200;
  m.group_size_weights = {0.5, 0.5};
  m.wheelchair_share = 0.1;
  auto const reqs = generate_demand(m, 1, 3);
  // Poisson with mean 20,000: within 5 sigma.
  REQUIRE(std::abs(static_cast<double>(reqs.size()) - 20'000.0) < 5 * std::sqrt(20'000.0));
  std::size_t in8 = 0, pre = 0, pairs = 0, wc = 0;
  for (auto const& q : reqs) {
    CHECK(q.earliest_pickup >= 8 * 3600);
    CHECK(q.earliest_pickup < 10 * 3600);
    in8 += q.earliest_pickup < 9 * 3600;
    if (q.requested_at < q.earliest_pickup) {
      ++pre;
      CHECK(q.earliest_pickup - q.requested_at >= 600);
      CHECK(q.earliest_pickup - q.requested_at <= 1200);
    }
    pairs += q.passengers == 2;
    wc += q.wheelchair_users;
    CHECK(haversine_m(q.origin, {40.5, 141.5}) <= 1000.5);
  }
  auto const n = static_cast<double>(reqs.size());
  CHECK(in8 / n == Approx(0.75).margin(0.02));
  CHECK(pre / n == Approx(0.25).margin(0.02));
  CHECK(pairs / n == Approx(0.5).margin(0.02));
  CHECK(wc / n == Approx(0.1).margin(0.02));
  for (std::size_t i = 1; i < reqs.size(); ++i) CHECK(reqs[i - 1].requested_at <= reqs[i].requested_at);
  CHECK(generate_demand(m, 1, 3).size() == reqs.size());
  CHECK(generate_demand(m, 1, 4).front().origin != reqs.front().origin);
}
