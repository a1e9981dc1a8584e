// Versioned binary snapshot of a compiled timetable. Files from another format version or
// layout are refused: the header carries a fingerprint of every member's element size.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta {

inline constexpr std::uint32_t snapshot_format_version = 4;  // 2: fares, 3: blocks and linked trips, 4: shapes

class snapshot_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<char> write_snapshot(timetable const& tt);
timetable read_snapshot(std::span<char const> bytes);

// True when the bytes start like a snapshot (whatever its version), so callers can tell a
// snapshot from a feed.
bool looks_like_snapshot(std::span<char const> bytes);

}  // namespace nebuta
