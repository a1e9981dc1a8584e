#include "nebuta/mesh_stats/reader.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"

namespace nebuta::mesh_stats {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool hidden_value(std::string_view s) { return s.empty() || s == "*" || s == "-" || s == "X" || s == "x"; }

}  // namespace

population_table read_population(std::string_view bytes, std::string const& file_name, std::string const& column) {
  gtfs::string_arena arena;
  gtfs::csv_reader csv{bytes, arena};
  std::vector<std::string_view> fields;
  std::uint32_t line = 0;
  if (csv.next(fields, line) != gtfs::csv_status::row) throw mesh_stats_error{file_name + ": empty file"};
  auto const find = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (gtfs::trim_spaces(fields[i]) == name) return i;
    }
    return std::nullopt;
  };
  auto key = find("KEY_CODE");
  if (!key) key = find("mesh_code");
  if (!key) throw mesh_stats_error{file_name + ": no KEY_CODE (or mesh_code) column"};
  population_table out;
  std::optional<std::size_t> value;
  if (!column.empty()) {
    value = find(column);
    if (!value) throw mesh_stats_error{file_name + ": no column '" + column + "'"};
  } else if (auto const p = find("population")) {
    value = p;
  } else {
    auto const gassan = find("GASSAN");
    for (auto i = gassan ? *gassan + 1 : *key + 1; i < fields.size(); ++i) {
      auto const f = gtfs::trim_spaces(fields[i]);
      if (f.size() > 3 && f.ends_with("001")) {
        value = i;
        break;
      }
    }
    if (!value) throw mesh_stats_error{file_name + ": no population column (a T...001 column or 'population')"};
  }
  out.column = std::string{gtfs::trim_spaces(fields[*value])};
  auto const where = [&] { return file_name + ":" + std::to_string(line) + ": "; };
  while (true) {
    auto const st = csv.next(fields, line);
    if (st == gtfs::csv_status::end) break;
    if (st == gtfs::csv_status::unclosed_quote) {
      out.problems.push_back(where() + "unclosed quote, rest of the file skipped");
      break;
    }
    if (fields.size() <= std::max(*key, *value)) {
      if (fields.size() > *key && !all_digits(gtfs::trim_spaces(fields[*key]))) continue;  // labels, notes
      out.problems.push_back(where() + "too few fields, skipped");
      continue;
    }
    auto const code_text = gtfs::trim_spaces(fields[*key]);
    if (!all_digits(code_text)) {
      if (!code_text.empty() && code_text.find_first_of("0123456789") != std::string_view::npos) {
        out.problems.push_back(where() + "bad grid-square code '" + std::string{code_text} + "', skipped");
      }
      continue;  // the second header row (labels)
    }
    auto const cell = access::parse_mesh_code(code_text);
    if (!cell) {
      out.problems.push_back(where() + "'" + std::string{code_text} + "' is not a JIS X 0410 grid-square code, skipped");
      continue;
    }
    auto const v = gtfs::trim_spaces(fields[*value]);
    if (hidden_value(v)) {
      ++out.hidden;
      out.squares.push_back({cell->code, 0.0});
      continue;
    }
    auto const people = gtfs::parse_double(v);
    if (!people || !std::isfinite(*people) || *people < 0) {
      out.problems.push_back(where() + "bad population '" + std::string{v} + "', skipped");
      continue;
    }
    out.squares.push_back({cell->code, *people});
  }
  return out;
}

}  // namespace nebuta::mesh_stats
