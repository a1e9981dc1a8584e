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
template <typename M>
constexpr bool is_array_member = is_vector<M>::value || is_column<M>::value;

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
    if constexpr (is_array_member<M>) {
      mix(1);
      mix(sizeof(typename M::value_type));
    } else {
      mix(2);
      mix(sizeof(M));
    }
  });
  return h;
}

// The first 16 bytes (magic, version) are the same in every format, so that a file of another
// version is told apart from a damaged one.
struct header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t reserved;
  std::uint64_t fingerprint;
  std::uint64_t payload_size;  // bytes after the header
  std::uint64_t checksum;      // checksum64 of them
};
static_assert(sizeof(header) == 40 && sizeof(header) % array_alignment == 0);
constexpr std::size_t version_end = 16;

// Offsets into an array of n values: from 0, non-decreasing, ending at n. An empty offsets array
// is an empty relation.
bool csr_ok(column<std::uint32_t> const& offsets, std::size_t n) {
  if (offsets.empty()) return n == 0;
  if (offsets.front() != 0U || offsets.back() != n) return false;
  for (std::size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) return false;
  }
  return true;
}
template <typename Idx, typename T>
bool csr_ok(column_multimap<Idx, T> const& m, std::size_t keys) {
  return csr_ok(m.raw_offsets(), m.total()) && (m.size() == keys || (m.size() == 0 && m.total() == 0));
}

// The shape the accessors rely on: parallel arrays of one size, offsets within their data, the
// stop times of every route within the time arrays. (What the values mean is the builder's and
// validate()'s business; the checksum catches a damaged file.)
void check_shape(timetable const& tt) {
  auto const fail = [](char const* what) { throw snapshot_error{std::string{"snapshot is damaged: "} + what}; };
  if (!csr_ok(tt.strings.offsets, tt.strings.chars.size()) || tt.strings.offsets.empty()) fail("string offsets");
  auto const n_s = tt.n_stops(), n_t = tt.n_trips(), n_r = tt.n_routes();
  for (auto const n : {tt.stop_feed.size(), tt.stop_names.size(), tt.stop_coords.size(), tt.stop_has_coords.size(),
                       tt.stop_parent.size(), tt.stop_platform_codes.size(), tt.stop_location_type.size(),
                       tt.stop_wheelchair_boarding.size(), tt.stop_min_change_s.size(), tt.stops_by_id.size()}) {
    if (n != n_s) fail("stop arrays differ in size");
  }
  for (auto const n : {tt.trip_line.size(), tt.trip_route.size(), tt.trip_service.size(), tt.trip_headsigns.size(),
                       tt.trip_short_names.size(), tt.trip_wheelchair_accessible.size(), tt.trip_block.size()}) {
    if (n != n_t) fail("trip arrays differ in size");
  }
  for (auto const n : {tt.route_n_trips.size(), tt.route_time_base.size(), tt.route_type.size()}) {
    if (n != n_r) fail("route arrays differ in size");
  }
  if (!csr_ok(tt.text_translations, tt.text_default.size()) || !csr_ok(tt.stop_children, n_s) ||
      !csr_ok(tt.stop_footpaths, n_s) || !csr_ok(tt.stop_walk_links, n_s) || !csr_ok(tt.stop_routes, n_s) ||
      !csr_ok(tt.trip_stop_headsigns, n_t) || !csr_ok(tt.shape_points, tt.n_shapes()) ||
      !csr_ok(tt.path_stop_along, tt.n_paths()) || !csr_ok(tt.route_stops, n_r) || !csr_ok(tt.route_stop_flags, n_r)) {
    fail("offsets");
  }
  if (tt.route_stops.size() != n_r || tt.route_stop_flags.size() != n_r) fail("route stops");
  if (tt.arrivals.size() != tt.departures.size()) fail("stop time arrays differ in size");
  for (auto r = route_idx{0}; r.v() < n_r; ++r) {
    auto const n = static_cast<std::uint64_t>(tt.route_stops[r].size()) * tt.route_n_trips[r];
    if (tt.route_time_base[r] > tt.arrivals.size() || n > tt.arrivals.size() - tt.route_time_base[r]) {
      fail("route times out of range");
    }
  }
  if (!tt.trip_path.empty() && tt.trip_path.size() != n_t) fail("trip paths");
  if (tt.bitfield_words == 0 ? !tt.bitfields.empty() : tt.bitfields.size() % tt.bitfield_words != 0) fail("bitfields");
}

// Reads the members and sections after the header; with an owner, columns view `bytes`.
timetable read_payload(std::span<char const> bytes, std::shared_ptr<void const> const& owner,
                       std::vector<snapshot_section>* sections) {
  byte_reader r{bytes};
  header h;
  r.value(h);
  timetable tt;
  auto const take = [&]<typename T>(std::uint64_t n, std::span<char const> raw, auto& out) {
    if (!r.ok()) return;
    if (owner && byte_reader::aligned<T>(raw)) {
      out = std::remove_cvref_t<decltype(out)>::view(
          {reinterpret_cast<T const*>(raw.data()), static_cast<std::size_t>(n)}, owner);
    } else {
      std::vector<T> v(static_cast<std::size_t>(n));
      if (n != 0) std::memcpy(v.data(), raw.data(), raw.size());
      out = std::move(v);
    }
  };
  tt.for_each_member([&](auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_array_member<M>) {
      using T = typename M::value_type;
      std::uint64_t n = 0;
      auto const raw = r.aligned_view<T>(n);
      if constexpr (is_column<M>::value) {
        take.template operator()<T>(n, raw, member);
      } else if (r.ok()) {
        member.resize(static_cast<std::size_t>(n));
        if (n != 0) std::memcpy(member.data(), raw.data(), raw.size());
      }
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
    auto const body = r.aligned_view<char>(size);  // fails (ok() false) past the end
    if (sections != nullptr && r.ok()) {
      snapshot_section s{std::string{name.begin(), name.end()}, {}};
      take.template operator()<char>(size, body, s.bytes);
      sections->push_back(std::move(s));
    }
  }
  if (!r.ok()) throw snapshot_error{"snapshot is damaged: an array runs past the end of the file"};
  if (!r.at_end()) throw snapshot_error{"snapshot is damaged: bytes after its end"};
  check_shape(tt);
  return tt;
}

timetable read(std::span<char const> bytes, std::shared_ptr<void const> const& owner,
               std::vector<snapshot_section>* sections) {
  if (!looks_like_snapshot(bytes) || bytes.size() < version_end)
    throw snapshot_error{"not a Nebuta timetable snapshot"};
  std::uint32_t version = 0;
  std::memcpy(&version, bytes.data() + sizeof(magic), sizeof(version));
  auto const other_version = [&] {
    return snapshot_error{"snapshot was written by another Nebuta version (format " + std::to_string(version) +
                          ", this build reads format " + std::to_string(snapshot_format_version) +
                          "); re-create it with `nebuta import`"};
  };
  if (version != snapshot_format_version) throw other_version();
  if (bytes.size() < sizeof(header)) throw snapshot_error{"snapshot is truncated"};
  header h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (h.fingerprint != layout_fingerprint()) throw other_version();
  if (h.reserved != 0U) throw snapshot_error{"snapshot is damaged: header"};
  auto const payload = bytes.subspan(sizeof(header));
  if (h.payload_size != payload.size()) {
    throw snapshot_error{h.payload_size > payload.size()
                             ? "snapshot is truncated (" + std::to_string(bytes.size()) + " of " +
                                   std::to_string(h.payload_size + sizeof(header)) + " bytes)"
                             : std::string{"snapshot is damaged: bytes after its end"}};
  }
  // The structure first (so that damage is named where it shows), then the checksum over all.
  auto tt = read_payload(bytes, owner, sections);
  if (checksum64(payload) != h.checksum) throw snapshot_error{"snapshot is damaged: checksum mismatch"};
  return tt;
}

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
static_assert(sizeof(fare_product_entry) ==
              4 * sizeof(std::uint32_t) + sizeof(std::int64_t) + sizeof(feed_idx) + 2 + sizeof(std::uint32_t));
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
  // for_each_member only reads here; it is non-const so that the reader can share it. The
  // columns are read through const references, so a viewed column stays a view.
  const_cast<timetable&>(tt).for_each_member([&](auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_array_member<M>) {
      w.aligned_vector(std::as_const(member));
    } else {
      w.value(member);
    }
  });
  w.value(static_cast<std::uint32_t>(sections.size()));
  for (auto const& s : sections) {
    w.value(static_cast<std::uint32_t>(s.name.size()));
    w.raw(s.name.data(), s.name.size());
    w.aligned_vector(s.bytes);
  }
  auto const payload = std::span<char const>{out}.subspan(sizeof(header));
  h.payload_size = payload.size();
  h.checksum = checksum64(payload);
  std::memcpy(out.data(), &h, sizeof(h));
  return out;
}

bool looks_like_snapshot(std::span<char const> bytes) {
  return bytes.size() >= sizeof(magic) && std::memcmp(bytes.data(), magic, sizeof(magic)) == 0;
}

timetable read_snapshot(std::span<char const> bytes, std::vector<snapshot_section>* sections) {
  return read(bytes, nullptr, sections);
}

timetable read_snapshot(shared_bytes const& file, std::vector<snapshot_section>* sections) {
  if (!file.owner) throw std::invalid_argument{"read_snapshot: shared bytes without an owner"};
  return read(file.bytes, file.owner, sections);
}

std::size_t snapshot_viewed_bytes(timetable const& tt) {
  std::size_t n = 0;
  const_cast<timetable&>(tt).for_each_member([&](auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    if constexpr (is_column<M>::value) {
      if (std::as_const(member).viewing()) n += std::as_const(member).size() * sizeof(typename M::value_type);
    }
  });
  return n;
}

}  // namespace nebuta
