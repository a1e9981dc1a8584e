// libFuzzer target: the whole GTFS loader (feeds/gtfs reader + gtfs_import + timetable compile)
// on a tiny feed folder. The input is the contents of the feed's files in the order of
// `file_names`, separated by the byte 0x1E (ASCII record separator); missing trailing parts are
// absent files. The folder lives under /dev/shm when there is one: thousands of loads per second.
//
// Allowed outcome besides a timetable: gtfs::feed_error (a missing required file or column).
// Anything else escaping load() is a bug: libFuzzer reports the uncaught exception as a crash.
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "nebuta/gtfs_import/import.h"

namespace fs = std::filesystem;

namespace {

constexpr std::array<char const*, 10> file_names{
    "agency.txt",   "stops.txt",          "routes.txt",      "trips.txt",     "stop_times.txt",
    "calendar.txt", "calendar_dates.txt", "frequencies.txt", "transfers.txt", "translations.txt"};
constexpr char separator = '\x1E';

fs::path const& feed_dir() {
  static fs::path const dir = [] {
    std::error_code ec;
    auto const base = fs::is_directory("/dev/shm", ec) ? fs::path{"/dev/shm"} : fs::temp_directory_path();
    auto d = base / ("nebuta-fuzz-gtfs-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

struct remove_at_exit {
  ~remove_at_exit() {
    std::error_code ec;
    fs::remove_all(feed_dir(), ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static remove_at_exit const cleanup;
  std::string_view rest{reinterpret_cast<char const*>(data), size};
  auto const& dir = feed_dir();
  for (auto const* name : file_names) {
    auto const path = dir / name;
    if (rest.data() == nullptr) {
      fs::remove(path);
      continue;
    }
    auto const end = rest.find(separator);
    auto const part = rest.substr(0, end);
    std::ofstream{path, std::ios::binary | std::ios::trunc}.write(part.data(), static_cast<std::streamsize>(part.size()));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  try {
    auto const result = nebuta::gtfs_import::load({{"fuzz", dir}});
    (void)result;
  } catch (nebuta::gtfs::feed_error const&) {
  }
  return 0;
}
