// A 4-ary min-heap of ids with decrease-key: each id is in the heap at most once, so a search pops
// every vertex once and needs no test for stale entries. The heap holds only (key, id) items; each
// id's position in it is kept by the caller, next to whatever else the search keeps per id (the
// query keeps it beside the distance, in the same cache line), and reached through `pos(id)`, a
// callable returning a std::uint32_t& that holds npos while the id is not queued. clear() resets
// only the positions of the ids still queued, so a heap is reused across searches without touching
// all n positions. Every step is forced inline: a query settles under a hundred junctions, and
// the calls cost as much as the work.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

namespace nebuta::road::detail {

template <typename Key>
class id_heap {
 public:
  static constexpr std::uint32_t npos = ~std::uint32_t{0};

  struct item {
    Key key;
    std::uint32_t id;
  };

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  Key top_key() const { return items_.front().key; }

  template <typename Pos>
  void clear(Pos&& pos) {
    for (auto const& it : items_) pos(it.id) = npos;
    items_.clear();
  }

  // Inserts id, or lowers its key when it is queued with a higher one.
  template <typename Pos>
  [[gnu::always_inline]] void push_or_decrease(std::uint32_t id, Key key, Pos&& pos) {
    auto i = pos(id);
    if (i == npos) {
      i = static_cast<std::uint32_t>(items_.size());
      items_.push_back({key, id});
    } else if (key < items_[i].key) {
      items_[i].key = key;
    } else {
      return;
    }
    sift_up(i, pos);
  }

  template <typename Pos>
  [[gnu::always_inline]] item pop(Pos&& pos) {
    assert(!items_.empty());
    auto const top = items_.front();
    pos(top.id) = npos;
    auto const last = items_.back();
    items_.pop_back();
    if (!items_.empty()) sift_down(last, pos);
    return top;
  }

 private:
  static constexpr std::uint32_t arity = 4;

  template <typename Pos>
  [[gnu::always_inline]] void sift_up(std::uint32_t i, Pos& pos) {
    auto const x = items_[i];
    while (i > 0) {
      auto const parent = (i - 1) / arity;
      if (!(x.key < items_[parent].key)) break;
      place(i, items_[parent], pos);
      i = parent;
    }
    place(i, x, pos);
  }

  // Moves x (the former last item) down from the root to where it belongs.
  template <typename Pos>
  [[gnu::always_inline]] void sift_down(item const x, Pos& pos) {
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
      place(i, items_[best], pos);
      i = best;
    }
    place(i, x, pos);
  }

  template <typename Pos>
  [[gnu::always_inline]] void place(std::uint32_t i, item const& x, Pos& pos) {
    items_[i] = x;
    pos(x.id) = i;
  }

  std::vector<item> items_;
};

}  // namespace nebuta::road::detail
