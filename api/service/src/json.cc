// One JSON form for every front end (json.h). Answers are printed by a direct walk over the
// message's binary form that writes exactly what protobuf's MessageToJsonString writes with
// preserve_proto_field_names and always_print_primitive_fields: protobuf's printer serialises
// the message, re-parses it through a type resolver and builds a tree of every field before it
// writes a byte, which cost more CPU than the journey search itself (benchmarks/RESULTS.md,
// "HTTP server overhead"). What the walk does not cover (maps, well-known types, proto2 files,
// strings that are not UTF-8) goes to protobuf's printer, so the output never differs;
// tests/api/server_json_test.cc and the json fuzz target compare the two on every message type.
#include "nebuta/api_service/json.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
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

// Printable ASCII that JSON (and protobuf's escaping) leaves as it is.
constexpr std::array<bool, 256> plain_ascii = [] {
  std::array<bool, 256> t{};
  for (auto c = 0x20; c < 0x7f; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\' && c != '<' && c != '>';
  return t;
}();

// Appends `s` as a JSON string; throws unsupported on invalid UTF-8 (protobuf drops such bytes
// in its own way). What needs no escape, ASCII or not, is copied in runs.
void append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  std::size_t run = 0;  // [run, i) is copied as it is
  auto const flush = [&] { out.append(s.data() + run, i - run); };
  while (i < s.size()) {
    auto const c = static_cast<unsigned char>(s[i]);
    if (plain_ascii[c]) {
      ++i;
      continue;
    }
    if (c == '"' || c == '\\') {
      flush();
      out += '\\';
      out += static_cast<char>(c);
      run = ++i;
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
      i += n + 1;  // stays in the run
      continue;
    }
    flush();
    if (cp == '\b') {
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
    run = i;
  }
  flush();
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

// The walk reads the message's own binary form, which protobuf's generated code writes far
// faster than reflection reads fields one by one (a Hachinohe plan answer: 434 k instructions
// through reflection, 279 k from the bytes with the service's plans; benchmarks/RESULTS.md), and
// prints each field as the descriptor types it.

struct message_plan;

// One field as the printer treats it.
struct field_plan {
  fd const* f;
  fd::Type type;
  enum class kind : std::uint8_t { repeated, message, oneof_scalar, scalar } what;
  std::uint8_t wire;                 // the wire type of one element (a packed run is type 2)
  std::uint32_t key_at, key_len;     // `,"name":` in message_plan::keys
  message_plan const* sub{nullptr};  // a message field's type, when planned beforehand (json_plans)
};

// A message type's fields in declaration order, and by field number.
struct message_plan {
  pb::Descriptor const* d;
  std::vector<field_plan> fields;
  std::vector<std::int32_t> by_number;       // field number -> index in fields, -1: not a field
  std::vector<std::uint32_t> oneof_scalars;  // printed after the others when set, by number
  std::string keys;
};

constexpr std::uint8_t wire_varint = 0, wire_fixed64 = 1, wire_len = 2, wire_fixed32 = 5;

std::uint8_t wire_type_of(fd const* f) {
  switch (f->type()) {
    case fd::TYPE_DOUBLE:
    case fd::TYPE_FIXED64:
    case fd::TYPE_SFIXED64: return wire_fixed64;
    case fd::TYPE_FLOAT:
    case fd::TYPE_FIXED32:
    case fd::TYPE_SFIXED32: return wire_fixed32;
    case fd::TYPE_STRING:
    case fd::TYPE_BYTES:
    case fd::TYPE_MESSAGE: return wire_len;
    case fd::TYPE_GROUP: throw unsupported{};
    default: return wire_varint;
  }
}

// Throws unsupported for what the walk leaves to protobuf's printer.
message_plan make_plan(pb::Descriptor const* d) {
  if (d->file()->syntax() != pb::FileDescriptor::SYNTAX_PROTO3 || d->file()->package() == "google.protobuf") {
    throw unsupported{};
  }
  message_plan p{d, {}, {}, {}, {}};
  for (int i = 0; i < d->field_count(); ++i) {
    auto const* f = d->field(i);
    if (f->is_map()) throw unsupported{};
    auto const what = f->is_repeated()                       ? field_plan::kind::repeated
                      : f->cpp_type() == fd::CPPTYPE_MESSAGE ? field_plan::kind::message
                      : f->containing_oneof() != nullptr     ? field_plan::kind::oneof_scalar
                                                             : field_plan::kind::scalar;
    auto const key_at = static_cast<std::uint32_t>(p.keys.size());
    p.keys += ",\"";
    p.keys += f->name();  // field names are identifiers: nothing to escape
    p.keys += "\":";
    p.fields.push_back({f, f->type(), what, wire_type_of(f), key_at, static_cast<std::uint32_t>(p.keys.size()) - key_at});
    if (what == field_plan::kind::oneof_scalar) p.oneof_scalars.push_back(static_cast<std::uint32_t>(i));
    auto const n = static_cast<std::size_t>(f->number());
    if (n > 65535U) throw unsupported{};  // by_number is a table by number; the API's are small
    if (p.by_number.size() <= n) p.by_number.resize(n + 1, -1);
    p.by_number[n] = i;
  }
  std::sort(p.oneof_scalars.begin(), p.oneof_scalars.end(),
            [&](auto a, auto b) { return p.fields[a].f->number() < p.fields[b].f->number(); });
  return p;
}

// The entries of one message's bytes, in the order they came.
struct wire_entry {
  std::uint32_t field;  // index in message_plan::fields
  std::uint8_t wire;
  std::uint64_t value;  // varint or fixed bits; for type 2, the offset of the bytes
  std::uint32_t size;   // type 2: the length
};

}  // namespace

// The plans made beforehand, by descriptor.
struct json_plans::impl {
  std::vector<std::pair<pb::Descriptor const*, std::unique_ptr<message_plan>>> by_type;  // sorted
  message_plan const* find(pb::Descriptor const* d) const {
    auto const it = std::lower_bound(by_type.begin(), by_type.end(), d,
                                     [](auto const& e, pb::Descriptor const* x) { return std::less<>{}(e.first, x); });
    return it != by_type.end() && it->first == d ? it->second.get() : nullptr;
  }
};

namespace {

// Per call: the plans of the types met (unless planned beforehand), and the entries of the
// messages being printed (a stack: each message's entries follow its parent's).
class wire_printer {
 public:
  explicit wire_printer(json_plans::impl const* planned) : planned_{planned} {}
  std::string out;

  void message(pb::Descriptor const* d, std::string_view bytes) { message(plan_of(d), bytes); }

 private:
  static constexpr std::uint32_t none = static_cast<std::uint32_t>(-1);
  json_plans::impl const* planned_;
  std::deque<message_plan> plans_;  // a deque: a message keeps its plan while its fields add theirs
  std::vector<wire_entry> entries_;
  std::vector<std::uint32_t> last_;  // per field of the messages being printed: its last entry

  void message(message_plan const& plan, std::string_view bytes) {
    auto const base = entries_.size();
    auto const last_base = last_.size();
    last_.resize(last_base + plan.fields.size(), none);
    read_entries(plan, bytes, last_base);
    out += '{';
    bool first = true;
    for (std::uint32_t i = 0; i < plan.fields.size(); ++i) {
      auto const& fp = plan.fields[i];
      auto const e = last_[last_base + i];
      switch (fp.what) {
        case field_plan::kind::repeated: {
          key(first, plan, fp);
          out += '[';
          bool first_element = true;
          for (auto k = base; e != none && k <= e; ++k) {
            if (entries_[k].field != i) continue;
            auto const entry = entries_[k];
            if (entry.wire == wire_len && fp.wire != wire_len) {
              packed(fp, bytes.substr(entry.value, entry.size), first_element);
            } else {
              if (!first_element) out += ',';
              first_element = false;
              value(fp, entry, bytes);
            }
          }
          out += ']';
          break;
        }
        case field_plan::kind::message:
          if (e == none) break;
          key(first, plan, fp);
          value(fp, entries_[e], bytes);
          break;
        case field_plan::kind::scalar:
          key(first, plan, fp);
          if (e == none) {
            default_value(fp);
          } else {
            value(fp, entries_[e], bytes);
          }
          break;
        case field_plan::kind::oneof_scalar: break;
      }
    }
    // Set ones only (a oneof member or proto3 `optional` is written when set), by number.
    for (auto const i : plan.oneof_scalars) {
      auto const e = last_[last_base + i];
      if (e == none) continue;
      key(first, plan, plan.fields[i]);
      value(plan.fields[i], entries_[e], bytes);
    }
    out += '}';
    entries_.resize(base);
    last_.resize(last_base);
  }

  message_plan const& plan_of(pb::Descriptor const* d) {
    if (planned_ != nullptr) {
      if (auto const* p = planned_->find(d)) return *p;
    }
    for (auto const& p : plans_) {
      if (p.d == d) return p;
    }
    plans_.push_back(make_plan(d));
    return plans_.back();
  }

  static std::uint64_t varint(std::string_view bytes, std::size_t& at) {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at >= bytes.size()) throw unsupported{};
      auto const b = static_cast<unsigned char>(bytes[at++]);
      v |= static_cast<std::uint64_t>(b & 0x7fU) << shift;
      if ((b & 0x80U) == 0U) return v;
    }
    throw unsupported{};
  }

  static std::uint64_t fixed(std::string_view bytes, std::size_t& at, unsigned n) {
    if (at > bytes.size() || bytes.size() - at < n) throw unsupported{};
    std::uint64_t v = 0;
    for (unsigned k = 0; k < n; ++k)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + k])) << (8 * k);
    at += n;
    return v;
  }

  // Entries of known fields with the wire type their type writes (or a packed run); the rest
  // (unknown fields, which the printer leaves out too) skipped.
  void read_entries(message_plan const& plan, std::string_view bytes, std::size_t last_base) {
    std::size_t at = 0;
    while (at < bytes.size()) {
      auto const tag = varint(bytes, at);
      auto const number = tag >> 3U;
      auto const wire = static_cast<std::uint8_t>(tag & 7U);
      wire_entry e{0, wire, 0, 0};
      switch (wire) {
        case wire_varint: e.value = varint(bytes, at); break;
        case wire_fixed64: e.value = fixed(bytes, at, 8); break;
        case wire_fixed32: e.value = fixed(bytes, at, 4); break;
        case wire_len: {
          auto const n = varint(bytes, at);
          if (n > bytes.size() - at) throw unsupported{};
          e.value = at;
          e.size = static_cast<std::uint32_t>(n);
          at += n;
          break;
        }
        default: throw unsupported{};  // groups: not in proto3
      }
      if (number >= plan.by_number.size() || plan.by_number[number] < 0) continue;
      e.field = static_cast<std::uint32_t>(plan.by_number[number]);
      auto const& fp = plan.fields[e.field];
      if (wire != fp.wire && !(wire == wire_len && fp.what == field_plan::kind::repeated)) continue;
      last_[last_base + e.field] = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(e);
    }
  }

  void key(bool& first, message_plan const& plan, field_plan const& fp) {
    auto const skip = first ? 1U : 0U;  // the comma
    out.append(plan.keys.data() + fp.key_at + skip, fp.key_len - skip);
    first = false;
  }

  void packed(field_plan const& fp, std::string_view run, bool& first_element) {
    std::size_t at = 0;
    while (at < run.size()) {
      wire_entry e{0, fp.wire, 0, 0};
      e.value = fp.wire == wire_varint ? varint(run, at) : fixed(run, at, fp.wire == wire_fixed64 ? 8 : 4);
      if (!first_element) out += ',';
      first_element = false;
      value(fp, e, run);
    }
  }

  void enum_value(fd const* f, std::int32_t v) {
    if (auto const* e = f->enum_type()->FindValueByNumber(v)) {
      append_string(out, e->name());
    } else {
      append_integer(out, v, false);
    }
  }

  // e by value: printing a message pushes entries, which may move the one it came from.
  void value(field_plan const& fp, wire_entry const e, std::string_view bytes) {
    auto const v = e.value;
    auto const* f = fp.f;
    switch (fp.type) {
      case fd::TYPE_INT32: append_integer(out, static_cast<std::int32_t>(v), false); break;
      case fd::TYPE_SINT32:
        append_integer(out, static_cast<std::int32_t>(static_cast<std::uint32_t>(v >> 1U) ^ (0U - (v & 1U))), false);
        break;
      case fd::TYPE_SFIXED32:
        append_integer(out, static_cast<std::int32_t>(static_cast<std::uint32_t>(v)), false);
        break;
      case fd::TYPE_UINT32:
      case fd::TYPE_FIXED32: append_integer(out, static_cast<std::uint32_t>(v), false); break;
      case fd::TYPE_INT64:
      case fd::TYPE_SFIXED64: append_integer(out, static_cast<std::int64_t>(v), true); break;
      case fd::TYPE_SINT64: append_integer(out, static_cast<std::int64_t>((v >> 1U) ^ (0U - (v & 1U))), true); break;
      case fd::TYPE_UINT64:
      case fd::TYPE_FIXED64: append_integer(out, v, true); break;
      case fd::TYPE_BOOL: out += v != 0U ? "true" : "false"; break;
      case fd::TYPE_ENUM: enum_value(f, static_cast<std::int32_t>(v)); break;
      case fd::TYPE_FLOAT: append_floating(out, std::bit_cast<float>(static_cast<std::uint32_t>(v))); break;
      case fd::TYPE_DOUBLE: append_floating(out, std::bit_cast<double>(v)); break;
      case fd::TYPE_STRING: append_string(out, bytes.substr(v, e.size)); break;
      case fd::TYPE_BYTES: append_base64(out, bytes.substr(v, e.size)); break;
      case fd::TYPE_MESSAGE:
        message(fp.sub != nullptr ? *fp.sub : plan_of(f->message_type()), bytes.substr(v, e.size));
        break;
      case fd::TYPE_GROUP: throw unsupported{};
    }
  }

  void default_value(field_plan const& fp) {
    auto const* f = fp.f;
    switch (fp.type) {
      case fd::TYPE_INT64:
      case fd::TYPE_SINT64:
      case fd::TYPE_SFIXED64:
      case fd::TYPE_UINT64:
      case fd::TYPE_FIXED64: out += "\"0\""; break;
      case fd::TYPE_BOOL: out += "false"; break;
      case fd::TYPE_ENUM: enum_value(f, 0); break;
      case fd::TYPE_FLOAT:
      case fd::TYPE_DOUBLE: out += '0'; break;
      case fd::TYPE_STRING:
      case fd::TYPE_BYTES: out += "\"\""; break;
      case fd::TYPE_MESSAGE:
      case fd::TYPE_GROUP: throw unsupported{};
      default: out += '0'; break;
    }
  }
};

}  // namespace

namespace {

std::string print(google::protobuf::Message const& m, json_plans::impl const* planned) {
  std::string bytes;
  if (!m.SerializeToString(&bytes)) return to_json_by_protobuf(m);
  wire_printer p{planned};
  p.out.reserve(256 + 3 * bytes.size());
  try {
    p.message(m.GetDescriptor(), bytes);
    return std::move(p.out);
  } catch (unsupported const&) {
    return to_json_by_protobuf(m);
  }
}

void add_types(pb::Descriptor const* d, std::vector<pb::Descriptor const*>& out) {
  out.push_back(d);
  for (int i = 0; i < d->nested_type_count(); ++i) add_types(d->nested_type(i), out);
}

}  // namespace

std::string to_json(google::protobuf::Message const& m) { return print(m, nullptr); }

json_plans::json_plans(std::span<google::protobuf::FileDescriptor const* const> files)
    : impl_{std::make_unique<impl>()} {
  std::vector<pb::Descriptor const*> types;
  for (auto const* file : files) {
    for (int i = 0; i < file->message_type_count(); ++i) add_types(file->message_type(i), types);
  }
  for (auto const* d : types) {
    try {
      impl_->by_type.emplace_back(d, std::make_unique<message_plan>(make_plan(d)));
    } catch (unsupported const&) {
      // left to each call (which leaves it to protobuf's printer)
    }
  }
  std::sort(impl_->by_type.begin(), impl_->by_type.end(),
            [](auto const& a, auto const& b) { return std::less<>{}(a.first, b.first); });
  for (auto& [d, plan] : impl_->by_type) {
    for (auto& f : plan->fields) {
      if (f.type == fd::TYPE_MESSAGE) f.sub = impl_->find(f.f->message_type());
    }
  }
}

json_plans::~json_plans() = default;

std::string to_json(google::protobuf::Message const& m, json_plans const& plans) { return print(m, plans.impl_.get()); }

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
