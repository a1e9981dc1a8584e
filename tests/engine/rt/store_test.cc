// The publishing store: FULL_DATASET and DIFFERENTIAL sources, stale messages, priorities,
// expiry; and readers on several threads while updates are applied (ThreadSanitizer: make
// test-tsan) seeing only whole published states.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "nebuta/rt/store.h"
#include "rt_world.h"

using namespace nebuta;
using test::hm;

namespace {

date_t const day0 = test::rt_day;

struct fixture : test::rt_world {
  fixture() : rt_world{4} {
    f.add_trip("A", {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20)}, {"S4", hm(8, 30)}});
    f.add_trip("B", {{"S1", hm(9, 0)}, {"S2", hm(9, 10)}, {"S3", hm(9, 20)}, {"S4", hm(9, 30)}});
    finish();
  }
  rt::trip_update delayed(std::string_view id, std::int32_t delay, std::string entity = {}) const {
    rt::trip_update u;
    u.entity_id = entity.empty() ? std::string{id} : entity;
    u.trip = trip(id);
    u.start_date = day0;
    rt::stop_time_update x;
    x.stop = *tt.find_stop("S1");
    x.departure.delay = delay;
    u.stops.push_back(x);
    return u;
  }
  rt::feed_message message(rt::unix_time ts, std::vector<rt::trip_update> us, bool differential = false) const {
    rt::feed_message m;
    m.timestamp = ts;
    m.differential = differential;
    m.trip_updates = std::move(us);
    return m;
  }
  seconds_t departure(rt::state const& s, std::string_view id, std::uint32_t pos = 0) const {
    auto const* ts = s.find(trip(id), day);
    return ts == nullptr ? ctx->departure(trip(id), pos) : s.times(*ts)[pos].departure;
  }
};

}  // namespace

TEST_CASE("FULL_DATASET replaces a source's content, DIFFERENTIAL merges by entity id", "[rt][store]") {
  fixture const fx;
  rt::store st{*fx.ctx};
  auto const src = st.add_source("tu");
  CHECK(st.apply(src, fx.message(fx.at(hm(7, 0)), {fx.delayed("A", 60), fx.delayed("B", 120)}), fx.at(hm(7, 0))).applied);
  CHECK(fx.departure(*st.current(), "A") == hm(8, 1));
  CHECK(fx.departure(*st.current(), "B") == hm(9, 2));
  st.apply(src, fx.message(fx.at(hm(7, 1)), {fx.delayed("A", 180)}), fx.at(hm(7, 1)));
  CHECK(fx.departure(*st.current(), "A") == hm(8, 3));
  CHECK(fx.departure(*st.current(), "B") == hm(9, 0));  // not in the full dataset any more
  auto diff = fx.message(fx.at(hm(7, 2)), {fx.delayed("B", 240)}, true);
  st.apply(src, diff, fx.at(hm(7, 2)));
  CHECK(fx.departure(*st.current(), "A") == hm(8, 3));  // kept
  CHECK(fx.departure(*st.current(), "B") == hm(9, 4));
  auto del = fx.message(fx.at(hm(7, 3)), {}, true);
  del.deleted_entities = {"A"};
  st.apply(src, del, fx.at(hm(7, 3)));
  CHECK(fx.departure(*st.current(), "A") == hm(8, 0));
  CHECK(fx.departure(*st.current(), "B") == hm(9, 4));
  CHECK(st.sources()[0].messages == 4);
}

TEST_CASE("an older message is refused, a failing source expires to the schedule", "[rt][store]") {
  fixture const fx;
  rt::store st{*fx.ctx};
  auto const src = st.add_source("tu");
  st.apply(src, fx.message(fx.at(hm(7, 5)), {fx.delayed("A", 60)}), fx.at(hm(7, 5)));
  auto const r = st.apply(src, fx.message(fx.at(hm(7, 4)), {fx.delayed("A", 600)}), fx.at(hm(7, 6)));
  CHECK(!r.applied);
  CHECK(fx.departure(*st.current(), "A") == hm(8, 1));
  CHECK(st.sources()[0].refused == 1);
  CHECK(!st.expire(fx.at(hm(7, 8)), 300));  // 3 minutes: still fresh
  CHECK(!st.expire(fx.at(hm(7, 30)), 0));   // 0: the age check is off
  CHECK(st.expire(fx.at(hm(7, 11)), 300));
  CHECK(st.sources()[0].expired);
  CHECK(st.current()->find(fx.trip("A"), fx.day) == nullptr);
  // A new message brings it back.
  st.apply(src, fx.message(fx.at(hm(7, 12)), {fx.delayed("A", 30)}), fx.at(hm(7, 12)));
  CHECK(!st.sources()[0].expired);
  CHECK(fx.departure(*st.current(), "A") == hm(8, 0, 30));
}

TEST_CASE("two sources: an explicit trip update wins over a position estimate, the newest over the older", "[rt][store]") {
  fixture const fx;
  rt::store st{*fx.ctx};
  auto const tu = st.add_source("tu");
  auto const vp = st.add_source("vp");
  auto est = fx.delayed("A", 300);
  est.estimated = true;
  st.apply(vp, fx.message(fx.at(hm(7, 59)), {est}), fx.at(hm(7, 59)));
  CHECK(fx.departure(*st.current(), "A") == hm(8, 5));
  st.apply(tu, fx.message(fx.at(hm(7, 58)), {fx.delayed("A", 60)}), fx.at(hm(7, 59)));
  CHECK(fx.departure(*st.current(), "A") == hm(8, 1));
  CHECK(st.current()->stats().skipped[rt::skip_reason::stale_timestamp] == 1);  // the superseded one
}

TEST_CASE("readers on several threads see whole published states while updates are applied", "[rt][store][concurrency]") {
  fixture const fx;
  rt::store st{*fx.ctx};
  auto const src = st.add_source("tu");
  constexpr int n_updates = 300;
  std::atomic<bool> done{false};
  std::atomic<int> inconsistent{0}, reads{0}, started{0};
  // Generation k delays A by k seconds at S1: every stop of A, in the trip state and in the
  // route block, must show the same k; k never goes back for one reader.
  auto reader = [&] {
    int last = -1;
    ++started;
    do {
      auto const s = st.current();
      auto const* ts = s->find(fx.trip("A"), fx.day);
      auto k = 0;
      if (ts != nullptr) {
        auto const times = s->times(*ts);
        k = times[0].departure - hm(8, 0);
        for (auto i = 0U; i < times.size(); ++i) {
          if (times[i].departure != fx.ctx->departure(fx.trip("A"), i) + k) ++inconsistent;
        }
        auto const* rd = s->find(fx.tt.trip_route[fx.trip("A")], fx.day);
        auto const j = fx.ctx->trip_in_route(fx.trip("A"));
        if (rd == nullptr || rd->departures[static_cast<std::size_t>(3) * rd->n_trips + j] != hm(8, 30) + k)
          ++inconsistent;
        if (s->stats().applied != 1) ++inconsistent;
      }
      if (k < last) ++inconsistent;
      last = k;
      ++reads;
    } while (!done.load(std::memory_order_acquire));
  };
  std::vector<std::thread> readers;
  for (auto i = 0; i < 3; ++i) readers.emplace_back(reader);
  while (started.load() < 3) std::this_thread::yield();  // updates start while readers read
  for (auto k = 1; k <= n_updates; ++k) {
    st.apply(src, fx.message(fx.at(hm(7, 0)) + k, {fx.delayed("A", k)}), fx.at(hm(7, 0)) + k);
  }
  done = true;
  for (auto& t : readers) t.join();
  CHECK(inconsistent == 0);
  CHECK(reads > 0);
  CHECK(st.version() == n_updates);
  CHECK(fx.departure(*st.current(), "A") == hm(8, 0) + n_updates);
}
