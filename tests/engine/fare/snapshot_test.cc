// Fares survive `nebuta import` -> snapshot -> load: every fare table comes back byte for byte,
// and the same rides are priced the same from the feed and from the snapshot.
#include <cstring>

#include <catch2/catch.hpp>

#include "fare_support.h"
#include "nebuta/timetable/snapshot.h"
#include "shared_data.h"

namespace {

using namespace nebuta::test::fares;

// Every fare member as bytes, in order.
std::vector<char> fare_bytes(nebuta::timetable const& tt) {
  std::vector<char> out;
  const_cast<nebuta::timetable&>(tt).fares.for_each_member([&](auto& m) {
    using M = std::remove_cvref_t<decltype(m)>;
    if constexpr (requires { m.data(); }) {
      auto const* p = reinterpret_cast<char const*>(m.data());
      out.insert(out.end(), p, p + m.size() * sizeof(typename M::value_type));
      out.push_back('|');
    } else {
      auto const* p = reinterpret_cast<char const*>(&m);
      out.insert(out.end(), p, p + sizeof(M));
    }
  });
  return out;
}

}  // namespace

TEST_CASE("fare snapshot: Hachinohe (v1) and C-TRAN (v2) round trip", "[fare][snapshot][shared_data]") {
  NEBUTA_REQUIRE_DATASET(hachinohe, "jp-hachinohe-citybus");
  NEBUTA_REQUIRE_DATASET(ctran, "us-ctran-flex");
  auto const loaded = nebuta::gtfs_import::load({{"hachinohe", hachinohe}, {"ctran", ctran}});
  auto const& tt = loaded.tt;
  REQUIRE(tt.fares.v1_rules.size() > 30'000);  // 59,748 rows; rows differing only in route_id share one rule
  REQUIRE(!tt.fares.leg_rules.empty());
  auto const bytes = nebuta::write_snapshot(tt);
  auto const back = nebuta::read_snapshot(bytes);
  CHECK((fare_bytes(back) == fare_bytes(tt)));
  CHECK((nebuta::write_snapshot(back) == bytes));

  std::vector<nebuta::fare::ride> const rides{
      ride_on(tt, "hachinohe:1-平日-600541-1", "hachinohe:509-01", "hachinohe:800-02"),
      ride_on(tt, "hachinohe:1-平日-400412-3", "hachinohe:800-02", "hachinohe:544-01")};
  auto const a = price(tt, rides), b = price(back, rides);
  CHECK(a.journey.total == 370 + 190);
  CHECK(b.journey.total == a.journey.total);
  CHECK(str(back, b.legs[0].fare_id) == "F370");
  auto const on_demand = ride_between(back, "ctran:2bc6804f-9e24-4b91-8947-c73a2363e7b6",
                                      "ctran:stop_id__09a24d02-a63c-4fa4-b625-c9ba13efd2c0",
                                      "ctran:stop_id__16862db1-27e2-42f5-84ca-76388efb4509", 9 * 3600, 9 * 3600 + 1200);
  auto const c = price(back, {on_demand});
  CHECK(c.total() == Approx(1.25));
  CHECK(str(back, c.legs[0].product) == "Adult Local 2 1/2 Hours");
}

TEST_CASE("fare snapshot: a timetable without fares round trips and prices nothing", "[fare][snapshot]") {
  auto const loaded = nebuta::gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  auto const back = nebuta::read_snapshot(nebuta::write_snapshot(loaded.tt));
  CHECK((fare_bytes(back) == fare_bytes(loaded.tt)));
}
