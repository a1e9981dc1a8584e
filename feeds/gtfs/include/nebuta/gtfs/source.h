// Where a feed's files come from: a folder of .txt files or a .zip archive (libzip). Both give
// the same bytes, so every later stage is identical for the two.
#pragma once

#include <zip.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "nebuta/io/file.h"

namespace nebuta::gtfs {

// Start-up and I/O failures (unreadable path, missing required file or column) are exceptions
// carrying the path or file name; bad rows are not: they are reported and skipped.
class feed_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class feed_source {
 public:
  explicit feed_source(std::filesystem::path path) : path_{std::move(path)} {
    std::error_code ec;
    if (std::filesystem::is_directory(path_, ec)) return;
    if (!std::filesystem::is_regular_file(path_, ec)) {
      throw feed_error{"feed not found: " + path_.string()};
    }
    int err = 0;
    zip_ = std::unique_ptr<zip_t, zip_closer>{zip_open(path_.c_str(), ZIP_RDONLY, &err)};
    if (!zip_) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, err);
      std::string msg = "cannot open feed archive " + path_.string() + ": " + zip_error_strerror(&ze);
      zip_error_fini(&ze);
      throw feed_error{msg};
    }
  }

  std::filesystem::path const& path() const { return path_; }
  bool is_zip() const { return zip_ != nullptr; }

  // The whole file, or nullopt when the feed has no such file. Files inside one sub-folder of a
  // zip (a common packaging mistake) are found too.
  std::optional<std::string> read(std::string const& name) const {
    return zip_ ? read_zip(name) : read_file(path_ / name);
  }

 private:
  struct zip_closer {
    void operator()(zip_t* z) const { zip_discard(z); }
  };

  static std::optional<std::string> read_file(std::filesystem::path const& p) {
    std::string data;
    switch (io::read_file(p, data)) {
      case io::read_status::ok: return data;
      case io::read_status::cannot_open: return std::nullopt;
      case io::read_status::read_failed: break;
    }
    throw feed_error{"cannot read " + p.string()};
  }

  std::optional<std::string> read_zip(std::string const& name) const {
    auto index = zip_name_locate(zip_.get(), name.c_str(), 0);
    if (index < 0) index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NODIR);
    if (index < 0) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
      throw feed_error{"cannot read " + name + " in " + path_.string()};
    }
    auto* file = zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) throw feed_error{"cannot open " + name + " in " + path_.string()};
    std::string data(static_cast<std::size_t>(st.size), '\0');
    auto const n = zip_fread(file, data.data(), st.size);
    zip_fclose(file);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
      throw feed_error{"truncated or corrupt member " + name + " in " + path_.string()};
    }
    return data;
  }

  std::filesystem::path path_;
  std::unique_ptr<zip_t, zip_closer> zip_;
};

}  // namespace nebuta::gtfs
