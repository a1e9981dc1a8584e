// The web app's static files (api/server/src/static_files.cc) through api::serve, without
// sockets: content types, caching headers, 304, 404/405 JSON, and no path outside the web root
// or Leaflet's folder, however the path is written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nebuta/api_server/server.h"
#include "temp_dir.h"

namespace {

using nebuta::api_server::http_request;
using nebuta::api_server::http_response;

std::string header(http_response const& r, std::string_view name) {
  for (auto const& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

struct fixture {
  nebuta::test::temp_dir dir{"web"};
  std::filesystem::path root = dir.path / "root";
  std::filesystem::path leaflet = dir.path / "leaflet";
  nebuta::api_server::server_config cfg;
  std::unique_ptr<nebuta::api_server::api> api;

  fixture() {
    dir.write("root/index.html", "<!doctype html><title>t</title>");
    dir.write("root/app/main.js", "export const x = 1;");
    dir.write("root/app/style.css", "body{}");
    dir.write("root/app/.hidden.js", "secret");
    dir.write("root/app/notes.bin", "binary");
    dir.write("leaflet/leaflet.css", ".leaflet{}");
    dir.write("leaflet/leaflet.esm.min.js", "export default 1;");
    dir.write("leaflet/images/marker-icon.png", "\x89PNG");
    dir.write("leaflet/leaflet.min.js.gz", "gz");
    dir.write("secret.txt", "do not serve");  // beside the web root
    cfg.web_root = root.string();
    cfg.leaflet_root = leaflet.string();
    cfg.tiles_url = "https://tiles.example/{z}/{x}/{y}.png";
    cfg.tiles_attribution = "© Example";
    api = std::make_unique<nebuta::api_server::api>(nullptr, nullptr, cfg);
  }

  http_response get(std::string target, std::string method = "GET") {
    http_request r;
    r.method = std::move(method);
    r.target = std::move(target);
    return api->serve(r);
  }
};

}  // namespace

TEST_CASE("web app: the page, its modules and Leaflet with types and caching headers", "[api][web]") {
  fixture f;
  auto const page = f.get("/");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body == "<!doctype html><title>t</title>");
  CHECK(header(page, "Cache-Control") == "no-cache");
  CHECK(header(page, "ETag").size() == 18);
  CHECK(header(page, "Content-Security-Policy").find("default-src 'self'") != std::string::npos);
  // The page's state is its query string: / with any query is the same page.
  CHECK(f.get("/?from=hachinohe&to=%E7%A8%AE&lang=ko&unknown=1").body == page.body);
  CHECK(f.get("/index.html").body == page.body);

  auto const js = f.get("/app/main.js");
  CHECK(js.status == 200);
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(js.body == "export const x = 1;");
  CHECK(header(js, "ETag") != header(page, "ETag"));
  CHECK(f.get("/app/style.css").content_type == "text/css; charset=utf-8");

  auto const css = f.get("/vendor/leaflet/leaflet.css");
  CHECK(css.status == 200);
  CHECK(css.body == ".leaflet{}");
  CHECK(header(css, "Cache-Control") == "public, max-age=86400");
  CHECK(f.get("/vendor/leaflet/images/marker-icon.png").content_type == "image/png");
  CHECK(f.get("/vendor/leaflet/leaflet.esm.min.js").content_type == "text/javascript; charset=utf-8");

  auto const conf = nlohmann::json::parse(f.get("/config.json").body);
  CHECK(conf["tiles"]["url"] == "https://tiles.example/{z}/{x}/{y}.png");
  CHECK(conf["tiles"]["attribution"] == "© Example");
  CHECK(conf["leaflet"] == "/vendor/leaflet/leaflet.esm.min.js");
}

TEST_CASE("web app: If-None-Match with the ETag answers 304 without a body", "[api][web]") {
  fixture f;
  auto const first = f.get("/app/main.js");
  http_request r;
  r.method = "GET";
  r.target = "/app/main.js";
  r.headers = {{"if-none-match", header(first, "ETag")}};
  auto const again = f.api->serve(r);
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(header(again, "ETag") == header(first, "ETag"));
  r.headers = {{"if-none-match", "\"0000000000000000\""}};
  CHECK(f.api->serve(r).status == 200);
}

TEST_CASE("web app: no tiles by default, so nothing leaves the machine", "[api][web]") {
  nebuta::test::temp_dir dir{"web-default"};
  dir.write("index.html", "x");
  nebuta::api_server::server_config cfg;
  cfg.web_root = dir.path.string();
  cfg.leaflet_root = (dir.path / "none").string();
  nebuta::api_server::api a{nullptr, nullptr, cfg};
  http_request r{"GET", "/config.json", {}, {}, {}, {}, {}, {}, {}};
  auto const conf = nlohmann::json::parse(a.serve(r).body);
  CHECK(conf["tiles"].is_null());
  CHECK(conf["leaflet"] == "");
}

TEST_CASE("web app: unknown assets, other methods and escapes from the web root answer JSON errors", "[api][web]") {
  fixture f;
  auto const check_404 = [&](std::string const& target) {
    INFO(target);
    auto const r = f.get(target);
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/json");
    auto const body = nlohmann::json::parse(r.body);
    CHECK(body["code"] == "not_found");
    CHECK(r.body.find("do not serve") == std::string::npos);
  };
  check_404("/app/missing.js");
  check_404("/app/.hidden.js");  // dotfiles are never served
  check_404("/app/notes.bin");   // nor files of unknown type
  check_404("/vendor/leaflet/leaflet.min.js.gz");
  check_404("/vendor/other/x.js");
  for (auto const* escape :
       {"/app/../secret.txt", "/app/../../secret.txt", "/app/%2e%2e/secret.txt", "/app/%2E%2E%2Fsecret.txt",
        "/app/..%2fsecret.txt", "/app/..\\secret.txt", "/app//../secret.txt", "/app/./../secret.txt",
        "/vendor/leaflet/../root/index.html", "/vendor/leaflet/../../secret.txt", "/app/%00../secret.txt",
        "/app/main.js%00.css", "/app/", "/app", "/vendor/leaflet/", "/app/../index.html"}) {
    check_404(escape);
  }
  // /secret.txt is no app path: the API answers it (404 not_found as for any unknown endpoint).
  CHECK(f.get("/secret.txt").status == 404);
  CHECK(f.get("/secret.txt").body.find("do not serve") == std::string::npos);

  auto const post = f.get("/", "POST");
  CHECK(post.status == 405);
  CHECK(post.allow == "GET, HEAD");
  CHECK(nlohmann::json::parse(post.body)["code"] == "method_not_allowed");
  CHECK(f.get("/app/main.js", "HEAD").status == 200);  // the transport drops the body
}

TEST_CASE("web app: the API's endpoints are not shadowed", "[api][web]") {
  fixture f;
  auto const health = f.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body.find("ok") != std::string::npos);
  CHECK(f.get("/v1/openapi.json").status == 200);
}

TEST_CASE("web app: the repository's own app is found by default and is complete", "[api][web]") {
  nebuta::api_server::server_config cfg;  // compiled-in web root (api/web of the source tree)
  nebuta::api_server::api a{nullptr, nullptr, cfg};
  auto const get = [&](std::string t) {
    http_request r;
    r.method = "GET";
    r.target = std::move(t);
    return a.serve(r);
  };
  auto const page = get("/");
  REQUIRE(page.status == 200);
  // Every module and stylesheet the page names is served.
  for (auto const* asset : {"/app/style.css", "/app/main.js", "/app/i18n.js", "/app/state.js", "/app/format.js",
                            "/app/api.js", "/app/map.js"}) {
    INFO(asset);
    CHECK(get(asset).status == 200);
  }
  CHECK(page.body.find("/app/main.js") != std::string::npos);
}
