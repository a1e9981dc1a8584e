#include "negotiation.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace nebuta::api_server {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if malformed.
int parse_q(std::string_view v) {
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return -1;
  int q = (v[0] - '0') * 1000;
  if (v.size() > 1) {
    if (v[1] != '.') return -1;
    int scale = 100;
    for (std::size_t i = 2; i < v.size(); ++i, scale /= 10) {
      if (v[i] < '0' || v[i] > '9') return -1;
      q += (v[i] - '0') * scale;
    }
  }
  return q > 1000 ? -1 : q;
}

bool is_json(std::string_view type) {
  return type == "application/json" || type.find("json") != std::string_view::npos;
}
bool is_protobuf(std::string_view type) {
  return type == "application/x-protobuf" || type == "application/protobuf" || type == "application/octet-stream";
}

}  // namespace

std::optional<format> negotiate_format(std::string_view accept, format preferred) {
  if (trim(accept).empty()) return preferred;
  // Per format: the q of the most specific matching range (specificity 3: exact, 2: type/*, 1: */*).
  int json_q = 0, json_spec = 0, pb_q = 0, pb_spec = 0;
  auto const consider = [](int& q, int& spec, int range_spec, int range_q) {
    if (range_spec > spec) {
      spec = range_spec;
      q = range_q;
    } else if (range_spec == spec) {
      q = std::max(q, range_q);
    }
  };
  std::size_t start = 0;
  while (start <= accept.size()) {
    auto const end = std::min(accept.find(',', start), accept.size());
    auto element = trim(accept.substr(start, end - start));
    start = end + 1;
    if (element.empty()) continue;
    auto const semi = element.find(';');
    auto const type = lower(trim(element.substr(0, semi)));
    int q = 1000;
    if (semi != std::string_view::npos) {
      auto params = element.substr(semi + 1);
      while (!params.empty()) {
        auto const next = params.find(';');
        auto const param = trim(params.substr(0, next));
        params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
        auto const eq = param.find('=');
        if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "q") {
          q = parse_q(trim(param.substr(eq + 1)));
          if (q < 0) q = 0;  // a malformed weight counts as "not this"
        }
      }
    }
    if (type == "*/*") {
      consider(json_q, json_spec, 1, q);
      consider(pb_q, pb_spec, 1, q);
    } else if (type == "application/*") {
      consider(json_q, json_spec, 2, q);
      consider(pb_q, pb_spec, 2, q);
    } else if (is_json(type)) {
      consider(json_q, json_spec, 3, q);
    } else if (is_protobuf(type)) {
      consider(pb_q, pb_spec, 3, q);
    }
  }
  if (json_q == 0 && pb_q == 0) return std::nullopt;
  if (json_q == pb_q) return preferred;
  return json_q > pb_q ? format::json : format::protobuf;
}

}  // namespace nebuta::api_server
