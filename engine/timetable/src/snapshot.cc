#include "nebuta/timetable/snapshot.h"

#include <cstring>
#include <string>
#include <type_traits>

#include "nebuta/core/bytes.h"

namespace nebuta {
namespace {

constexpr char magic[8] = {'N', 'E', 'B', 'U', 'T', 'A', 'T', 'T'};

template <typename T>
struct is_vector : std::false_type {};
template <typename T, typename A>
struct is_vector<std::vector<T, A>> : std::true_type {};

// FNV-1a over the element size of every member, in order: any change of layout changes it.
std::uint64_t layout_fingerprint() {
  std::uint64_t h = 14695981039346656037ULL;
  auto const mix = [&](std::uint64_t v) {
    for (auto i = 0; i < 8; ++i) {
      h ^= (v >> (i * 8)) & 0xFFU;
      h *= 1099511628211ULL;
    }
  };
  mix(snapshot_format_version);
  timetable probe;
  probe.for_each_member([&](auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_vector<M>::value) {
      mix(1);
      mix(sizeof(typename M::value_type));
    } else {
      mix(2);
      mix(sizeof(M));
    }
  });
  return h;
}

struct header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t reserved;
  std::uint64_t fingerprint;
};

}  // namespace

// Types whose size is not the sum of their members' sizes have padding (see timetable.h).
static_assert(sizeof(translation_entry) == sizeof(lang_idx) + sizeof(std::uint16_t) + sizeof(string_idx));
static_assert(sizeof(warning_count) == sizeof(string_idx) + sizeof(std::uint32_t) + sizeof(std::uint64_t));
static_assert(sizeof(footpath) == sizeof(stop_idx) + sizeof(std::uint32_t));
static_assert(sizeof(walk_link) == sizeof(stop_idx) + sizeof(float));
static_assert(sizeof(load_stats) == 5 * sizeof(std::uint64_t));
static_assert(sizeof(latlon) == 2 * sizeof(double));
static_assert(sizeof(shape_point) == 2 * sizeof(std::int32_t));
static_assert(sizeof(fare_v1_attribute) == 4 * sizeof(std::uint32_t) + sizeof(std::int64_t) + sizeof(feed_idx) + 6);
static_assert(sizeof(fare_v1_rule) == 7 * sizeof(std::uint32_t));
static_assert(sizeof(fare_product_entry) == 4 * sizeof(std::uint32_t) + sizeof(std::int64_t) + sizeof(feed_idx) + 2 +
                                               sizeof(std::uint32_t));
static_assert(sizeof(fare_leg_rule) == 8 * sizeof(std::uint32_t));
static_assert(sizeof(fare_transfer_rule) == 5 * sizeof(std::uint32_t) + 4);
static_assert(sizeof(fare_timeframe) == 3 * sizeof(std::uint32_t));

std::vector<char> write_snapshot(timetable const& tt, std::span<snapshot_section const> sections) {
  std::vector<char> out;
  byte_writer w{out};
  header h{};
  std::memcpy(h.magic, magic, sizeof(magic));
  h.version = snapshot_format_version;
  h.fingerprint = layout_fingerprint();
  w.value(h);
  // for_each_member only reads here; it is non-const so that the reader can share it.
  const_cast<timetable&>(tt).for_each_member([&](auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_vector<M>::value) {
      w.vector(member);
    } else {
      w.value(member);
    }
  });
  w.value(static_cast<std::uint32_t>(sections.size()));
  for (auto const& s : sections) {
    w.value(static_cast<std::uint32_t>(s.name.size()));
    w.raw(s.name.data(), s.name.size());
    w.value(static_cast<std::uint64_t>(s.bytes.size()));
    w.raw(s.bytes.data(), s.bytes.size());
  }
  return out;
}

bool looks_like_snapshot(std::span<char const> bytes) {
  return bytes.size() >= sizeof(magic) && std::memcmp(bytes.data(), magic, sizeof(magic)) == 0;
}

timetable read_snapshot(std::span<char const> bytes, std::vector<snapshot_section>* sections) {
  if (!looks_like_snapshot(bytes) || bytes.size() < sizeof(header)) {
    throw snapshot_error{"not a Nebuta timetable snapshot"};
  }
  byte_reader r{bytes};
  header h;
  r.value(h);
  if (h.version != snapshot_format_version || h.fingerprint != layout_fingerprint()) {
    throw snapshot_error{"snapshot was written by another Nebuta version (format " + std::to_string(h.version) +
                         ", this build reads format " + std::to_string(snapshot_format_version) +
                         "); re-create it with `nebuta import`"};
  }
  timetable tt;
  tt.for_each_member([&](auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_vector<M>::value) {
      r.vector(member);
    } else {
      r.value(member);
    }
  });
  std::uint32_t n_sections = 0;
  r.value(n_sections);
  for (auto i = 0U; r.ok() && i < n_sections; ++i) {
    std::uint32_t name_size = 0;
    r.value(name_size);
    auto const name = r.view(name_size);
    std::uint64_t size = 0;
    r.value(size);
    auto const body = r.view(static_cast<std::size_t>(size));  // fails (ok() false) past the end
    if (sections != nullptr && r.ok()) {
      sections->push_back({std::string{name.begin(), name.end()}, std::vector<char>{body.begin(), body.end()}});
    }
  }
  if (!r.ok()) throw snapshot_error{"snapshot is truncated"};
  if (!r.at_end()) throw snapshot_error{"snapshot has trailing bytes"};
  return tt;
}

}  // namespace nebuta
