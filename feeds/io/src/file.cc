#include "nebuta/io/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

namespace {
struct mapping {
  void* base;
  std::size_t size;
  mapping(void* b, std::size_t n) : base{b}, size{n} {}
  mapping(mapping const&) = delete;
  mapping& operator=(mapping const&) = delete;
  ~mapping() { ::munmap(base, size); }
};
}  // namespace

read_status map_file(std::filesystem::path const& p, mapped_file& out) {
  out = {};
  std::error_code ec;
  auto const st = std::filesystem::status(p, ec);
  if (ec || !std::filesystem::exists(st)) return read_status::cannot_open;
  if (std::filesystem::is_directory(st)) return read_status::read_failed;
  auto const read_instead = [&] {
    auto bytes = std::make_shared<std::vector<char>>();
    auto const status = read_whole(p, *bytes);
    if (status == read_status::ok) out = {{bytes->data(), bytes->size()}, bytes};
    return status;
  };
  if (!std::filesystem::is_regular_file(st)) return read_instead();
  int const fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return read_status::cannot_open;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return read_status::read_failed;
  }
  auto const size = static_cast<std::size_t>(info.st_size);
  if (size == 0) {  // mmap refuses an empty length
    ::close(fd);
    return read_instead();
  }
  void* const base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (base == MAP_FAILED) return read_status::read_failed;
  auto const m = std::make_shared<mapping const>(base, size);
  out = {{static_cast<char const*>(base), size}, m};
  return read_status::ok;
}

}  // namespace nebuta::io
