// libFuzzer target: the GTFS CSV reader (feeds/gtfs/csv.h) on arbitrary bytes.
// Beyond "no crash, no hang": the reader always terminates within one record per input byte,
// line numbers never go backwards nor past the last line, and no field keeps the padding
// (spaces, tabs) that trim_spaces promises to remove.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "nebuta/gtfs/csv.h"

namespace gtfs = nebuta::gtfs;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool is_padding(char c) { return c == ' ' || c == '\t'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const bytes{reinterpret_cast<char const*>(data), size};
  std::size_t n_lines = 1;
  for (auto const c : bytes) n_lines += c == '\n' ? 1 : 0;

  gtfs::string_arena arena;
  gtfs::csv_reader reader{bytes, arena};
  std::vector<std::string_view> fields;
  std::uint32_t line = 0, previous_line = 0;
  std::size_t n_rows = 0;
  while (true) {
    auto const status = reader.next(fields, line);
    if (status != gtfs::csv_status::row) break;
    ++n_rows;
    require(n_rows <= size);  // every record consumes at least one byte
    require(line >= 1 && line >= previous_line && line <= n_lines);
    previous_line = line;
    require(!fields.empty());
    for (auto const f : fields) {
      require(f.empty() || (!is_padding(f.front()) && !is_padding(f.back())));
    }
  }
  // Once the end is reached it stays reached.
  require(reader.next(fields, line) != gtfs::csv_status::row);
  return 0;
}
