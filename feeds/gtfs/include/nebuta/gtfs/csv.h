// RFC 4180 CSV, as GTFS files are written in practice: quoted fields with doubled quotes,
// separators and line breaks inside quotes, UTF-8 BOM, CRLF or LF, spaces around headers and
// values, columns in any order, unknown columns ignored. Fields are views into the file buffer;
// only fields that contained doubled quotes are copied, into an arena the caller keeps alive.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace nebuta::gtfs {

// Keeps unescaped field copies alive for as long as the records that point into it.
class string_arena {
 public:
  std::string_view store(std::string s) { return strings_.emplace_back(std::move(s)); }

 private:
  std::deque<std::string> strings_;
};

inline std::string_view trim_spaces(std::string_view s) {
  auto const is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

enum class csv_status { row, end, unclosed_quote };

class csv_reader {
 public:
  csv_reader(std::string_view data, string_arena& arena) : data_{data}, arena_{&arena} {
    if (data_.starts_with("\xEF\xBB\xBF")) data_.remove_prefix(3);
  }

  // Reads the next record into `fields`; `line` receives the physical line it starts on (1-based).
  // Blank lines are skipped. On an unclosed quote the rest of the file is consumed.
  csv_status next(std::vector<std::string_view>& fields, std::uint32_t& line) {
    fields.clear();
    while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
      if (data_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= data_.size()) return csv_status::end;
    line = line_;
    while (true) {
      auto const status = read_field(fields);
      if (status == field_end::unclosed) return csv_status::unclosed_quote;
      if (status == field_end::record) return csv_status::row;
    }
  }

 private:
  enum class field_end { separator, record, unclosed };

  field_end read_field(std::vector<std::string_view>& fields) {
    // Leading spaces before an opening quote are padding, not content.
    auto start = pos_;
    while (start < data_.size() && (data_[start] == ' ' || data_[start] == '\t')) ++start;
    if (start < data_.size() && data_[start] == '"') return read_quoted(fields, start + 1);

    auto const begin = pos_;
    while (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') ++pos_;
    fields.push_back(trim_spaces(data_.substr(begin, pos_ - begin)));
    return finish_field();
  }

  field_end read_quoted(std::vector<std::string_view>& fields, std::size_t content_begin) {
    std::string unescaped;
    bool needs_copy = false;
    auto p = content_begin;
    auto const start_line = line_;
    while (true) {
      if (p >= data_.size()) {
        pos_ = p;
        line_ = start_line;  // report the record's first line, the rest is unreadable
        return field_end::unclosed;
      }
      auto const c = data_[p];
      if (c == '"') {
        if (p + 1 < data_.size() && data_[p + 1] == '"') {
          if (!needs_copy) {
            unescaped.assign(data_.substr(content_begin, p - content_begin));
            needs_copy = true;
          }
          unescaped.push_back('"');
          p += 2;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      if (needs_copy) unescaped.push_back(c);
      ++p;
    }
    auto value = needs_copy ? arena_->store(std::move(unescaped)) : data_.substr(content_begin, p - content_begin);
    pos_ = p + 1;
    // Anything between the closing quote and the separator (normally only padding) is kept, as
    // lenient readers do, rather than losing the row.
    auto const tail_begin = pos_;
    while (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') ++pos_;
    auto const tail = trim_spaces(data_.substr(tail_begin, pos_ - tail_begin));
    if (!tail.empty()) value = arena_->store(std::string{value} + std::string{tail});
    fields.push_back(trim_spaces(value));
    return finish_field();
  }

  field_end finish_field() {
    if (pos_ >= data_.size()) return field_end::record;
    if (data_[pos_] == ',') {
      ++pos_;
      return field_end::separator;
    }
    if (data_[pos_] == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return field_end::record;
  }

  std::string_view data_;
  string_arena* arena_;
  std::size_t pos_{0};
  std::uint32_t line_{1};
};

}  // namespace nebuta::gtfs
