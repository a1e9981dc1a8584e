// Routers of a pool, borrowed by several threads at once, answer like a router of their own.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "mini_feed.h"
#include "nebuta/raptor/router_pool.h"

using namespace nebuta;
using namespace nebuta::raptor;
using nebuta::test::hm;

TEST_CASE("router pool: threads borrow routers and get the same answers") {
  test::mini_feed f;
  for (auto i = 0; i < 6; ++i) f.add_stop("S" + std::to_string(i), 35.0 + 0.01 * i, 139.0);
  for (auto h = 6; h < 22; ++h) {
    f.add_trip("t" + std::to_string(h), {{"S0", hm(h, 0)}, {"S1", hm(h, 10)}, {"S2", hm(h, 20)}});
    f.add_trip("u" + std::to_string(h), {{"S2", hm(h, 25)}, {"S3", hm(h, 40)}, {"S5", hm(h, 55)}});
  }
  auto const tt = f.compile();
  index const idx{tt};
  date_t const day = std::chrono::year{2024} / 3 / 6;
  auto const from = place::at_stop(*tt.find_stop("S0"));
  auto const to = place::at_stop(*tt.find_stop("S5"));

  router alone{idx};
  std::vector<seconds_t> want;
  for (auto h = 5; h < 22; ++h) want.push_back(alone.earliest_arrival(from, to, day, hm(h, 30)).time);

  router_pool pool{idx};
  std::atomic<unsigned> wrong{0};
  std::vector<std::thread> threads;
  for (auto t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (auto rep = 0; rep < 50; ++rep) {
        auto const r = pool.acquire();
        for (auto h = 5; h < 22; ++h) {
          if (r->earliest_arrival(from, to, day, hm(h, 30)).time != want[static_cast<std::size_t>(h - 5)]) ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0U);
  CHECK(pool.idle() >= 1U);
  CHECK(pool.idle() <= 4U);  // never more routers than requests at once
}
