#include "input.h"

#include <charconv>
#include <cmath>
#include <fstream>

#include "nebuta/gtfs/csv.h"
#include "nebuta/io/file.h"
#include "nebuta/report/report.h"

namespace nebuta::report::detail {

std::string read_file(std::filesystem::path const& file) {
  std::string text;
  switch (io::read_file(file, text)) {
    case io::read_status::ok: return text;
    case io::read_status::cannot_open: throw report_error{file.string() + ": cannot open"};
    case io::read_status::read_failed: break;
  }
  throw report_error{file.string() + ": read error"};
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0;
  auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

csv_table read_csv(std::filesystem::path const& file) {
  csv_table table;
  table.file = file.string();
  auto const data = read_file(file);
  gtfs::string_arena arena;
  gtfs::csv_reader reader{data, arena};
  std::vector<std::string_view> fields;
  std::uint32_t line = 0;
  bool have_header = false;
  while (true) {
    auto const status = reader.next(fields, line);
    if (status == gtfs::csv_status::end) break;
    if (status == gtfs::csv_status::unclosed_quote) {
      throw report_error{table.file + ":" + std::to_string(line) + ": unclosed quote"};
    }
    if (!have_header) {
      for (auto const f : fields) table.header.emplace_back(f);
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size()) {
      throw report_error{table.file + ":" + std::to_string(line) + ": " + std::to_string(fields.size()) +
                         " fields, the header has " + std::to_string(table.header.size())};
    }
    table.rows.emplace_back(fields.begin(), fields.end());
    table.lines.push_back(line);
  }
  if (!have_header) throw report_error{table.file + ": empty file, expected a header row"};
  return table;
}

std::optional<std::size_t> csv_table::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t csv_table::column(std::string_view name) const {
  if (auto const i = find_column(name)) return *i;
  throw report_error{file + ":1: missing column '" + std::string{name} + "'"};
}

void csv_table::fail(std::size_t row, std::string const& reason) const {
  throw report_error{file + ":" + std::to_string(lines[row]) + ": " + reason};
}

double csv_table::number(std::size_t row, std::size_t col) const {
  auto const& cell = rows[row][col];
  if (auto const v = parse_number(cell)) {
    if (std::abs(*v) > 1e12) fail(row, "column '" + header[col] + "': " + cell + " is out of range");
    return *v;
  }
  if (cell.empty()) fail(row, "column '" + header[col] + "' is empty");
  fail(row, "column '" + header[col] + "': '" + cell + "' is not a number");
}

double csv_table::latitude(std::size_t row, std::size_t col) const {
  auto const v = number(row, col);
  if (v < -90 || v > 90) fail(row, "column '" + header[col] + "': latitude " + rows[row][col] + " is out of range");
  return v;
}

double csv_table::longitude(std::size_t row, std::size_t col) const {
  auto const v = number(row, col);
  if (v < -180 || v > 180) {
    fail(row, "column '" + header[col] + "': longitude " + rows[row][col] + " is out of range");
  }
  return v;
}

std::optional<double> csv_table::optional_number(std::size_t row, std::size_t col) const {
  if (rows[row][col].empty()) return std::nullopt;
  return number(row, col);
}

nlohmann::json read_json_object(std::filesystem::path const& file) {
  auto const text = read_file(file);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (nlohmann::json::parse_error const& e) {
    throw report_error{file.string() + ": invalid JSON: " + e.what()};
  }
  if (!j.is_object()) throw report_error{file.string() + ": not a JSON object"};
  return j;
}

void write_text(std::filesystem::path const& file, std::string const& text) {
  std::ofstream out{file, std::ios::binary | std::ios::trunc};
  if (!out) throw report_error{file.string() + ": cannot write"};
  out << text;
  out.close();
  if (!out) throw report_error{file.string() + ": write failed"};
}

}  // namespace nebuta::report::detail
