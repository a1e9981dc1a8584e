// Access to ../shared/data for tests. When the data is absent a test returns early with a
// visible warning; under CI=true it fails instead, so CI can never pass without it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#ifndef NEBUTA_SHARED_DATA
#error "NEBUTA_SHARED_DATA must be defined by the build"
#endif

namespace nebuta::test {

inline std::filesystem::path shared_data_root() { return NEBUTA_SHARED_DATA; }

inline bool running_in_ci() {
  auto const* ci = std::getenv("CI");
  return ci != nullptr && std::string{ci} == "true";
}

// Returns the path of a dataset, or an empty path after reporting that it is missing.
inline std::filesystem::path shared_dataset(std::string const& relative) {
  auto const p = shared_data_root() / relative;
  if (std::filesystem::exists(p)) return p;
  if (running_in_ci()) {
    FAIL("shared dataset missing under CI=true: " << p.string());
  }
  WARN("SKIPPED: shared dataset not found: " << p.string());
  return {};
}

}  // namespace nebuta::test

#define NEBUTA_REQUIRE_DATASET(var, relative)                \
  auto const var = ::nebuta::test::shared_dataset(relative); \
  if (var.empty()) return
