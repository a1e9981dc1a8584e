// Peers' routing fixtures kept as GTFS folders under peer_fixtures/ (their data, our tests), and
// stop lookup by id for the tests that route on them.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <string_view>

#include "nebuta/gtfs_import/import.h"

namespace nebuta::test {

inline gtfs_import::load_result load_peer_fixture(std::string const& name) {
  return gtfs_import::load(
      {{"peer", std::filesystem::path{NEBUTA_SOURCE_DIR} / "tests/engine/raptor/peer_fixtures" / name}});
}

inline stop_idx stop_of(timetable const& tt, std::string_view id) {
  auto const s = tt.find_stop(id);
  REQUIRE(s.has_value());
  return *s;
}

}  // namespace nebuta::test
