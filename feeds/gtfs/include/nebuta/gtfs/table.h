// The pieces every GTFS file reader shares: the problem log (file:line, kind, message) and one
// CSV table with its header resolved and typed field access that reports malformed values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/core/problem.h"
#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs/records.h"
#include "nebuta/gtfs/source.h"

namespace nebuta::gtfs {

using nebuta::problem;  // nebuta/core/problem.h

class problem_log {
 public:
  void add(std::string file, std::uint32_t line, std::string kind, std::string message) {
    ++counts_[kind];
    entries_.push_back({std::move(file), line, std::move(kind), std::move(message)});
  }
  std::vector<problem> const& entries() const { return entries_; }
  std::map<std::string, std::uint64_t> const& counts() const { return counts_; }
  std::uint64_t total() const { return entries_.size(); }

 private:
  std::vector<problem> entries_;
  std::map<std::string, std::uint64_t> counts_;
};

namespace detail {

// One CSV file with its header resolved: columns are looked up by name once, rows by index.
class table {
 public:
  table(std::string file, std::string_view data, string_arena& arena, problem_log& problems)
      : file_{std::move(file)}, csv_{data, arena}, problems_{&problems} {
    std::uint32_t line = 0;
    if (csv_.next(header_, line) != csv_status::row) {
      header_.clear();
    }
  }

  int column(std::string_view name) const {
    for (auto i = 0U; i < header_.size(); ++i) {
      if (header_[i] == name) return static_cast<int>(i);
    }
    return -1;
  }

  int require(std::string_view name) const {
    auto const c = column(name);
    if (c < 0) throw feed_error{file_ + ": missing required column " + std::string{name}};
    return c;
  }

  // Advances to the next well-formed row; malformed rows are reported and skipped.
  bool next() {
    while (true) {
      switch (csv_.next(fields_, line_)) {
        case csv_status::end: return false;
        case csv_status::unclosed_quote:
          ++rows_read_;
          report("unclosed_quote", "unclosed quote; rest of file skipped");
          return false;
        case csv_status::row: break;
      }
      if (fields_.size() == 1 && fields_[0].empty()) continue;
      ++rows_read_;
      if (fields_.size() < header_.size()) {
        if (!short_rows_) {
          report("short_row",
                 "row has " + std::to_string(fields_.size()) + " fields, header has " + std::to_string(header_.size()));
          continue;
        }
        // Sloppy GTFS writers drop trailing empty fields; the row is read with them empty (a
        // field the row needed is then reported by the field's own check).
        report("short_row", "row has " + std::to_string(fields_.size()) + " fields, header has " +
                                std::to_string(header_.size()) + "; the missing trailing fields are read as empty");
        fields_.resize(header_.size());
        return true;
      }
      if (fields_.size() > header_.size()) {
        report("long_row",
               "row has " + std::to_string(fields_.size()) + " fields, header has " + std::to_string(header_.size()));
        continue;
      }
      return true;
    }
  }

  // Rows with fewer fields than the header: read with the missing trailing fields empty (GTFS
  // files, issue 12) rather than skipped (the default, for stricter files such as a fleet CSV).
  void read_short_rows(bool on) { short_rows_ = on; }

  std::string_view operator[](int col) const {
    return col < 0 ? std::string_view{} : fields_[static_cast<std::size_t>(col)];
  }
  std::uint32_t line() const { return line_; }
  // Data rows in the file, well-formed or not.
  std::uint64_t rows_read() const { return rows_read_; }
  bool has_header() const { return !header_.empty(); }

  void report(std::string kind, std::string message) {
    problems_->add(file_, line_, std::move(kind), std::move(message));
  }

  // Typed field access that reports and returns false on malformed values.
  template <typename Int>
  bool get_int(int col, Int& out, std::string_view what, bool required = false) {
    auto const s = (*this)[col];
    if (s.empty()) {
      if (required) return missing(what);
      return true;
    }
    auto const v = parse_int<Int>(s);
    if (!v) return bad("bad_number", what, s);
    out = *v;
    return true;
  }
  template <typename Int>
  bool get_int(int col, std::optional<Int>& out, std::string_view what) {
    auto const s = (*this)[col];
    if (s.empty()) return true;
    auto const v = parse_int<Int>(s);
    if (!v) return bad("bad_number", what, s);
    out = *v;
    return true;
  }
  bool get_double(int col, std::optional<double>& out, std::string_view what, std::string_view kind) {
    auto const s = (*this)[col];
    if (s.empty()) return true;
    auto const v = parse_double(s);
    if (!v) return bad(kind, what, s);
    out = *v;
    return true;
  }
  bool get_time(int col, std::optional<seconds>& out, std::string_view what) {
    auto const s = (*this)[col];
    if (s.empty()) return true;
    auto v = parse_time(s);
    if (!v) {
      v = parse_time_without_seconds(s);
      if (!v) return bad("bad_time", what, s);
      report("time_without_seconds",
             std::string{what} + " '" + std::string{s} + "' has no seconds; read as " + std::string{s} + ":00");
    }
    out = *v;
    return true;
  }
  bool get_date(int col, date& out, std::string_view what) {
    auto const s = (*this)[col];
    auto const v = parse_date(s);
    if (!v) return s.empty() ? missing(what) : bad("bad_date", what, s);
    out = *v;
    return true;
  }
  bool get_date(int col, std::optional<date>& out, std::string_view what) {
    auto const s = (*this)[col];
    if (s.empty()) return true;
    auto const v = parse_date(s);
    if (!v) return bad("bad_date", what, s);
    out = *v;
    return true;
  }
  bool require_value(int col, std::string_view what) { return !(*this)[col].empty() || missing(what); }

 private:
  bool bad(std::string_view kind, std::string_view what, std::string_view value) {
    report(std::string{kind}, "invalid " + std::string{what} + " '" + std::string{value} + "'");
    return false;
  }
  bool missing(std::string_view what) {
    report("missing_value", "empty required field " + std::string{what});
    return false;
  }

  std::string file_;
  csv_reader csv_;
  problem_log* problems_;
  std::vector<std::string_view> header_;
  std::vector<std::string_view> fields_;
  std::uint32_t line_{0};
  std::uint64_t rows_read_{0};
  bool short_rows_{false};
};

}  // namespace detail

}  // namespace nebuta::gtfs
