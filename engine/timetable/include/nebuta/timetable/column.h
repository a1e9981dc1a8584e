// One array of the timetable: either a vector it owns (what the builder fills) or a read-only
// view of bytes kept alive by a shared owner (a snapshot file mapped into memory, shared by every
// process serving it: the mapping lives as long as some column views it). Reading is the
// same either way, through one pointer and a size, so the query loops cost what they did on a
// std::vector. Writing to a viewed column first copies it into a vector of its own (copy on
// write): a view is never written through.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace nebuta {

template <typename T>
class column {
  static_assert(std::is_trivially_copyable_v<T>, "a column is stored byte for byte");

 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = T const&;
  using pointer = T*;
  using const_pointer = T const*;
  using iterator = T*;
  using const_iterator = T const*;

  column() = default;
  column(std::vector<T> v) : owned_{std::move(v)} { sync(); }  // NOLINT: a built vector becomes a column
  column(std::initializer_list<T> values) : owned_(values) { sync(); }
  explicit column(std::size_t n, T const& fill = T{}) : owned_(n, fill) { sync(); }
  template <std::input_iterator It>
  column(It first, It last) : owned_(first, last) {
    sync();
  }

  // A column over memory that `owner` keeps alive; never written through.
  static column view(std::span<T const> values, std::shared_ptr<void const> owner) {
    column c;
    c.data_ = values.data();
    c.size_ = values.size();
    c.viewing_ = true;
    c.owner_ = std::move(owner);
    return c;
  }

  column(column const& o) : owned_{o.owned_}, owner_{o.owner_}, viewing_{o.viewing_} {
    if (viewing_) {
      data_ = o.data_;
      size_ = o.size_;
    } else {
      sync();
    }
  }
  column(column&& o) noexcept : owned_{std::move(o.owned_)}, owner_{std::move(o.owner_)}, viewing_{o.viewing_} {
    if (viewing_) {
      data_ = o.data_;
      size_ = o.size_;
    } else {
      sync();
    }
    o.owned_.clear();
    o.viewing_ = false;
    o.sync();
  }
  column& operator=(column const& o) {
    if (this != &o) *this = column{o};
    return *this;
  }
  column& operator=(column&& o) noexcept {
    if (this == &o) return *this;
    owned_ = std::move(o.owned_);
    owner_ = std::move(o.owner_);
    viewing_ = o.viewing_;
    if (viewing_) {
      data_ = o.data_;
      size_ = o.size_;
    } else {
      sync();
    }
    o.owned_.clear();
    o.viewing_ = false;
    o.sync();
    return *this;
  }
  ~column() = default;

  // --- reading
  T const* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T const* begin() const { return data_; }
  T const* end() const { return data_ + size_; }
  T const* cbegin() const { return data_; }
  T const* cend() const { return data_ + size_; }
  T const& operator[](std::size_t i) const { return data_[i]; }
  T const& front() const { return data_[0]; }
  T const& back() const { return data_[size_ - 1]; }
  // Whether the values are a view of memory kept alive elsewhere (a mapped snapshot).
  bool viewing() const { return viewing_; }
  // What keeps a view's memory alive (null for an owned column).
  std::shared_ptr<void const> const& owner() const { return owner_; }
  // Bytes this column allocated itself (0 for a view).
  std::size_t capacity() const { return owned_.capacity(); }

  friend bool operator==(column const& a, column const& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

  // --- writing (a view becomes a copy first)
  T* data() { return own().data(); }
  T* begin() { return own().data(); }
  T* end() { return own().data() + size_; }
  T& operator[](std::size_t i) { return own()[i]; }
  T& front() { return own().front(); }
  T& back() { return own().back(); }

  void push_back(T const& v) {
    edit([&](auto& o) { o.push_back(v); });
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    edit([&](auto& o) { o.emplace_back(std::forward<Args>(args)...); });
    return owned_.back();
  }
  void pop_back() {
    edit([](auto& o) { o.pop_back(); });
  }
  template <typename It>
  T* insert(T const* pos, It first, It last) {
    auto const at = static_cast<std::size_t>(pos - data_);
    edit([&](auto& o) { o.insert(o.begin() + static_cast<std::ptrdiff_t>(at), first, last); });
    return owned_.data() + at;
  }
  T* insert(T const* pos, T const& v) {
    auto const at = static_cast<std::size_t>(pos - data_);
    edit([&](auto& o) { o.insert(o.begin() + static_cast<std::ptrdiff_t>(at), v); });
    return owned_.data() + at;
  }
  T* erase(T const* first, T const* last) {
    auto const a = static_cast<std::size_t>(first - data_);
    auto const b = static_cast<std::size_t>(last - data_);
    edit([&](auto& o) {
      o.erase(o.begin() + static_cast<std::ptrdiff_t>(a), o.begin() + static_cast<std::ptrdiff_t>(b));
    });
    return owned_.data() + a;
  }
  void resize(std::size_t n) {
    edit([&](auto& o) { o.resize(n); });
  }
  void resize(std::size_t n, T const& fill) {
    edit([&](auto& o) { o.resize(n, fill); });
  }
  void reserve(std::size_t n) {
    edit([&](auto& o) { o.reserve(n); });
  }
  void shrink_to_fit() {
    edit([](auto& o) { o.shrink_to_fit(); });
  }
  template <typename It>
  void assign(It first, It last) {
    std::vector<T> v(first, last);  // the range may be this column's own view
    *this = column{std::move(v)};
  }
  void assign(std::size_t n, T const& fill) { *this = column(n, fill); }
  void clear() { *this = column{}; }

 private:
  std::vector<T>& own() {
    if (viewing_) {
      owned_.assign(data_, data_ + size_);
      viewing_ = false;
      owner_.reset();
      sync();
    }
    return owned_;
  }
  template <typename F>
  void edit(F&& f) {
    f(own());
    sync();
  }
  void sync() {
    data_ = owned_.data();
    size_ = owned_.size();
  }

  std::vector<T> owned_;
  std::shared_ptr<void const> owner_;
  T const* data_{nullptr};
  std::size_t size_{0};
  bool viewing_{false};
};

template <typename T>
struct is_column : std::false_type {};
template <typename T>
struct is_column<column<T>> : std::true_type {};

}  // namespace nebuta
