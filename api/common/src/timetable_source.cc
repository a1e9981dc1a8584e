#include "nebuta/api/timetable_source.h"

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "nebuta/api/progress.h"
#include "nebuta/io/file.h"
#include "nebuta/timetable/snapshot.h"

namespace nebuta::api {

std::vector<char> read_file_bytes(std::filesystem::path const& p) {
  std::vector<char> bytes;
  switch (io::read_file(p, bytes)) {
    case io::read_status::ok: return bytes;
    case io::read_status::cannot_open: throw std::runtime_error{"cannot open " + p.string()};
    case io::read_status::read_failed: break;
  }
  throw std::runtime_error{"cannot read " + p.string()};
}

void write_file_bytes(std::filesystem::path const& p, std::vector<char> const& bytes) {
  // Write beside the target and rename, so a crash never leaves a half-written snapshot.
  auto const tmp = std::filesystem::path{p.string() + ".tmp"};
  {
    std::ofstream out{tmp, std::ios::binary | std::ios::trunc};
    if (!out) throw std::runtime_error{"cannot write " + tmp.string()};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error{"cannot write " + tmp.string()};
  }
  std::filesystem::rename(tmp, p);
}

loaded_timetable load_timetable(timetable_source const& src) {
  loaded_timetable out;
  if (!src.snapshot.empty() && !src.feeds.empty()) {
    throw std::runtime_error{"give either --feed or --snapshot, not both"};
  }
  if (!src.snapshot.empty()) {
    auto const start = std::chrono::steady_clock::now();
    auto const bytes = read_file_bytes(src.snapshot);
    out.tt = read_snapshot(bytes, &out.sections);
    out.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.from_snapshot = true;
    return out;
  }
  if (src.feeds.empty()) throw std::runtime_error{"no timetable: give --feed PATH (repeatable) or --snapshot FILE"};
  std::vector<gtfs_import::feed_spec> specs;
  for (auto const& f : src.feeds) {
    auto spec = gtfs_import::parse_feed_arg(f);
    for (auto const& other : specs) {
      if (other.name == spec.name) {
        throw std::runtime_error{"two feeds are named '" + spec.name + "'; name them with --feed NAME=PATH"};
      }
    }
    specs.push_back(std::move(spec));
  }
  progress bar;
  build::options opt;
  opt.walk_link_radius_m = src.walk_link_radius_m;
  auto result = gtfs_import::load(specs, opt, [&](std::string_view s) { bar.stage(s); });
  bar.done();
  out.tt = std::move(result.tt);
  out.problems = std::move(result.problems);
  out.load_seconds = result.load_seconds;
  return out;
}

}  // namespace nebuta::api
