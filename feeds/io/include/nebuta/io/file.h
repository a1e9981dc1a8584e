// Reading a whole file into memory: the one way every reader does it (feeds, snapshots, rules,
// scenarios, reports, query files). Each caller turns a failure into its own error.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nebuta::io {

enum class read_status {
  ok,
  cannot_open,  // missing, no permission
  read_failed,  // opened, but reading failed (e.g. a directory, an I/O error)
};

// Replaces `out` with the file's bytes. Files that cannot seek (pipes) are read to their end.
read_status read_file(std::filesystem::path const& p, std::string& out);
read_status read_file(std::filesystem::path const& p, std::vector<char>& out);

// A file mapped read-only into memory (open O_RDONLY, mmap PROT_READ + MAP_PRIVATE): its pages
// are the page cache's, shared by every process that maps the same file, and read on first
// touch. `owner` unmaps it when the last holder lets go. A file that is not regular (a pipe) is
// read into memory instead. Replace a mapped file only by writing the new one under another name
// and renaming it over the old (as `nebuta import` does): the mapping keeps the old file's
// pages; rewriting or truncating the file in place would change what a running process reads,
// or make it fault past the new end.
struct mapped_file {
  std::span<char const> bytes;
  std::shared_ptr<void const> owner;
};
read_status map_file(std::filesystem::path const& p, mapped_file& out);

}  // namespace nebuta::io
