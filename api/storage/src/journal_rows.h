// The checks both journals (SQLite and PostgreSQL) make on the rows they read back: the snapshot
// decodes and names its own sequence number, the commands follow it without a gap, each in a
// format this build reads. One place, so both refuse the same damage with the same words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "nebuta/storage/journal.h"

namespace nebuta::storage::detail {

struct journal_reader {
  std::string where;  // "journal <path or area>", prefixes every message
  journal_contents out;
  std::int64_t snapshot_seq{0};

  void snapshot_row(std::int64_t seq, std::string_view bytes) {
    try {
      out.base = decode_snapshot(bytes);
    } catch (journal_error const& e) {
      throw journal_error{where + ": snapshot of command " + std::to_string(seq) + ": " + e.what()};
    }
    if (out.base->seq != seq)
      throw journal_error{where + ": the snapshot stored as " + std::to_string(seq) + " says " +
                          std::to_string(out.base->seq)};
    snapshot_seq = seq;
  }

  void command_row(std::int64_t seq, std::int64_t format, std::string_view body) {
    auto const at = where + ": command " + std::to_string(seq);
    auto const expected = snapshot_seq + static_cast<std::int64_t>(out.commands.size()) + 1;
    if (seq != expected)
      throw journal_error{at + ": expected sequence number " + std::to_string(expected) + " (a gap)"};
    if (format < oldest_readable_format || format > journal_format_version)
      throw journal_error{at + ": format version " + std::to_string(format) +
                          " is not supported (this build reads version " + std::to_string(journal_format_version) + ")"};
    try {
      out.commands.push_back(from_json_text(body));
    } catch (journal_error const& e) {
      throw journal_error{at + ": " + e.what()};
    }
  }

  journal_contents take() { return std::move(out); }
};

// The check on open: the commands after the snapshot are numbered snapshot+1 .. last, none missing.
inline void check_no_gap(std::string const& where, std::int64_t n, std::int64_t first, std::int64_t last,
                         std::int64_t snapshot_seq) {
  if (n != last - snapshot_seq || (n > 0 && first != snapshot_seq + 1))
    throw journal_error{where + ": " + std::to_string(n) + " commands from " + std::to_string(first) + " to " +
                        std::to_string(last) + " after the snapshot of " + std::to_string(snapshot_seq) + " (a gap)"};
}

}  // namespace nebuta::storage::detail
