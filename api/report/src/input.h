// Reading the simulator's output files strictly: every problem names the file (and line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebuta::report::detail {

// The whole file, or report_error "path: cannot open".
std::string read_file(std::filesystem::path const& file);

// A CSV file with a header row; every row has exactly as many fields as the header.
struct csv_table {
  std::string file;  // as shown in messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint32_t> lines;  // physical line of each row, for messages

  // Index of a column, or report_error "file:1: missing column 'name'".
  std::size_t column(std::string_view name) const;
  std::optional<std::size_t> find_column(std::string_view name) const;

  std::string const& text(std::size_t row, std::size_t col) const { return rows[row][col]; }
  // A finite number of magnitude at most 1e12 (no field of the schema comes near; beyond it
  // times would overflow whole seconds); report_error "file:line: column 'c': 'v' is not a
  // number" otherwise, also for an empty cell.
  double number(std::size_t row, std::size_t col) const;
  // A number in [-90, 90] or [-180, 180].
  double latitude(std::size_t row, std::size_t col) const;
  double longitude(std::size_t row, std::size_t col) const;
  // Empty cell → nullopt; otherwise as number().
  std::optional<double> optional_number(std::size_t row, std::size_t col) const;
  [[noreturn]] void fail(std::size_t row, std::string const& reason) const;
};

csv_table read_csv(std::filesystem::path const& file);

// Parses a finite number (integer or decimal) from the whole of `s`.
std::optional<double> parse_number(std::string_view s);

// A JSON object, or report_error "path: invalid JSON: ..." / "path: not a JSON object".
nlohmann::json read_json_object(std::filesystem::path const& file);

// Writes the whole text, or report_error "path: cannot write".
void write_text(std::filesystem::path const& file, std::string const& text);

}  // namespace nebuta::report::detail
