// The three GTFS-Flex feeds of ../shared/data through feeds/gtfs_flex. Every count is checked
// against an independent scan of the files written here (a plain CSV splitter, nlohmann for the
// GeoJSON), and against the README's figures; point-in-zone and queries at hand-picked places.
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nebuta/flex/query.h"
#include "nebuta/gtfs_flex/reader.h"
#include "nebuta/gtfs_import/import.h"
#include "shared_data.h"

using namespace nebuta;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

std::string slurp(fs::path const& p) {
  std::ifstream in{p, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  auto s = ss.str();
  if (s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);
  return s;
}

// Records of a CSV file as fields (quotes honoured, CR dropped, blank lines skipped).
std::vector<std::vector<std::string>> csv_records(fs::path const& p) {
  std::vector<std::vector<std::string>> out;
  if (!fs::exists(p)) return out;
  auto const text = slurp(p);
  std::vector<std::string> rec{""};
  bool quoted = false;
  auto const end_record = [&] {
    if (!(rec.size() == 1 && rec[0].empty())) out.push_back(rec);
    rec = {""};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto const c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rec.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else rec.back() += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') rec.emplace_back();
    else if (c == '\n') end_record();
    else if (c != '\r') rec.back() += c;
  }
  end_record();
  return out;
}

int column(std::vector<std::string> const& header, std::string const& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

struct scan {
  std::size_t zones{0}, groups{0}, group_stops{0}, rules{0}, windows{0}, trips{0}, duplicate_rows{0};
};

scan scan_files(fs::path const& dir) {
  scan s;
  auto const geo = nlohmann::json::parse(slurp(dir / "locations.geojson"));
  for (auto const& f : geo["features"]) {
    auto const type = f["geometry"]["type"].get<std::string>();
    s.zones += type == "Polygon" || type == "MultiPolygon";
  }
  auto const data_rows = [&](char const* file) {
    auto const r = csv_records(dir / file);
    return r.empty() ? 0 : r.size() - 1;
  };
  s.groups = data_rows("location_groups.txt");
  s.group_stops = data_rows("location_group_stops.txt");
  s.rules = data_rows("booking_rules.txt");
  auto const st = csv_records(dir / "stop_times.txt");
  auto const trip = column(st[0], "trip_id"), seq = column(st[0], "stop_sequence"),
             start = column(st[0], "start_pickup_drop_off_window");
  std::set<std::pair<std::string, std::string>> seen;
  std::set<std::string> trips;
  for (std::size_t i = 1; i < st.size(); ++i) {
    if (st[i][static_cast<std::size_t>(start)].empty()) continue;
    if (!seen.emplace(st[i][static_cast<std::size_t>(trip)], st[i][static_cast<std::size_t>(seq)]).second) {
      ++s.duplicate_rows;
      continue;
    }
    ++s.windows;
    trips.insert(st[i][static_cast<std::size_t>(trip)]);
  }
  s.trips = trips.size();
  return s;
}

struct expected {
  char const* folder;
  std::size_t zones, groups, rules, windows;  // from ../shared/data/README.md and the files
};

constexpr expected feeds[] = {
    {"us-ctran-flex", 8, 10, 128, 2'778},
    {"us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex", 3, 0, 1, 144},
    {"us-aspen-flex-on-demand", 1, 0, 1, 2},  // 4 rows, each duplicated
};

flex::request ride(latlon from, latlon to, date_t day, seconds_t pickup, flex::local_seconds booked_at) {
  flex::request req;
  req.from = from, req.to = to, req.day = day, req.pickup_time = pickup, req.booked_at = booked_at;
  return req;
}

std::uint64_t count_of(gtfs_flex::result const& r, std::string const& kind) {
  auto const it = r.problem_counts.find(kind);
  return it == r.problem_counts.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE("gtfs_flex: counts of the three flex feeds match an independent scan", "[gtfs_flex][shared_data]") {
  auto const which = GENERATE(range(std::size_t{0}, std::size(feeds)));
  auto const& e = feeds[which];
  NEBUTA_REQUIRE_DATASET(dir, e.folder);
  INFO("feed " << e.folder);
  auto const r = gtfs_flex::read(dir);
  for (auto const& p : r.problems) UNSCOPED_INFO(p.to_string());
  auto const s = scan_files(dir);
  auto const& m = r.model;
  CHECK(m.zones.size() == s.zones);
  CHECK(m.groups.size() == s.groups);
  CHECK(r.group_stops == s.group_stops);
  CHECK(m.booking_rules.size() == s.rules);
  CHECK(m.n_time_windows() == s.windows);
  CHECK(m.trips.size() == s.trips);
  CHECK(count_of(r, "duplicate_stop_sequence") == s.duplicate_rows);
  // and the README's figures
  CHECK(m.zones.size() == e.zones);
  CHECK(m.groups.size() == e.groups);
  CHECK(m.booking_rules.size() == e.rules);
  CHECK(m.n_time_windows() == e.windows);
  CHECK(m.validate().empty());
  CHECK(r.unknown_geometries.empty());
  for (auto const& p : r.problems) {  // nothing is wrong beyond the known draft forms and quirks
    CHECK((p.kind == "duplicate_stop_sequence" || p.kind == "zone_in_stop_id" || p.kind == "draft_column" ||
           p.kind == "nonstandard_column"));
  }
}

TEST_CASE("gtfs_flex: each feed's quirks are read and reported", "[gtfs_flex][shared_data]") {
  SECTION("CobbLinc: dropoff_booking_rule_id, zone ids in stop_id, a deviated route") {
    NEBUTA_REQUIRE_DATASET(dir, "us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex");
    auto const r = gtfs_flex::read(dir);
    CHECK(count_of(r, "nonstandard_column") == 1);
    CHECK(count_of(r, "zone_in_stop_id") == 1);
    CHECK(r.model.trips.size() == 72);
    CHECK(r.model.windows.size() == 288);  // 144 zone windows + 144 timed stops
    auto const rule = r.model.find_booking_rule("1");
    REQUIRE(rule);
    auto const& b = r.model.booking_rules[*rule];
    CHECK(b.type == flex::booking_type::same_day);
    CHECK(b.prior_notice_duration_min == 120);
    CHECK(b.prior_notice_duration_max == 1440);
    CHECK(b.phone_number == "(770) 528-1053");
    // every zone window has both booking rules (the drop-off one through the quirk column)
    for (auto const& w : r.model.windows) {
      if (!w.is_time_window) continue;
      CHECK(w.pickup_rule == *rule);
      CHECK(w.drop_off_rule == *rule);
    }
  }
  SECTION("C-TRAN: prior_duration_notice_min, draft duration columns") {
    NEBUTA_REQUIRE_DATASET(dir, "us-ctran-flex");
    auto const r = gtfs_flex::read(dir);
    CHECK(count_of(r, "nonstandard_column") == 1);
    CHECK(count_of(r, "draft_column") == 8);  // four *_duration_* columns in stop_times.txt and trips.txt
    auto const& b = r.model.booking_rules[flex::booking_rule_idx{0}];
    CHECK(b.prior_notice_duration_min == 0);  // the spec's column wins over the quirk's 1
    CHECK(b.prior_notice_start_day == 2);
    CHECK(b.phone_number == "360-695-0123");
  }
  SECTION("Aspen: duplicated rows, zone in stop_id, draft location_groups.txt") {
    NEBUTA_REQUIRE_DATASET(dir, "us-aspen-flex-on-demand");
    auto const r = gtfs_flex::read(dir);
    CHECK(count_of(r, "duplicate_stop_sequence") == 2);
    CHECK(count_of(r, "zone_in_stop_id") == 1);
    CHECK(count_of(r, "draft_column") == 5);  // location_id in location_groups.txt + four in stop_times.txt
    auto const dup = std::find_if(r.problems.begin(), r.problems.end(),
                                  [](problem const& p) { return p.kind == "duplicate_stop_sequence"; });
    REQUIRE(dup != r.problems.end());
    CHECK(dup->to_string().starts_with("stop_times.txt:3: "));  // the copy of line 2
  }
}

TEST_CASE("gtfs_flex: point in zone at hand-picked places", "[gtfs_flex][shared_data]") {
  // Checked by hand against the polygons (and with an even-odd scan in Python outside the repo).
  SECTION("CobbLinc: each zone's collection point lies in it; the Route 30 transfer point in none") {
    NEBUTA_REQUIRE_DATASET(dir, "us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex");
    auto const m = gtfs_flex::read(dir).model;
    auto const zone = [&](char const* id) { return m.zones[*m.find_zone(id)]; };
    CHECK(flex::contains(zone("zone_1"), {33.864460, -84.674200}));  // yz85 PUBLIX
    CHECK(flex::contains(zone("zone_2"), {33.883320, -84.620270}));  // 7y7t Horseshoe Bend
    CHECK(flex::contains(zone("zone_3"), {33.812190, -84.634500}));  // urnz Downtown Austell
    CHECK_FALSE(flex::contains(zone("zone_1"), {33.883320, -84.620270}));
    for (auto const& z : m.zones) CHECK_FALSE(flex::contains(z, {33.854650, -84.600390}));  // cujv
  }
  SECTION("C-TRAN: holes are not served, Portland is outside") {
    NEBUTA_REQUIRE_DATASET(dir, "us-ctran-flex");
    auto const m = gtfs_flex::read(dir).model;
    auto const rose = *m.find_zone("location_id__c7400cc8-959c-42c8-991f-8f601ec9ea59");  // Rose Village
    CHECK(m.zones[rose].name == "Rose Village");
    CHECK(m.zones[rose].rings.size() == 2);
    CHECK_FALSE(flex::contains(m.zones[rose], {45.63689, -122.64088}));                  // middle of its hole
    CHECK(flex::contains(m.zones[rose], {45.640, -122.636}));                            // ~80 m or more from any edge
    for (auto const& z : m.zones) CHECK_FALSE(flex::contains(z, {45.5152, -122.6784}));  // Portland
  }
  SECTION("Aspen: downtown inside, Burlingame outside") {
    NEBUTA_REQUIRE_DATASET(dir, "us-aspen-flex-on-demand");
    auto const m = gtfs_flex::read(dir).model;
    CHECK(flex::contains(m.zones[*m.find_zone("area_294")], {39.1911, -106.8175}));
    CHECK_FALSE(flex::contains(m.zones[*m.find_zone("area_294")], {39.2121564, -106.8540989}));
  }
}

TEST_CASE("gtfs_flex: offers on the CobbLinc deviated route", "[gtfs_flex][query][shared_data]") {
  // stop_times.txt: trip 4d838cf4… is the only one whose zone_1 window (7:30–8:00) contains 07:40;
  // it then stops at cujv at 8:00. Booking rule 1: 120 min to 1440 min before the ride.
  NEBUTA_REQUIRE_DATASET(dir, "us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex");
  auto const m = gtfs_flex::read(dir).model;
  auto req = ride({33.864460, -84.674200}, {33.854650, -84.600390}, date_t{2021y / November / 2}, 7 * 3600 + 40 * 60,
                  flex::local_instant(date_t{2021y / November / 1}, 12 * 3600));
  std::vector<flex::offer> out;
  flex::find_offers(m, req, out);
  REQUIRE(out.size() == 1);
  CHECK(m.trips[out[0].trip].id == "4d838cf4-d44d-4e08-a364-f22c34a8c89e");
  CHECK(m.windows[out[0].drop_off].where.kind == flex::location_kind::stop);
  CHECK(m.windows[out[0].drop_off].start == 8 * 3600);
  req.booked_at = flex::local_instant(req.day, 6 * 3600);  // 100 min ahead: too late
  flex::find_offers(m, req, out);
  CHECK(out.empty());
  req.booked_at = flex::local_instant(date_t{2021y / October / 31}, 12 * 3600);  // too early
  flex::find_offers(m, req, out);
  CHECK(out.empty());
  req.day = date_t{2021y / November / 7}, req.booked_at = flex::local_instant(date_t{2021y / November / 6}, 12 * 3600);
  flex::find_offers(m, req, out);  // Sunday: no service
  CHECK(out.empty());
}

TEST_CASE("gtfs_flex: the regular import skips flex rows with one counted notice", "[gtfs_flex][shared_data]") {
  NEBUTA_REQUIRE_DATASET(dir, "us-ctran-flex");
  auto const r = gtfs_import::load({{"ctran", dir}});
  CHECK(r.tt.n_stop_times() == 0);
  std::size_t notices = 0;
  for (auto const& p : r.problems) {
    if (p.kind != "flex_rows_not_timetabled") continue;
    ++notices;
    CHECK(p.message.starts_with("2778 GTFS-Flex rows"));
  }
  CHECK(notices == 1);
}

TEST_CASE("gtfs_flex: a C-TRAN offer from a location group to a zone", "[gtfs_flex][query][shared_data]") {
  // Traced in the files (a Python scan): on Tue 2025-11-04 (60 trips run) the only trip from the VA
  // Medical Center group (its stop 45.638275, -122.655548) into Rose Village at 10:00 is "from
  // db7489d3… to c7400cc8…", window 05:30–19:00; its rules: same day, 0 min, from 2 days before.
  NEBUTA_REQUIRE_DATASET(dir, "us-ctran-flex");
  auto const m = gtfs_flex::read(dir).model;
  auto req = ride({45.638275, -122.655548}, {45.640, -122.636}, date_t{2025y / November / 4}, 10 * 3600,
                  flex::local_instant(date_t{2025y / November / 4}, 9 * 3600));
  std::vector<flex::offer> out;
  flex::find_offers(m, req, out);
  REQUIRE(out.size() == 1);
  auto const& id = m.trips[out[0].trip].id;
  CHECK(id.find("from-<db7489d3-7478-4d3b-a47f-60c58e3fed6e>_to-<c7400cc8-959c-42c8-991f-8f601ec9ea59>") !=
        std::string::npos);
  CHECK(m.windows[out[0].pickup].where.kind == flex::location_kind::group);
  CHECK(m.windows[out[0].drop_off].where.kind == flex::location_kind::zone);
  REQUIRE(out[0].booking);
  CHECK(out[0].booking->earliest == flex::local_instant(date_t{2025y / November / 2}, 0));
  CHECK(m.booking_rules[out[0].pickup_rule].booking_url.starts_with("https://book.ridethecurrent.com"));
  req.booked_at = flex::local_instant(date_t{2025y / November / 1}, 23 * 3600);  // three days ahead: too early
  flex::find_offers(m, req, out);
  CHECK(out.empty());
  // Thanksgiving 2025-11-27: calendar_dates.txt removes ci_1 and adds the holiday service ci_4,
  // whose trip on this pair has the window 08:00–18:00 instead of 05:30–19:00.
  req.day = date_t{2025y / November / 27}, req.booked_at = flex::local_instant(req.day, 6 * 3600);
  flex::find_offers(m, req, out);
  REQUIRE(out.size() == 1);
  CHECK(m.services[m.trips[out[0].trip].service].id == "ci_4");
  CHECK(m.windows[out[0].pickup].start == 8 * 3600);
  req.pickup_time = 7 * 3600;
  flex::find_offers(m, req, out);
  CHECK(out.empty());
  req.day = date_t{2025y / November / 4}, req.booked_at = flex::local_instant(req.day, 6 * 3600);
  flex::find_offers(m, req, out);  // an ordinary Tuesday at 07:00: ci_1's 05:30 window
  REQUIRE(out.size() == 1);
  CHECK(m.services[m.trips[out[0].trip].service].id == "ci_1");
}
