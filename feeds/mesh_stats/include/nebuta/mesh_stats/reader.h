// Population per standard grid square from Japan's grid-square statistics (地域メッシュ統計) as
// e-Stat's 統計GIS distributes them: a CSV (Shift_JIS / CP932 or UTF-8, CRLF or LF) with two
// header rows, the column codes and then their Japanese labels:
//
//   KEY_CODE,HTKSYORI,HTKSAKI,GASSAN,T001101001,T001101002,...
//   ,,,,　人口（総数）,　人口（総数）　男,...
//   5941433811,0,,,120,58,...
//
// KEY_CODE is the square's code (8 digits: 1 km, 9: 500 m, 10: 250 m, 11: 125 m); the people are
// read from `column` when given, else from the first column whose code ends in "001" after
// GASSAN (the census's 人口（総数）: T000847001 in 2015, T001101001 / T001142001 in 2020). The
// HTKSYORI / HTKSAKI / GASSAN (秘匿処理: squares merged for confidentiality) columns are not
// needed for the total: it is published for every square. A value "*", "-", "X" or empty
// (hidden) counts as 0 and is counted in `hidden`. The second header row (or any row whose
// KEY_CODE is not digits) is skipped without a message, so the labels' encoding does not matter.
// A simpler CSV works too: a column `mesh_code` (or KEY_CODE) and a column `population`.
//
// Error policy (feeds): a bad row is a "file:line: reason" problem, skipped; no usable column is
// an exception.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/access/grid.h"

namespace nebuta::mesh_stats {

struct mesh_stats_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct population_table {
  std::vector<access::mesh_population> squares;
  std::string column;                 // the column read
  std::size_t hidden{0};              // squares whose value was hidden ("*"): counted as 0
  std::vector<std::string> problems;  // "file:line: reason" per skipped row
};

population_table read_population(std::string_view bytes, std::string const& file_name, std::string const& column = {});

}  // namespace nebuta::mesh_stats
