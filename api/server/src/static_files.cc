// Static files of the web app: content types, caching headers (ETag, Cache-Control), 304s.
#include "static_files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "message_response.h"

#ifndef NEBUTA_WEB_SOURCE_DIR
#define NEBUTA_WEB_SOURCE_DIR ""
#endif
#ifndef NEBUTA_WEB_INSTALL_DIR
#define NEBUTA_WEB_INSTALL_DIR ""
#endif
#ifndef NEBUTA_LEAFLET_DIR
#define NEBUTA_LEAFLET_DIR "/usr/share/javascript/leaflet"
#endif

namespace nebuta::api_server {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t max_file_bytes = 8U << 20;  // the app and Leaflet are far smaller

std::string_view content_type_of(std::string_view name) {
  auto const dot = name.rfind('.');
  auto const ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return {};  // not served (e.g. Debian's precompressed .gz and .brotli copies)
}

// FNV-1a, 64 bits: a content hash for the ETag (not a security boundary).
std::string etag_of(std::string_view body) {
  std::uint64_t h = 14695981039346656037ULL;
  for (auto const c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof(buf), "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

std::string read_file(fs::path const& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

std::string default_web_root() {
  // The source tree when the binary runs from a build folder, else the installed copy.
  for (std::string_view d : {NEBUTA_WEB_SOURCE_DIR, NEBUTA_WEB_INSTALL_DIR}) {
    std::error_code ec;
    if (!d.empty() && fs::is_regular_file(fs::path{d} / "index.html", ec)) return std::string{d};
  }
  return NEBUTA_WEB_INSTALL_DIR;
}

bool matches_etag(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  // A list of entity tags, weak ones (W/"...") compared weakly as RFC 9110 asks for GET.
  return if_none_match.find(etag) != std::string_view::npos;
}

}  // namespace

static_files::static_files(server_config const& cfg)
    : web_root_{cfg.web_root.empty() ? default_web_root() : cfg.web_root} {
  // The page and its modules change with every release and carry no hash in their names:
  // the browser revalidates them (a 304 costs a round trip, no bytes). Leaflet changes only
  // with the Debian package.
  load_dir(web_root_, "/", "no-cache");
  load_dir(cfg.leaflet_root.empty() ? std::string{NEBUTA_LEAFLET_DIR} : cfg.leaflet_root, "/vendor/leaflet/",
           "public, max-age=86400");
  nlohmann::json conf;
  conf["tiles"] = cfg.tiles_url.empty() ? nlohmann::json(nullptr)
                                        : nlohmann::json{{"url", cfg.tiles_url}, {"attribution", cfg.tiles_attribution}};
  conf["leaflet"] = files_.contains("/vendor/leaflet/leaflet.esm.min.js") ? "/vendor/leaflet/leaflet.esm.min.js" : "";
  add("/config.json", std::string{json_type}, conf.dump(), "no-cache");
  if (!files_.contains("/index.html")) {
    std::fprintf(stderr, "nebuta serve: no web app in '%s' (give --web-root DIR); / answers 404\n", web_root_.c_str());
  }
}

void static_files::add(std::string url_path, std::string content_type, std::string body, std::string cache_control) {
  auto etag = etag_of(body);
  files_.insert_or_assign(std::move(url_path),
                          file{std::move(content_type), std::move(body), std::move(etag), std::move(cache_control)});
}

void static_files::load_dir(std::string const& dir, std::string const& url_prefix, std::string const& cache_control) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return;
  for (auto it = fs::recursive_directory_iterator{dir, ec}; !ec && it != fs::recursive_directory_iterator{};
       it.increment(ec)) {
    auto const& entry = *it;
    std::error_code fec;
    if (!entry.is_regular_file(fec) || entry.file_size(fec) > max_file_bytes) continue;
    auto const rel = entry.path().lexically_relative(dir).generic_string();
    auto const type = content_type_of(rel);
    if (type.empty() || rel.starts_with('.') || rel.find("/.") != std::string::npos) continue;  // no dotfiles
    add(url_prefix + rel, std::string{type}, read_file(entry.path()), cache_control);
  }
}

std::optional<http_response> static_files::serve(http_request const& req) const {
  std::string_view path{req.target};
  path = path.substr(0, path.find('?'));  // the page's state lives in its query string (/?from=...)
  auto const key = path == "/" ? std::string_view{"/index.html"} : path;
  auto const it = files_.find(std::string{key});
  if (it == files_.end()) return std::nullopt;
  auto const& f = it->second;
  http_response r;
  r.headers = {{"Cache-Control", f.cache_control}, {"ETag", f.etag}, {"X-Content-Type-Options", "nosniff"}};
  if (key == "/index.html") {
    // Nothing but this server: the page may not load or send anything elsewhere, except map
    // tiles from the operator's --tiles server.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data: https: http:; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'");
  }
  for (auto const& [k, v] : req.headers) {
    if (k == "if-none-match" && matches_etag(v, f.etag)) {
      r.status = 304;
      return r;
    }
  }
  r.content_type = f.content_type;
  r.body = f.body;
  return r;
}

}  // namespace nebuta::api_server
