// GTFS-Fares v1: the cheapest cover of a run of rides by fares, each fare covering one ride or,
// where its transfers and transfer_duration allow, several consecutive rides.
#include <algorithm>
#include <array>
#include <limits>

#include "compute_internal.h"

namespace nebuta::fare::detail {
namespace {

// The distinct zones of the stops rides [begin, end) pass, boarding and alighting stops
// included; nullopt-like `overflow` when there are more than fit (contains rules then never match).
struct zone_set {
  static constexpr std::size_t capacity = 128;
  std::array<zone_idx, capacity> zones{};
  std::size_t n{0};
  bool overflow{false};

  void add(zone_idx z) {
    if (!z.valid() || std::find(zones.begin(), zones.begin() + static_cast<std::ptrdiff_t>(n), z) !=
                          zones.begin() + static_cast<std::ptrdiff_t>(n)) {
      return;
    }
    if (n == capacity) {
      overflow = true;
      return;
    }
    zones[n++] = z;
  }
  std::span<zone_idx const> sorted() {
    std::sort(zones.begin(), zones.begin() + static_cast<std::ptrdiff_t>(n));
    return {zones.data(), n};
  }
};

class pricer {
 public:
  pricer(timetable const& tt, std::span<ride const> rides, std::span<ride_info const> info)
      : tt_{tt}, ft_{tt.fares}, rides_{rides}, info_{info} {}

  // The cheapest fare covering rides [begin, end) as one fare, or invalid.
  fare_idx cheapest(std::size_t begin, std::size_t end) const {
    auto const origin = zone_of(info_[begin].from), destination = zone_of(info_[end - 1].to);
    std::span<zone_idx const> visited;
    zone_set zs;
    if (ft_.v1_uses_contains != 0U) {
      for (auto i = begin; i < end; ++i) {
        zs.add(zone_of(info_[i].from));
        zs.add(zone_of(info_[i].to));
        if (!info_[i].route.valid()) continue;
        auto const stops = tt_.route_stops[info_[i].route];
        for (auto p = rides_[i].board_pos; p <= rides_[i].alight_pos; ++p) zs.add(zone_of(stops[p]));
      }
      visited = zs.sorted();
    }
    auto best = fare_idx::invalid();
    auto const consider = [&](fare_idx f) {
      // Equal prices: the first fare of the feed, so that the answer does not depend on lookup order.
      if (!best.valid() || ft_.v1_fares[f].price < ft_.v1_fares[best].price ||
          (ft_.v1_fares[f].price == ft_.v1_fares[best].price && f < best)) {
        best = f;
      }
    };
    auto const any = zone_idx::invalid();
    std::array<std::pair<zone_idx, zone_idx>, 4> const keys{
        {{origin, destination}, {origin, any}, {any, destination}, {any, any}}};
    for (auto k = 0U; k < keys.size(); ++k) {
      // A stop without a zone makes some keys equal: look each up once.
      if (std::find(keys.begin(), keys.begin() + k, keys[k]) != keys.begin() + k) continue;
      auto const [lo, hi] = std::equal_range(ft_.v1_rules.begin(), ft_.v1_rules.end(), keys[k], key_less{});
      for (auto it = lo; it != hi; ++it) {
        if (fare_allows(it->fare, begin, end) && contains_ok(*it, visited, zs.overflow) && lines_ok(*it, begin, end)) {
          consider(it->fare);
        }
      }
    }
    for (auto const f : ft_.v1_unruled) {
      if (fare_allows(f, begin, end)) consider(f);
    }
    return best;
  }

 private:
  struct key_less {
    bool operator()(fare_v1_rule const& r, std::pair<zone_idx, zone_idx> const& k) const {
      return std::pair{r.origin, r.destination} < k;
    }
    bool operator()(std::pair<zone_idx, zone_idx> const& k, fare_v1_rule const& r) const {
      return k < std::pair{r.origin, r.destination};
    }
  };

  zone_idx zone_of(stop_idx s) const { return ft_.stop_zone.empty() ? zone_idx::invalid() : ft_.stop_zone[s]; }

  // Feed, agency, transfers and transfer_duration.
  bool fare_allows(fare_idx f, std::size_t begin, std::size_t end) const {
    auto const& fa = ft_.v1_fares[f];
    if (fa.feed != info_[begin].feed) return false;
    auto const transfers = end - begin - 1;
    if (fa.transfers != unlimited_transfers && transfers > fa.transfers) return false;
    if (transfers > 0 && fa.transfer_duration_s >= 0 &&
        rides_[end - 1].board - rides_[begin].board > fa.transfer_duration_s) {
      return false;
    }
    if (fa.agency.valid()) {
      for (auto i = begin; i < end; ++i) {
        if (info_[i].agency != fa.agency) return false;
      }
    }
    return true;
  }

  // The zones passed are exactly the rule's contains set.
  bool contains_ok(fare_v1_rule const& r, std::span<zone_idx const> visited, bool overflow) const {
    if (r.contains_begin == r.contains_end) return true;
    if (overflow || visited.size() != r.contains_end - r.contains_begin) return false;
    return std::equal(visited.begin(), visited.end(), ft_.v1_contains.begin() + r.contains_begin);
  }

  bool lines_ok(fare_v1_rule const& r, std::size_t begin, std::size_t end) const {
    if (r.lines_begin == r.lines_end) return true;
    auto const first = ft_.v1_rule_lines.begin() + r.lines_begin, last = ft_.v1_rule_lines.begin() + r.lines_end;
    for (auto i = begin; i < end; ++i) {
      if (!std::binary_search(first, last, info_[i].line)) return false;
    }
    return true;
  }

  timetable const& tt_;
  fare_tables const& ft_;
  std::span<ride const> rides_;
  std::span<ride_info const> info_;
};

}  // namespace

void price_v1(timetable const& tt, std::span<ride const> rides, std::span<ride_info const> info, std::size_t begin,
              std::size_t end, std::span<leg_fare> legs) {
  auto const& ft = tt.fares;
  pricer const p{tt, rides, info};
  // best[i]: the cheapest cover of rides [begin, begin + i): fewest unknown rides, then lowest price.
  struct state {
    std::uint32_t unknown{std::numeric_limits<std::uint32_t>::max()};
    std::int64_t cost{0};
    std::uint32_t from{0};
    fare_idx fare{fare_idx::invalid()};
  };
  std::array<state, max_rides + 1> best{};
  best[0] = {0, 0, 0, fare_idx::invalid()};
  auto const n = end - begin;
  auto const max_span =
      ft.v1_max_transfers == unlimited_transfers ? n : std::min<std::size_t>(n, ft.v1_max_transfers + 1);
  for (auto j = 1U; j <= n; ++j) {
    for (auto k = 1U; k <= std::min<std::size_t>(j, max_span); ++k) {
      auto const i = j - k;
      auto const f = p.cheapest(begin + i, begin + j);
      if (!f.valid() && k > 1) continue;
      state const cand{best[i].unknown + (f.valid() ? 0U : 1U), best[i].cost + (f.valid() ? ft.v1_fares[f].price : 0),
                       static_cast<std::uint32_t>(i), f};
      if (cand.unknown < best[j].unknown || (cand.unknown == best[j].unknown && cand.cost < best[j].cost))
        best[j] = cand;
    }
  }
  for (auto j = n; j > 0;) {
    auto const& s = best[j];
    for (auto r = s.from; r < j && s.fare.valid(); ++r) {
      auto const& fa = ft.v1_fares[s.fare];
      legs[begin + r] = {.known = true,
                         .transfer = r != s.from,
                         .amount = r == s.from ? fa.price : 0,
                         .currency_digits = fa.currency_digits,
                         .currency = fa.currency,
                         .fare_id = fa.id,
                         .product = string_idx::invalid()};
    }
    j = s.from;
  }
}

}  // namespace nebuta::fare::detail
