// Journeys on the real Hachinohe city bus timetable, read off stop_times.txt by hand (the rows are
// quoted next to each expectation). They pin down service days (a national holiday switches to
// the Sunday timetable), transfers, and the search continuing into the next morning.
#include <catch2/catch.hpp>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"
#include "shared_data.h"

namespace {

using nebuta::raptor::leg_kind;
using nebuta::raptor::place;

constexpr nebuta::seconds_t hms(int h, int m) { return h * 3600 + m * 60; }

nebuta::date_t day(int y, unsigned m, unsigned d) {
  return nebuta::date_t{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

struct ride {
  std::string trip, from, to;
  nebuta::seconds_t board, alight;
};

std::vector<ride> rides_of(nebuta::timetable const& tt, nebuta::raptor::journey const& j) {
  std::vector<ride> out;
  for (auto const& l : j.legs) {
    if (l.kind != leg_kind::ride) continue;
    out.push_back({tt.external_trip_id(l.trip), tt.external_stop_id(l.from), tt.external_stop_id(l.to), l.start, l.end});
  }
  return out;
}

nebuta::timetable const& hachinohe(std::filesystem::path const& p) {
  static auto const loaded = nebuta::gtfs_import::load({{"hachinohe", p}});
  return loaded.tt;
}

// Exact GTFS semantics, no walking: what the rows say and nothing else.
nebuta::raptor::options literal() {
  nebuta::raptor::options opt;
  opt.gtfs_literal = true;
  opt.walk_radius_m = 0;
  return opt;
}

}  // namespace

TEST_CASE("hachinohe: 八戸駅 -> 本八戸駅 on a weekday morning", "[raptor][hachinohe][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const& tt = hachinohe(path);
  nebuta::raptor::index const idx{tt};
  nebuta::raptor::router r{idx};
  auto const from = *tt.find_stop("509-01"), to = *tt.find_stop("552-01");
  // Wed 2026-04-08, 08:00. 552-01 (本八戸駅) is only a terminus of trips starting or ending there,
  // so no bus from 八戸駅 goes straight there:
  //   1-平日-600541-1  509-01 08:00 -> 800-02 ラピア 08:32
  //   1-平日-400412-3  800-02 08:38 -> 544-01 舟見町 08:42
  //   1-平日-400411-3  544-01 08:48 -> 552-01 本八戸駅 09:02
  // With two buses the best is 09:38 (Pareto entry: fewer legs, later).
  auto const res = r.earliest_arrival(place::at_stop(from), place::at_stop(to), day(2026, 4, 8), hms(8, 0), literal());
  REQUIRE(res.reachable);
  CHECK(res.time == hms(9, 2));
  CHECK(res.legs == 3);
  REQUIRE(res.pareto.size() == 2);
  CHECK(res.pareto[0].legs == 2);
  CHECK(res.pareto[0].time == hms(9, 38));

  nebuta::raptor::journey j;
  REQUIRE(r.reconstruct(3, j));
  auto const rides = rides_of(tt, j);
  REQUIRE(rides.size() == 3);
  CHECK(rides[0].trip == "1-平日-600541-1");
  CHECK(rides[0].board == hms(8, 0));
  CHECK(rides[0].to == "800-02");
  CHECK(rides[1].trip == "1-平日-400412-3");
  CHECK(rides[1].board == hms(8, 38));
  CHECK(rides[2].trip == "1-平日-400411-3");
  CHECK(rides[2].from == "544-01");
  CHECK(rides[2].alight == hms(9, 2));
}

TEST_CASE("hachinohe: the same on a national holiday, one transfer", "[raptor][hachinohe][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const& tt = hachinohe(path);
  nebuta::raptor::index const idx{tt};
  nebuta::raptor::router r{idx};
  auto const from = *tt.find_stop("509-01"), to = *tt.find_stop("552-01");
  // Wed 2026-04-29 (昭和の日): calendar_dates removes 1_平日 and adds 2_日祝.
  //   2-日祝-600211-1  509-01 08:20 -> 255-01 新荒町 08:37
  //   2-日祝-561032-1  255-01 08:38 -> 552-01 本八戸駅 08:48   (a one-minute change)
  auto const res = r.earliest_arrival(place::at_stop(from), place::at_stop(to), day(2026, 4, 29), hms(8, 0), literal());
  REQUIRE(res.reachable);
  CHECK(res.time == hms(8, 48));
  CHECK(res.legs == 2);
  nebuta::raptor::journey j;
  REQUIRE(r.reconstruct(2, j));
  auto const rides = rides_of(tt, j);
  REQUIRE(rides.size() == 2);
  CHECK(rides[0].trip == "2-日祝-600211-1");
  CHECK(rides[0].to == "255-01");
  CHECK(rides[0].alight == hms(8, 37));
  CHECK(rides[1].trip == "2-日祝-561032-1");
  CHECK(rides[1].board == hms(8, 38));
  CHECK(rides[1].alight == hms(8, 48));

  // The same change needs at least one minute: with a 2-minute slack that connection is gone.
  auto opt = literal();
  opt.transfer_slack_s = 120;
  auto const slower = r.earliest_arrival(place::at_stop(from), place::at_stop(to), day(2026, 4, 29), hms(8, 0), opt);
  REQUIRE(slower.reachable);
  CHECK(slower.time > hms(8, 48));
}

TEST_CASE("hachinohe: a late-evening query is answered with the next morning's first bus",
          "[raptor][hachinohe][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const& tt = hachinohe(path);
  nebuta::raptor::index const idx{tt};
  nebuta::raptor::router r{idx};
  auto const from = *tt.find_stop("509-01"), to = *tt.find_stop("621-01");
  // Wed 2026-04-08, 23:00: the last bus from 509-01 left at 22:20. The first on Thursday is
  //   1-平日-600451-1  509-01 07:00 -> 621-01 八戸中心街ターミナル（三日町） 07:22
  nebuta::raptor::options opt;
  opt.walk_radius_m = 0;
  auto const res = r.earliest_arrival(place::at_stop(from), place::at_stop(to), day(2026, 4, 8), hms(23, 0), opt);
  REQUIRE(res.reachable);
  CHECK(res.time == nebuta::seconds_per_day + hms(7, 22));
  CHECK(res.legs == 1);
  nebuta::raptor::journey j;
  REQUIRE(r.reconstruct(1, j));
  auto const rides = rides_of(tt, j);
  REQUIRE(rides.size() == 1);
  CHECK(rides[0].trip == "1-平日-600451-1");
  CHECK(rides[0].board == nebuta::seconds_per_day + hms(7, 0));

  // GTFS-literal mode never looks at the next day: unreachable.
  CHECK_FALSE(
      r.earliest_arrival(place::at_stop(from), place::at_stop(to), day(2026, 4, 8), hms(23, 0), literal()).reachable);
}
