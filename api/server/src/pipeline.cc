// The one request pipeline of both APIs (pipeline.h).
#include "pipeline.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "nebuta/api_service/json.h"
#include "nebuta/api_service/service.h"
#include "nebuta/api_service/text_fold.h"
#include "negotiation.h"
#include "rate_limiter.h"

namespace nebuta::api_server {

namespace {

namespace pb = google::protobuf;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; '+' is a space in query strings. A malformed escape is kept as written.
std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto const end = std::min(path.find('/', start), path.size());
    out.push_back(url_decode(path.substr(start, end - start), false));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();  // trailing slash
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// lang=: comma-separated BCP 47 tags.
bool valid_lang_param(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto const end = std::min(s.find(',', start), s.size());
    auto const tag = s.substr(start, end - start);
    if (tag.empty() || tag.size() > 35 || !std::isalpha(static_cast<unsigned char>(tag.front())) ||
        !std::all_of(tag.begin(), tag.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; })) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

bool takes_param(std::string_view list, std::string_view name) {
  std::size_t start = 0;
  while (start < list.size()) {
    auto const end = std::min(list.find(' ', start), list.size());
    if (list.substr(start, end - start) == name) return true;
    start = end + 1;
  }
  return false;
}

// Whether every string of `m` (nested messages included) is at most `max` bytes.
bool strings_within(pb::Message const& m, std::size_t max) {
  auto const* refl = m.GetReflection();
  std::vector<pb::FieldDescriptor const*> fields;
  refl->ListFields(m, &fields);
  for (auto const* f : fields) {
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < refl->FieldSize(m, f); ++i) {
          if (refl->GetRepeatedStringReference(m, f, i, nullptr).size() > max) return false;
        }
      } else if (refl->GetStringReference(m, f, nullptr).size() > max) {
        return false;
      }
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < refl->FieldSize(m, f); ++i) {
          if (!strings_within(refl->GetRepeatedMessage(m, f, i), max)) return false;
        }
      } else if (!strings_within(refl->GetMessage(m, f), max)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

// ------------------------------------------------------------------ query strings

std::string const* query_params::find(std::string_view name) const {
  for (auto const& [key, v] : items) {
    if (key == name) return &v;
  }
  return nullptr;
}

query_params parse_query(std::string_view q, server_config const& cfg) {
  query_params out;
  // The first problem is kept (and thrown once the route is known); the items after a bad one
  // are still read, so that a `lang` anywhere chooses the language of that error.
  auto const fail = [&](api_error e) {
    if (!out.error) out.error = std::move(e);
  };
  std::size_t start = 0;
  while (start < q.size()) {
    auto const end = std::min(q.find('&', start), q.size());
    auto const item = q.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    if (out.items.size() >= cfg.max_params) {
      fail(api_error{400, "too_many_parameters", {std::to_string(cfg.max_params)}});
      break;
    }
    auto const eq = item.find('=');
    auto key = url_decode(item.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::string{} : url_decode(item.substr(eq + 1), true);
    if (key.size() > 64 || !api_service::valid_utf8(key)) {
      fail(api_error{400, "unknown_parameter", {"?"}});
    } else if (value.size() > cfg.max_param_bytes) {
      fail(api_error{400, "parameter_too_long", {key, std::to_string(cfg.max_param_bytes)}});
    } else if (!api_service::valid_utf8(value)) {
      fail(api_error{400, "invalid_utf8", {key}});
    } else if (out.find(key) != nullptr) {
      fail(api_error{400, "duplicate_parameter", {key}});
    } else {
      out.items.emplace_back(std::move(key), std::move(value));
    }
  }
  return out;
}

std::string call::param_or_empty(std::string_view name) const {
  auto const* v = param(name);
  return v == nullptr ? std::string{} : *v;
}

bool call::param_bool(std::string_view name) const {
  auto const* v = param(name);
  if (v == nullptr) return false;
  auto const l = lower(*v);
  if (l.empty() || l == "1" || l == "true" || l == "yes") return true;
  if (l == "0" || l == "false" || l == "no") return false;
  throw api_error{400, "invalid_parameter.boolean", {std::string{name}}};
}

std::optional<long> call::param_int(std::string_view name, long lo, long hi) const {
  auto const* v = param(name);
  if (v == nullptr) return std::nullopt;
  long out = 0;
  auto const [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || p != v->data() + v->size() || v->empty() || out < lo || out > hi) {
    throw api_error{400, "invalid_parameter.integer", {std::string{name}, std::to_string(lo), std::to_string(hi)}};
  }
  return out;
}

std::optional<double> call::param_double(std::string_view name) const {
  auto const* v = param(name);
  if (v == nullptr) return std::nullopt;
  char* end = nullptr;
  auto const out = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size() || !std::isfinite(out) ||
      v->find_first_of("xXnN") != std::string::npos) {
    throw api_error{400, "invalid_parameter.number", {std::string{name}}};
  }
  return out;
}

double call::param_coordinate(std::string_view name, double limit) const {
  auto const* raw = param(name);
  if (raw == nullptr || raw->empty()) throw api_error{400, "missing_parameter", {std::string{name}}};
  std::optional<double> v;
  try {
    v = param_double(name);
  } catch (api_error const&) {
    throw api_error{400, "invalid_coordinate", {std::string{name} + "=" + *raw}};
  }
  if (*v < -limit || *v > limit) throw api_error{400, "invalid_coordinate", {std::string{name} + "=" + *raw}};
  return *v;
}

// ------------------------------------------------------------------ bodies, auth

void call::parse_body(pb::Message& m, bool allow_empty) const {
  auto const& name = m.GetDescriptor()->full_name();
  if (req.body.size() > cfg.max_body_bytes) {
    throw api_error{413, "body_too_large", {std::to_string(cfg.max_body_bytes)}};
  }
  if (req.body.empty()) {
    if (allow_empty) return;
    throw api_error{400, "malformed_body.empty", {name}};
  }
  auto const ct = lower(trim(std::string_view{req.content_type}.substr(0, req.content_type.find(';'))));
  if (ct == protobuf_type || ct == "application/protobuf" || ct == "application/octet-stream") {
    if (!m.ParseFromString(req.body)) throw api_error{400, "malformed_body.protobuf", {name}};
  } else if (ct.empty() || ct == json_type) {
    if (!api_service::valid_utf8(req.body)) throw api_error{400, "malformed_body.utf8"};
    if (auto const err = api_service::from_json(req.body, m); !err.empty()) {
      throw api_error{400, "malformed_body", {err.substr(0, 200)}};
    }
  } else {
    throw api_error{415, "unsupported_media_type", {req.content_type.substr(0, 100)}};
  }
  if (!strings_within(m, cfg.max_param_bytes)) {
    throw api_error{400, "malformed_body.field_too_long", {std::to_string(cfg.max_param_bytes)}};
  }
}

std::optional<std::string> call::bearer() const {
  auto const a = trim(req.authorization);
  if (a.size() < 7 || lower(a.substr(0, 7)) != "bearer ") return std::nullopt;
  auto const t = trim(a.substr(7));
  if (t.empty()) return std::nullopt;
  return std::string{t};
}

// ------------------------------------------------------------------ routing

bool path_matches(std::string_view pattern, std::span<std::string const> seg) {
  std::size_t i = 0, start = 1;
  while (start <= pattern.size()) {
    auto const end = std::min(pattern.find('/', start), pattern.size());
    auto const part = pattern.substr(start, end - start);
    start = end + 1;
    if (part.empty()) break;  // the pattern "/"
    if (part == "**") return i < seg.size();
    if (i >= seg.size()) return false;
    if (part == "{}" ? seg[i].empty() : part != seg[i]) return false;
    ++i;
  }
  return i == seg.size();
}

bool method_matches(std::string_view route_method, std::string_view method) {
  return method == route_method || (route_method == "GET" && method == "HEAD");
}

bool begin_call(call& c) {
  auto const& req = c.req;
  auto const qpos = req.target.find('?');
  c.path = std::string_view{req.target}.substr(0, qpos);
  c.query = qpos == std::string::npos ? std::string_view{} : std::string_view{req.target}.substr(qpos + 1);
  c.error_fmt = negotiate_format(req.accept, format::json).value_or(format::json);
  c.fmt = c.error_fmt;
  // Errors before the query string is read are in the Accept-Language's language.
  c.chain = api_service::make_lang_chain({}, req.accept_language);
  if (req.target.size() > c.cfg.max_uri_bytes) {
    throw api_error{414, "uri_too_long", {std::to_string(c.cfg.max_uri_bytes)}};
  }
  c.seg = split_path(c.path);
  c.params = parse_query(c.query, c.cfg);
  if (auto const* lang = c.params.find("lang")) {
    if (valid_lang_param(*lang)) {
      c.chain = api_service::make_lang_chain(*lang, req.accept_language);
    } else if (!c.params.error) {
      c.params.error = api_error{400, "invalid_parameter.lang"};
    }
  }
  return req.method == "OPTIONS";  // CORS preflight; the transport adds the headers
}

void enter_route(std::string_view params, endpoint ep, bool rate_limited, answers kind, call& c) {
  c.ep = ep;
  if (kind == answers::files) return;
  if (c.params.error) throw *c.params.error;
  for (auto const& [k, v] : c.params.items) {
    if (k != "lang" && !takes_param(params, k)) throw api_error{400, "unknown_parameter", {k}};
  }
  auto const f = negotiate_format(c.req.accept, kind == answers::protobuf ? format::protobuf : format::json);
  if (!f) throw api_error{406, "not_acceptable", {c.req.accept.substr(0, 100)}};
  c.fmt = *f;
  if (rate_limited && c.limiter != nullptr && !c.req.client.empty() &&
      (c.cfg.rate_limit_loopback || !is_loopback(c.req.client))) {
    auto const now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch());
    if (auto const wait = c.limiter->take(c.req.client, now.count()); wait > 0) {
      throw api_error{429, "rate_limited", {std::to_string(wait)}};
    }
  }
}

// ------------------------------------------------------------------ errors

http_response error_response(api_error const& e, lang_chain const& chain, format f) {
  auto r = message_response(api_service::error_to_message(e, chain), f, e.status());
  if (e.status() == 405 && e.args().size() > 1) r.allow = e.args()[1];
  if (e.status() == 429 && !e.args().empty()) r.headers.emplace_back("Retry-After", e.args()[0]);
  return r;
}

http_response error_answer(call const& c, std::exception_ptr const& ep) {
  try {
    std::rethrow_exception(ep);
  } catch (api_error const& e) {
    return error_response(e, c.chain, e.status() == 406 ? format::json : c.error_fmt);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "nebuta: internal error on %s: %s\n",
                 api_service::replace_invalid_utf8(c.req.target.substr(0, 200)).c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "nebuta: internal error on %s\n",
                 api_service::replace_invalid_utf8(c.req.target.substr(0, 200)).c_str());
  }
  return error_response(api_error{500, "internal"}, c.chain, c.error_fmt);
}

}  // namespace nebuta::api_server
