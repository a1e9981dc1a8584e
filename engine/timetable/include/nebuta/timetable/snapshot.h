// Versioned binary snapshot of a compiled timetable. Files from another format version or
// layout are refused: the header carries a fingerprint of every member's element size.
// After the timetable come named sections: data derived from it that other modules (the
// router's index) would rather load than rebuild. The timetable does not interpret them; each
// owner checks its own section and rebuilds when it does not fit.
//
// Every array starts at a multiple of 8 bytes from the file's start, so that a snapshot mapped
// into memory is read in place: read_snapshot over mapped bytes gives a timetable whose columns
// (and sections) view the mapping, shared by every process that maps the same file, instead of
// copying it. The header holds the payload's length and checksum; every count and offset is
// checked against the bytes there are, so a truncated or damaged file is refused
// (snapshot_error), never read out of bounds. docs/timetable.md has the layout.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "nebuta/timetable/timetable.h"

namespace nebuta {

// 2: fares, 3: blocks and linked trips, 4: sections, 5: shapes, 6: aligned arrays, length and checksum
inline constexpr std::uint32_t snapshot_format_version = 6;

class snapshot_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct snapshot_section {
  std::string name;    // e.g. "raptor.lower_bound_graph"
  column<char> bytes;  // a view of the mapped file (bytes.owner() keeps it) or a copy
};

// Bytes that stay valid as long as `owner` lives: a file mapped into memory (io::map_file).
struct shared_bytes {
  std::span<char const> bytes;
  std::shared_ptr<void const> owner;
};

std::vector<char> write_snapshot(timetable const& tt, std::span<snapshot_section const> sections = {});
// Copies what it reads: the timetable does not refer to `bytes` afterwards. The sections, when
// asked for, are appended to *sections in file order.
timetable read_snapshot(std::span<char const> bytes, std::vector<snapshot_section>* sections = nullptr);
// Reads in place: the timetable's columns and the sections view `file` (and share its owner)
// wherever the bytes are aligned for the element type, else copy. Same checks and errors.
timetable read_snapshot(shared_bytes const& file, std::vector<snapshot_section>* sections = nullptr);

// Bytes of tt's columns that view a mapped file rather than hold a copy.
std::size_t snapshot_viewed_bytes(timetable const& tt);

// True when the bytes start like a snapshot (whatever its version), so callers can tell a
// snapshot from a feed.
bool looks_like_snapshot(std::span<char const> bytes);

}  // namespace nebuta
