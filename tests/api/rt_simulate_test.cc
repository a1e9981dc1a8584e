// `nebuta rt-simulate` end to end on the bundled sample feed: the snapshot files it lists exist
// and are FeedMessages (read with the generated classes), positions lie near the feed's stops,
// the TripUpdates apply to the same timetable without a skip, the same seed writes the same
// bytes, and bad arguments are clear errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "gtfs-realtime.pb.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/build.h"
#include "run_nebuta.h"

namespace fs = std::filesystem;
namespace pb = transit_realtime;
using nebuta::test::read_file;
using nebuta::test::run_nebuta;
using nebuta::test::shell_quote;
using nebuta::test::temp_dir;

namespace {

std::string const sample = NEBUTA_SOURCE_DIR "/data/sample";

std::vector<std::vector<std::string>> read_csv(fs::path const& p) {  // our files: no quoted fields
  std::vector<std::vector<std::string>> rows;
  std::istringstream in{read_file(p)};
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::istringstream l{line};
    std::string cell;
    while (std::getline(l, cell, ',')) row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

nebuta::test::run_result simulate(fs::path const& out, std::string const& extra = "") {
  return run_nebuta("rt-simulate --feed " + shell_quote(sample) + " --date 2026-04-08 --out " +
                    shell_quote(out.string()) + " --every 1m --from 09:00 --to 09:10 " + extra);
}

}  // namespace

TEST_CASE("rt-simulate writes a FeedMessage pair per interval, index and truth", "[cli][rt]") {
  temp_dir const dir{"rt-sim"};
  auto const r = simulate(dir.path / "a", "--seed 3");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("11 snapshots every 60 s") != std::string::npos);
  auto const index = read_csv(dir.path / "a/index.csv");
  REQUIRE(index.size() == 12);
  CHECK(index[0] == std::vector<std::string>{"time", "unix_time", "trip_updates", "vehicle_positions"});
  CHECK(index[1][0] == "2026-04-08T09:00:00+09:00");
  CHECK(index[1][2] == "trip-updates-090000.pb");

  auto const loaded = nebuta::gtfs_import::load({{"sample", sample}});
  nebuta::rt::context const ctx{loaded.tt};
  nebuta::gtfs_rt::resolver const ids{ctx};
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  for (auto s = nebuta::stop_idx{0}; s.v() < loaded.tt.n_stops(); ++s) {
    auto const c = loaded.tt.stop_coords[s];
    min_lat = std::min(min_lat, c.lat), max_lat = std::max(max_lat, c.lat);
    min_lon = std::min(min_lon, c.lon), max_lon = std::max(max_lon, c.lon);
  }
  auto positions = 0, updates = 0;
  for (auto i = 1U; i < index.size(); ++i) {
    auto const at = std::stoll(index[i][1]);
    pb::FeedMessage vp;
    REQUIRE(vp.ParseFromString(read_file(dir.path / "a" / index[i][3])));
    CHECK(vp.header().timestamp() == static_cast<std::uint64_t>(at));
    for (auto const& e : vp.entity()) {
      REQUIRE(e.has_vehicle());
      auto const& p = e.vehicle().position();
      CHECK(p.latitude() > min_lat - 0.01);  // within ~1 km of the feed's stops
      CHECK(p.latitude() < max_lat + 0.01);
      CHECK(p.longitude() > min_lon - 0.01);
      CHECK(p.longitude() < max_lon + 0.01);
      CHECK(e.vehicle().timestamp() <= static_cast<std::uint64_t>(at));
      ++positions;
    }
    auto const tu = nebuta::gtfs_rt::decode(read_file(dir.path / "a" / index[i][2]), ids);
    REQUIRE(tu.message);
    std::string why;  // the skip reasons, to say what went wrong
    for (auto k = 0U; k < nebuta::rt::n_skip_reasons; ++k) {
      if (tu.message->skipped.n[k] != 0)
        why += std::string{nebuta::rt::skip_reason_names[k]} + "=" + std::to_string(tu.message->skipped.n[k]) + " ";
    }
    INFO(index[i][2] << ": " << why);
    CHECK(tu.message->skipped.total() == 0);
    nebuta::rt::build_input in;
    for (auto const& u : tu.message->trip_updates) in.trip_updates.push_back({&u, 0, tu.message->timestamp});
    in.now = at;
    auto const st = nebuta::rt::build_state(ctx, in);
    CHECK(st->stats().skipped.total() == 0);
    CHECK(st->validate(ctx).empty());
    updates += static_cast<int>(tu.message->trip_updates.size());
  }
  CHECK(positions > 0);
  CHECK(updates > 0);
  auto const truth = read_csv(dir.path / "a/truth.csv");
  REQUIRE(truth.size() > 1);
  CHECK(truth[0][0] == "trip_id");
  CHECK(truth[0].size() == 9);

  // Same seed, same bytes; another seed, other positions.
  REQUIRE(simulate(dir.path / "b", "--seed 3").exit_code == 0);
  REQUIRE(simulate(dir.path / "c", "--seed 4").exit_code == 0);
  CHECK(read_file(dir.path / "a/vehicle-positions-090500.pb") == read_file(dir.path / "b/vehicle-positions-090500.pb"));
  CHECK(read_file(dir.path / "a/truth.csv") == read_file(dir.path / "b/truth.csv"));
  CHECK(read_file(dir.path / "a/vehicle-positions-090500.pb") != read_file(dir.path / "c/vehicle-positions-090500.pb"));
}

TEST_CASE("rt-simulate: bad arguments are clear errors", "[cli][rt]") {
  temp_dir const dir{"rt-sim-bad"};
  auto r = run_nebuta("rt-simulate --feed " + shell_quote(sample) + " --date 2026-13-40 --out " +
                      shell_quote(dir.path.string()));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("--date") != std::string::npos);
  r = run_nebuta("rt-simulate --feed " + shell_quote(sample) + " --date 2030-01-01 --out " +
                 shell_quote(dir.path.string()));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("outside the timetable") != std::string::npos);
  r = simulate(dir.path / "x", "--every 0s");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("--every") != std::string::npos);
  r = simulate(dir.path / "y", "--gap-min 60 --gap-max 15");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("--gap") != std::string::npos);
}
