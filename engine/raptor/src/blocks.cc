// Stay-seated continuations, built once with the index: which trip a rider may stay on board into,
// on which service days.
//
// GTFS: "A block consists of a single trip or many sequential trips made using the same vehicle,
// defined by shared service days and block_id." On every service day d, the trips of a block
// running on d (and those of d + 1, for a vehicle working past midnight) are ordered by their
// first departure; a trip continues into the next one when that one starts at the stop (or the
// station) where it ends, no earlier than it arrives there (and not when another run of the
// block starts at the same time as it: no order to trust). Linked trips of transfers.txt win
// over the blocks ("If both a linked trips transfer and a block_id are provided and they produce
// conflicting results, then the linked trips transfer shall be used"): a trip named by a
// transfer_type 4 or 5 row takes its continuations from those rows only, type 4 linking it on
// the days both run (the next trip on the same service day, else on the next one), type 5 not
// at all.
#include <algorithm>
#include <map>
#include <tuple>

#include "internal.h"
#include "nebuta/core/bytes.h"
#include "nebuta/raptor/index.h"

namespace nebuta::raptor {

namespace {

// What the stored continuations must agree with besides their own arrays.
struct seated_image_header {
  std::uint32_t format{1};
  std::uint32_t link_size{sizeof(seated_link)};
  std::uint64_t n_trips{0}, n_routes{0}, n_days{0}, words{0};
  bool operator==(seated_image_header const&) const = default;
};

struct trip_ends {
  stop_idx first, last;
  seconds_t first_dep, last_arr;
};

}  // namespace

void index::build_seated() {
  auto const& tt = tt_;
  auto const n_trips = tt.n_trips();
  auto const words = static_cast<std::size_t>(tt.bitfield_words);
  if (n_trips == 0U || words == 0U || tt.trip_block.size() != n_trips) return;

  std::vector<trip_ends> ends(n_trips);
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    auto const stops = tt.route_stops[r];
    auto const n = static_cast<std::uint32_t>(stops.size());
    for (auto i = 0U; i < tt.route_n_trips[r]; ++i) {
      ends[tt.route_first_trip[r].v() + i] = {stops[0], stops[n - 1], tt.departure(r, 0, i), tt.arrival(r, n - 1, i)};
    }
  }
  auto const same_place = [&](stop_idx a, stop_idx b) {
    if (a == b) return true;
    auto const pa = tt.stop_parent[a].valid() ? tt.stop_parent[a] : a;
    auto const pb = tt.stop_parent[b].valid() ? tt.stop_parent[b] : b;
    return pa == pb;
  };
  auto const n_days = static_cast<std::int64_t>(tt.n_days);

  // (from, to, shift) -> days of `from`
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::int32_t>, std::vector<std::uint64_t>> found;
  auto const add = [&](trip_idx from, trip_idx to, std::int32_t shift, std::int64_t day) {
    auto& bits = found[{from.v(), to.v(), shift}];
    if (bits.empty()) bits.assign(words, 0U);
    bits[static_cast<std::size_t>(day) / 64] |= std::uint64_t{1} << (static_cast<std::size_t>(day) % 64);
  };

  // Trips named by linked-trip rows take their continuations from them alone.
  std::vector<std::uint8_t> linked(n_trips, 0U);  // bit 0: as from_trip, bit 1: as to_trip
  for (auto const& l : tt.trip_links) {
    linked[l.from.v()] |= 1U;
    linked[l.to.v()] |= 2U;
  }

  // --- blocks
  std::vector<std::pair<std::uint32_t, trip_idx>> by_block;
  for (auto t = trip_idx{0}; t.v() < n_trips; ++t) {
    if (tt.trip_block[t] != no_block) by_block.emplace_back(tt.trip_block[t], t);
  }
  std::sort(by_block.begin(), by_block.end());
  struct run {
    std::int64_t start;  // first departure, from the start of service day d
    trip_idx trip;
    std::int32_t shift;
  };
  std::vector<run> runs;
  // Days with the same trips running (on d and d + 1) give the same pairs: computed once.
  std::map<std::vector<bool>, std::vector<std::tuple<trip_idx, trip_idx, std::int32_t>>> memo;
  std::vector<bool> key;
  for (auto b = by_block.begin(); b != by_block.end();) {
    auto const e = std::find_if(b, by_block.end(), [&](auto const& x) { return x.first != b->first; });
    auto const n = static_cast<std::size_t>(e - b);
    if (n >= 2U) {
      memo.clear();
      for (auto day = std::int64_t{0}; day < n_days; ++day) {
        key.assign(2 * n, false);
        auto any_today = false;
        for (auto i = 0U; i < n; ++i) {
          key[i] = tt.trip_active((b + i)->second, day);
          key[n + i] = tt.trip_active((b + i)->second, day + 1);
          any_today = any_today || key[i];
        }
        if (!any_today) continue;
        auto [it, fresh] = memo.try_emplace(key);
        if (fresh) {
          runs.clear();
          for (auto i = 0U; i < n; ++i) {
            auto const t = (b + i)->second;
            if (key[i]) runs.push_back({ends[t.v()].first_dep, t, 0});
            if (key[n + i]) runs.push_back({ends[t.v()].first_dep + seconds_per_day, t, 1});
          }
          std::sort(runs.begin(), runs.end(), [](run const& x, run const& y) {
            return std::tie(x.start, x.shift, x.trip) < std::tie(y.start, y.shift, y.trip);
          });
          for (auto i = 0U; i + 1 < runs.size(); ++i) {
            auto const& a = runs[i];
            auto const& c = runs[i + 1];
            // Two runs of one vehicle starting at once leave no order to trust.
            auto const tie = c.start == a.start || (i > 0U && runs[i - 1].start == a.start);
            if (tie || a.shift != 0 || (linked[a.trip.v()] & 1U) != 0U || (linked[c.trip.v()] & 2U) != 0U) continue;
            auto const& ea = ends[a.trip.v()];
            auto const& ec = ends[c.trip.v()];
            if (c.start < ea.last_arr || !same_place(ea.last, ec.first)) continue;  // overlapping, or elsewhere
            it->second.emplace_back(a.trip, c.trip, c.shift);
          }
        }
        for (auto const& [from, to, shift] : it->second) add(from, to, shift, day);
      }
    }
    b = e;
  }

  // --- linked trips, transfer_type 4
  for (auto const& l : tt.trip_links) {
    if (l.transfer_type != 4U) continue;
    auto const& ef = ends[l.from.v()];
    auto const& et = ends[l.to.v()];
    for (auto day = std::int64_t{0}; day < n_days; ++day) {
      if (!tt.trip_active(l.from, day)) continue;
      if (tt.trip_active(l.to, day) && et.first_dep >= ef.last_arr) {
        add(l.from, l.to, 0, day);
      } else if (tt.trip_active(l.to, day + 1)) {
        add(l.from, l.to, 1, day);
      }
    }
  }

  // --- flat lists, both directions
  std::vector<std::uint32_t> n_fwd(n_trips + 1, 0U), n_bwd(n_trips + 1, 0U);
  for (auto const& [k, bits] : found) {
    ++n_fwd[std::get<0>(k) + 1];
    ++n_bwd[std::get<1>(k) + 1];
  }
  for (auto i = 1U; i <= n_trips; ++i) {
    n_fwd[i] += n_fwd[i - 1];
    n_bwd[i] += n_bwd[i - 1];
  }
  seated_fwd_off_ = n_fwd;
  seated_bwd_off_ = n_bwd;
  seated_fwd_.resize(found.size());
  seated_bwd_.resize(found.size());
  seated_days_.reserve(2 * found.size() * words);
  route_seated_.assign(tt.n_routes(), 0U);
  for (auto const& [k, bits] : found) {
    auto const [from, to, shift] = k;
    auto const fwd_days = static_cast<std::uint32_t>(seated_days_.size());
    seated_days_.insert(seated_days_.end(), bits.begin(), bits.end());
    // The same days, seen from the next trip: day d of `from` is day d + shift of `to`.
    auto const bwd_days = static_cast<std::uint32_t>(seated_days_.size());
    seated_days_.resize(seated_days_.size() + words, 0U);
    for (auto d = std::int64_t{0}; d < n_days; ++d) {
      auto const ud = static_cast<std::size_t>(d);
      if (((bits[ud / 64] >> (ud % 64)) & 1U) == 0U || d + shift >= n_days) continue;
      auto const d2 = static_cast<std::size_t>(d + shift);
      seated_days_[bwd_days + d2 / 64] |= std::uint64_t{1} << (d2 % 64);
    }
    seated_fwd_[n_fwd[from]++] = {trip_idx{to}, shift, fwd_days};
    seated_bwd_[n_bwd[to]++] = {trip_idx{from}, -shift, bwd_days};
    route_seated_[tt.trip_route[trip_idx{from}].v()] |= 1U;
    route_seated_[tt.trip_route[trip_idx{to}].v()] |= 2U;
  }
}

void index::build_seated_routes() {
  auto const& tt = tt_;
  std::vector<std::pair<route_idx, route_idx>> pairs;  // (from, to)
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    for (auto const& l : seated(t, true)) pairs.emplace_back(tt.trip_route[t], tt.trip_route[l.other]);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (auto const fwd : {true, false}) {
    auto& offs = fwd ? seated_route_fwd_off_ : seated_route_bwd_off_;
    auto& list = fwd ? seated_route_fwd_ : seated_route_bwd_;
    offs.assign(tt.n_routes() + 1, 0U);
    for (auto const& [a, b] : pairs) ++offs[(fwd ? a : b).v() + 1];
    for (auto i = 1U; i < offs.size(); ++i) offs[i] += offs[i - 1];
    list.resize(pairs.size());
    auto fill = offs;
    for (auto const& [a, b] : pairs) list[fill[(fwd ? a : b).v()]++] = fwd ? b : a;
  }
  seated_at_end_.assign(tt.n_routes(), 3U);
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    auto const r = tt.trip_route[t];
    auto const stops = tt.route_stops[r];
    for (auto const& l : seated(t, true)) {
      if (!detail::starts_boardable<true>(tt, l.other, stops.back())) seated_at_end_[r.v()] &= 2U;
    }
    for (auto const& l : seated(t, false)) {
      if (!detail::starts_boardable<false>(tt, l.other, stops.front())) seated_at_end_[r.v()] &= 1U;
    }
  }
}

std::vector<char> index::seated_to_bytes() const {
  std::vector<char> out;
  byte_writer w{out};
  w.value(seated_image_header{1U, sizeof(seated_link), tt_.n_trips(), tt_.n_routes(), tt_.n_days,
                              static_cast<std::uint64_t>(tt_.bitfield_words)});
  w.vector(seated_fwd_off_);
  w.vector(seated_bwd_off_);
  w.vector(seated_fwd_);
  w.vector(seated_bwd_);
  w.vector(seated_days_);
  w.vector(route_seated_);
  return out;
}

bool index::seated_from_bytes(std::span<char const> bytes) {
  byte_reader r{bytes};
  seated_image_header h;
  seated_image_header const expected{1U,
                                     sizeof(seated_link),
                                     tt_.n_trips(),
                                     tt_.n_routes(),
                                     tt_.n_days,
                                     static_cast<std::uint64_t>(tt_.bitfield_words)};
  if (!r.value(h) || !(h == expected)) return false;
  std::vector<std::uint32_t> fwd_off, bwd_off;
  std::vector<seated_link> fwd, bwd;
  std::vector<std::uint64_t> days;
  std::vector<std::uint8_t> routes;
  r.vector(fwd_off);
  r.vector(bwd_off);
  r.vector(fwd);
  r.vector(bwd);
  r.vector(days);
  r.vector(routes);
  if (!r.at_end()) return false;
  // The shape the router relies on (build_seated leaves everything empty for a timetable without
  // continuations): offsets over the lists, trips and day words in range.
  auto const n_trips = tt_.n_trips();
  auto const words = static_cast<std::size_t>(tt_.bitfield_words);
  auto const list_ok = [&](std::vector<std::uint32_t> const& off, std::vector<seated_link> const& list) {
    if (off.empty()) return list.empty();
    if (off.size() != n_trips + 1 || off.front() != 0U || off.back() != list.size()) return false;
    if (!std::is_sorted(off.begin(), off.end())) return false;
    return std::all_of(list.begin(), list.end(), [&](seated_link const& l) {
      return l.other.v() < n_trips && l.shift >= -1 && l.shift <= 1 && std::size_t{l.days} + words <= days.size();
    });
  };
  if (!list_ok(fwd_off, fwd) || !list_ok(bwd_off, bwd) || fwd.size() != bwd.size()) return false;
  if (!routes.empty() && routes.size() != tt_.n_routes()) return false;
  if (fwd_off.empty() != routes.empty()) return false;
  seated_fwd_off_ = std::move(fwd_off);
  seated_bwd_off_ = std::move(bwd_off);
  seated_fwd_ = std::move(fwd);
  seated_bwd_ = std::move(bwd);
  seated_days_ = std::move(days);
  route_seated_ = std::move(routes);
  return true;
}

}  // namespace nebuta::raptor
