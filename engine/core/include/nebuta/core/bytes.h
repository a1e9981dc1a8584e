// Flat binary images of trivially copyable values and vectors of them, in the machine's own byte
// order: the one encoding of the timetable snapshot and of the index data stored beside it. The
// writer appends; the reader takes in the same order, checks every length against what is left,
// and turns false (and stays false) instead of reading past the end, so a truncated or damaged
// file is refused by the caller, never read out of bounds.
#pragma once
// Arrays meant to be read in place (a mapped file viewed rather than copied) are written with
// aligned_vector: the count, then zero bytes up to a multiple of array_alignment from the start
// of the image, then the elements; aligned_view returns them without copying.

#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

namespace nebuta {

inline constexpr std::size_t array_alignment = 8;

// A 64-bit checksum of bytes, to refuse a damaged file (not a defence against a crafted one):
// a multiply-rotate round per 8 bytes, then the length.
inline std::uint64_t checksum64(std::span<char const> bytes) {
  constexpr std::uint64_t k1 = 0x9E3779B185EBCA87ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
  std::uint64_t h = 0x27D4EB2F165667C5ULL;
  auto const round = [&](std::uint64_t w) {
    h ^= w * k1;
    h = ((h << 31) | (h >> 33)) * k2;
  };
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    round(w);
  }
  std::uint64_t tail = 0;
  if (i < bytes.size()) std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  round(tail);
  round(bytes.size());
  return h ^ (h >> 29);
}

class byte_writer {
 public:
  explicit byte_writer(std::vector<char>& out) : out_{out} {}

  void raw(void const* p, std::size_t n) {
    auto const* c = static_cast<char const*>(p);
    out_.insert(out_.end(), c, c + n);
  }
  template <typename T>
  void value(T const& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    raw(&v, sizeof(T));
  }
  // The element count (64 bits), then the elements.
  template <typename T>
  void vector(std::vector<T> const& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    value(static_cast<std::uint64_t>(v.size()));
    raw(v.data(), v.size() * sizeof(T));
  }
  // Any contiguous range (a std::vector or a column), its elements aligned to array_alignment.
  template <typename Range>
  void aligned_vector(Range const& v) {
    using T = std::remove_cvref_t<decltype(*v.data())>;
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= array_alignment);
    value(static_cast<std::uint64_t>(v.size()));
    out_.resize((out_.size() + array_alignment - 1) / array_alignment * array_alignment, '\0');
    raw(v.data(), v.size() * sizeof(T));
  }
  std::size_t size() const { return out_.size(); }

 private:
  std::vector<char>& out_;
};

class byte_reader {
 public:
  explicit byte_reader(std::span<char const> bytes) : bytes_{bytes} {}

  bool ok() const { return ok_; }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return ok_ && pos_ == bytes_.size(); }

  bool raw(void* dst, std::size_t n) {
    if (!ok_ || n > remaining()) return ok_ = false;
    if (n != 0) std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // The next n bytes as a view (valid as long as the reader's bytes), empty when fewer are left.
  std::span<char const> view(std::size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return {};
    }
    auto const out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  template <typename T>
  bool value(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    return raw(&v, sizeof(T));
  }
  template <typename T>
  bool vector(std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::uint64_t n = 0;
    if (!value(n)) return false;
    if (n > remaining() / sizeof(T)) return ok_ = false;
    v.resize(static_cast<std::size_t>(n));
    return raw(v.data(), v.size() * sizeof(T));
  }
  // What byte_writer::aligned_vector wrote: the elements in place, empty (and ok() false) when
  // the count does not fit in what is left. The span is aligned for T when the image starts at
  // an address aligned to array_alignment; the caller checks (aligned()) before viewing it.
  template <typename T>
  std::span<char const> aligned_view(std::uint64_t& n) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= array_alignment);
    n = 0;
    if (!value(n)) return {};
    auto const pad = (array_alignment - pos_ % array_alignment) % array_alignment;
    if (pad > remaining()) {
      ok_ = false;
      return {};
    }
    for (auto i = 0U; i < pad; ++i) {
      if (bytes_[pos_ + i] != '\0') ok_ = false;  // a writer pads with zeros: anything else is damage
    }
    pos_ += pad;
    if (!ok_ || n > remaining() / sizeof(T)) {
      ok_ = false;
      return {};
    }
    return view(static_cast<std::size_t>(n) * sizeof(T));
  }
  template <typename T>
  static bool aligned(std::span<char const> bytes) {
    return reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(T) == 0;
  }

 private:
  std::span<char const> bytes_;
  std::size_t pos_{0};
  bool ok_{true};
};

}  // namespace nebuta
