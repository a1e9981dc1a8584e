// Scratch folders and files for tests that read or write real files.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

namespace nebuta::test {

// A fresh, empty folder under the system's temp folder, removed with its contents at scope exit.
// The process id and a counter keep parallel test processes and nested folders apart.
struct temp_dir {
  std::filesystem::path path;

  explicit temp_dir(std::string const& name = "dir") {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("nebuta-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name);
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(temp_dir const&) = delete;
  temp_dir& operator=(temp_dir const&) = delete;

  // Writes `content` to `file` (relative to the folder; parent folders are created).
  std::filesystem::path write(std::string const& file, std::string_view content) const {
    auto const p = path / file;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream{p, std::ios::binary} << content;
    return p;
  }
};

// The whole file as bytes (empty when it cannot be read).
inline std::string read_file(std::filesystem::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace nebuta::test
