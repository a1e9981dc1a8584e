#include "nebuta/io/file.h"

#include <fstream>
#include <system_error>

namespace nebuta::io {
namespace {

template <typename Bytes>
read_status read_whole(std::filesystem::path const& p, Bytes& out) {
  out.clear();
  std::error_code ec;
  auto const st = std::filesystem::status(p, ec);
  if (ec || !std::filesystem::exists(st)) return read_status::cannot_open;
  // A directory opens on Linux but cannot be read (and its "size" is no size).
  if (std::filesystem::is_directory(st)) return read_status::read_failed;
  std::ifstream in{p, std::ios::binary};
  if (!in) return read_status::cannot_open;
  if (std::filesystem::is_regular_file(st)) {
    in.seekg(0, std::ios::end);
    auto const size = in.tellg();
    if (size < 0) return read_status::read_failed;
    in.seekg(0);
    out.resize(static_cast<std::size_t>(size));
    in.read(out.data(), size);
    return in ? read_status::ok : read_status::read_failed;
  }
  // A pipe or device: read in blocks until its end.
  char block[64 * 1024];
  while (in.read(block, sizeof block) || in.gcount() > 0) out.insert(out.end(), block, block + in.gcount());
  return in.bad() ? read_status::read_failed : read_status::ok;
}

}  // namespace

read_status read_file(std::filesystem::path const& p, std::string& out) { return read_whole(p, out); }
read_status read_file(std::filesystem::path const& p, std::vector<char>& out) { return read_whole(p, out); }

}  // namespace nebuta::io
