// Every real feed in ../shared/data loads with the counts listed in ../shared/data/README.md, and a
// feed read from a .zip compiles to exactly the same timetable as the folder it was made from.
#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/snapshot.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
namespace gtfs = nebuta::gtfs;

namespace {

using nebuta::test::temp_dir;

struct expected_counts {
  char const* folder;
  std::size_t stops, routes, trips, stop_times;
};

// Copied by hand from the summary table and the per-feed entries of ../shared/data/README.md.
constexpr expected_counts readme_counts[] = {
    {"jp-hachinohe-citybus", 680, 44, 2'148, 63'581},
    {"jp-hakodate-citytram", 78, 15, 635, 13'369},
    {"jp-kobe-portliner-unofficial", 12, 2, 833, 8'277},
    {"jp-yamanashi-bus-2019", 2'386, 369, 1'508, 49'425},
    {"us-tampa-hart-multimodal", 2'349, 45, 14'718, 435'507},
    {"us-dc-wmata-metrorail", 2'175, 7, 16'514, 352'668},
    {"mx-cdmx-multimodal-frequencies", 6'021, 145, 1'741, 70'714},
    {"br-portoalegre-bus-metro-osm/gtfs-eptc-bus", 3'986, 115, 2'374, 130'019},
    {"br-portoalegre-bus-metro-osm/gtfs-trensurb-metro", 24, 2, 1'248, 14'855},
    {"br-saopaulo-frequencies-osm/gtfs-sptrans-sample", 654, 19, 36, 860},
    {"us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex", 4, 3, 72, 288},
    {"us-cobbcounty-flex-osm/cobblinc-bus-30-only", 187, 2, 317, 19'597},
    {"us-cobbcounty-flex-osm/marta-bus-856-only", 166, 2, 468, 21'576},
    {"us-ctran-flex", 293, 6, 1'389, 2'778},
    {"us-aspen-flex-on-demand", 209, 1, 2, 4},
    {"rt-samples/us-caltrain/gtfs", 109, 9, 176, 3'498},
    {"rt-samples/us-bart/gtfs", 48, 8, 2'641, 32'185},
};

// Zips every regular file of `folder` into `zip_path`, under `prefix` inside the archive.
void write_zip(fs::path const& folder, fs::path const& zip_path, std::string const& prefix = "") {
  int err = 0;
  zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z != nullptr);
  if (!prefix.empty()) REQUIRE(zip_dir_add(z, prefix.c_str(), ZIP_FL_ENC_UTF_8) >= 0);
  for (auto const& entry : fs::directory_iterator{folder}) {
    if (!entry.is_regular_file()) continue;
    auto* src = zip_source_file(z, entry.path().c_str(), 0, 0);
    REQUIRE(src != nullptr);
    auto const name = (prefix.empty() ? "" : prefix + "/") + entry.path().filename().string();
    if (zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      FAIL("zip_file_add failed for " << name << ": " << zip_strerror(z));
    }
  }
  REQUIRE(zip_close(z) == 0);
}

std::string read_bytes(fs::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

std::vector<char> compile_snapshot(fs::path const& path) {
  auto const result = nebuta::gtfs_import::load({{"feed", path}});
  return nebuta::write_snapshot(result.tt);
}

}  // namespace

TEST_CASE("reader: every shared feed loads with the README counts", "[reader][shared_data]") {
  auto const which = GENERATE(range(std::size_t{0}, std::size(readme_counts)));
  auto const& expected = readme_counts[which];
  NEBUTA_REQUIRE_DATASET(path, expected.folder);
  INFO("feed " << expected.folder);

  auto const feed = gtfs::read_feed(path);
  CHECK(feed.stops.size() == expected.stops);
  CHECK(feed.routes.size() == expected.routes);
  CHECK(feed.trips.size() == expected.trips);
  CHECK(feed.stop_times.size() == expected.stop_times);
  // The README's checker parsed every one of these rows; the reader must not have skipped any.
  for (auto const& p : feed.problems.entries()) UNSCOPED_INFO(p.to_string());
  CHECK(feed.problems.total() == 0);
}

TEST_CASE("reader: the importer reports the same rows read per feed", "[reader][shared_data]") {
  // Two small feeds through the whole load path (reader + compiler): rows_read are the files' rows.
  NEBUTA_REQUIRE_DATASET(hakodate, "jp-hakodate-citytram");
  NEBUTA_REQUIRE_DATASET(sptrans, "br-saopaulo-frequencies-osm/gtfs-sptrans-sample");
  auto const result = nebuta::gtfs_import::load({{"hakodate", hakodate}, {"sptrans", sptrans}});
  REQUIRE(result.tt.n_feeds() == 2);
  auto const& h = result.tt.feed_stats[nebuta::feed_idx{0}];
  CHECK(h.agencies == 1);
  CHECK(h.stops == 78);
  CHECK(h.routes == 15);
  CHECK(h.trips == 635);
  CHECK(h.stop_times == 13'369);
  auto const& s = result.tt.feed_stats[nebuta::feed_idx{1}];
  CHECK(s.agencies == 2);
  CHECK(s.stops == 654);
  CHECK(s.routes == 19);
  CHECK(s.trips == 36);
  CHECK(s.stop_times == 860);
  CHECK(result.tt.n_stops() == 78 + 654);
  CHECK(result.load_seconds > 0.0);
}

TEST_CASE("reader: a zip gives the same bytes and the same timetable as its folder", "[reader][zip][shared_data]") {
  NEBUTA_REQUIRE_DATASET(folder, "jp-hakodate-citytram");
  temp_dir dir{"zip"};
  auto const flat = dir.path / "hakodate.zip";
  auto const nested = dir.path / "hakodate-nested.zip";
  write_zip(folder, flat);
  write_zip(folder, nested, "hakodate_shiden_gtfs");

  SECTION("file bytes") {
    gtfs::feed_source const zip_src{flat}, nested_src{nested}, folder_src{folder};
    CHECK(zip_src.is_zip());
    CHECK_FALSE(folder_src.is_zip());
    for (auto const* name : {"agency.txt", "stops.txt", "stop_times.txt", "translations.txt", "calendar_dates.txt"}) {
      INFO(name);
      auto const expected = read_bytes(folder / name);
      REQUIRE_FALSE(expected.empty());
      CHECK(zip_src.read(name) == expected);
      CHECK(nested_src.read(name) == expected);
    }
    CHECK_FALSE(zip_src.read("frequencies.txt").has_value());
    CHECK_FALSE(nested_src.read("frequencies.txt").has_value());
  }

  SECTION("records") {
    auto const a = gtfs::read_feed(folder);
    auto const b = gtfs::read_feed(flat);
    REQUIRE(b.stop_times.size() == 13'369);
    REQUIRE(a.stop_times.size() == b.stop_times.size());
    CHECK(b.translations.size() == a.translations.size());
    CHECK(b.shapes.size() == a.shapes.size());
    CHECK(b.problems.total() == 0);
  }

  SECTION("compiled timetable") {
    auto const from_folder = compile_snapshot(folder);
    auto const from_zip = compile_snapshot(flat);
    auto const from_nested = compile_snapshot(nested);
    REQUIRE(from_folder.size() > 1'000);
    CHECK(from_zip.size() == from_folder.size());
    CHECK((from_zip == from_folder));
    CHECK(from_nested.size() == from_folder.size());
    CHECK((from_nested == from_folder));
  }
}

TEST_CASE("reader: a zip lacking a required file names it", "[reader][zip]") {
  temp_dir dir{"zip-missing"};
  auto const folder = dir.path / "feed";
  fs::create_directories(folder);
  std::ofstream{folder / "agency.txt"} << "agency_name\nA\n";
  std::ofstream{folder / "stops.txt"} << "stop_id\nS\n";
  std::ofstream{folder / "routes.txt"} << "route_id,route_type\nR,3\n";
  std::ofstream{folder / "trips.txt"} << "route_id,service_id,trip_id\nR,S,T\n";
  auto const zip_path = dir.path / "feed.zip";
  write_zip(folder, zip_path);
  try {
    gtfs::read_feed(zip_path);
    FAIL("expected gtfs::feed_error");
  } catch (gtfs::feed_error const& e) {
    CHECK_THAT(e.what(), Catch::Contains("stop_times.txt"));
  }
}

TEST_CASE("reader: a path that is neither a folder nor a zip is a feed_error", "[reader][zip]") {
  temp_dir dir{"not-zip"};
  auto const bogus = dir.path / "feed.zip";
  std::ofstream{bogus} << "this is not a zip archive";
  CHECK_THROWS_AS(gtfs::read_feed(bogus), gtfs::feed_error);
  CHECK_THROWS_WITH(gtfs::read_feed(dir.path / "does-not-exist"), Catch::Contains("does-not-exist"));
}
