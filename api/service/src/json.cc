// One JSON form for every front end (json.h). Answers are printed by a direct walk over the
// message's reflection that writes exactly what protobuf's MessageToJsonString writes with
// preserve_proto_field_names and always_print_primitive_fields: protobuf's printer serialises
// the message, re-parses it through a type resolver and builds a tree of every field before it
// writes a byte, which cost more CPU than the journey search itself (benchmarks/RESULTS.md,
// "HTTP server overhead"). What the walk does not cover (maps, well-known types, proto2 files,
// strings that are not UTF-8) goes to protobuf's printer, so the output never differs;
// tests/api/server_json_test.cc and the json fuzz target compare the two on every message type.
#include "nebuta/api_service/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

namespace nebuta::api_service {

namespace {

namespace pb = google::protobuf;
using fd = pb::FieldDescriptor;

// The walk met something it leaves to protobuf's printer.
struct unsupported {};

constexpr char hex_digits[] = "0123456789abcdef";

void append_u16_escape(std::string& out, std::uint32_t unit) {
  out += "\\u";
  out += hex_digits[(unit >> 12) & 15];
  out += hex_digits[(unit >> 8) & 15];
  out += hex_digits[(unit >> 4) & 15];
  out += hex_digits[unit & 15];
}

// The code points protobuf's JSON escaping (util/internal/json_escaping.cc) writes as \uXXXX
// although JSON does not require it: C0 and C1 controls, DEL, '<', '>', and invisible or
// direction-changing characters; those beyond the BMP as a surrogate pair.
bool escaped_code_point(std::uint32_t cp) {
  if (cp < 0x20 || cp == '<' || cp == '>' || (cp >= 0x7f && cp < 0xa0)) return true;
  switch (cp) {
    case 0xad:
    case 0x6dd:
    case 0x70f:
    case 0x17b4:
    case 0x17b5:
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb: return true;
    default: break;
  }
  return (cp >= 0x600 && cp <= 0x603) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 ||
         (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0020 && cp <= 0xe007f);
}

// Appends `s` as a JSON string; throws unsupported on invalid UTF-8 (protobuf drops such bytes
// in its own way).
void append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    auto const c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>') {
      auto const start = i;
      while (i < s.size()) {
        auto const d = static_cast<unsigned char>(s[i]);
        if (d < 0x20 || d >= 0x7f || d == '"' || d == '\\' || d == '<' || d == '>') break;
        ++i;
      }
      out.append(s.substr(start, i - start));
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // One code point, strictly decoded (no overlong forms, surrogates or values over U+10FFFF).
    std::uint32_t cp = c;
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xbf;
    if (c < 0x80) {
      n = 0;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1fU;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0fU;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07U;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      throw unsupported{};
    }
    if (n > 0 && i + n >= s.size()) throw unsupported{};  // truncated
    for (std::size_t k = 1; k <= n; ++k) {
      auto const b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) throw unsupported{};
      cp = cp << 6U | (b & 0x3fU);
    }
    if (!escaped_code_point(cp)) {
      out.append(s.substr(i, n + 1));
    } else if (cp == '\b') {
      out += "\\b";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\f') {
      out += "\\f";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x10000) {
      append_u16_escape(out, cp);
    } else {
      auto const v = cp - 0x10000;
      append_u16_escape(out, 0xd800 + (v >> 10));
      append_u16_escape(out, 0xdc00 + (v & 0x3ffU));
    }
    i += n + 1;
  }
  out += '"';
}

template <typename T>
void append_integer(std::string& out, T v, bool quoted) {
  char buf[24];
  buf[0] = '"';
  auto r = std::to_chars(buf + 1, buf + sizeof(buf) - 1, v);
  if (quoted) *r.ptr++ = '"';
  out.append(quoted ? buf : buf + 1, r.ptr);
}

// protobuf's SimpleDtoa / SimpleFtoa: %.15g (%.6g), or %.17g (%.9g) when that does not read
// back as the same value; NaN and the infinities as quoted strings.
template <typename T>
void append_floating(std::string& out, T v) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  constexpr int short_digits = std::is_same_v<T, float> ? 6 : 15;
  constexpr int long_digits = std::is_same_v<T, float> ? 9 : 17;
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general, short_digits);
  T back{};
  auto const parsed = std::from_chars(buf, r.ptr, back);
  if (parsed.ec != std::errc{} || back != v) {
    r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general, long_digits);
  }
  out.append(buf, r.ptr);
}

void append_base64(std::string& out, std::string_view s) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out += '"';
  std::size_t i = 0;
  for (; i + 3 <= s.size(); i += 3) {
    auto const v = static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16U |
                   static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8U |
                   static_cast<unsigned char>(s[i + 2]);
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (auto const rest = s.size() - i; rest > 0) {
    auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16U;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8U;
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += rest == 2 ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  out += '"';
}

void append_message(std::string& out, pb::Message const& m);

// One value of a field (element `index` of a repeated field, or the singular value). `r` is m's
// reflection, looked up once per message: each lookup runs the generated GetMetadata, which
// cost a tenth of the walk when done per value.
void append_value(std::string& out, pb::Message const& m, pb::Reflection const* r, fd const* f, int index) {
  auto const rep = f->is_repeated();
  switch (f->cpp_type()) {
    case fd::CPPTYPE_INT32:
      append_integer(out, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f), false);
      break;
    case fd::CPPTYPE_UINT32:
      append_integer(out, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f), false);
      break;
    case fd::CPPTYPE_INT64:
      append_integer(out, rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f), true);
      break;
    case fd::CPPTYPE_UINT64:
      append_integer(out, rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f), true);
      break;
    case fd::CPPTYPE_DOUBLE: append_floating(out, rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f)); break;
    case fd::CPPTYPE_FLOAT: append_floating(out, rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f)); break;
    case fd::CPPTYPE_BOOL: out += (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false"; break;
    case fd::CPPTYPE_ENUM: {
      auto const v = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      if (auto const* e = f->enum_type()->FindValueByNumber(v)) {
        append_string(out, e->name());
      } else {
        append_integer(out, v, false);
      }
      break;
    }
    case fd::CPPTYPE_STRING: {
      std::string scratch;
      auto const& s = rep ? r->GetRepeatedStringReference(m, f, index, &scratch) : r->GetStringReference(m, f, &scratch);
      if (f->type() == fd::TYPE_BYTES) {
        append_base64(out, s);
      } else {
        append_string(out, s);
      }
      break;
    }
    case fd::CPPTYPE_MESSAGE:
      append_message(out, rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
      break;
  }
}

void append_field(std::string& out, bool& first, pb::Message const& m, pb::Reflection const* r, fd const* f) {
  out.append(first ? "\"" : ",\"", first ? 1 : 2);
  first = false;
  out += f->name();  // field names are identifiers: nothing to escape
  out.append("\":", 2);
  if (f->is_repeated()) {
    auto const n = r->FieldSize(m, f);
    out += '[';
    for (int i = 0; i < n; ++i) {
      if (i > 0) out += ',';
      append_value(out, m, r, f, i);
    }
    out += ']';
  } else {
    append_value(out, m, r, f, -1);
  }
}

// Field order as protobuf's printer has it: every field in declaration order (repeated ones
// always, messages when set, scalars with their default when not set) except scalars of a
// oneof (proto3 `optional` included), which follow when set, in field-number order.
void append_message(std::string& out, pb::Message const& m) {
  auto const* d = m.GetDescriptor();
  if (d->file()->syntax() != pb::FileDescriptor::SYNTAX_PROTO3 || d->file()->package() == "google.protobuf") {
    throw unsupported{};
  }
  auto const* r = m.GetReflection();
  out += '{';
  bool first = true;
  bool any_oneof_scalar = false;
  for (int i = 0; i < d->field_count(); ++i) {
    auto const* f = d->field(i);
    if (f->is_map()) throw unsupported{};
    if (f->is_repeated()) {
      append_field(out, first, m, r, f);
    } else if (f->cpp_type() == fd::CPPTYPE_MESSAGE) {
      if (r->HasField(m, f)) append_field(out, first, m, r, f);
    } else if (f->containing_oneof() != nullptr) {
      any_oneof_scalar = true;
    } else {
      append_field(out, first, m, r, f);
    }
  }
  if (any_oneof_scalar) {
    std::vector<fd const*> set;
    for (int i = 0; i < d->field_count(); ++i) {
      auto const* f = d->field(i);
      if (!f->is_repeated() && f->cpp_type() != fd::CPPTYPE_MESSAGE && f->containing_oneof() != nullptr &&
          r->HasField(m, f)) {
        set.push_back(f);
      }
    }
    std::sort(set.begin(), set.end(), [](fd const* a, fd const* b) { return a->number() < b->number(); });
    for (auto const* f : set) append_field(out, first, m, r, f);
  }
  out += '}';
}

}  // namespace

std::string to_json(google::protobuf::Message const& m) {
  std::string out;
  out.reserve(256);
  try {
    append_message(out, m);
    return out;
  } catch (unsupported const&) {
    return to_json_by_protobuf(m);
  }
}

std::string to_json_by_protobuf(google::protobuf::Message const& m) {
  google::protobuf::util::JsonPrintOptions opt;
  opt.preserve_proto_field_names = true;
  opt.always_print_primitive_fields = true;
  std::string out;
  auto const status = google::protobuf::util::MessageToJsonString(m, &out, opt);
  if (!status.ok()) return R"({"code":"internal","message":"cannot print JSON"})";
  return out;
}

std::string from_json(std::string_view json, google::protobuf::Message& m) {
  google::protobuf::util::JsonParseOptions opt;
  opt.ignore_unknown_fields = false;
  auto const status = google::protobuf::util::JsonStringToMessage(json, &m, opt);
  if (status.ok()) return {};
  auto msg = std::string{status.message()};
  return msg.empty() ? "invalid JSON" : msg;
}

}  // namespace nebuta::api_service
