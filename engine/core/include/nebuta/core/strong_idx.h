// Strong-typed indices and the containers addressed by them.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

namespace nebuta {

// An index into one kind of table. Construction is explicit so that a stop index can never be
// passed where a trip index is expected.
template <typename Tag, typename Rep = std::uint32_t>
struct strong_idx {
  using rep = Rep;
  static constexpr Rep invalid_value = std::numeric_limits<Rep>::max();

  constexpr strong_idx() = default;
  constexpr explicit strong_idx(Rep v) : v_{v} {}
  template <typename Int>
  requires(std::is_integral_v<Int> && !std::is_same_v<Int, Rep>) constexpr explicit strong_idx(Int v)
      : v_{static_cast<Rep>(v)} {}

  static constexpr strong_idx invalid() { return strong_idx{invalid_value}; }
  constexpr Rep v() const { return v_; }
  constexpr bool valid() const { return v_ != invalid_value; }
  constexpr auto operator<=>(strong_idx const&) const = default;
  constexpr strong_idx& operator++() {
    ++v_;
    return *this;
  }

  Rep v_{invalid_value};
};

// A vector addressed by one strong index type only. Storage: std::vector, or a type with its
// interface (the timetable's columns, which may view a mapped file).
template <typename Idx, typename T, typename Storage = std::vector<T>>
class vecmap {
 public:
  using value_type = T;
  vecmap() = default;
  explicit vecmap(std::size_t n, T const& fill = T{}) : data_(n, fill) {}

  T& operator[](Idx i) { return data_[i.v()]; }
  T const& operator[](Idx i) const { return data_[i.v()]; }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  Idx next_idx() const { return Idx{static_cast<typename Idx::rep>(data_.size())}; }
  Idx push_back(T v) {
    auto const i = next_idx();
    data_.push_back(std::move(v));
    return i;
  }
  void resize(std::size_t n, T const& fill = T{}) { data_.resize(n, fill); }
  void reserve(std::size_t n) { data_.reserve(n); }
  auto begin() const { return data_.begin(); }
  auto end() const { return data_.end(); }
  auto begin() { return data_.begin(); }
  auto end() { return data_.end(); }
  Storage& raw() { return data_; }
  Storage const& raw() const { return data_; }

 private:
  Storage data_;
};

// One-to-many relation as offsets + data (CSR): the values of key k are data[offsets[k],
// offsets[k+1]). Storage as for vecmap.
template <typename Idx, typename T, typename Storage = std::vector<T>, typename OffsetStorage = std::vector<std::uint32_t>>
class multimap {
 public:
  std::span<T const> operator[](Idx i) const {
    return {data_.data() + offsets_[i.v()], data_.data() + offsets_[i.v() + 1]};
  }
  std::span<T> operator[](Idx i) { return {data_.data() + offsets_[i.v()], data_.data() + offsets_[i.v() + 1]}; }
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t total() const { return data_.size(); }

  // Keys must be appended in order 0, 1, 2, ...
  template <typename Range>
  void emplace_back(Range const& values) {
    if (offsets_.empty()) offsets_.push_back(0);
    data_.insert(data_.end(), values.begin(), values.end());
    offsets_.push_back(static_cast<std::uint32_t>(data_.size()));
  }
  void emplace_back_empty() {
    if (offsets_.empty()) offsets_.push_back(0);
    offsets_.push_back(static_cast<std::uint32_t>(data_.size()));
  }

  OffsetStorage& raw_offsets() { return offsets_; }
  Storage& raw_data() { return data_; }
  OffsetStorage const& raw_offsets() const { return offsets_; }
  Storage const& raw_data() const { return data_; }

 private:
  OffsetStorage offsets_;
  Storage data_;
};

}  // namespace nebuta
