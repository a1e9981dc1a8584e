#include "nebuta/api/timetable_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
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
  // Write beside the target (a name of this process's own) and rename over it, so that a crash
  // never leaves a half-written snapshot, and a process that has the old file mapped keeps
  // reading the old file's pages, untouched (never write a mapped snapshot in place).
  auto const tmp = std::filesystem::path{p.string() + ".tmp." + std::to_string(::getpid())};
  auto const fail = [&](char const* what) {
    auto const msg = std::string{"cannot write "} + tmp.string() + ": " + what + ": " + std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error{msg};
  };
  int const fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("open");
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto const n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("fsync");
  }
  if (::close(fd) != 0) fail("close");
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error{"cannot write " + p.string() + ": rename failed"};
  }
}

loaded_timetable load_timetable(timetable_source const& src) {
  loaded_timetable out;
  if (!src.snapshot.empty() && !src.feeds.empty()) {
    throw std::runtime_error{"give either --feed or --snapshot, not both"};
  }
  if (!src.snapshot.empty()) {
    auto const start = std::chrono::steady_clock::now();
    // Mapped, not read: the timetable views the file's pages, which every process serving the
    // same file shares through the page cache (docs/deployment.md).
    io::mapped_file file;
    switch (io::map_file(src.snapshot, file)) {
      case io::read_status::ok: break;
      case io::read_status::cannot_open: throw std::runtime_error{"cannot open " + src.snapshot};
      case io::read_status::read_failed: throw std::runtime_error{"cannot read " + src.snapshot};
    }
    out.tt = read_snapshot(shared_bytes{file.bytes, file.owner}, &out.sections);
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
