// Reading a whole file into memory: the one way every reader does it (feeds, snapshots, rules,
// scenarios, reports, query files). Each caller turns a failure into its own error.
#pragma once

#include <filesystem>
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

}  // namespace nebuta::io
