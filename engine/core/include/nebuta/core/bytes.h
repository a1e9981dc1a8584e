// Flat binary images of trivially copyable values and vectors of them, in the machine's own byte
// order: the one encoding of the timetable snapshot and of the index data stored beside it. The
// writer appends; the reader takes in the same order, checks every length against what is left,
// and turns false (and stays false) instead of reading past the end, so a truncated or damaged
// file is refused by the caller, never read out of bounds.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

namespace nebuta {

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

 private:
  std::span<char const> bytes_;
  std::size_t pos_{0};
  bool ok_{true};
};

}  // namespace nebuta
