// The JSON of every answer (api_service::to_json, a direct walk over the message) against
// protobuf's own printer (util::MessageToJsonString with the same options): random messages of
// every type of the API, with the strings, numbers and enum values where printers differ.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include "nebuta/api_service/json.h"
#include "nebuta/v1/drt.pb.h"
#include "nebuta/v1/nebuta.pb.h"

namespace {

namespace pb = google::protobuf;
using fd = pb::FieldDescriptor;

void all_types(pb::Descriptor const* d, std::vector<pb::Descriptor const*>& out) {
  if (d->options().map_entry()) return;
  out.push_back(d);
  for (int i = 0; i < d->nested_type_count(); ++i) all_types(d->nested_type(i), out);
}

std::vector<pb::Descriptor const*> api_types() {
  std::vector<pb::Descriptor const*> out;
  for (auto const* file : {nebuta::v1::PlanResponse::descriptor()->file(), nebuta::v1::DrtInfo::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) all_types(file->message_type(i), out);
  }
  return out;
}

struct filler {
  std::mt19937_64 rng;

  template <typename T>
  T pick(std::vector<T> const& v) {
    return v[rng() % v.size()];
  }

  std::string text() {
    // Plain text, what JSON must escape, what protobuf escapes besides (controls, DEL, C1, <, >,
    // invisible and direction characters, tags beyond the BMP), kana and emoji, and bytes that
    // are not UTF-8 (protobuf's printer is the fallback for those).
    static std::vector<std::string> const pieces{"",
                                                 "abc",
                                                 "Hachinohe Sta.",
                                                 "\"",
                                                 "\\",
                                                 "/",
                                                 "<",
                                                 ">",
                                                 "&'",
                                                 "\x01",
                                                 "\x1f",
                                                 "\b\t\n\f\r\x0b",
                                                 "\x7f",
                                                 "\xc2\x80",
                                                 "\xc2\x85",
                                                 "\xc2\x9f",
                                                 "\xc2\xa0",
                                                 "\xc2\xad",
                                                 "é",
                                                 "八戸駅",
                                                 "はちのへ",
                                                 "하치노헤",
                                                 "\xd8\x80",
                                                 "\xdb\x9d",
                                                 "\xe2\x80\x8b",
                                                 "\xe2\x80\xa8",
                                                 "\xe2\x80\xae",
                                                 "\xe2\x81\xa0",
                                                 "\xe2\x81\xaf",
                                                 "\xef\xbb\xbf",
                                                 "\xef\xbf\xb9",
                                                 "\xf0\x9f\x98\x80",
                                                 "\xf3\xa0\x80\x81",
                                                 "\xf3\xa0\x80\xa0",
                                                 "\xf0\x9d\x85\xb3",
                                                 "\xf4\x8f\xbf\xbf",
                                                 "\xc0\xaf",
                                                 "\xed\xa0\x80",
                                                 "\xe3\x81",
                                                 "\xff",
                                                 "\x80"};
    std::string out;
    for (auto n = rng() % 4; n > 0; --n) out += pick(pieces);
    return out;
  }

  double real() {
    static std::vector<double> const values{0.0,
                                            -0.0,
                                            1.5,
                                            0.1,
                                            1.0 / 3.0,
                                            40.5123456,
                                            141.4887,
                                            123456789.123,
                                            1e21,
                                            1e-7,
                                            1e300,
                                            5e-324,
                                            std::numeric_limits<double>::max(),
                                            std::numeric_limits<double>::quiet_NaN(),
                                            std::numeric_limits<double>::infinity(),
                                            -std::numeric_limits<double>::infinity()};
    if (rng() % 3 == 0) {
      auto const bits = rng();
      double d = 0;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
    return pick(values);
  }

  std::int64_t integer() {
    static std::vector<std::int64_t> const values{0, 1, -1, 9, 42, 86400, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
    return rng() % 3 == 0 ? static_cast<std::int64_t>(rng()) : pick(values);
  }

  void fill(pb::Message& m, int depth) {
    auto const* d = m.GetDescriptor();
    auto const* r = m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      auto const* f = d->field(i);
      if (rng() % 3 == 0) continue;  // unset
      auto const n = f->is_repeated() ? static_cast<int>(rng() % 4) : 1;
      for (int k = 0; k < n; ++k) set(m, r, f, depth);
    }
  }

  void set(pb::Message& m, pb::Reflection const* r, fd const* f, int depth) {
    auto const rep = f->is_repeated();
    switch (f->cpp_type()) {
      case fd::CPPTYPE_INT32: {
        auto const v = static_cast<std::int32_t>(integer());
        rep ? r->AddInt32(&m, f, v) : r->SetInt32(&m, f, v);
        break;
      }
      case fd::CPPTYPE_UINT32: {
        auto const v = static_cast<std::uint32_t>(integer());
        rep ? r->AddUInt32(&m, f, v) : r->SetUInt32(&m, f, v);
        break;
      }
      case fd::CPPTYPE_INT64: {
        auto const v = integer();
        rep ? r->AddInt64(&m, f, v) : r->SetInt64(&m, f, v);
        break;
      }
      case fd::CPPTYPE_UINT64: {
        auto const v = static_cast<std::uint64_t>(integer());
        rep ? r->AddUInt64(&m, f, v) : r->SetUInt64(&m, f, v);
        break;
      }
      case fd::CPPTYPE_DOUBLE: {
        auto const v = real();
        rep ? r->AddDouble(&m, f, v) : r->SetDouble(&m, f, v);
        break;
      }
      case fd::CPPTYPE_FLOAT: {
        auto const v = static_cast<float>(real());
        rep ? r->AddFloat(&m, f, v) : r->SetFloat(&m, f, v);
        break;
      }
      case fd::CPPTYPE_BOOL: {
        auto const v = rng() % 2 == 0;
        rep ? r->AddBool(&m, f, v) : r->SetBool(&m, f, v);
        break;
      }
      case fd::CPPTYPE_ENUM: {
        auto const* e = f->enum_type();
        auto const v = rng() % 4 == 0 ? static_cast<int>(rng() % 1000)
                                      : e->value(static_cast<int>(rng() % e->value_count()))->number();
        rep ? r->AddEnumValue(&m, f, v) : r->SetEnumValue(&m, f, v);
        break;
      }
      case fd::CPPTYPE_STRING: {
        auto v = text();
        rep ? r->AddString(&m, f, std::move(v)) : r->SetString(&m, f, std::move(v));
        break;
      }
      case fd::CPPTYPE_MESSAGE:
        if (depth >= 3) return;
        fill(rep ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth + 1);
        break;
    }
  }
};

}  // namespace

TEST_CASE("json: every API message prints as protobuf's printer prints it", "[api][json]") {
  auto const types = api_types();
  REQUIRE(types.size() >= 30);
  filler fill{std::mt19937_64{42}};
  pb::LogSilencer const quiet;  // strings that are not UTF-8 make protobuf log each serialisation
  // The plans made once (as the service makes them) print the same text: for half of the types
  // (nebuta.proto's), the other half's plans are made per call.
  nebuta::api_service::json_plans const plans{std::array{nebuta::v1::PlanResponse::descriptor()->file()}};
  std::size_t compared = 0;
  for (auto const* d : types) {
    std::unique_ptr<pb::Message> m{pb::MessageFactory::generated_factory()->GetPrototype(d)->New()};
    // The empty message first: every default printed.
    CHECK(nebuta::api_service::to_json(*m) == nebuta::api_service::to_json_by_protobuf(*m));
    for (int i = 0; i < 300; ++i) {
      m->Clear();
      fill.fill(*m, 0);
      auto const ours = nebuta::api_service::to_json(*m);
      auto const reference = nebuta::api_service::to_json_by_protobuf(*m);
      INFO(d->full_name() << " #" << i);
      REQUIRE(ours == reference);
      REQUIRE(nebuta::api_service::to_json(*m, plans) == reference);
      ++compared;
    }
  }
  CHECK(compared >= 9000);
}

TEST_CASE("json: numbers, escapes and field order on hand-made messages", "[api][json]") {
  using nebuta::api_service::to_json;
  nebuta::v1::PlanRequest pr;
  CHECK(to_json(pr) ==
        R"({"from":"","to":"","date":"","depart":"","arrive":"","window":"","lang":"","wheelchair":false,"gtfs_literal":false,"sort":""})");
  // proto3 `optional` fields follow the others, in field-number order, once set.
  pr.set_transfer_slack(0);
  pr.set_max_legs(3);
  pr.set_from("八戸駅 <\"x\">\u2028");
  CHECK(to_json(pr) ==
        R"({"from":"八戸駅 \u003c\"x\"\u003e\u2028","to":"","date":"","depart":"","arrive":"","window":"",)"
        R"("lang":"","wheelchair":false,"gtfs_literal":false,"sort":"","max_legs":3,"transfer_slack":0})");
  nebuta::v1::LatLon p;
  p.set_lat(40.5123456789012345);
  p.set_lon(0.1);
  CHECK(to_json(p) == R"({"lat":40.512345678901234,"lon":0.1})");
  CHECK(to_json(p) == nebuta::api_service::to_json_by_protobuf(p));
}
