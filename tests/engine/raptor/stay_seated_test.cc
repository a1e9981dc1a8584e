// Stay-seated continuations: GTFS block_id and transfers.txt linked trips (transfer_type 4 / 5).
// nigiri's block_id fixture (peer_fixtures/nigiri_block_id, read through the GTFS reader) with
// the journeys nigiri's test expects, and inline timetables for the rules of the spec.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "mini_feed.h"
#include "nebuta/raptor/router.h"
#include "nebuta/raptor/tight.h"
#include "nebuta/timetable/snapshot.h"
#include "peer_fixture.h"
#include "shared_feeds.h"

using namespace nebuta;
using namespace nebuta::raptor;
using nebuta::test::hm;
using nebuta::test::mini_feed;
using nebuta::test::stop_of;

namespace {

date_t jul(unsigned d) { return std::chrono::year{2006} / 7 / std::chrono::day{d}; }

std::string plan(router& r, std::string_view from, std::string_view to, date_t date, seconds_t t, options const& o = {}) {
  auto const& tt = r.tt();
  auto const res = r.earliest_arrival(place::at_stop(stop_of(tt, from)), place::at_stop(stop_of(tt, to)), date, t, o);
  if (!res.reachable) return "no route";
  journey j;
  REQUIRE(r.reconstruct(res.legs, j));
  return to_string(tt, j);
}

}  // namespace

TEST_CASE("stay seated: nigiri's block_id fixture gives one ride through the block") {
  auto const loaded = test::load_peer_fixture("nigiri_block_id");
  auto const& tt = loaded.tt;
  index const idx{tt};
  router r{idx};
  // As nigiri's query: exact stops, no walking between them (they are 200-600 m apart).
  options nw;
  nw.walk_radius_m = 0.0;

  // Sunday 2 July: T1, T3 and T6 run (calendar_dates); one vehicle from S1 to S8, 23:00 to 06:00.
  CHECK(plan(r, "S1", "S8", jul(2), hm(23, 0), nw) == R"(23:00-06:00+1d, 1 ride
  23:00-23:55 ride T1 S1 -> S2
  00:00+1d-02:00+1d ride T3 (stay seated) S2 -> S4
  02:00+1d-06:00+1d ride T6 (stay seated) S4 -> S8
)");
  // Nothing runs back.
  CHECK(plan(r, "S2", "S1", jul(2), hm(23, 0), nw) == "no route");
  // Sunday 9 July 00:00: Saturday's T2 and T5 leave S2 at 24:00, one ride each.
  // (T2 and T5 leave and arrive together; either is the answer.)
  auto const s2_s3 =
      r.earliest_arrival(place::at_stop(stop_of(tt, "S2")), place::at_stop(stop_of(tt, "S3")), jul(9), hm(0, 0), nw);
  REQUIRE(s2_s3.reachable);
  CHECK(s2_s3.time == hm(1, 0));
  CHECK(s2_s3.legs == 1U);
  CHECK(plan(r, "S2", "S7", jul(9), hm(0, 0), nw) == R"(00:00-05:00, 1 ride
  00:00-05:00 ride T5@-1d S2 -> S7
)");
  // Wednesday: T1 runs on as T3; Thursday as T2 and then T4; Friday as T5.
  CHECK(plan(r, "S1", "S4", jul(5), hm(23, 0), nw) == R"(23:00-02:00+1d, 1 ride
  23:00-23:55 ride T1 S1 -> S2
  00:00+1d-02:00+1d ride T3 (stay seated) S2 -> S4
)");
  CHECK(plan(r, "S1", "S5", jul(6), hm(23, 0), nw) == R"(23:00-03:00+1d, 1 ride
  23:00-23:55 ride T1 S1 -> S2
  00:00+1d-01:00+1d ride T2 (stay seated) S2 -> S3
  01:00+1d-03:00+1d ride T4 (stay seated) S3 -> S5
)");
  CHECK(plan(r, "S1", "S7", jul(7), hm(23, 0), nw) == R"(23:00-05:00+1d, 1 ride
  23:00-23:55 ride T1 S1 -> S2
  00:00+1d-05:00+1d ride T5 (stay seated) S2 -> S7
)");

  // What the issue saw without blocks: T2 reaches S3 at 25:00 as T4 leaves, no time to change.
  auto no_seat = nw;
  no_seat.stay_seated = false;
  // (Friday's vehicle, a day later, is the first to get there.)
  auto const thu = r.earliest_arrival(place::at_stop(stop_of(tt, "S1")), place::at_stop(stop_of(tt, "S5")), jul(6),
                                      hm(23, 0), no_seat);
  CHECK((!thu.reachable || thu.time >= hm(27, 0) + seconds_per_day));
  CHECK(plan(r, "S1", "S4", jul(5), hm(23, 0), no_seat) == R"(23:00-02:00+1d, 2 rides
  23:00-23:55 ride T1 S1 -> S2
  00:00+1d-02:00+1d ride T3 S2 -> S4
)");

  // Arrive-by finds the same vehicle backwards.
  auto const back =
      r.latest_departure(place::at_stop(stop_of(tt, "S1")), place::at_stop(stop_of(tt, "S8")), jul(2), hm(30, 0), nw);
  REQUIRE(back.reachable);
  CHECK(back.time == hm(23, 0));
  CHECK(back.legs == 1U);
  journey j;
  REQUIRE(r.reconstruct(back.legs, j));
  CHECK(to_string(tt, j) == R"(23:00-06:00+1d, 1 ride
  23:00-23:55 ride T1 S1 -> S2
  00:00+1d-02:00+1d ride T3 (stay seated) S2 -> S4
  02:00+1d-06:00+1d ride T6 (stay seated) S4 -> S8
)");
}

namespace {

// A -> B on line X, B -> C on line Y; stops far apart (no walking).
mini_feed two_lines() {
  mini_feed f;
  f.add_line("X");
  f.add_line("Y");
  f.add_stop("A", 35.00, 139.0);
  f.add_stop("B", 35.01, 139.0);
  f.add_stop("C", 35.02, 139.0);
  f.add_stop("D", 35.03, 139.0);
  return f;
}

constexpr date_t wed = std::chrono::year{2024} / 3 / 6;

}  // namespace

TEST_CASE("stay seated: linked trips of transfers.txt win over block_id") {
  auto f = two_lines();
  // Same block, starting where the other ends as it arrives: no time to change, one vehicle.
  f.add_trip("x1", {{"A", hm(10, 0)}, {"B", hm(10, 20)}}, "all", 0, "blk", "X");
  f.add_trip("y1", {{"B", hm(10, 20)}, {"C", hm(10, 40)}}, "all", 0, "blk", "Y");
  // No block, but a transfer_type 4 row.
  f.add_trip("x2", {{"A", hm(12, 0)}, {"B", hm(12, 20)}}, "all", 0, "", "X");
  f.add_trip("y2", {{"B", hm(12, 20)}, {"C", hm(12, 40)}}, "all", 0, "", "Y");
  f.add_trip_link("x2", "y2", 4);
  // Same block, but transfer_type 5: the rider must alight (and cannot make it in 0 s).
  f.add_trip("x3", {{"A", hm(14, 0)}, {"B", hm(14, 20)}}, "all", 0, "blk", "X");
  f.add_trip("y3", {{"B", hm(14, 20)}, {"C", hm(14, 40)}}, "all", 0, "blk", "Y");
  f.add_trip_link("x3", "y3", 5);
  // The next service day: x4 ends at 23:50, y4 runs at 00:10 of the next day.
  f.add_trip("x4", {{"A", hm(23, 20)}, {"B", hm(23, 50)}}, "all", 0, "", "X");
  f.add_trip("y4", {{"B", hm(0, 10)}, {"D", hm(0, 40)}}, "all", 0, "", "Y");
  f.add_trip_link("x4", "y4", 4);
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};

  CHECK(plan(r, "A", "C", wed, hm(9, 50)) == R"(10:00-10:40, 1 ride
  10:00-10:20 ride x1 A -> B
  10:20-10:40 ride y1 (stay seated) B -> C
)");
  CHECK(plan(r, "A", "C", wed, hm(11, 50)) == R"(12:00-12:40, 1 ride
  12:00-12:20 ride x2 A -> B
  12:20-12:40 ride y2 (stay seated) B -> C
)");
  // 14:00 is no good; the 60 s change makes the next vehicle of y the answer: none that day
  // after 14:20, so tomorrow's first.
  auto const res =
      r.earliest_arrival(place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "C")), wed, hm(13, 50));
  REQUIRE(res.reachable);
  CHECK(res.time > hm(24, 0));
  CHECK(plan(r, "A", "D", wed, hm(23, 0)) == R"(23:20-00:40+1d, 1 ride
  23:20-23:50 ride x4 A -> B
  00:10+1d-00:40+1d ride y4@+1d (stay seated) B -> D
)");
  // Without continuations the first journey needs a change that is not possible.
  options no_seat;
  no_seat.stay_seated = false;
  auto const none =
      r.earliest_arrival(place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "C")), wed, hm(9, 50), no_seat);
  REQUIRE(none.reachable);
  CHECK(none.time > hm(10, 40));
}

TEST_CASE("stay seated: a later trip of a route may run on where the first one does not") {
  auto f = two_lines();
  // x1 (10:00) ends at B; x2 (10:30) runs on as y2 to D. Leaving A at 9:50, riding x2 through
  // is one ride; x1 then y2 arrives at the same time with two.
  f.add_trip("x1", {{"A", hm(10, 0)}, {"B", hm(10, 20)}}, "all", 0, "b1", "X");
  f.add_trip("x2", {{"A", hm(10, 30)}, {"B", hm(10, 50)}}, "all", 0, "b2", "X");
  f.add_trip("y2", {{"B", hm(10, 50)}, {"D", hm(11, 30)}}, "all", 0, "b2", "Y");
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  CHECK(plan(r, "A", "D", wed, hm(9, 50)) == R"(10:30-11:30, 1 ride
  10:30-10:50 ride x2 A -> B
  10:50-11:30 ride y2 (stay seated) B -> D
)");
  options one;
  one.max_legs = 1;
  CHECK(r.earliest_arrival(place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "D")), wed, hm(9, 50), one).reachable);

  // Range and tight journeys: the departure window sees the one-ride journey at 10:30.
  std::vector<range_entry> entries;
  r.range(place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "D")), wed, hm(9, 0), hm(11, 0), {}, entries);
  REQUIRE(entries.size() == 1U);
  CHECK(entries[0].departure == hm(10, 30));
  CHECK(entries[0].arrival == hm(11, 30));
  CHECK(entries[0].legs == 1U);
  std::vector<journey> tight;
  tight_journeys(r, place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "D")), wed, hm(9, 50), false, {}, tight);
  REQUIRE(tight.size() == 1U);
  CHECK(tight[0].rides == 1U);
  CHECK(tight[0].departure == hm(10, 30));
}

TEST_CASE("stay seated: block rules (other stop, overlap, other service day)") {
  auto f = two_lines();
  f.add_service("wed_only", 0x04, std::chrono::year{2024} / 1 / 1, std::chrono::year{2024} / 12 / 31);
  // Starts at C, not where x1 ends: no continuation.
  f.add_trip("x1", {{"A", hm(8, 0)}, {"B", hm(8, 20)}}, "all", 0, "b1", "X");
  f.add_trip("y1", {{"C", hm(8, 20)}, {"D", hm(8, 40)}}, "all", 0, "b1", "Y");
  // Starts before x2 arrives: the block is inconsistent, no continuation.
  f.add_trip("x2", {{"A", hm(9, 0)}, {"B", hm(9, 20)}}, "all", 0, "b2", "X");
  f.add_trip("y2", {{"B", hm(9, 19)}, {"D", hm(9, 40)}}, "all", 0, "b2", "Y");
  // Continues only on Wednesdays (y3 runs only then).
  f.add_trip("x3", {{"A", hm(11, 0)}, {"B", hm(11, 20)}}, "all", 0, "b3", "X");
  f.add_trip("y3", {{"B", hm(11, 20)}, {"D", hm(11, 40)}}, "wed_only", 0, "b3", "Y");
  auto const tt = f.compile();
  index const idx{tt};
  router r{idx};
  options o;
  o.max_legs = 1;
  CHECK_FALSE(
      r.earliest_arrival(place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "D")), wed, hm(7, 50), o).time <
      hm(11, 0));
  CHECK(plan(r, "A", "D", wed, hm(10, 50), o) == R"(11:00-11:40, 1 ride
  11:00-11:20 ride x3 A -> B
  11:20-11:40 ride y3 (stay seated) B -> D
)");
  auto const thu = wed + std::chrono::days{1};
  CHECK_FALSE(
      r.earliest_arrival(place::at_stop(stop_of(tt, "A")), place::at_stop(stop_of(tt, "D")), thu, hm(10, 50), o).time <
      hm(24, 0));
}

namespace {

// Every continuation of every trip, both directions, with the days it holds on, as text.
std::string all_links(index const& idx) {
  std::string out;
  auto const& tt = idx.tt();
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    for (auto const fwd : {true, false}) {
      for (auto const& l : idx.seated(t, fwd)) {
        out += std::to_string(t.v()) + (fwd ? ">" : "<") + std::to_string(l.other.v()) + "@" + std::to_string(l.shift) +
               ":";
        for (auto d = std::int64_t{0}; d < static_cast<std::int64_t>(tt.n_days); ++d)
          out += idx.seated_on(l, d) ? '1' : '0';
        out += '\n';
      }
    }
  }
  return out;
}

void check_stored_links(timetable const& tt) {
  index const built{tt};
  REQUIRE_FALSE(built.seated_links_stored());
  auto const sections = built.snapshot_sections();
  std::vector<snapshot_section> read_back;
  auto const tt2 = read_snapshot(write_snapshot(tt, sections), &read_back);
  index const stored{tt2, stored_index::find(read_back)};
  CHECK(stored.seated_links_stored());
  CHECK(stored.lb_graph_stored());
  CHECK(stored.n_seated_links() == built.n_seated_links());
  CHECK(all_links(stored) == all_links(built));
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    CHECK(stored.route_seated(r, true) == built.route_seated(r, true));
    CHECK(stored.route_seated(r, false) == built.route_seated(r, false));
  }
  // A cut or lengthened image, or one of another timetable's size, is built instead.
  auto const& bytes = stored_index::find(sections).seated_links;
  for (auto const cut : {std::size_t{0}, std::size_t{5}, bytes.size() / 2, bytes.size() - 1}) {
    index const again{tt2, stored_index{{}, bytes.first(cut)}};
    CHECK_FALSE(again.seated_links_stored());
    CHECK(all_links(again) == all_links(built));
  }
}

}  // namespace

TEST_CASE("stay seated: the links stored beside the timetable (a snapshot section) are the links built") {
  auto f = two_lines();
  f.add_service("wed_only", 0x04, std::chrono::year{2024} / 1 / 1, std::chrono::year{2024} / 12 / 31);
  f.add_trip("x3", {{"A", hm(11, 0)}, {"B", hm(11, 20)}}, "all", 0, "b3", "X");
  f.add_trip("y3", {{"B", hm(11, 20)}, {"D", hm(11, 40)}}, "wed_only", 0, "b3", "Y");
  auto const tt = f.compile();
  REQUIRE(index{tt}.n_seated_links() == 1U);
  check_stored_links(tt);
  // Tampa gives every trip a block_id.
  auto const l = test::load_case("tampa");
  if (!l) return;
  REQUIRE(index{l->tt}.n_seated_links() > 1'000U);
  check_stored_links(l->tt);
}
