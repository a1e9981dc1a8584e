// The compiled timetable against values read off the real feeds by hand (or with a throw-away
// script independent of Nebuta): translations in both dialects, service days, times past 24:00,
// interpolation, frequency expansion, multi-feed namespacing, invariants and snapshots.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/snapshot.h"
#include "nebuta/timetable/timetable.h"
#include "shared_data.h"

namespace fs = std::filesystem;
using namespace nebuta;
using namespace std::chrono_literals;

namespace {

gtfs_import::load_result load_one(std::string const& name, fs::path const& path) {
  return gtfs_import::load({{name, path}});
}

std::vector<std::string> chain(std::initializer_list<char const*> langs) { return {langs.begin(), langs.end()}; }

stop_idx stop(timetable const& tt, std::string_view id) {
  auto const s = tt.find_stop(id);
  INFO("stop " << id);
  REQUIRE(s.has_value());
  return *s;
}

std::vector<trip_idx> trips_with_id(timetable const& tt, std::string_view id) {
  std::vector<trip_idx> out;
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (tt.strings[tt.trip_ids[t]] == id) out.push_back(t);
  }
  return out;
}

trip_idx the_trip(timetable const& tt, std::string_view id) {
  auto const all = trips_with_id(tt, id);
  INFO("trip " << id);
  REQUIRE(all.size() == 1);
  return all.front();
}

struct compiled_stop_time {
  std::string stop_id;
  seconds_t arr, dep;
  bool operator==(compiled_stop_time const&) const = default;
};

std::ostream& operator<<(std::ostream& os, compiled_stop_time const& s) {
  return os << "{" << s.stop_id << " " << s.arr << " " << s.dep << "}";
}

std::vector<compiled_stop_time> trip_times(timetable const& tt, trip_idx t) {
  auto const r = tt.trip_route[t];
  auto const j = t.v() - tt.route_first_trip[r].v();
  auto const stops = tt.route_stops[r];
  std::vector<compiled_stop_time> out;
  for (std::uint32_t s = 0; s < stops.size(); ++s) {
    out.push_back({std::string{tt.strings[tt.stop_ids[stops[s]]]}, tt.arrival(r, s, j), tt.departure(r, s, j)});
  }
  return out;
}

std::uint64_t active_on(timetable const& tt, date_t d) {
  auto const day = tt.day_of(d);
  REQUIRE(day.has_value());
  return tt.trips_active_on(day->v());
}

constexpr seconds_t hms(int h, int m, int s) { return h * 3600 + m * 60 + s; }

}  // namespace

// ------------------------------------------------------------------ Hachinohe (GTFS record_id dialect)

TEST_CASE("hachinohe: names of the 八戸駅 stops per language", "[timetable][translations][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const r = load_one("hachinohe", path);
  auto const& tt = r.tt;
  // stops.txt: "509-01" and "509-03" are named 八戸駅; translations.txt gives
  // en "Hachinohe Eki Sta." and ja-Hrkt "はちのへえき" for both.
  for (auto const* id : {"509-01", "509-03"}) {
    INFO(id);
    auto const s = stop(tt, id);
    CHECK(tt.text(tt.stop_names[s]) == "八戸駅");
    CHECK(tt.text(tt.stop_names[s], chain({"en"})) == "Hachinohe Eki Sta.");
    CHECK(tt.text(tt.stop_names[s], chain({"ja-Hrkt"})) == "はちのへえき");
    CHECK(tt.text(tt.stop_names[s], chain({"ja"})) == "八戸駅");
    CHECK(tt.text(tt.stop_names[s], chain({"EN"})) == "Hachinohe Eki Sta.");  // language codes are case-insensitive
  }
  std::set<std::string> have;
  for (auto const l : tt.languages) have.emplace(tt.strings[l]);
  CHECK(have == std::set<std::string>{"ja", "ja-Hrkt", "en"});
}

TEST_CASE("hachinohe: fallback chain en -> ja-Hrkt -> ja", "[timetable][translations][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const r = load_one("hachinohe", path);
  auto const& tt = r.tt;
  // 910-01 寺横町 has ja and ja-Hrkt (テラヨコチョウ) translations but no en one.
  auto const s = stop(tt, "910-01");
  auto const name = tt.stop_names[s];
  CHECK(tt.text(name, chain({"en", "ja-Hrkt", "ja"})) == "テラヨコチョウ");
  CHECK(tt.text(name, chain({"en", "ja"})) == "寺横町");
  CHECK(tt.text(name, chain({"en"})) == "寺横町");  // nothing matches: the value in stops.txt
  CHECK(tt.text(name, chain({})) == "寺横町");
  // 509-01 does have en: the first language of the chain wins.
  auto const eki = tt.stop_names[stop(tt, "509-01")];
  CHECK(tt.text(eki, chain({"fr", "en", "ja-Hrkt"})) == "Hachinohe Eki Sta.");
  CHECK(tt.text(eki, chain({"ja-Hrkt", "en"})) == "はちのへえき");
}

TEST_CASE("hachinohe: stop_headsign translated by trip_id + stop_sequence", "[timetable][translations][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const r = load_one("hachinohe", path);
  auto const& tt = r.tt;
  // Trip 1-平日-30111-1: sequences 1 and 2 have the headsign [Ａ3]旭ヶ丘営業所（館花下経由） with the en
  // translation "Asahigaoka Eigyosho[Tatehanashita]"; sequence 3 has [Ａ3]旭ヶ丘営業所 and only a ja row.
  auto const t = the_trip(tt, "1-平日-30111-1");
  auto const headsigns = tt.trip_stop_headsigns[t];
  auto const times = trip_times(tt, t);
  REQUIRE(headsigns.size() == times.size());
  REQUIRE(times.size() >= 3);
  CHECK(times[0] == compiled_stop_time{"621-02", hms(8, 29, 0), hms(8, 29, 0)});
  CHECK(times[1] == compiled_stop_time{"428-01", hms(8, 30, 0), hms(8, 30, 0)});
  CHECK(times[2] == compiled_stop_time{"314-02", hms(8, 32, 0), hms(8, 32, 0)});
  CHECK(tt.text(headsigns[0]) == "[Ａ3]旭ヶ丘営業所（館花下経由）");
  CHECK(tt.text(headsigns[0], chain({"en"})) == "Asahigaoka Eigyosho[Tatehanashita]");
  CHECK(tt.text(headsigns[1], chain({"en"})) == "Asahigaoka Eigyosho[Tatehanashita]");
  CHECK(tt.text(headsigns[2]) == "[Ａ3]旭ヶ丘営業所");
  CHECK(tt.text(headsigns[2], chain({"en"})) == "[Ａ3]旭ヶ丘営業所");
}

TEST_CASE("hachinohe: trips active on a weekday and on national holidays", "[timetable][service][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const r = load_one("hachinohe", path);
  auto const& tt = r.tt;
  CHECK(tt.first_date == date_t{2026y / 4 / 1});
  CHECK(tt.day_of(date_t{2026y / 3 / 31}) == std::nullopt);
  CHECK(tt.day_of(date_t{2027y / 4 / 1}) == std::nullopt);
  // README: Wed 2026-04-08 778, Sat 2026-04-04 713, Sun 2026-04-05 639.
  CHECK(active_on(tt, date_t{2026y / 4 / 8}) == 778);
  CHECK(active_on(tt, date_t{2026y / 4 / 4}) == 713);
  CHECK(active_on(tt, date_t{2026y / 4 / 5}) == 639);
  // Wed 2026-04-29 (昭和の日) and Tue 2026-05-05 (こどもの日): calendar_dates remove 1_平日 and its three
  // seasonal variants and add 2_日祝, 2_日祝_1_こどもの国開園 and 2_日祝_3_うみねこ号運行日; counted from
  // calendar.txt + calendar_dates.txt + trips.txt with a separate script: 631 trips.
  CHECK(active_on(tt, date_t{2026y / 4 / 29}) == 631);
  CHECK(active_on(tt, date_t{2026y / 5 / 5}) == 631);
}

// ------------------------------------------------------------------ Hakodate (legacy GTFS-JP dialect)

TEST_CASE("hakodate: legacy trans_id,lang,translation translations", "[timetable][translations][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hakodate-citytram");
  auto const r = load_one("hakodate", path);
  auto const& tt = r.tt;
  // translations.txt: 函館駅前,en,Hakodate station / 函館駅前,ja-Hrkt,はこだてえきまえ; the station hkd17
  // and its platforms hkd17-01, hkd17-02 are all named 函館駅前.
  for (auto const* id : {"hkd17", "hkd17-01", "hkd17-02"}) {
    INFO(id);
    auto const s = stop(tt, id);
    CHECK(tt.text(tt.stop_names[s]) == "函館駅前");
    CHECK(tt.text(tt.stop_names[s], chain({"en"})) == "Hakodate station");
    CHECK(tt.text(tt.stop_names[s], chain({"ja-Hrkt"})) == "はこだてえきまえ");
  }
  CHECK(tt.stop_parent[stop(tt, "hkd17-01")] == stop(tt, "hkd17"));
  CHECK_FALSE(tt.stop_parent[stop(tt, "hkd17")].valid());
  // 函館市電,en,Hakodate Shiden (agency name); ２系統,en,Route 2 (route_short_name).
  REQUIRE(tt.n_agencies() == 1);
  CHECK(tt.text(tt.agency_names[agency_idx{0}], chain({"en"})) == "Hakodate Shiden");
  auto found_route2 = false;
  for (auto l = line_idx{0}; l.v() < tt.n_lines(); ++l) {
    if (tt.strings[tt.line_ids[l]] == "HKD2-0-1") {
      found_route2 = true;
      CHECK(tt.text(tt.line_short_names[l], chain({"en"})) == "Route 2");
    }
  }
  CHECK(found_route2);
  CHECK(active_on(tt, date_t{2018y / 5 / 15}) == 317);  // README
}

// ------------------------------------------------------------------ Port Liner (field_value dialect)

TEST_CASE("port liner: field_value translations and single-digit hours", "[timetable][translations][time][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-kobe-portliner-unofficial");
  auto const r = load_one("portliner", path);
  auto const& tt = r.tt;
  // translations.txt: stops,stop_name,en,Sannomiya,,三宮 (no record_id: matched by value).
  auto const s = stop(tt, "1_0");
  CHECK(tt.text(tt.stop_names[s]) == "三宮");
  CHECK(tt.text(tt.stop_names[s], chain({"en"})) == "Sannomiya");
  CHECK(tt.text(tt.stop_names[s], chain({"ja-Hrkt"})) == "さんのみや");

  // stop_times.txt rows of trip 2+1+Weekdays+851 (a loop: 4_0, 3_0, 2_0, 1_0 are served twice),
  // written with single-digit hours: 9:42:00 ... 9:59:00 at 12_0 (= 35,940 s) ... 10:09:00.
  auto const t = the_trip(tt, "2+1+Weekdays+851");
  std::vector<compiled_stop_time> const expected{{"1_0", hms(9, 42, 0), hms(9, 42, 0)},
                                                 {"2_0", hms(9, 44, 0), hms(9, 44, 0)},
                                                 {"3_0", hms(9, 46, 0), hms(9, 46, 0)},
                                                 {"4_0", hms(9, 49, 0), hms(9, 49, 0)},
                                                 {"5_0", hms(9, 51, 0), hms(9, 51, 0)},
                                                 {"6_0", hms(9, 53, 0), hms(9, 53, 0)},
                                                 {"10_0", hms(9, 55, 0), hms(9, 55, 0)},
                                                 {"11_0", hms(9, 57, 0), hms(9, 57, 0)},
                                                 {"12_0", 35'940, 35'940},
                                                 {"4_0", hms(10, 2, 0), hms(10, 2, 0)},
                                                 {"3_0", hms(10, 4, 0), hms(10, 4, 0)},
                                                 {"2_0", hms(10, 7, 0), hms(10, 7, 0)},
                                                 {"1_0", hms(10, 9, 0), hms(10, 9, 0)}};
  CHECK(trip_times(tt, t) == expected);
  // trips.txt: its headsign 北埠頭 has "trips,trip_headsign,en,Kita Futo,,北埠頭".
  CHECK(tt.text(tt.trip_headsigns[t]) == "北埠頭");
  CHECK(tt.text(tt.trip_headsigns[t], chain({"en"})) == "Kita Futo");
  // First row pickup_type 0 / drop_off_type 1, last row pickup_type 1 / drop_off_type 0.
  auto const route = tt.trip_route[t];
  CHECK(tt.can_board(route, 0));
  CHECK_FALSE(tt.can_alight(route, 0));
  CHECK_FALSE(tt.can_board(route, 12));
  CHECK(tt.can_alight(route, 12));
  CHECK(active_on(tt, date_t{2026y / 5 / 12}) == 508);  // README
}

// ------------------------------------------------------------------ WMATA: past midnight

TEST_CASE("wmata: times past 24:00 are kept as such", "[timetable][time][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "us-dc-wmata-metrorail");
  auto const r = load_one("wmata", path);
  auto const& tt = r.tt;
  // Trip 9411822_20576: 27 rows from PF_A15_C at 24:02:00 to PF_B11_C at 25:04:00.
  auto const times = trip_times(tt, the_trip(tt, "9411822_20576"));
  REQUIRE(times.size() == 27);
  CHECK(times.front() == compiled_stop_time{"PF_A15_C", 86'520, 86'520});
  CHECK(times[12] == compiled_stop_time{"PF_A03_1", hms(24, 31, 0), hms(24, 31, 0)});
  CHECK(times[25] == compiled_stop_time{"PF_B10_C", 90'060, 90'060});
  CHECK(times.back() == compiled_stop_time{"PF_B11_C", 90'240, 90'240});
  // The latest time in stop_times.txt is 27:12:00.
  CHECK(*std::max_element(tt.arrivals.begin(), tt.arrivals.end()) == 97'920);
  CHECK(*std::max_element(tt.departures.begin(), tt.departures.end()) == 97'920);
  // Only calendar_dates.txt: 2026-04-29 – 2026-09-06; Tue 2026-05-05 has 1,690 trips (README).
  CHECK(tt.first_date == date_t{2026y / 4 / 29});
  CHECK(active_on(tt, date_t{2026y / 5 / 5}) == 1'690);
}

// ------------------------------------------------------------------ Porto Alegre: interpolation

TEST_CASE("porto alegre: untimed stop_times are interpolated", "[timetable][interpolation][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "br-portoalegre-bus-metro-osm/gtfs-eptc-bus");
  auto const r = load_one("eptc", path);
  auto const& tt = r.tt;
  // Trip T1D-2@1#1210: 17 rows, only sequence 1 (1563, 12:10:00 = 43,800 s) and sequence 17
  // (3859, 13:00:00 = 46,800 s) are timed. Row i (0-based) gets 43,800 + floor(3,000 * i / 16):
  // 187.5 i, rounded down.
  std::vector<compiled_stop_time> const expected{
      {"1563", 43'800, 43'800}, {"1554", 43'987, 43'987}, {"1543", 44'175, 44'175}, {"1592", 44'362, 44'362},
      {"1606", 44'550, 44'550}, {"2078", 44'737, 44'737}, {"2127", 44'925, 44'925}, {"2231", 45'112, 45'112},
      {"2035", 45'300, 45'300}, {"2029", 45'487, 45'487}, {"2723", 45'675, 45'675}, {"2729", 45'862, 45'862},
      {"2979", 46'050, 46'050}, {"3008", 46'237, 46'237}, {"3069", 46'425, 46'425}, {"3081", 46'612, 46'612},
      {"3859", 46'800, 46'800}};
  CHECK(trip_times(tt, the_trip(tt, "T1D-2@1#1210")) == expected);
}

// ------------------------------------------------------------------ São Paulo: frequencies

TEST_CASE("sao paulo: frequencies.txt expanded", "[timetable][frequencies][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "br-saopaulo-frequencies-osm/gtfs-sptrans-sample");
  auto const r = load_one("sptrans", path);
  auto const& tt = r.tt;
  // Sum over the 704 frequency rows of ceil((end_time - start_time) / headway_secs), computed from
  // frequencies.txt with a separate script: 7,948.
  CHECK(tt.n_trips() == 7'948);
  // CPTM L07-0: 04:00-04:59 every 720 s (5 departures), 4 hours every 360 s (4 x 10), 7 hours every
  // 480 s (7 x 8), 4 hours every 360 s (4 x 10), 4 hours every 720 s (4 x 5) = 161 departures.
  auto const l07 = trips_with_id(tt, "CPTM L07-0");
  CHECK(l07.size() == 161);
  std::set<seconds_t> starts;
  for (auto const t : l07) starts.insert(trip_times(tt, t).front().dep);
  CHECK(starts.size() == 161);
  CHECK(*starts.begin() == hms(4, 0, 0));
  CHECK(*starts.rbegin() == hms(23, 48, 0));
  for (auto const s : {hms(4, 0, 0), hms(4, 12, 0), hms(4, 24, 0), hms(4, 36, 0), hms(4, 48, 0), hms(5, 0, 0),
                       hms(5, 6, 0), hms(9, 8, 0), hms(23, 12, 0)}) {
    CHECK(starts.count(s) == 1);
  }
  CHECK(starts.count(hms(4, 6, 0)) == 0);
  CHECK(starts.count(hms(4, 59, 0)) == 0);
  // Its stop_times: 04:00:00 at 18940 then 04:08:00 at 18920 — copies keep the offsets.
  for (auto const t : l07) {
    auto const times = trip_times(tt, t);
    REQUIRE(times.size() >= 2);
    CHECK(times[0].stop_id == "18940");
    CHECK(times[1].stop_id == "18920");
    CHECK(times[1].arr - times[0].dep == 8 * 60);
  }
}

// ------------------------------------------------------------------ multi-feed

TEST_CASE("porto alegre bus + metro: ids are namespaced per feed", "[timetable][multifeed][shared_data]") {
  NEBUTA_REQUIRE_DATASET(bus, "br-portoalegre-bus-metro-osm/gtfs-eptc-bus");
  NEBUTA_REQUIRE_DATASET(metro, "br-portoalegre-bus-metro-osm/gtfs-trensurb-metro");
  auto const r = gtfs_import::load({{"gtfs-eptc-bus", bus}, {"gtfs-trensurb-metro", metro}});
  auto const& tt = r.tt;
  REQUIRE(tt.n_feeds() == 2);
  CHECK(tt.n_stops() == 3'986 + 24);
  auto const mr = tt.find_stop("gtfs-trensurb-metro:MR");  // ESTACAO MERCADO
  REQUIRE(mr.has_value());
  CHECK(tt.stop_feed[*mr] == feed_idx{1});
  CHECK(tt.text(tt.stop_names[*mr]) == "ESTACAO MERCADO");
  CHECK(tt.external_stop_id(*mr) == "gtfs-trensurb-metro:MR");
  CHECK_FALSE(tt.find_stop("gtfs-eptc-bus:MR").has_value());
  CHECK(tt.find_stop("MR") == mr);                           // unambiguous plain id
  auto const bus_stop = tt.find_stop("gtfs-eptc-bus:4220");  // SARANDI TOLEDO PIZA
  REQUIRE(bus_stop.has_value());
  CHECK(tt.stop_feed[*bus_stop] == feed_idx{0});
  CHECK(tt.text(tt.stop_names[*bus_stop]) == "SARANDI TOLEDO PIZA");
  CHECK(tt.external_stop_id(*bus_stop) == "gtfs-eptc-bus:4220");
  CHECK_FALSE(tt.find_stop("gtfs-trensurb-metro:4220").has_value());
  CHECK_FALSE(tt.find_stop("nosuchfeed:4220").has_value());
  // README: Tue 2019-05-14, 2,374 bus + 529 metro trips.
  CHECK(active_on(tt, date_t{2019y / 5 / 14}) == 2'374 + 529);
  // Problems of a multi-feed load name the feed.
  for (auto const& p : r.problems) {
    INFO(p.to_string());
    CHECK((p.file.starts_with("gtfs-eptc-bus/") || p.file.starts_with("gtfs-trensurb-metro/")));
  }
}

TEST_CASE("multi-feed: the same ids in two feeds do not collide", "[timetable][multifeed]") {
  fs::path const sample = NEBUTA_SOURCE_DIR "/data/sample";
  auto const r = gtfs_import::load({{"a", sample}, {"b", sample}});
  auto const& tt = r.tt;
  CHECK(tt.n_stops() == 2 * 50);
  auto const a = tt.find_stop("a:aomori_1");
  auto const b = tt.find_stop("b:aomori_1");
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(*a != *b);
  CHECK(tt.external_stop_id(*a) == "a:aomori_1");
  CHECK(tt.external_stop_id(*b) == "b:aomori_1");
  CHECK_FALSE(tt.find_stop("aomori_1").has_value());  // ambiguous without the feed name
  // Parent stations resolve within their own feed.
  CHECK(tt.stop_parent[*a] == tt.find_stop("a:aomori"));
  CHECK(tt.stop_parent[*b] == tt.find_stop("b:aomori"));
  CHECK(tt.validate().empty());
}

// ------------------------------------------------------------------ service days of every timetabled feed

TEST_CASE("active trips on each README test date", "[timetable][service][shared_data]") {
  struct expected_active {
    char const* folder;
    date_t day;
    std::uint64_t trips;
  };
  // "Good test date" column of ../shared/data/README.md (re-counted from calendar + calendar_dates +
  // trips with a separate script). Feeds with frequencies are left out: the README counts trips.txt
  // rows, the timetable counts expanded departures.
  auto const e = GENERATE(values<expected_active>({
      {"jp-hachinohe-citybus", date_t{2026y / 4 / 8}, 778},
      {"jp-hakodate-citytram", date_t{2018y / 5 / 15}, 317},
      {"jp-kobe-portliner-unofficial", date_t{2026y / 5 / 12}, 508},
      {"jp-yamanashi-bus-2019", date_t{2019y / 8 / 27}, 1'396},
      {"us-tampa-hart-multimodal", date_t{2018y / 7 / 10}, 3'243},
      {"us-dc-wmata-metrorail", date_t{2026y / 5 / 5}, 1'690},
      {"br-portoalegre-bus-metro-osm/gtfs-eptc-bus", date_t{2019y / 5 / 14}, 2'374},
      {"br-portoalegre-bus-metro-osm/gtfs-trensurb-metro", date_t{2019y / 5 / 14}, 529},
      {"us-cobbcounty-flex-osm/cobblinc-bus-30-only", date_t{2021y / 11 / 2}, 115},
      {"us-cobbcounty-flex-osm/marta-bus-856-only", date_t{2021y / 11 / 2}, 78},
      {"rt-samples/us-caltrain/gtfs", date_t{2023y / 11 / 7}, 104},
      {"rt-samples/us-bart/gtfs", date_t{2019y / 8 / 7}, 1'112},
  }));
  NEBUTA_REQUIRE_DATASET(path, e.folder);
  INFO("feed " << e.folder);
  auto const r = load_one("feed", path);
  CHECK(active_on(r.tt, e.day) == e.trips);
}

// ------------------------------------------------------------------ invariants

TEST_CASE("validate(): no violations on any shared feed", "[timetable][validate][shared_data]") {
  auto const* folder = GENERATE(
      as<char const*>{}, "jp-hachinohe-citybus", "jp-hakodate-citytram", "jp-kobe-portliner-unofficial",
      "jp-yamanashi-bus-2019", "us-tampa-hart-multimodal", "us-dc-wmata-metrorail", "mx-cdmx-multimodal-frequencies",
      "br-portoalegre-bus-metro-osm/gtfs-eptc-bus", "br-portoalegre-bus-metro-osm/gtfs-trensurb-metro",
      "br-saopaulo-frequencies-osm/gtfs-sptrans-sample", "us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex",
      "us-cobbcounty-flex-osm/cobblinc-bus-30-only", "us-cobbcounty-flex-osm/marta-bus-856-only", "us-ctran-flex",
      "us-aspen-flex-on-demand", "rt-samples/us-caltrain/gtfs", "rt-samples/us-bart/gtfs");
  NEBUTA_REQUIRE_DATASET(path, folder);
  INFO("feed " << folder);
  auto const r = load_one("feed", path);
  auto const errors = r.tt.validate();
  for (auto const& e : errors) UNSCOPED_INFO(e);
  CHECK(errors.empty());
  // The two on-demand feeds have only GTFS-Flex rows (zones / windows, no timetabled stops).
  auto const flex_only =
      std::string_view{folder} == "us-ctran-flex" || std::string_view{folder} == "us-aspen-flex-on-demand";
  if (flex_only) {
    CHECK(r.tt.n_stop_times() == 0);
  } else {
    CHECK(r.tt.n_stop_times() > 0);
  }
}

TEST_CASE("validate(): detects a broken timetable", "[timetable][validate]") {
  auto r = load_one("sample", NEBUTA_SOURCE_DIR "/data/sample");
  REQUIRE(r.tt.validate().empty());
  SECTION("time decreasing along a trip") {
    auto const route = route_idx{0};
    REQUIRE(r.tt.route_stops[route].size() >= 2);
    r.tt.arrivals[r.tt.route_time_base[route] + r.tt.route_n_trips[route]] = -10'000;  // stop 1, trip 0
    CHECK_FALSE(r.tt.validate().empty());
  }
  SECTION("trips out of order") {
    auto const differ = [&](route_idx x) {
      auto const b = r.tt.route_time_base[x];
      return r.tt.route_n_trips[x] >= 2 && r.tt.departures[b] != r.tt.departures[b + 1];
    };
    auto route = route_idx{0};
    while (route.v() < r.tt.n_routes() && !differ(route)) ++route;
    REQUIRE(route.v() < r.tt.n_routes());
    auto const base = r.tt.route_time_base[route];
    std::swap(r.tt.departures[base], r.tt.departures[base + 1]);
    std::swap(r.tt.arrivals[base], r.tt.arrivals[base + 1]);
    CHECK_FALSE(r.tt.validate().empty());
  }
  SECTION("array sizes") {
    r.tt.departures.pop_back();
    CHECK_FALSE(r.tt.validate().empty());
  }
}

// ------------------------------------------------------------------ snapshots

TEST_CASE("snapshot: write -> read -> write gives the same bytes", "[timetable][snapshot][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hakodate-citytram");
  auto const r = load_one("hakodate", path);
  auto const bytes = write_snapshot(r.tt);
  REQUIRE(looks_like_snapshot(bytes));
  auto const back = read_snapshot(bytes);
  CHECK(back.validate().empty());
  CHECK(back.n_stops() == r.tt.n_stops());
  CHECK(back.n_trips() == r.tt.n_trips());
  CHECK(back.n_stop_times() == r.tt.n_stop_times());
  CHECK(back.text(back.stop_names[stop(back, "hkd17")], chain({"en"})) == "Hakodate station");
  CHECK(active_on(back, date_t{2018y / 5 / 15}) == 317);
  auto const again = write_snapshot(back);
  CHECK(again.size() == bytes.size());
  CHECK((again == bytes));
  // Two independent compilations of the same feed are byte-identical too.
  CHECK((write_snapshot(load_one("hakodate", path).tt) == bytes));
}

TEST_CASE("snapshot: another version, a damaged or truncated file is refused", "[timetable][snapshot]") {
  auto const r = load_one("sample", NEBUTA_SOURCE_DIR "/data/sample");
  auto const bytes = write_snapshot(r.tt);
  REQUIRE(bytes.size() > 64);
  REQUIRE_NOTHROW(read_snapshot(bytes));

  // Header: 8 bytes magic, 4 bytes version (little-endian), 4 reserved, 8 fingerprint.
  SECTION("version field") {
    auto copy = bytes;
    copy[8] = static_cast<char>(copy[8] + 1);
    CHECK(looks_like_snapshot(copy));
    CHECK_THROWS_AS(read_snapshot(copy), snapshot_error);
    CHECK_THROWS_WITH(read_snapshot(copy), Catch::Contains("version"));
  }
  SECTION("fingerprint") {
    auto copy = bytes;
    copy[16] = static_cast<char>(copy[16] ^ 0x5A);
    CHECK_THROWS_AS(read_snapshot(copy), snapshot_error);
  }
  SECTION("magic") {
    auto copy = bytes;
    copy[0] = 'X';
    CHECK_FALSE(looks_like_snapshot(copy));
    CHECK_THROWS_AS(read_snapshot(copy), snapshot_error);
  }
  SECTION("truncated anywhere") {
    for (auto const keep : {std::size_t{0}, std::size_t{4}, std::size_t{8}, std::size_t{23}, std::size_t{24},
                            std::size_t{31}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
      INFO("kept " << keep << " of " << bytes.size() << " bytes");
      std::vector<char> const cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
      CHECK_THROWS_AS(read_snapshot(cut), snapshot_error);
    }
  }
  SECTION("trailing bytes") {
    auto copy = bytes;
    copy.push_back('\0');
    CHECK_THROWS_AS(read_snapshot(copy), snapshot_error);
  }
  SECTION("huge element count") {
    // The first member's element count (right after the header) set to 2^62: refused, not allocated.
    auto copy = bytes;
    std::uint64_t const n = std::uint64_t{1} << 62;
    std::memcpy(copy.data() + 24, &n, sizeof(n));
    CHECK_THROWS_AS(read_snapshot(copy), snapshot_error);
  }
}
