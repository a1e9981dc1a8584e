// Fetching a realtime feed's bytes (rt_fetch.h).
#include "rt_fetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string_view>
#include <system_error>

#include "nebuta/io/file.h"

namespace nebuta::api_server {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct transfer {
  explicit transfer(std::size_t max) : max_bytes{max} {}
  std::string body;
  std::size_t max_bytes{0};
  bool too_large{false};
  std::string etag, last_modified;
};

std::size_t on_body(char* p, std::size_t size, std::size_t n, void* user) {
  auto& t = *static_cast<transfer*>(user);
  auto const k = size * n;
  if (t.body.size() + k > t.max_bytes) {
    t.too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t.body.append(p, k);
  return k;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

// Every header line of every answer (redirects included): the validators of the last one count.
std::size_t on_header(char* p, std::size_t size, std::size_t n, void* user) {
  auto& t = *static_cast<transfer*>(user);
  auto const line = std::string_view{p, size * n};
  if (line.starts_with("HTTP/")) {
    t.etag.clear();
    t.last_modified.clear();
  } else if (header_is(line, "etag")) {
    t.etag = trim(line.substr(5));
  } else if (header_is(line, "last-modified")) {
    t.last_modified = trim(line.substr(14));
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto const* cancel = static_cast<std::atomic<bool> const*>(user);
  return cancel != nullptr && cancel->load() ? 1 : 0;  // non-zero aborts (CURLE_ABORTED_BY_CALLBACK)
}

struct curl_deleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct slist_deleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::unique_ptr<CURL, curl_deleter> start_transfer() {
  global_init();
  return std::unique_ptr<CURL, curl_deleter>{curl_easy_init()};
}

// What every transfer sets: the URL, http(s) only, the bounds, the body sink, the header lines.
void set_transfer(CURL* c, std::string const& url, fetch_limits const& lim, transfer& t, curl_slist* headers,
                  char const* agent) {
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: the server has threads
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(lim.timeout_s));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(lim.timeout_s));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(lim.max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, agent);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
}

// Why a transfer failed ("": it did not).
std::string transfer_error(CURLcode rc, transfer const& t, fetch_limits const& lim) {
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) return "larger than " + std::to_string(lim.max_bytes) + " bytes";
  return rc == CURLE_OK ? std::string{} : curl_easy_strerror(rc);
}

}  // namespace

fetch_result fetch_http(std::string const& url, fetch_validators& v, fetch_limits const& lim) {
  fetch_result out;
  auto const curl = start_transfer();
  if (!curl) {
    out.error = "libcurl could not start a transfer";
    return out;
  }
  transfer t{lim.max_bytes};
  std::unique_ptr<curl_slist, slist_deleter> headers;
  auto const add_header = [&](std::string const& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
  add_header("Accept: application/x-protobuf, application/octet-stream, */*");
  if (!v.etag.empty()) add_header("If-None-Match: " + v.etag);
  if (!v.last_modified.empty()) add_header("If-Modified-Since: " + v.last_modified);
  auto* c = curl.get();
  set_transfer(c, url, lim, t, headers.get(), "nebuta-realtime/1");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl decodes (gzip, ...)
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  if (lim.cancel != nullptr) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, lim.cancel);
  }
  auto const rc = curl_easy_perform(c);
  out.error = transfer_error(rc, t, lim);
  if (!out.error.empty()) return out;
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status == 304) {
    out.outcome = fetch_result::kind::not_modified;
    return out;
  }
  if (status != 200) {
    out.error = "HTTP " + std::to_string(status);
    return out;
  }
  v.etag = t.etag;
  v.last_modified = t.last_modified;
  out.outcome = fetch_result::kind::modified;
  out.body = std::move(t.body);
  return out;
}

http_exchange_result http_exchange(std::string const& method, std::string const& url, std::string const& body,
                                   std::vector<std::string> const& headers, fetch_limits const& lim) {
  http_exchange_result out;
  auto const curl = start_transfer();
  if (!curl) {
    out.error = "libcurl could not start a transfer";
    return out;
  }
  transfer t{lim.max_bytes};
  std::unique_ptr<curl_slist, slist_deleter> list;
  for (auto const& h : headers) list.reset(curl_slist_append(list.release(), h.c_str()));
  list.reset(curl_slist_append(list.release(), "Expect:"));  // no 100-continue round trip
  auto* c = curl.get();
  set_transfer(c, url, lim, t, list.get(), "nebuta-planner/1");
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  auto const rc = curl_easy_perform(c);
  out.error = transfer_error(rc, t, lim);
  if (!out.error.empty()) return out;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(t.body);
  return out;
}

fetch_result fetch_file(std::filesystem::path const& p, fetch_validators& v, fetch_limits const& lim) {
  fetch_result out;
  std::error_code ec;
  auto const mtime = std::filesystem::last_write_time(p, ec);
  auto const size = ec ? 0 : std::filesystem::file_size(p, ec);
  if (ec) {
    out.error = p.string() + ": " + ec.message();
    return out;
  }
  if (v.have_file && mtime == v.mtime && size == v.size) {
    out.outcome = fetch_result::kind::not_modified;
    return out;
  }
  if (size > lim.max_bytes) {
    out.error = p.string() + ": larger than " + std::to_string(lim.max_bytes) + " bytes";
    return out;
  }
  if (io::read_file(p, out.body) != io::read_status::ok) {
    out.error = p.string() + ": cannot read";
    return out;
  }
  v.mtime = mtime;
  v.size = size;
  v.have_file = true;
  out.outcome = fetch_result::kind::modified;
  return out;
}

}  // namespace nebuta::api_server
