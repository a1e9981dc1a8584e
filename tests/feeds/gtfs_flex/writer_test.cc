// GTFS-Flex out (issue 16 item 5): our on-demand service published as a flex::model (hours from
// the fleet's shifts, checked by hand), written as a feed and a .zip, and read back by the reader
// to the same model; the three real flex feeds survive read → write → read unchanged.
#include <unistd.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "nebuta/flex/publish.h"
#include "nebuta/gtfs_flex/reader.h"
#include "nebuta/gtfs_flex/writer.h"
#include "ring_set.h"
#include "shared_data.h"

using namespace nebuta;
namespace fs = std::filesystem;

namespace {

date_t ymd(int y, unsigned m, unsigned d) { return date_t{std::chrono::year{y} / m / d}; }

// Every table of the model, field by field (the reader's problems aside).
void check_same(flex::model const& a, flex::model const& b) {
  REQUIRE(a.zones.size() == b.zones.size());
  for (auto i = flex::zone_idx{0}; i.v() < a.zones.size(); ++i) {
    CHECK(a.zones[i].id == b.zones[i].id);
    CHECK(a.zones[i].name == b.zones[i].name);
    // The same rings, hence the same area under the even-odd rule. Their order may change: the
    // writer groups each hole with its outer ring, which a feed need not have done (C-TRAN lists
    // polygons nested in others as polygons of their own).
    auto const ra = test::ring_set(a.zones[i].rings), rb = test::ring_set(b.zones[i].rings);
    CHECK(ra == rb);
  }
  REQUIRE(a.stops.size() == b.stops.size());
  for (auto i = flex::stop_idx{0}; i.v() < a.stops.size(); ++i) {
    CHECK(a.stops[i].id == b.stops[i].id);
    CHECK(a.stops[i].name == b.stops[i].name);
    CHECK(a.stops[i].pos == b.stops[i].pos);
  }
  REQUIRE(a.groups.size() == b.groups.size());
  for (auto i = flex::group_idx{0}; i.v() < a.groups.size(); ++i) {
    CHECK(a.groups[i].id == b.groups[i].id);
    CHECK(a.groups[i].name == b.groups[i].name);
    CHECK(a.groups[i].stops == b.groups[i].stops);
  }
  REQUIRE(a.booking_rules.size() == b.booking_rules.size());
  for (auto i = flex::booking_rule_idx{0}; i.v() < a.booking_rules.size(); ++i) {
    auto const &x = a.booking_rules[i], &y = b.booking_rules[i];
    CHECK(x.id == y.id);
    CHECK(x.type == y.type);
    CHECK(x.prior_notice_duration_min == y.prior_notice_duration_min);
    CHECK(x.prior_notice_duration_max == y.prior_notice_duration_max);
    CHECK(x.prior_notice_last_day == y.prior_notice_last_day);
    CHECK(x.prior_notice_last_time == y.prior_notice_last_time);
    CHECK(x.prior_notice_start_day == y.prior_notice_start_day);
    CHECK(x.prior_notice_start_time == y.prior_notice_start_time);
    CHECK((x.prior_notice_service.valid() ? a.services[x.prior_notice_service].id : "") ==
          (y.prior_notice_service.valid() ? b.services[y.prior_notice_service].id : ""));
    CHECK(x.message == y.message);
    CHECK(x.pickup_message == y.pickup_message);
    CHECK(x.drop_off_message == y.drop_off_message);
    CHECK(x.phone_number == y.phone_number);
    CHECK(x.info_url == y.info_url);
    CHECK(x.booking_url == y.booking_url);
  }
  // Services: the reader keeps those its trips and rules use, in reading order; compare by id.
  for (auto const& s : a.services) {
    auto const it = std::find_if(b.services.begin(), b.services.end(), [&](auto const& t) { return t.id == s.id; });
    REQUIRE(it != b.services.end());
    CHECK(it->weekdays == s.weekdays);
    CHECK(it->start == s.start);
    CHECK(it->end == s.end);
    CHECK(it->added == s.added);
    CHECK(it->removed == s.removed);
  }
  REQUIRE(a.trips.size() == b.trips.size());
  for (auto t = flex::trip_idx{0}; t.v() < a.trips.size(); ++t) {
    CHECK(a.trips[t].id == b.trips[t].id);
    CHECK(a.trips[t].route_id == b.trips[t].route_id);
    CHECK(a.services[a.trips[t].service].id == b.services[b.trips[t].service].id);
    auto const wa = a.windows_of(t);
    auto const wb = b.windows_of(t);
    REQUIRE(wa.size() == wb.size());
    for (std::size_t i = 0; i < wa.size(); ++i) {
      CHECK(wa[i].where == wb[i].where);
      CHECK(wa[i].start == wb[i].start);
      CHECK(wa[i].end == wb[i].end);
      CHECK(wa[i].pickup == wb[i].pickup);
      CHECK(wa[i].drop_off == wb[i].drop_off);
      CHECK(wa[i].pickup_rule == wb[i].pickup_rule);
      CHECK(wa[i].drop_off_rule == wb[i].drop_off_rule);
      CHECK(wa[i].stop_sequence == wb[i].stop_sequence);
      CHECK(wa[i].is_time_window == wb[i].is_time_window);
    }
  }
}

flex::model read_back(gtfs_flex::feed_files const& files, std::string const& name) {
  auto const dir = fs::temp_directory_path() / ("nebuta_flex_out_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto const zip = dir / "feed.zip";
  std::ofstream{zip, std::ios::binary} << gtfs_flex::zip_feed(files);
  auto r = gtfs_flex::read(zip);
  fs::remove_all(dir);
  for (auto const& p : r.problems) UNSCOPED_INFO(p.file << ":" << p.line << " " << p.kind << " " << p.message);
  CHECK(r.problems.empty());
  return std::move(r.model);
}

// Two outer rings, the first with a hole; and a fleet: a weekday morning and a weekday afternoon
// shift that overlap (one interval 07:00-19:00), a weekend and holiday shift 09:00-17:00, and a
// late shift on Fridays only that runs past midnight (22:00-26:00).
struct sample_service {
  std::vector<dispatch::shift_pattern> shifts;
  dispatch::holiday_calendar holidays{{ymd(2026, 11, 23)}};  // a Monday (勤労感謝の日)
  flex::service_to_publish s;
  sample_service() {
    auto pattern = [](seconds_t a, seconds_t b, std::uint8_t weekdays, bool hol) {
      dispatch::shift_pattern p;
      p.start = a, p.end = b;
      p.days = dispatch::day_rule{weekdays, hol, {}, {}};
      return p;
    };
    shifts = {pattern(7 * 3600, 12 * 3600, 0x1f, false), pattern(11 * 3600, 19 * 3600, 0x1f, false),
              pattern(9 * 3600, 17 * 3600, 0x60, true), pattern(22 * 3600, 26 * 3600, 0x10, false)};
    s.id = "hachi";
    s.name = "八戸 \"中心街\", on demand";
    s.area = {{{40.50, 141.48}, {40.50, 141.52}, {40.53, 141.52}, {40.53, 141.48}},
              {{40.51, 141.49}, {40.51, 141.50}, {40.52, 141.50}, {40.52, 141.49}},
              {{40.40, 141.60}, {40.40, 141.61}, {40.41, 141.61}, {40.41, 141.60}}};
    s.meeting_points = {{40.515, 141.51}, {40.515, 141.495}, {40.70, 141.50}, {40.405, 141.605}};
    s.meeting_point_names = {"八戸駅", "", "outside", "階上"};
    s.shifts = shifts;
    s.holidays = &holidays;
    s.first = ymd(2026, 11, 20);  // a Friday
    s.last = ymd(2026, 11, 24);
    s.max_booking_ahead = 2 * 86'400;
    s.phone_number = "0178-00-0000";
    s.booking_url = "https://example.org/book?a=1,b=2";
    s.message = "Book in the app or by phone";
  }
};

}  // namespace

TEST_CASE("gtfs_flex out: the service's hours, places and booking rule, checked by hand", "[gtfs_flex][writer]") {
  sample_service const x;
  auto const m = flex::publish(x.s);
  REQUIRE(m.validate().empty());
  REQUIRE(m.zones.size() == 1);
  CHECK(m.zones[flex::zone_idx{0}].rings == x.s.area);
  // Meeting points inside the area only: (40.515, 141.495) lies in the hole and (40.70, 141.50)
  // beyond the area; 階上 lies in the second polygon.
  REQUIRE(m.groups.size() == 1);
  REQUIRE(m.stops.size() == 2);
  CHECK(m.stops[flex::stop_idx{0}].name == "八戸駅");
  CHECK(m.stops[flex::stop_idx{1}].name == "階上");
  CHECK(m.stops[flex::stop_idx{1}].id == "hachi_mp_4");

  REQUIRE(m.booking_rules.size() == 1);
  auto const& rule = m.booking_rules[flex::booking_rule_idx{0}];
  CHECK(rule.type == flex::booking_type::same_day);
  CHECK(rule.prior_notice_duration_min == 0);
  CHECK(rule.prior_notice_duration_max == 2 * 24 * 60);

  // Fri 20th: 07-19 and 22-26; Sat 21st, Sun 22nd, Mon 23rd (holiday): 09-17; Tue 24th: 07-19.
  auto const hours_on = [&](date_t d) {
    std::vector<std::pair<seconds_t, seconds_t>> out;
    for (auto t = flex::trip_idx{0}; t.v() < m.trips.size(); ++t) {
      if (!m.services[m.trips[t].service].runs_on(d)) continue;
      auto const w = m.windows_of(t);
      REQUIRE(w.size() == 2);
      CHECK(w[0].pickup == flex::service_kind::phone_agency);
      CHECK(w[0].drop_off == flex::service_kind::none);
      CHECK(w[1].pickup == flex::service_kind::none);
      CHECK(w[1].drop_off == flex::service_kind::phone_agency);
      CHECK(w[0].where == flex::location_ref::of(flex::group_idx{0}));
      out.emplace_back(w[0].start, w[0].end);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using h = std::vector<std::pair<seconds_t, seconds_t>>;
  CHECK(hours_on(ymd(2026, 11, 20)) == h{{7 * 3600, 19 * 3600}, {22 * 3600, 26 * 3600}});
  CHECK(hours_on(ymd(2026, 11, 21)) == h{{9 * 3600, 17 * 3600}});
  CHECK(hours_on(ymd(2026, 11, 22)) == h{{9 * 3600, 17 * 3600}});
  CHECK(hours_on(ymd(2026, 11, 23)) == h{{9 * 3600, 17 * 3600}});
  CHECK(hours_on(ymd(2026, 11, 24)) == h{{7 * 3600, 19 * 3600}});
  CHECK(hours_on(ymd(2026, 11, 25)).empty());  // past the published dates
  CHECK(m.services.size() == 3);               // {07-19, 22-26}, {09-17}, {07-19}

  auto without_points = x.s;
  without_points.meeting_points.clear();
  auto const zone_only = flex::publish(without_points);
  CHECK(zone_only.groups.empty());
  CHECK(zone_only.windows_of(flex::trip_idx{0})[0].where == flex::location_ref::of(flex::zone_idx{0}));
  auto nothing = without_points;
  nothing.area.clear();
  CHECK_THROWS_AS(flex::publish(nothing), std::invalid_argument);
}

TEST_CASE("gtfs_flex out: the published service reads back to the same model", "[gtfs_flex][writer]") {
  sample_service const x;
  auto const m = flex::publish(x.s);
  gtfs_flex::feed_identity id;
  id.agency_name = "八戸市 \"デマンド\"";
  id.route_name = x.s.name;
  auto const files = gtfs_flex::write_feed(m, id);
  std::vector<std::string> names;
  for (auto const& [name, _] : files) names.push_back(name);
  CHECK(names == std::vector<std::string>{"agency.txt", "routes.txt", "calendar_dates.txt", "trips.txt", "stops.txt",
                                          "location_groups.txt", "location_group_stops.txt", "locations.geojson",
                                          "booking_rules.txt", "stop_times.txt", "feed_info.txt"});
  check_same(m, read_back(files, "sample"));
}

TEST_CASE("gtfs_flex out: the three real flex feeds survive read, write, read", "[gtfs_flex][writer][shared_data]") {
  for (auto const* name :
       {"us-ctran-flex", "us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex", "us-aspen-flex-on-demand"}) {
    DYNAMIC_SECTION(name) {
      NEBUTA_REQUIRE_DATASET(dir, name);
      auto const first = gtfs_flex::read(dir);
      auto const again = read_back(gtfs_flex::write_feed(first.model, {}), "real");
      check_same(first.model, again);
    }
  }
}
