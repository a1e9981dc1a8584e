// GTFS-Fares v2: a product per ride from fare_leg_rules, then fare_transfer_rules between
// consecutive rides (the spec's "To process the cost of a leg" and "of a multi-leg journey").
#include <algorithm>
#include <limits>

#include "compute_internal.h"

namespace nebuta::fare::detail {
namespace {

template <typename Idx>
bool listed(vecmap<Idx, std::uint8_t> const& flags, Idx i) {
  return i.valid() && i.v() < flags.size() && flags[i] != 0U;
}

class matcher {
 public:
  matcher(timetable const& tt, std::span<ride const> rides, std::span<ride_info const> info, std::int64_t day)
      : tt_{tt}, ft_{tt.fares}, rides_{rides}, info_{info}, day_{day} {}

  struct leg_match {
    fare_product_idx product{fare_product_idx::invalid()};
    leg_group_idx group{leg_group_idx::invalid()};
  };

  // The leg rule for ride i: among the matching rules with an eligible product, those of the
  // highest rule_priority, and of them the cheapest product.
  leg_match leg(std::size_t i) const {
    auto const& in = info_[i];
    auto const f = in.feed.v();
    auto const priority_mode = ft_.feed_rule_priority[in.feed] != 0U;
    auto const network = ft_.line_network.empty() ? network_idx::invalid() : ft_.line_network[in.line];
    auto const from_areas = areas_of(in.from), to_areas = areas_of(in.to);
    leg_match best;
    auto best_priority = std::uint32_t{0};
    for (auto r = ft_.feed_leg_rules[f]; r < ft_.feed_leg_rules[f + 1]; ++r) {
      auto const& rule = ft_.leg_rules[r];
      if (!ft_.products[rule.product].eligible) continue;
      if (!value_ok(rule.network, network, ft_.network_listed, priority_mode) ||
          !area_ok(rule.from_area, from_areas, ft_.from_area_listed, priority_mode) ||
          !area_ok(rule.to_area, to_areas, ft_.to_area_listed, priority_mode) ||
          !in_timeframe(rule.from_timeframe, rides_[i].board) || !in_timeframe(rule.to_timeframe, rides_[i].alight)) {
        continue;
      }
      auto const better =
          !best.product.valid() || rule.priority > best_priority ||
          (rule.priority == best_priority && ft_.products[rule.product].amount < ft_.products[best.product].amount);
      if (better) best = {rule.product, rule.group}, best_priority = rule.priority;
    }
    return best;
  }

  // The transfer rules that may apply from a leg of group `from` to one of group `to`.
  template <typename F>
  void transfer_rules(feed_idx feed, leg_group_idx from, leg_group_idx to, F&& f) const {
    for (auto r = ft_.feed_transfer_rules[feed.v()]; r < ft_.feed_transfer_rules[feed.v() + 1]; ++r) {
      auto const& rule = ft_.transfer_rules[r];
      auto const from_ok = rule.from_group.valid() ? rule.from_group == from : !listed(ft_.from_group_listed, from);
      auto const to_ok = rule.to_group.valid() ? rule.to_group == to : !listed(ft_.to_group_listed, to);
      if (from_ok && to_ok) f(r, rule);
    }
  }

 private:
  std::span<area_idx const> areas_of(stop_idx s) const {
    if (ft_.stop_areas.size() <= s.v()) return {};
    return ft_.stop_areas[s];
  }

  // Without rule_priority an empty field matches the values no rule names; with it, any value.
  template <typename Idx>
  static bool value_ok(Idx rule_value, Idx leg_value, vecmap<Idx, std::uint8_t> const& flags, bool priority_mode) {
    if (rule_value.valid()) return rule_value == leg_value;
    return priority_mode || !listed(flags, leg_value);
  }
  static bool area_ok(area_idx rule_value, std::span<area_idx const> leg_values,
                      vecmap<area_idx, std::uint8_t> const& flags, bool priority_mode) {
    if (rule_value.valid()) return std::find(leg_values.begin(), leg_values.end(), rule_value) != leg_values.end();
    return priority_mode ||
           std::none_of(leg_values.begin(), leg_values.end(), [&](area_idx a) { return listed(flags, a); });
  }

  // The event at `t` seconds after the reference day's midnight falls in a timeframe of group g:
  // its local day is in the timeframe's service and its time of day in [start, end).
  bool in_timeframe(timeframe_group_idx g, seconds_t t) const {
    if (!g.valid()) return true;
    if (g.v() >= ft_.timeframes.size()) return false;
    auto const shift = t >= 0 ? t / seconds_per_day : -((-t + seconds_per_day - 1) / seconds_per_day);
    auto const d = day_ + shift;
    auto const time_of_day = t - shift * seconds_per_day;
    if (d < 0 || d >= static_cast<std::int64_t>(tt_.n_days)) return false;
    for (auto const& tf : ft_.timeframes[g]) {
      auto const word = ft_.timeframe_days[tf.days + static_cast<std::size_t>(d) / 64];
      if (((word >> (static_cast<std::size_t>(d) % 64)) & 1U) != 0U && tf.start <= time_of_day && time_of_day < tf.end) {
        return true;
      }
    }
    return false;
  }

  timetable const& tt_;
  fare_tables const& ft_;
  std::span<ride const> rides_;
  std::span<ride_info const> info_;
  std::int64_t day_;
};

// Seconds between the two fare validation events duration_limit_type names.
seconds_t measured(std::uint8_t type, ride const& first, ride const& last) {
  switch (type) {
    case 0: return last.alight - first.board;
    case 1: return last.board - first.board;
    case 2: return last.board - first.alight;
    default: return last.alight - first.alight;
  }
}

}  // namespace

void price_v2(timetable const& tt, std::span<ride const> rides, std::span<ride_info const> info, std::size_t begin,
              std::size_t end, std::int64_t day, std::span<leg_fare> legs) {
  auto const& ft = tt.fares;
  matcher const m{tt, rides, info, day};
  auto const amount = [&](fare_product_idx p) { return p.valid() ? ft.products[p].amount : 0; };
  constexpr auto none = std::numeric_limits<std::uint32_t>::max();
  auto chain_rule = none;  // the transfer rule of the transfers just before, if any
  std::uint32_t chain_count = 0;
  std::size_t chain_start = begin;
  auto prev_group = leg_group_idx::invalid();
  for (auto i = begin; i < end; ++i) {
    auto const match = m.leg(i);
    if (!match.product.valid()) {
      chain_rule = none, prev_group = leg_group_idx::invalid();
      continue;  // legs[i] stays unknown
    }
    auto const& product = ft.products[match.product];
    auto& out = legs[i];
    out = {.known = true,
           .transfer = false,
           .amount = product.amount,
           .currency_digits = product.currency_digits,
           .currency = product.currency,
           .fare_id = product.id,
           .product = product.name};
    if (i > begin && prev_group.valid() && match.group.valid()) {
      // Of the rules that apply, the one with the smallest transfer_count that still allows this
      // transfer (the spec's rule), then the cheapest.
      auto best = none;
      std::int64_t best_add = 0;
      std::int64_t best_count = 0;
      std::uint32_t best_chain = 0;
      std::size_t best_start = i - 1;
      m.transfer_rules(info[i].feed, prev_group, match.group, [&](std::uint32_t r, fare_transfer_rule const& rule) {
        auto const continuing = r == chain_rule;
        auto const count = continuing ? chain_count + 1 : 1U;
        auto const start = continuing ? chain_start : i - 1;
        if (rule.transfer_count > 0 && count > static_cast<std::uint32_t>(rule.transfer_count)) return;
        if (rule.duration_limit_s >= 0 &&
            measured(rule.duration_limit_type, rides[start], rides[i]) > rule.duration_limit_s) {
          return;
        }
        auto const ab = amount(rule.product);
        auto const add = rule.fare_transfer_type == 0   ? ab
                         : rule.fare_transfer_type == 1 ? ab + product.amount
                         : continuing                   ? ab
                                                        : ab - legs[i - 1].amount;  // AB replaces A
        auto const limit =
            rule.transfer_count > 0 ? std::int64_t{rule.transfer_count} : std::numeric_limits<std::int64_t>::max();
        if (best == none || limit < best_count || (limit == best_count && add < best_add)) {
          best = r, best_add = add, best_count = limit, best_chain = count, best_start = start;
        }
      });
      if (best != none) {
        out.transfer = true;
        out.amount = best_add;
        chain_rule = best, chain_count = best_chain, chain_start = best_start;
      } else {
        chain_rule = none;
      }
    } else {
      chain_rule = none;
    }
    prev_group = match.group;
  }
}

}  // namespace nebuta::fare::detail
