// Malformed feeds give the documented result: a bad row is reported as file:line with a stable
// kind, skipped and counted; a missing required file or column is a gtfs::feed_error naming it;
// nothing crashes (the fuzz cases run under ASan/UBSan in the sanitizer build).
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/snapshot.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
namespace gtfs = nebuta::gtfs;
using files = std::map<std::string, std::string>;

namespace {

using nebuta::test::temp_dir;

// A small valid feed. Line numbers in the comments are what the tests below expect.
files base_feed() {
  return {
      {"agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://a.example/,Asia/Tokyo\n"},
      {"stops.txt",
       "stop_id,stop_name,stop_lat,stop_lon\n"
       "S1,One,40.50,141.40\n"      // line 2
       "S2,Two,40.51,141.41\n"      // line 3
       "S3,Three,40.52,141.42\n"},  // line 4
      {"routes.txt", "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n"},
      {"trips.txt", "route_id,service_id,trip_id\nR1,WK,T1\nR1,WK,T2\n"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
       "T1,08:00:00,08:00:00,S1,1\n"    // line 2
       "T1,08:10:00,08:10:00,S2,2\n"    // line 3
       "T1,08:20:00,08:20:00,S3,3\n"    // line 4
       "T2,09:00:00,09:00:00,S1,1\n"    // line 5
       "T2,09:10:00,09:10:00,S2,2\n"    // line 6
       "T2,09:20:00,09:20:00,S3,3\n"},  // line 7
      {"calendar.txt",
       "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
       "WK,1,1,1,1,1,0,0,20260401,20260430\n"},
  };
}

// The base feed plus the optional files, for the fuzz cases.
files rich_feed() {
  auto f = base_feed();
  f["calendar_dates.txt"] = "service_id,date,exception_type\nWK,20260429,2\nWK,20260502,1\n";
  f["frequencies.txt"] = "trip_id,start_time,end_time,headway_secs\nT2,09:00:00,10:00:00,1800\n";
  f["transfers.txt"] = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nS1,S2,2,120\nS3,S3,2,60\n";
  f["translations.txt"] =
      "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"
      "stops,stop_name,en,\"One, \"\"first\"\"\",S1,,\nstops,stop_name,ja,二,,,Two\n";
  f["feed_info.txt"] =
      "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date\nP,https://p/,en,20260401,20260430\n";
  return f;
}

void write_feed(fs::path const& dir, files const& f) {
  fs::create_directories(dir);
  for (auto const& [name, content] : f) {
    std::ofstream out{dir / name, std::ios::binary | std::ios::trunc};
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
}

// The reader's and the import's problems are one type (nebuta::problem).
bool has_problem(std::vector<nebuta::problem> const& ps, std::string const& file, std::uint32_t line,
                 std::string const& kind) {
  return std::any_of(ps.begin(), ps.end(),
                     [&](auto const& p) { return p.file == file && p.line == line && p.kind == kind; });
}

std::uint64_t warning_count(nebuta::timetable const& tt, std::string_view kind) {
  for (auto const& w : tt.warnings) {
    if (tt.strings[w.kind] == kind) return w.count;
  }
  return 0;
}

template <typename Problems>
std::string dump(Problems const& ps) {
  std::string s;
  for (auto const& p : ps) s += p.to_string() + " [" + p.kind + "]\n";
  return s;
}

std::string feed_error_message(fs::path const& dir) {
  try {
    gtfs::read_feed(dir);
  } catch (gtfs::feed_error const& e) {
    return e.what();
  }
  return "(no feed_error)";
}

}  // namespace

TEST_CASE("malformed: the base fixture itself is clean", "[malformed]") {
  temp_dir dir{"base"};
  write_feed(dir.path, rich_feed());
  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  INFO(dump(r.problems));
  CHECK(r.problems.empty());
  CHECK(r.tt.n_stops() == 3);
  CHECK(r.tt.n_trips() == 1 + 2);  // T1 plus T2 at 09:00 and 09:30
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: truncated file (last row cut mid-way)", "[malformed]") {
  temp_dir dir{"truncated"};
  auto f = base_feed();
  auto& st = f["stop_times.txt"];

  SECTION("cut inside a field: too few fields") {
    st = st.substr(0, st.rfind("09:20:00,S3") + 4);  // "T2,09:20:00,09:2"
    write_feed(dir.path, f);
    auto const feed = gtfs::read_feed(dir.path);
    INFO(dump(feed.problems.entries()));
    CHECK(has_problem(feed.problems.entries(), "stop_times.txt", 7, "short_row"));
    // Issue 12 item 7 changed this on purpose: a short row is read with its missing trailing
    // fields empty, so the empty required stop_sequence is reported too (it was 1 problem).
    CHECK(has_problem(feed.problems.entries(), "stop_times.txt", 7, "missing_value"));
    CHECK(feed.problems.total() == 2);
    CHECK(feed.problems.counts().at("short_row") == 1);
    CHECK(feed.stop_times.size() == 5);

    auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
    CHECK(has_problem(r.problems, "stop_times.txt", 7, "short_row"));
    CHECK(warning_count(r.tt, "short_row") == 1);
    CHECK(r.tt.n_trips() == 2);  // T2 keeps its first two stops
    CHECK(r.tt.n_stop_times() == 3 + 2);
    CHECK(r.tt.validate().empty());
  }
  SECTION("cut after a separator: empty required stop_sequence") {
    st = st.substr(0, st.rfind(",3\n") + 1);  // "T2,09:20:00,09:20:00,S3,"
    write_feed(dir.path, f);
    auto const feed = gtfs::read_feed(dir.path);
    INFO(dump(feed.problems.entries()));
    CHECK(has_problem(feed.problems.entries(), "stop_times.txt", 7, "missing_value"));
    CHECK(feed.problems.total() == 1);
    CHECK(feed.stop_times.size() == 5);
  }
  SECTION("cut in the header: a required column is missing") {
    st = "trip_id,arrival_time,departure_time,stop_id,stop_seq";
    write_feed(dir.path, f);
    auto const msg = feed_error_message(dir.path);
    CHECK_THAT(msg, Catch::Contains("stop_times.txt") && Catch::Contains("stop_sequence"));
  }
}

TEST_CASE("malformed: unclosed quote", "[malformed]") {
  temp_dir dir{"quote"};
  auto f = base_feed();
  f["stops.txt"] =
      "stop_id,stop_name,stop_lat,stop_lon\n"
      "S1,One,40.50,141.40\n"
      "S2,\"Two,40.51,141.41\n"  // line 3: the quote never closes
      "S3,Three,40.52,141.42\n";
  write_feed(dir.path, f);
  auto const feed = gtfs::read_feed(dir.path);
  INFO(dump(feed.problems.entries()));
  CHECK(has_problem(feed.problems.entries(), "stops.txt", 3, "unclosed_quote"));
  CHECK(feed.problems.counts().at("unclosed_quote") == 1);
  REQUIRE(feed.stops.size() == 1);  // the rest of the file is unreadable
  CHECK(feed.stops[0].stop_id == "S1");
  CHECK(feed.stop_times.size() == 6);  // other files are unaffected

  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  INFO(dump(r.problems));
  CHECK(has_problem(r.problems, "stops.txt", 3, "unclosed_quote"));
  for (std::uint32_t line : {3U, 4U, 6U, 7U}) CHECK(has_problem(r.problems, "stop_times.txt", line, "unknown_stop"));
  CHECK(warning_count(r.tt, "unknown_stop") == 4);
  CHECK(r.tt.n_trips() == 0);  // each trip is left with one stop: dropped
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: unknown stop referenced in stop_times", "[malformed]") {
  temp_dir dir{"unknown-stop"};
  auto f = base_feed();
  auto& st = f["stop_times.txt"];
  st.replace(st.find("S2,2"), 2, "S9");  // line 3
  write_feed(dir.path, f);
  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  INFO(dump(r.problems));
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].file == "stop_times.txt");
  CHECK(r.problems[0].line == 3);
  CHECK(r.problems[0].kind == "unknown_stop");
  CHECK_THAT(r.problems[0].to_string(), Catch::StartsWith("stop_times.txt:3: ") && Catch::Contains("S9"));
  CHECK(warning_count(r.tt, "unknown_stop") == 1);
  // T1 keeps S1 and S3; T2 is intact.
  REQUIRE(r.tt.n_trips() == 2);
  CHECK(r.tt.n_stop_times() == 2 + 3);
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: non-numeric or out-of-range stop_lat", "[malformed]") {
  temp_dir dir{"lat"};
  auto f = base_feed();
  auto& stops = f["stops.txt"];
  SECTION("text") { stops.replace(stops.find("40.51"), 5, "north"); }
  SECTION("out of range") { stops.replace(stops.find("40.51"), 5, "95.51"); }
  write_feed(dir.path, f);
  auto const feed = gtfs::read_feed(dir.path);
  INFO(dump(feed.problems.entries()));
  CHECK(has_problem(feed.problems.entries(), "stops.txt", 3, "bad_coordinate"));
  CHECK(feed.problems.total() == 1);
  REQUIRE(feed.stops.size() == 2);
  CHECK(feed.stops[0].stop_id == "S1");
  CHECK(feed.stops[1].stop_id == "S3");

  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  CHECK(has_problem(r.problems, "stops.txt", 3, "bad_coordinate"));
  CHECK(has_problem(r.problems, "stop_times.txt", 3, "unknown_stop"));
  CHECK(has_problem(r.problems, "stop_times.txt", 6, "unknown_stop"));
  CHECK(warning_count(r.tt, "bad_coordinate") == 1);
  CHECK(r.tt.n_stops() == 2);
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: bad values in other rows are skipped and counted", "[malformed]") {
  temp_dir dir{"values"};
  auto f = base_feed();
  auto& st = f["stop_times.txt"];
  st.replace(st.find("08:10:00,08:10:00"), 17, "08:1O:00,08:10:00");  // line 3, letter O
  st += "T2,09:30:00,09:30:00,S1,4,extra\n";                          // line 8: one field too many
  f["routes.txt"] += "R2,A,2,bus\n";                                  // line 3: route_type not a number
  write_feed(dir.path, f);
  auto const feed = gtfs::read_feed(dir.path);
  INFO(dump(feed.problems.entries()));
  CHECK(has_problem(feed.problems.entries(), "stop_times.txt", 3, "bad_time"));
  CHECK(has_problem(feed.problems.entries(), "stop_times.txt", 8, "long_row"));
  CHECK(has_problem(feed.problems.entries(), "routes.txt", 3, "bad_number"));
  CHECK(feed.problems.total() == 3);
  CHECK(feed.stop_times.size() == 5);
  CHECK(feed.routes.size() == 1);
}

TEST_CASE("lenient: a row with fewer fields than the header keeps its trailing fields empty", "[malformed][lenient]") {
  temp_dir dir{"short-rows"};
  auto f = base_feed();
  // Writers that drop trailing empty fields: the header has 6 columns, these rows 5 and 4.
  f["stops.txt"] =
      "stop_id,stop_name,stop_lat,stop_lon,zone_id,platform_code\n"
      "S1,One,40.50,141.40,Z1,1\n"  // line 2: complete
      "S2,Two,40.51,141.41,Z2\n"    // line 3: no platform_code
      "S3,Three,40.52,141.42\n";    // line 4: no zone_id, no platform_code
  f["stop_times.txt"] =
      "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
      "T1,08:00:00,08:00:00,S1,1\n"       // line 2
      "T1,08:10:00,08:10:00,S2,2,0\n"     // line 3
      "T1,08:20:00,08:20:00,S3,3,0,0\n";  // line 4: complete
  write_feed(dir.path, f);
  auto const feed = gtfs::read_feed(dir.path);
  INFO(dump(feed.problems.entries()));
  REQUIRE(feed.stops.size() == 3);
  CHECK(feed.stops[1].zone_id == "Z2");
  CHECK(feed.stops[1].platform_code.empty());
  CHECK(feed.stops[2].zone_id.empty());
  CHECK(feed.stops[2].stop_lon == 141.42);
  CHECK(feed.stop_times.size() == 3);
  for (std::uint32_t line : {3U, 4U}) CHECK(has_problem(feed.problems.entries(), "stops.txt", line, "short_row"));
  for (std::uint32_t line : {2U, 3U}) CHECK(has_problem(feed.problems.entries(), "stop_times.txt", line, "short_row"));
  CHECK(feed.problems.counts().at("short_row") == 4);
  CHECK(feed.problems.total() == 4);  // warnings only: nothing was dropped

  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  CHECK(warning_count(r.tt, "short_row") == 4);
  CHECK(r.tt.n_stops() == 3);
  CHECK(r.tt.n_stop_times() == 3);
  CHECK(r.tt.validate().empty());
}

TEST_CASE("lenient: H:MM and HH:MM times without seconds are read with a warning", "[malformed][lenient]") {
  temp_dir dir{"hhmm"};
  auto f = base_feed();
  f["stop_times.txt"] =
      "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
      "T1,8:00,8:00,S1,1\n"           // line 2: H:MM
      "T1,08:10,08:11:30,S2,2\n"      // line 3: HH:MM and HH:MM:SS mixed
      "T1,25:20,25:20,S3,3\n"         // line 4: past midnight
      "T2,09:0,09:00:00,S1,1\n"       // line 5: one minute digit: still malformed
      "T2,09:10:00,09:10:00,S2,2\n";  // line 6
  write_feed(dir.path, f);
  auto const feed = gtfs::read_feed(dir.path);
  INFO(dump(feed.problems.entries()));
  REQUIRE(feed.stop_times.size() == 4);
  CHECK(feed.stop_times[0].arrival_time == 8 * 3600);
  CHECK(feed.stop_times[1].arrival_time == 8 * 3600 + 600);
  CHECK(feed.stop_times[1].departure_time == 8 * 3600 + 690);
  CHECK(feed.stop_times[2].departure_time == 25 * 3600 + 1200);
  for (std::uint32_t line : {2U, 3U, 4U})
    CHECK(has_problem(feed.problems.entries(), "stop_times.txt", line, "time_without_seconds"));
  CHECK(feed.problems.counts().at("time_without_seconds") == 5);  // two per row on lines 2 and 4, one on 3
  CHECK(has_problem(feed.problems.entries(), "stop_times.txt", 5, "bad_time"));
  CHECK(feed.problems.total() == 6);

  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  CHECK(warning_count(r.tt, "time_without_seconds") == 5);
  CHECK(r.tt.n_trips() == 1);  // T2 keeps one stop only: dropped
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: missing stop_times.txt", "[malformed]") {
  temp_dir dir{"missing"};
  auto f = base_feed();
  f.erase("stop_times.txt");
  write_feed(dir.path, f);
  CHECK_THAT(feed_error_message(dir.path), Catch::Contains("missing required file stop_times.txt"));
  CHECK_THROWS_AS(nebuta::gtfs_import::load({{"f", dir.path}}), gtfs::feed_error);
}

TEST_CASE("malformed: missing calendar.txt and calendar_dates.txt", "[malformed]") {
  temp_dir dir{"no-calendar"};
  auto f = base_feed();
  f.erase("calendar.txt");
  write_feed(dir.path, f);
  CHECK_THAT(feed_error_message(dir.path), Catch::Contains("calendar.txt"));
}

TEST_CASE("malformed: missing required column names file and column", "[malformed]") {
  temp_dir dir{"column"};
  auto f = base_feed();
  std::string file, column;
  SECTION("stops.txt stop_id") {
    file = "stops.txt", column = "stop_id";
    f[file] = "id,stop_name,stop_lat,stop_lon\nS1,One,40.5,141.4\n";
  }
  SECTION("trips.txt service_id") {
    file = "trips.txt", column = "service_id";
    f[file] = "route_id,trip_id\nR1,T1\n";
  }
  SECTION("calendar.txt monday") {
    file = "calendar.txt", column = "monday";
    f[file] =
        "service_id,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,0,0,20260401,20260430\n";
  }
  SECTION("routes.txt route_type") {
    file = "routes.txt", column = "route_type";
    f[file] = "route_id,agency_id\nR1,A\n";
  }
  write_feed(dir.path, f);
  auto const msg = feed_error_message(dir.path);
  CHECK_THAT(msg, Catch::Contains(file) && Catch::Contains("missing required column " + column));
}

TEST_CASE("malformed: empty files", "[malformed]") {
  temp_dir dir{"empty"};
  auto f = base_feed();
  SECTION("required file empty") {
    f["stop_times.txt"] = "";
    write_feed(dir.path, f);
    CHECK_THAT(feed_error_message(dir.path), Catch::Contains("stop_times.txt"));
  }
  SECTION("required file with only a BOM and blank lines") {
    f["stops.txt"] = "\xEF\xBB\xBF\r\n\r\n";
    write_feed(dir.path, f);
    CHECK_THAT(feed_error_message(dir.path), Catch::Contains("stops.txt"));
  }
  SECTION("optional files empty or header-only are simply absent") {
    f["transfers.txt"] = "";
    f["frequencies.txt"] = "trip_id,start_time,end_time,headway_secs\n";
    f["translations.txt"] = "";
    write_feed(dir.path, f);
    auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
    INFO(dump(r.problems));
    CHECK(r.problems.empty());
    CHECK(r.tt.n_trips() == 2);
  }
}

TEST_CASE("malformed: stop_times.txt with a header and no rows", "[malformed]") {
  temp_dir dir{"no-rows"};
  auto f = base_feed();
  f["stop_times.txt"] = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n";
  write_feed(dir.path, f);
  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  INFO(dump(r.problems));
  // Both trips (trips.txt lines 2 and 3) have no stop times: reported and dropped.
  CHECK(has_problem(r.problems, "trips.txt", 2, "trip_without_times"));
  CHECK(has_problem(r.problems, "trips.txt", 3, "trip_without_times"));
  CHECK(r.tt.n_trips() == 0);
  CHECK(r.tt.n_stops() == 3);
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: every stop_times row names an unknown trip", "[malformed]") {
  temp_dir dir{"unknown-trip"};
  auto f = base_feed();
  auto& st = f["stop_times.txt"];
  for (auto pos = st.find("\nT"); pos != std::string::npos; pos = st.find("\nT", pos + 1)) st[pos + 1] = 'X';
  write_feed(dir.path, f);
  auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
  INFO(dump(r.problems));
  for (std::uint32_t line = 2; line <= 7; ++line)
    CHECK(has_problem(r.problems, "stop_times.txt", line, "unknown_trip"));
  CHECK(warning_count(r.tt, "unknown_trip") == 6);
  CHECK(r.tt.n_trips() == 0);
  CHECK(r.tt.validate().empty());
}

TEST_CASE("malformed: frequencies that would overflow the time type", "[malformed][frequencies]") {
  temp_dir dir{"freq-overflow"};
  auto f = base_feed();
  SECTION("shifted times past 2^31 s") {
    // T1 runs 08:00-08:20; a copy starting at hour 499,998 ends after 2^31 - 1 s only if the trip
    // is long, so make T1 span 400,000 hours.
    auto& st = f["stop_times.txt"];
    st.replace(st.find("08:20:00,08:20:00"), 17, "400000:00:00,400000:00:00");
    f["frequencies.txt"] = "trip_id,start_time,end_time,headway_secs\nT1,499998:00:00,499999:00:00,3600\n";
    write_feed(dir.path, f);
    auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
    INFO(dump(r.problems));
    CHECK(has_problem(r.problems, "frequencies.txt", 2, "bad_frequency"));
    CHECK(r.tt.n_trips() == 1);  // T2 only
    CHECK(r.tt.validate().empty());
  }
  SECTION("start + headway past 2^31 s") {
    f["frequencies.txt"] = "trip_id,start_time,end_time,headway_secs\nT1,499998:00:00,499999:00:00,2000000000\n";
    write_feed(dir.path, f);
    auto const r = nebuta::gtfs_import::load({{"f", dir.path}});
    INFO(dump(r.problems));
    CHECK(r.problems.empty());
    REQUIRE(r.tt.n_trips() == 2);  // one departure of T1 at hour 499,998, plus T2
    CHECK(*std::max_element(r.tt.departures.begin(), r.tt.departures.end()) == 499'998 * 3600 + 20 * 60);
    CHECK(r.tt.validate().empty());
  }
}

// ------------------------------------------------------------------ fuzzing (deterministic seeds)

namespace {

// Runs the whole load path. Allowed outcomes: success (with problems) or gtfs::feed_error.
// Every problem must name a feed file and a line that exists in it.
// Returns true when the feed loaded (possibly with problems).
bool load_must_not_crash(fs::path const& dir, files const& written) {
  try {
    auto const r = nebuta::gtfs_import::load({{"f", dir}});
    auto const errors = r.tt.validate();
    INFO(dump(r.problems));
    for (auto const& e : errors) UNSCOPED_INFO(e);
    REQUIRE(errors.empty());
    for (auto const& p : r.problems) {
      auto const it = written.find(p.file);
      INFO(p.to_string());
      REQUIRE(it != written.end());
      auto const lines = static_cast<std::uint32_t>(std::count(it->second.begin(), it->second.end(), '\n')) + 1;
      REQUIRE(p.line <= lines);
    }
    // A compiled timetable always survives the snapshot round trip.
    auto const bytes = nebuta::write_snapshot(r.tt);
    REQUIRE((nebuta::write_snapshot(nebuta::read_snapshot(bytes)) == bytes));
    return true;
  } catch (gtfs::feed_error const&) {
    return false;  // a missing required file or column: documented
  }
}

std::string mutate(std::string s, std::mt19937& rng) {
  static constexpr char interesting[] = {'"', ',', '\n', '\r', ' ', ':', '0', '9', '-', '+', '\0', '\xEF', '\xFF'};
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng); };
  auto const n_ops = 1 + pick(3);
  for (std::size_t op = 0; op < n_ops; ++op) {
    auto const pos = s.empty() ? 0 : pick(s.size() + 1);
    switch (pick(7)) {
      case 0:  // replace one byte with an interesting one
        if (pos < s.size()) s[pos] = interesting[pick(sizeof(interesting))];
        break;
      case 1:  // insert an interesting byte
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), interesting[pick(sizeof(interesting))]);
        break;
      case 2:  // random byte
        if (pos < s.size()) s[pos] = static_cast<char>(pick(256));
        break;
      case 3:  // delete a short range
        if (pos < s.size()) s.erase(pos, 1 + pick(8));
        break;
      case 4:  // truncate
        s.resize(pos);
        break;
      case 5:  // duplicate a range (repeats rows, ids and sequences)
        if (pos < s.size()) s.insert(pos, s.substr(pos, 1 + pick(40)));
        break;
      case 6:  // flip a digit
        if (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') s[pos] = static_cast<char>('0' + pick(10));
        break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("malformed: random mutations of a small valid feed never crash", "[malformed][fuzz]") {
  temp_dir dir{"fuzz"};
  std::mt19937 rng{20260408};
  auto const base = rich_feed();
  std::vector<std::string> names;
  for (auto const& [name, _] : base) names.push_back(name);
  auto loaded = 0;
  for (auto iteration = 0; iteration < 400; ++iteration) {
    INFO("iteration " << iteration);
    auto f = base;
    auto const n_files = 1 + std::uniform_int_distribution<int>{0, 2}(rng);
    for (auto i = 0; i < n_files; ++i) {
      auto const& name = names[std::uniform_int_distribution<std::size_t>{0, names.size() - 1}(rng)];
      f[name] = mutate(f[name], rng);
    }
    auto const feed_dir = dir.path / std::to_string(iteration);
    write_feed(feed_dir, f);
    loaded += load_must_not_crash(feed_dir, f) ? 1 : 0;
    fs::remove_all(feed_dir);
  }
  // Many mutations leave the headers intact: the rows, not only the header checks, are exercised.
  CHECK(loaded > 100);
}

TEST_CASE("malformed: garbage bytes in every file never crash", "[malformed][fuzz]") {
  temp_dir dir{"garbage"};
  std::mt19937 rng{4242};
  auto const base = base_feed();
  for (auto iteration = 0; iteration < 100; ++iteration) {
    INFO("iteration " << iteration);
    files f;
    for (auto const& [name, content] : base) {
      // Keep the header on half of the files so that the rows, not only the header, see garbage.
      auto const keep_header = std::uniform_int_distribution<int>{0, 1}(rng) == 1;
      std::string s = keep_header ? content.substr(0, content.find('\n') + 1) : "";
      auto const n = std::uniform_int_distribution<std::size_t>{0, 300}(rng);
      for (std::size_t i = 0; i < n; ++i)
        s.push_back(static_cast<char>(std::uniform_int_distribution<int>{0, 255}(rng)));
      f[name] = s;
    }
    auto const feed_dir = dir.path / std::to_string(iteration);
    write_feed(feed_dir, f);
    load_must_not_crash(feed_dir, f);
    fs::remove_all(feed_dir);
  }
}

TEST_CASE("malformed: damaged zip archives never crash", "[malformed][fuzz][zip]") {
  temp_dir dir{"zipfuzz"};
  auto const folder = dir.path / "feed";
  write_feed(folder, rich_feed());
  auto const zip_path = dir.path / "feed.zip";
  {
    int err = 0;
    zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    REQUIRE(z != nullptr);
    for (auto const& entry : fs::directory_iterator{folder}) {
      auto* src = zip_source_file(z, entry.path().c_str(), 0, 0);
      REQUIRE(src != nullptr);
      REQUIRE(zip_file_add(z, entry.path().filename().c_str(), src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    REQUIRE(zip_close(z) == 0);
  }
  std::string zip_bytes;
  {
    std::ifstream in{zip_path, std::ios::binary};
    zip_bytes.assign(std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{});
  }
  REQUIRE(zip_bytes.size() > 100);
  // The intact zip loads like the folder.
  CHECK(nebuta::gtfs_import::load({{"f", zip_path}}).tt.n_trips() == 3);

  std::mt19937 rng{7};
  for (auto iteration = 0; iteration < 150; ++iteration) {
    INFO("iteration " << iteration);
    auto damaged = zip_bytes;
    auto const n = 1 + std::uniform_int_distribution<int>{0, 3}(rng);
    for (auto i = 0; i < n; ++i) {
      auto const pos = std::uniform_int_distribution<std::size_t>{0, damaged.size() - 1}(rng);
      if (std::uniform_int_distribution<int>{0, 4}(rng) == 0) {
        damaged.resize(pos);  // truncated download
        if (damaged.empty()) break;
      } else {
        damaged[pos] = static_cast<char>(std::uniform_int_distribution<int>{0, 255}(rng));
      }
    }
    auto const p = dir.path / ("damaged-" + std::to_string(iteration) + ".zip");
    {
      std::ofstream out{p, std::ios::binary};
      out.write(damaged.data(), static_cast<std::streamsize>(damaged.size()));
    }
    try {
      auto const r = nebuta::gtfs_import::load({{"f", p}});
      CHECK(r.tt.validate().empty());
    } catch (gtfs::feed_error const&) {
      // unreadable archive or member: documented
    }
    fs::remove(p);
  }
}
