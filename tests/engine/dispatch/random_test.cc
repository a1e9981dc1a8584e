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
std::vector<std::vector<latlon>> const area{
    {{-30.10, -51.26}, {-30.10, -51.14}, {-30.00, -51.14}, {-30.00, -51.26}},
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
