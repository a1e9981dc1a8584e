// Versioned binary snapshot of a compiled timetable. Files from another format version or
// layout are refused: the header carries a fingerprint of every member's element size.
// After the timetable come named sections: data derived from it that other modules (the
// router's index) would rather load than rebuild. The timetable does not interpret them; each
// owner checks its own section and rebuilds when it does not fit.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta {

inline constexpr std::uint32_t snapshot_format_version = 5;  // 2: fares, 3: blocks and linked trips, 4: sections, 5: shapes

class snapshot_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct snapshot_section {
  std::string name;  // e.g. "raptor.lower_bound_graph"
  std::vector<char> bytes;
};

std::vector<char> write_snapshot(timetable const& tt, std::span<snapshot_section const> sections = {});
// The sections, when asked for, are appended to *sections in file order.
timetable read_snapshot(std::span<char const> bytes, std::vector<snapshot_section>* sections = nullptr);

// True when the bytes start like a snapshot (whatever its version), so callers can tell a
// snapshot from a feed.
bool looks_like_snapshot(std::span<char const> bytes);

}  // namespace nebuta
