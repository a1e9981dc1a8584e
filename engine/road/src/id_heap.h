// A 4-ary min-heap of vertex ids with decrease-key: each id is in the heap at most once, so a
// search pops every vertex once and needs no test for stale entries. Positions are kept per id
// (npos when absent); clear() resets only the ids still queued, so the heap is reused across
// searches without touching all n positions.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

namespace nebuta::road::ch_detail {

template <typename Key>
class id_heap {
 public:
  struct item {
    Key key;
    std::uint32_t id;
  };

  void resize(std::size_t n) { pos_.assign(n, npos); }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  Key top_key() const { return items_.front().key; }
  bool contains(std::uint32_t id) const { return pos_[id] != npos; }

  void clear() {
    for (auto const& it : items_) pos_[it.id] = npos;
    items_.clear();
  }

  // Inserts id, or lowers its key when it is queued with a higher one.
  void push_or_decrease(std::uint32_t id, Key key) {
    auto i = pos_[id];
    if (i == npos) {
      i = static_cast<std::uint32_t>(items_.size());
      items_.push_back({key, id});
    } else if (key < items_[i].key) {
      items_[i].key = key;
    } else {
      return;
    }
    sift_up(i);
  }

  item pop() {
    assert(!items_.empty());
    auto const top = items_.front();
    pos_[top.id] = npos;
    auto const last = items_.back();
    items_.pop_back();
    if (!items_.empty()) sift_down(last);
    return top;
  }

 private:
  static constexpr std::uint32_t npos = ~std::uint32_t{0};
  static constexpr std::uint32_t arity = 4;

  void sift_up(std::uint32_t i) {
    auto const x = items_[i];
    while (i > 0) {
      auto const parent = (i - 1) / arity;
      if (!(x.key < items_[parent].key)) break;
      place(i, items_[parent]);
      i = parent;
    }
    place(i, x);
  }

  // Moves x (the former last item) down from the root to where it belongs.
  void sift_down(item const x) {
    std::uint32_t i = 0;
    auto const n = static_cast<std::uint32_t>(items_.size());
    for (;;) {
      auto const first = i * arity + 1;
      if (first >= n) break;
      auto best = first;
      auto const end = first + arity < n ? first + arity : n;
      for (auto c = first + 1; c < end; ++c) {
        if (items_[c].key < items_[best].key) best = c;
      }
      if (!(items_[best].key < x.key)) break;
      place(i, items_[best]);
      i = best;
    }
    place(i, x);
  }

  void place(std::uint32_t i, item const& x) {
    items_[i] = x;
    pos_[x.id] = i;
  }

  std::vector<item> items_;
  std::vector<std::uint32_t> pos_;
};

}  // namespace nebuta::road::ch_detail
