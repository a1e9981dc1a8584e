// A problem found in an input file: the one shape every reader and builder reports with
// (GTFS rows, timetable records, imports), so a caller can print, count and test them alike.
#pragma once

#include <cstdint>
#include <string>

namespace nebuta {

struct problem {
  std::string file;       // as the reader names it, e.g. "stop_times.txt" ("feed/stop_times.txt" with several feeds)
  std::uint32_t line{0};  // 1-based; 0 when the problem has no line (a whole file, a record)
  std::string kind;       // short stable key, e.g. "bad_time", "unknown_stop"
  std::string message;

  // "file:line: message" ("file: message" without a line).
  std::string to_string() const {
    return file + (line != 0 ? ":" + std::to_string(line) : std::string{}) + ": " + message;
  }
};

}  // namespace nebuta
