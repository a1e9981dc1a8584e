// The `nebuta` binary end to end on the bundled sample feed. Expected values were counted from
// data/sample/*.txt (rows) and with a separate script (RAPTOR routes, busiest day).
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "run_nebuta.h"

namespace fs = std::filesystem;

namespace {

using nebuta::test::read_file;
using nebuta::test::run_nebuta;
using nebuta::test::shell_quote;
using nebuta::test::temp_dir;

std::string const nebuta_bin = NEBUTA_BINARY_DIR "/api/nebuta";
std::string const sample = NEBUTA_SOURCE_DIR "/data/sample";

nlohmann::json run_json(std::string const& args) {
  auto const r = run_nebuta(args);
  INFO("nebuta " << args << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

// data/sample: agency.txt 3 rows, stops.txt 50, routes.txt 6, trips.txt 308, stop_times.txt 2,595;
// 15 RAPTOR routes (stop pattern + no-overtaking split, the loop bus expanded from frequencies);
// every trip runs between 2026-04-01 and 2027-03-31 and the busiest day is the first one
// (Wed 2026-04-01, 142 compiled trips, ties go to the earliest day); translations in ja, ja-Hrkt,
// en, zh-Hans and ko; a clean feed has no warnings.
void check_sample_summary(nlohmann::json const& j) {
  for (auto const* key : {"agencies", "stops", "routes", "trips", "stop_times", "raptor_routes", "service_start",
                          "service_end", "busiest_day", "languages", "warnings", "load_seconds"}) {
    INFO("key " << key);
    CHECK(j.contains(key));
  }
  CHECK(j.value("agencies", -1) == 3);
  CHECK(j.value("stops", -1) == 50);
  CHECK(j.value("routes", -1) == 6);
  CHECK(j.value("trips", -1) == 308);
  CHECK(j.value("stop_times", -1) == 2'595);
  CHECK(j.value("raptor_routes", -1) == 15);
  CHECK(j.value("service_start", "") == "2026-04-01");
  CHECK(j.value("service_end", "") == "2027-03-31");
  CHECK(j.value("busiest_day", "") == "2026-04-01");
  REQUIRE(j.contains("languages"));
  REQUIRE(j["languages"].is_array());
  CHECK(j["languages"].get<std::set<std::string>>() == std::set<std::string>{"ja", "ja-Hrkt", "en", "zh-Hans", "ko"});
  REQUIRE(j.contains("warnings"));
  CHECK(j["warnings"].is_object());
  CHECK(j["warnings"].empty());
  REQUIRE(j.contains("load_seconds"));
  CHECK(j["load_seconds"].is_number());
  CHECK(j["load_seconds"].get<double>() >= 0.0);
}

}  // namespace

TEST_CASE("cli: inspect --format json on the sample feed", "[cli]") {
  REQUIRE(fs::exists(nebuta_bin));
  auto const j = run_json("inspect --feed " + shell_quote(sample) + " --format json");
  check_sample_summary(j);
}

TEST_CASE("cli: inspect prints a text summary", "[cli]") {
  auto const r = run_nebuta("inspect --feed " + shell_quote(sample));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("2595"));
  CHECK_THAT(r.out, Catch::Contains("2026-04-01"));
}

TEST_CASE("cli: import -o then inspect --snapshot gives the same summary", "[cli][snapshot]") {
  temp_dir dir{"import"};
  auto const snapshot = dir.path / "sample.bin";
  auto const imported = run_nebuta("import --feed " + shell_quote(sample) + " -o " + shell_quote(snapshot.string()));
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  REQUIRE(fs::exists(snapshot));
  CHECK(fs::file_size(snapshot) > 1'000);

  auto const from_feed = run_json("inspect --feed " + shell_quote(sample) + " --format json");
  auto const from_snapshot = run_json("inspect --snapshot " + shell_quote(snapshot.string()) + " --format json");
  check_sample_summary(from_snapshot);
  // The router's lower-bound graph is stored beside the timetable (docs/timetable.md).
  REQUIRE(from_snapshot["snapshot_sections"].size() == 2U);
  CHECK(from_snapshot["snapshot_sections"][0]["name"] == "raptor.lower_bound_graph");
  CHECK(from_snapshot["snapshot_sections"][0]["bytes"].get<std::size_t>() > 1'000U);
  CHECK(from_snapshot["snapshot_sections"][1]["name"] == "raptor.seated_links");
  CHECK(from_feed["snapshot_sections"].empty());
  for (auto const* key : {"agencies", "stops", "routes", "trips", "stop_times", "raptor_routes", "service_start",
                          "service_end", "busiest_day", "languages", "warnings"}) {
    INFO("key " << key);
    CHECK(from_snapshot[key] == from_feed[key]);
  }

  SECTION("a snapshot from another version is refused with a clear message") {
    auto bytes = read_file(snapshot);
    bytes[8] = static_cast<char>(bytes[8] + 1);  // format version field
    auto const other = dir.path / "other.bin";
    std::ofstream{other, std::ios::binary} << bytes;
    auto const r = run_nebuta("inspect --snapshot " + shell_quote(other.string()));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("version"));
  }
  SECTION("a truncated snapshot is refused") {
    auto bytes = read_file(snapshot);
    bytes.resize(bytes.size() / 2);
    auto const cut = dir.path / "cut.bin";
    std::ofstream{cut, std::ios::binary} << bytes;
    auto const r = run_nebuta("inspect --snapshot " + shell_quote(cut.string()));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("truncated"));
  }
}

TEST_CASE("cli: a bad path fails with a message", "[cli]") {
  auto const missing = std::string{"/nonexistent/nebuta-no-such-feed"};
  SECTION("inspect") {
    auto const r = run_nebuta("inspect --feed " + shell_quote(missing));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("nebuta-no-such-feed"));
    CHECK(r.out.empty());
  }
  SECTION("import") {
    temp_dir dir{"bad-import"};
    auto const out = dir.path / "x.bin";
    auto const r = run_nebuta("import --feed " + shell_quote(missing) + " -o " + shell_quote(out.string()));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("nebuta-no-such-feed"));
    CHECK_FALSE(fs::exists(out));
  }
  SECTION("snapshot") {
    auto const r = run_nebuta("inspect --snapshot " + shell_quote(missing + ".bin"));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("nebuta-no-such-feed"));
  }
  SECTION("a folder that is not a feed") {
    temp_dir dir{"empty-folder"};
    auto const r = run_nebuta("inspect --feed " + shell_quote(dir.path.string()));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("agency.txt"));
  }
}

TEST_CASE("cli: --validate lists problems with file:line", "[cli][validate]") {
  temp_dir dir{"broken"};
  auto const feed = dir.path / "broken";
  fs::create_directories(feed);
  std::ofstream{feed / "agency.txt"} << "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://a/,Asia/Tokyo\n";
  std::ofstream{feed / "stops.txt"} << "stop_id,stop_name,stop_lat,stop_lon\nS1,One,40.5,141.4\nS2,Two,40.51,141.41\n";
  std::ofstream{feed / "routes.txt"} << "route_id,agency_id,route_type\nR1,A,3\n";
  std::ofstream{feed / "trips.txt"} << "route_id,service_id,trip_id\nR1,WK,T1\n";
  std::ofstream{feed / "stop_times.txt"} << "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                                            "T1,08:00:00,08:00:00,S1,1\n"
                                            "T1,08:05:00,08:05:00,NOPE,2\n"  // line 3: unknown stop
                                            "T1,08:1x:00,08:10:00,S2,3\n"    // line 4: bad time
                                            "T1,08:20:00,08:20:00,S2,4\n";
  std::ofstream{feed / "calendar.txt"} << "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                                          "WK,1,1,1,1,1,0,0,20260401,20260430\n";

  SECTION("text") {
    auto const r = run_nebuta("inspect --feed " + shell_quote(feed.string()) + " --validate");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("stop_times.txt:3:") && Catch::Contains("NOPE"));
    CHECK_THAT(r.out, Catch::Contains("stop_times.txt:4:") && Catch::Contains("08:1x:00"));
  }
  SECTION("json") {
    auto const j = run_json("inspect --feed " + shell_quote(feed.string()) + " --validate --format json");
    REQUIRE(j.contains("problems"));
    std::set<std::pair<std::string, int>> where;
    for (auto const& p : j["problems"]) where.emplace(p.value("file", ""), p.value("line", 0));
    CHECK(where.count({"stop_times.txt", 3}) == 1);
    CHECK(where.count({"stop_times.txt", 4}) == 1);
    CHECK(j["warnings"].value("unknown_stop", 0) == 1);
    CHECK(j["warnings"].value("bad_time", 0) == 1);
  }
}
