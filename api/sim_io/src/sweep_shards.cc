// Sweeps as independent jobs (docs/simulation.md, "Sweeps as jobs"): the `--shard I/N` argument,
// the shard files' names, and the merge of the shards' rows into the sweep.csv of the whole sweep.
#include <charconv>
#include <map>
#include <stdexcept>
#include <string_view>

#include "nebuta/sim_io/sweep.h"
#include "scenario_internal.h"

namespace nebuta::sim_io {

using namespace detail;

namespace {

std::optional<std::size_t> whole_number(std::string_view s) {
  std::size_t v = 0;
  if (s.empty() || s.size() > 9) return std::nullopt;
  auto const r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// "sweep.shard-I-of-N.csv" → {I, N}.
std::optional<sweep_shard> shard_of_file_name(std::string_view name) {
  constexpr std::string_view prefix = "sweep.shard-", middle = "-of-", suffix = ".csv";
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return std::nullopt;
  name = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  auto const of = name.find(middle);
  if (of == std::string_view::npos) return std::nullopt;
  auto const i = whole_number(name.substr(0, of)), n = whole_number(name.substr(of + middle.size()));
  if (!i || !n || *i >= *n) return std::nullopt;
  return sweep_shard{*i, *n};
}

struct shard_rows {
  fs::path dir, file;
  sweep_shard shard;
};

std::vector<shard_rows> find_shards(std::vector<fs::path> const& dirs) {
  std::vector<shard_rows> found;
  for (auto const& d : dirs) {
    std::error_code ec;
    for (auto const& e : fs::directory_iterator{d, ec}) {
      if (auto const s = shard_of_file_name(e.path().filename().string())) found.push_back({d, e.path(), *s});
    }
    if (ec) throw std::runtime_error{d.string() + ": cannot list the folder (" + ec.message() + ")"};
  }
  return found;
}

}  // namespace

sweep_shard parse_sweep_shard(std::string const& text) {
  auto const slash = text.find('/');
  auto const i = whole_number(std::string_view{text}.substr(0, slash));
  auto const n = slash == std::string::npos ? std::nullopt : whole_number(std::string_view{text}.substr(slash + 1));
  if (!i || !n || *n == 0 || *i >= *n)
    throw scenario_error{"--shard " + text + ": give I/N with 0 <= I < N (e.g. 0/3, 1/3, 2/3)"};
  return {*i, *n};
}

std::string sweep_shard_file(sweep_shard const& s) {
  return "sweep.shard-" + std::to_string(s.index) + "-of-" + std::to_string(s.count) + ".csv";
}

bool has_sweep_shards(fs::path const& dir) { return !find_shards({dir}).empty(); }

std::size_t merge_sweep_shards(std::vector<fs::path> const& dirs) {
  if (dirs.empty()) throw std::runtime_error{"no sweep folder to merge"};
  auto const shards = find_shards(dirs);
  if (shards.empty()) throw std::runtime_error{dirs.front().string() + ": no sweep.shard-I-of-N.csv to merge"};
  auto const n_shards = shards.front().shard.count;
  std::vector<fs::path const*> seen(n_shards, nullptr);
  std::string header;
  std::map<std::size_t, std::string_view> rows;  // run number → its line, '\n' included
  std::vector<std::string> texts;
  texts.reserve(shards.size());
  struct run_folder {
    fs::path from;
    std::string name;
  };
  std::vector<run_folder> folders;
  for (auto const& s : shards) {
    auto const where = s.file.string();
    if (s.shard.count != n_shards)
      throw std::runtime_error{where + ": a shard of " + std::to_string(s.shard.count) + ", the others are of " +
                               std::to_string(n_shards)};
    if (seen[s.shard.index] != nullptr)
      throw std::runtime_error{where + ": shard " + std::to_string(s.shard.index) + " is also " +
                               seen[s.shard.index]->string()};
    seen[s.shard.index] = &s.file;
    std::string_view text = texts.emplace_back(read_file(s.file, "sweep shard"));
    auto const eol = text.find('\n');
    if (eol == std::string_view::npos) throw std::runtime_error{where + ":1: no header line"};
    if (header.empty()) header = text.substr(0, eol + 1);
    if (text.substr(0, eol + 1) != header)
      throw std::runtime_error{where + ":1: the header differs from " + shards.front().file.string() + "'s"};
    std::size_t line = 1;
    for (auto pos = eol + 1; pos < text.size(); ++line) {
      auto const end = text.find('\n', pos);
      if (end == std::string_view::npos)
        throw std::runtime_error{where + ":" + std::to_string(line + 1) + ": cut short"};
      auto const row = text.substr(pos, end + 1 - pos);
      pos = end + 1;
      auto const comma1 = row.find(',');
      auto const comma2 = row.find(',', comma1 + 1);
      auto const run = whole_number(row.substr(0, comma1));
      auto const at = where + ":" + std::to_string(line + 1) + ": ";
      if (comma1 == std::string_view::npos || comma2 == std::string_view::npos || !run || *run == 0)
        throw std::runtime_error{at + "not a sweep row"};
      if ((*run - 1) % n_shards != s.shard.index)
        throw std::runtime_error{at + "run " + std::to_string(*run) + " is not shard " + std::to_string(s.shard.index) +
                                 "'s"};
      if (!rows.emplace(*run, row).second) throw std::runtime_error{at + "run " + std::to_string(*run) + " twice"};
      auto const folder = std::string{row.substr(comma1 + 1, comma2 - comma1 - 1)};
      if (folder != run_dir_name(*run))
        throw std::runtime_error{at + "run folder '" + folder + "' is not " + run_dir_name(*run)};
      folders.push_back({s.dir, folder});
    }
  }
  for (std::size_t i = 0; i < n_shards; ++i) {
    if (seen[i] == nullptr)
      throw std::runtime_error{"shard " + std::to_string(i) + " of " + std::to_string(n_shards) + " (" +
                               sweep_shard_file({i, n_shards}) + ") is missing"};
  }
  if (!rows.empty() && rows.rbegin()->first != rows.size())
    throw std::runtime_error{"runs are missing: " + std::to_string(rows.size()) + " rows, the last is run " +
                             std::to_string(rows.rbegin()->first)};
  // The run folders of the other shards' folders join the first one, where sweep.html links.
  auto const& into = dirs.front();
  for (auto const& f : folders) {
    std::error_code ec;
    if (fs::equivalent(f.from, into, ec) || fs::exists(into / f.name)) continue;  // never replaced (a merge again)
    fs::copy(f.from / f.name, into / f.name, fs::copy_options::recursive);
  }
  std::string csv = header;
  for (auto const& [run, row] : rows) csv += row;
  write_file(into / "sweep.csv", csv);
  return rows.size();
}

}  // namespace nebuta::sim_io
