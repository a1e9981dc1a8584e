// Fetching a realtime feed's bytes (realtime.h): HTTP(S) through libcurl with conditional GET
// (If-None-Match / If-Modified-Since), a timeout and a size limit; files by modification time
// and size. Nothing here throws for a failing source: every outcome is a fetch_result.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nebuta::api_server {

struct fetch_result {
  enum class kind : std::uint8_t {
    modified,      // new bytes in `body`
    not_modified,  // HTTP 304, or the file is unchanged: the last content is still current
    failed,        // `error` says why (HTTP status, timeout, too large, cannot read)
  };
  kind outcome{kind::failed};
  std::string body, error;
};

// What a conditional fetch remembers between two fetches of one source.
struct fetch_validators {
  std::string etag, last_modified;          // HTTP
  std::filesystem::file_time_type mtime{};  // files
  std::uintmax_t size{0};
  bool have_file{false};
  void reset() { *this = {}; }
};

struct fetch_limits {
  unsigned timeout_s{10};
  std::size_t max_bytes{64U << 20U};
  std::atomic<bool> const* cancel{nullptr};  // set: an HTTP transfer in progress stops (shutdown)
};

// GET url; a 200 updates `v` from the answer's ETag / Last-Modified.
fetch_result fetch_http(std::string const& url, fetch_validators& v, fetch_limits const& lim);
// One request of the planner to an on-demand area's dispatcher (issue 19, drt_remote.cc): any
// method, a body, header lines ("Name: value"); the answer's status (0: none came, `error` says
// why) and body, within lim.timeout_s and lim.max_bytes. Never throws.
struct http_exchange_result {
  long status{0};
  std::string body, error;
};
http_exchange_result http_exchange(std::string const& method, std::string const& url, std::string const& body,
                                   std::vector<std::string> const& headers, fetch_limits const& lim);

// The file's bytes, unless its modification time and size are those of `v`.
fetch_result fetch_file(std::filesystem::path const& p, fetch_validators& v, fetch_limits const& lim);

}  // namespace nebuta::api_server
