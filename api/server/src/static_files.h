// The visitor's web app (api/web/) and Leaflet (Debian's libjs-leaflet) as static files of
// `nebuta serve`. Every file is read once when the server starts; a request is answered only
// from that table, so no path the client writes ever reaches the file system.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nebuta/api_server/server.h"

namespace nebuta::api_server {

class static_files {
 public:
  explicit static_files(server_config const& cfg);

  // The file of a GET of one of the app's paths (/, /index.html, /config.json, /app/...,
  // /vendor/leaflet/...; the pipeline's router sends only those here), nullopt when there is none.
  std::optional<http_response> serve(http_request const& req) const;

  std::string const& web_root() const { return web_root_; }
  std::size_t size() const { return files_.size(); }

 private:
  struct file {
    std::string content_type, body, etag, cache_control;
  };
  void add(std::string url_path, std::string content_type, std::string body, std::string cache_control);
  void load_dir(std::string const& dir, std::string const& url_prefix, std::string const& cache_control);

  std::string web_root_;
  std::unordered_map<std::string, file> files_;  // by URL path
};

}  // namespace nebuta::api_server
