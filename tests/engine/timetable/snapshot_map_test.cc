// A snapshot read in place from a mapped file (read_snapshot over io::map_file's bytes, what
// `serve --snapshot` does) against the same snapshot copied into memory and the timetable built
// from the feed: the same timetable member for member, the same plans, the columns views of the
// file (not copies), and every damaged or cut file refused with snapshot_error.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/io/file.h"
#include "nebuta/raptor/index.h"
#include "nebuta/raptor/journey.h"
#include "nebuta/raptor/router.h"
#include "nebuta/timetable/snapshot.h"
#include "nebuta/timetable/timetable.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace nebuta;

namespace {

void write_bytes(fs::path const& p, std::vector<char> const& bytes) {
  std::ofstream out{p, std::ios::binary | std::ios::trunc};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

io::mapped_file map(fs::path const& p) {
  io::mapped_file f;
  REQUIRE(io::map_file(p, f) == io::read_status::ok);
  return f;
}

timetable read_mapped(io::mapped_file const& f, std::vector<snapshot_section>* sections = nullptr) {
  return read_snapshot(shared_bytes{f.bytes, f.owner}, sections);
}

// Every member of a and b, byte for byte (through the snapshot writer's own list of members,
// each array compared on its own so that a failure names where).
void check_same_members(timetable const& a, timetable const& b) {
  std::vector<std::vector<char>> ma, mb;
  auto const collect = [](timetable const& tt, std::vector<std::vector<char>>& out) {
    const_cast<timetable&>(tt).for_each_member([&](auto& m) {
      auto const& c = std::as_const(m);
      using M = std::remove_cvref_t<decltype(c)>;
      if constexpr (requires {
                      c.data();
                      c.size();
                    }) {
        auto const* p = reinterpret_cast<char const*>(c.data());
        out.emplace_back(p, p + c.size() * sizeof(typename M::value_type));
      } else {
        auto const* p = reinterpret_cast<char const*>(&c);
        out.emplace_back(p, p + sizeof(c));
      }
    });
  };
  collect(a, ma);
  collect(b, mb);
  REQUIRE(ma.size() == mb.size());
  for (std::size_t i = 0; i < ma.size(); ++i) {
    INFO("member " << i);
    CHECK((ma[i] == mb[i]));
  }
}

// Whether p lies in the mapped bytes.
bool inside(io::mapped_file const& f, void const* p) {
  auto const* c = static_cast<char const*>(p);
  return c >= f.bytes.data() && c < f.bytes.data() + f.bytes.size();
}

void check_round_trip(timetable const& built, std::vector<snapshot_section> const& sections) {
  test::temp_dir dir{"snapshot-map"};
  auto const file = dir.path / "tt.snapshot";
  auto const bytes = write_snapshot(built, sections);
  write_bytes(file, bytes);

  auto const f = map(file);
  REQUIRE(f.bytes.size() == bytes.size());
  std::vector<snapshot_section> mapped_sections, copied_sections;
  auto const mapped = read_mapped(f, &mapped_sections);
  auto const copied = read_snapshot(bytes, &copied_sections);
  CHECK(mapped.validate().empty());
  check_same_members(mapped, copied);
  check_same_members(mapped, built);
  CHECK((write_snapshot(mapped, mapped_sections) == bytes));
  CHECK((write_snapshot(copied, copied_sections) == bytes));

  // The mapped timetable views the file: its big arrays are in the mapping, none of the copy's.
  CHECK(mapped.arrivals.viewing());
  CHECK(inside(f, mapped.arrivals.data()));
  CHECK(inside(f, mapped.departures.data()));
  CHECK(inside(f, mapped.strings.chars.data()));
  CHECK(inside(f, mapped.route_stops.raw_data().data()));
  CHECK(inside(f, mapped.bitfields.data()));
  CHECK_FALSE(copied.arrivals.viewing());
  CHECK_FALSE(inside(f, copied.arrivals.data()));
  CHECK(snapshot_viewed_bytes(copied) == 0U);
  auto const viewed = snapshot_viewed_bytes(mapped);
  // All of the timetable's columns: the file less its header, counts, padding, the fares
  // (std::vectors, copied) and the sections.
  std::size_t sections_size = 0, fares_size = 0, n_arrays = 0;
  for (auto const& s : sections) sections_size += s.bytes.size();
  const_cast<timetable&>(mapped).fares.for_each_member([&](auto const& m) {
    if constexpr (requires { m.data(); }) fares_size += m.size() * sizeof(*m.data());
  });
  const_cast<timetable&>(mapped).for_each_member([&](auto const&) { ++n_arrays; });
  CHECK(viewed >= (mapped.arrivals.size() + mapped.departures.size()) * sizeof(seconds_t));
  CHECK(viewed + sections_size + fares_size <= bytes.size());
  CHECK(viewed + sections_size + fares_size + 40 + 16 * (n_arrays + sections.size() + 1) + 64 >= bytes.size());
  REQUIRE(mapped_sections.size() == sections.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    CHECK(mapped_sections[i].name == sections[i].name);
    CHECK(mapped_sections[i].bytes == sections[i].bytes);
    CHECK(mapped_sections[i].bytes.viewing());
    CHECK_FALSE(copied_sections[i].bytes.viewing());
  }
}

// Random pairs of served stops: the Pareto answers and their journeys, as text.
std::vector<std::string> plans(raptor::index const& idx, date_t date, std::uint64_t seed, unsigned n) {
  auto const& tt = idx.tt();
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  REQUIRE(!served.empty());
  raptor::router r{idx};
  raptor::options const opt;
  raptor::journey j;
  std::mt19937_64 rng{seed};
  std::vector<std::string> out;
  for (auto q = 0U; q < n; ++q) {
    auto const from = raptor::place::at_stop(served[rng() % served.size()]);
    auto const to = raptor::place::at_stop(served[rng() % served.size()]);
    auto const t = static_cast<seconds_t>(5 * 3600 + rng() % (17 * 3600));
    for (auto const fwd : {true, false}) {
      auto const res = fwd ? r.earliest_arrival(from, to, date, t, opt) : r.latest_departure(from, to, date, t, opt);
      std::string line = std::to_string(q) + (fwd ? " fwd" : " bwd") + (res.reachable ? " reachable" : " none");
      std::vector<raptor::pareto_entry> const pareto{res.pareto.begin(), res.pareto.end()};
      for (auto const& p : pareto) {
        line += " | " + std::to_string(p.legs) + " legs @" + std::to_string(p.time);
        if (r.reconstruct(p.legs, j)) line += ": " + raptor::to_string(tt, j);
      }
      out.push_back(std::move(line));
    }
  }
  return out;
}

void check_plans(timetable const& built, date_t date) {
  raptor::index const built_idx{built};
  auto const sections = built_idx.snapshot_sections();
  test::temp_dir dir{"snapshot-plans"};
  auto const file = dir.path / "tt.snapshot";
  write_bytes(file, write_snapshot(built, sections));
  auto const f = map(file);
  std::vector<snapshot_section> mapped_sections;
  auto const mapped = read_mapped(f, &mapped_sections);
  auto const viewed_before = snapshot_viewed_bytes(mapped);
  raptor::index const mapped_idx{mapped, raptor::stored_index::find(mapped_sections)};
  CHECK(mapped_idx.lb_graph_stored());
  CHECK(mapped_idx.seated_links_stored());
  // The table of bounds (when the graph keeps one) is read in place: the mapped index holds
  // less than the built one by that much.
  if (!built_idx.lb_graph().to_stop(stop_idx{0}).empty()) {
    CHECK(inside(f, mapped_idx.lb_graph().to_stop(stop_idx{0}).data()));
    CHECK(mapped_idx.lb_graph().memory_bytes() + mapped.n_stops() * mapped.n_stops() * 2 <=
          built_idx.lb_graph().memory_bytes());
  }
  auto const a = plans(built_idx, date, 0x5eed, 80);
  auto const b = plans(mapped_idx, date, 0x5eed, 80);
  REQUIRE(a.size() == b.size());
  auto reachable = 0U;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i] == b[i]);
    reachable += a[i].find(" reachable") != std::string::npos ? 1U : 0U;
  }
  CHECK(reachable > a.size() / 4);  // the query set plans something
  // Planning read the mapped timetable through const references only: nothing was copied.
  CHECK(snapshot_viewed_bytes(mapped) == viewed_before);
}

// data/sample written to a file and read back mapped.
struct mapped_sample {
  test::temp_dir dir;
  fs::path file;
  std::vector<char> bytes;
  io::mapped_file f;
  timetable mapped;
  explicit mapped_sample(std::string const& name)
      : dir{name},
        file{dir.path / "tt.snapshot"},
        bytes{write_snapshot(gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}}).tt)} {
    write_bytes(file, bytes);
    f = map(file);
    mapped = read_mapped(f);
  }
};

}  // namespace

TEST_CASE("mapped snapshot: the sample feed equals the copied and the built timetable", "[timetable][snapshot][mmap]") {
  auto const r = gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  REQUIRE(r.tt.n_stop_times() > 0U);
  check_round_trip(r.tt, {});
  raptor::index const idx{r.tt};
  check_round_trip(r.tt, idx.snapshot_sections());
}

TEST_CASE("mapped snapshot: Hachinohe equals the copied and the built timetable, and plans the same",
          "[timetable][snapshot][mmap][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  auto const r = gtfs_import::load({{"hachinohe", path}});
  raptor::index const idx{r.tt};
  check_round_trip(r.tt, idx.snapshot_sections());
  check_plans(r.tt, date_t{std::chrono::year{2026} / 4 / 8});
}

TEST_CASE("mapped snapshot: the sample feed plans the same", "[timetable][snapshot][mmap]") {
  auto const r = gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  REQUIRE(r.tt.n_days > 0U);
  check_plans(r.tt, r.tt.first_date);
}

TEST_CASE("mapped snapshot: a cut, damaged or old file is refused, never read out of bounds",
          "[timetable][snapshot][mmap]") {
  auto const r = gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  raptor::index const idx{r.tt};
  auto const bytes = write_snapshot(r.tt, idx.snapshot_sections());
  test::temp_dir dir{"snapshot-bad"};
  auto const file = dir.path / "bad.snapshot";
  auto const refused = [&](std::vector<char> const& b) {
    write_bytes(file, b);
    auto const f = map(file);
    std::vector<snapshot_section> sections;
    CHECK_THROWS_AS(read_mapped(f, &sections), snapshot_error);
    CHECK_THROWS_AS(read_snapshot(b), snapshot_error);
  };
  SECTION("cut anywhere") {
    for (auto keep = std::size_t{0}; keep < bytes.size(); keep += 1 + keep / 3) {
      INFO("kept " << keep << " of " << bytes.size());
      refused({bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep)});
    }
  }
  SECTION("one byte changed anywhere") {
    // Past the magic; a changed version or fingerprint is another version, the rest damage.
    for (auto at = std::size_t{8}; at < bytes.size(); at += 1 + at / 7) {
      INFO("byte " << at << " of " << bytes.size());
      auto copy = bytes;
      copy[at] = static_cast<char>(copy[at] ^ 0x41);
      refused(copy);
    }
  }
  SECTION("an element count of 2^62, and one a little too large") {
    // The first member's count, right after the 40-byte header.
    for (auto const n : {std::uint64_t{1} << 62, std::uint64_t{bytes.size()}}) {
      auto copy = bytes;
      std::memcpy(copy.data() + 40, &n, sizeof(n));
      refused(copy);
    }
  }
  SECTION("an empty file and a short one") {
    refused({});
    refused({'N', 'E', 'B', 'U', 'T', 'A', 'T', 'T'});
  }
  SECTION("format 5 names itself and what to do") {
    auto old = bytes;
    std::uint32_t const v5 = 5;
    std::memcpy(old.data() + 8, &v5, sizeof(v5));
    write_bytes(file, old);
    auto const f = map(file);
    CHECK_THROWS_WITH(read_mapped(f), Catch::Contains("format 5") && Catch::Contains("nebuta import"));
  }
}

TEST_CASE("mapped snapshot: replaced on disk by a rename while mapped, the old timetable reads on",
          "[timetable][snapshot][mmap]") {
  mapped_sample const m{"snapshot-replace"};
  auto const& [dir, file, bytes, f, mapped] = m;
  // What `nebuta import` does: the new file under another name, renamed over the old one.
  auto other = bytes;
  other.resize(bytes.size() / 2);  // a different (here: cut) file, to tell them apart
  write_bytes(dir.path / "tt.snapshot.new", other);
  fs::rename(dir.path / "tt.snapshot.new", file);
  CHECK(fs::file_size(file) == other.size());
  CHECK(mapped.validate().empty());
  CHECK((write_snapshot(mapped) == bytes));  // every page of the old file, still the old bytes
  CHECK_THROWS_AS(read_mapped(map(file)), snapshot_error);
}

TEST_CASE("mapped snapshot: writing to a mapped column copies it, the file stays as it was",
          "[timetable][snapshot][mmap]") {
  mapped_sample const m{"snapshot-cow"};
  auto const& [dir, file, bytes, f, mapped] = m;
  auto changed = mapped;                                                    // a copy shares the views
  CHECK(std::as_const(changed).arrivals.data() == mapped.arrivals.data());  // (a non-const data() would copy)
  REQUIRE(!changed.arrivals.empty());
  changed.arrivals[0] += 1;
  changed.departures.push_back(0);
  CHECK_FALSE(changed.arrivals.viewing());
  CHECK(changed.arrivals[0] == mapped.arrivals[0] + 1);
  CHECK(changed.departures.size() == mapped.departures.size() + 1);
  CHECK(mapped.arrivals.viewing());
  CHECK((write_snapshot(mapped) == bytes));
  CHECK(snapshot_viewed_bytes(changed) + (mapped.arrivals.size() + mapped.departures.size()) * sizeof(seconds_t) ==
        snapshot_viewed_bytes(mapped));
}
