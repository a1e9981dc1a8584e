// GTFS-Fares v2: networks, areas, products (for the default rider category), timeframes, leg
// and transfer rules.
#include <algorithm>
#include <chrono>

#include "build_context.h"

namespace nebuta::fare::detail {
namespace {

template <typename Idx>
Idx intern(id_map<Idx>& m, vecmap<Idx, string_idx>& ids, context& cx, std::string_view id) {
  auto const [it, inserted] = m.emplace(std::string{id}, ids.next_idx());
  if (inserted) ids.push_back(cx.str(id));
  return it->second;
}

template <typename Idx>
void mark(vecmap<Idx, std::uint8_t>& listed, Idx i) {
  if (!i.valid()) return;
  if (listed.size() <= i.v()) listed.resize(i.v() + 1, 0);
  listed[i] = 1;
}

// The days of [tt.first_date, + n_days) on which a service runs, as a bitfield.
std::vector<std::uint64_t> service_days(timetable const& tt, feed const& f, std::string_view service_id) {
  std::vector<std::uint64_t> bits(tt.bitfield_words, 0);
  auto const set = [&](date_t d, bool on) {
    auto const day = (d - tt.first_date).count();
    if (day < 0 || day >= static_cast<std::int64_t>(tt.n_days)) return;
    auto& w = bits[static_cast<std::size_t>(day) / 64];
    auto const mask = std::uint64_t{1} << (static_cast<std::size_t>(day) % 64);
    w = on ? (w | mask) : (w & ~mask);
  };
  for (auto const& c : f.calendars) {
    if (c.service_id != service_id || c.start > c.end) continue;
    for (auto d = c.start; d <= c.end; d += std::chrono::days{1}) {
      if ((c.weekdays >> (std::chrono::weekday{d}.iso_encoding() - 1)) & 1U) set(d, true);
    }
  }
  for (auto const& c : f.calendar_dates) {
    if (c.service_id == service_id) set(c.date, c.exception_type == 1);
  }
  return bits;
}

}  // namespace

void build_v2(context& cx, feed const& f) {
  auto& tt = cx.tt();
  auto& ft = tt.fares;
  if (f.leg_rules.empty()) {
    if (!f.products.empty() || !f.transfer_rules.empty()) {
      cx.problem("fare_leg_rules.txt", 0, "no_fare_leg_rules",
                 "fare products or transfer rules without fare_leg_rules.txt: Fares v2 not used");
    }
    return;
  }

  // Networks: networks.txt, routes.network_id and route_networks.txt.
  id_map<network_idx> networks;
  for (auto const& n : f.networks) intern(networks, ft.network_ids, cx, n.id);
  for (auto const& rn : f.route_networks) {
    auto const line = cx.line(rn.route_id);
    if (!line.valid()) {
      if (!rn.from_routes_txt) {
        cx.problem("route_networks.txt", rn.file_line, "unknown_route",
                   "unknown route_id '" + std::string{rn.route_id} + "'");
      }
      continue;
    }
    if (!rn.from_routes_txt && !networks.contains(std::string{rn.network_id})) {
      cx.problem("route_networks.txt", rn.file_line, "unknown_network",
                 "unknown network_id '" + std::string{rn.network_id} + "'");
      continue;
    }
    if (ft.line_network.empty()) ft.line_network.resize(tt.n_lines(), network_idx::invalid());
    ft.line_network[line] = intern(networks, ft.network_ids, cx, rn.network_id);
  }

  // Areas; a station's areas are its platforms' too, unless a platform is assigned its own.
  id_map<area_idx> areas;
  for (auto const& a : f.areas) intern(areas, ft.area_ids, cx, a.id);
  std::vector<std::pair<stop_idx, area_idx>> assigned;
  for (auto const& sa : f.stop_areas) {
    auto const s = cx.stop(sa.stop_id);
    auto const a = find_id(areas, sa.area_id);
    if (!s.valid() || !a.valid()) {
      cx.problem(
          "stop_areas.txt", sa.file_line, s.valid() ? "unknown_area" : "unknown_stop",
          "unknown " +
              std::string{s.valid() ? "area_id '" + std::string{sa.area_id} : "stop_id '" + std::string{sa.stop_id}} +
              "'");
      continue;
    }
    assigned.emplace_back(s, a);
  }
  if (!assigned.empty()) {
    std::vector<std::uint8_t> own(tt.n_stops(), 0);
    for (auto const& [s, a] : assigned) own[s.v()] = 1;
    for (auto const& [s, a] : std::vector{assigned}) {
      for (auto const child : tt.stop_children[s]) {
        if (own[child.v()] == 0U) assigned.emplace_back(child, a);
      }
    }
    std::sort(assigned.begin(), assigned.end());
    assigned.erase(std::unique(assigned.begin(), assigned.end()), assigned.end());
    // Merge with the areas of feeds built before (stop_areas is keyed by every stop).
    std::vector<std::pair<stop_idx, area_idx>> all;
    for (auto s = stop_idx{0U}; s.v() < ft.stop_areas.size(); ++s) {
      for (auto const a : ft.stop_areas[s]) all.emplace_back(s, a);
    }
    all.insert(all.end(), assigned.begin(), assigned.end());
    std::sort(all.begin(), all.end());
    multimap<stop_idx, area_idx> rebuilt;
    auto it = all.begin();
    std::vector<area_idx> of_stop;
    for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
      of_stop.clear();
      for (; it != all.end() && it->first == s; ++it) of_stop.push_back(it->second);
      rebuilt.emplace_back(of_stop);
    }
    ft.stop_areas = std::move(rebuilt);
  }

  // Products for the default rider category (or the products open to every category).
  std::string_view default_category;
  for (auto const& c : f.rider_categories) {
    if (c.is_default && default_category.empty()) default_category = c.id;
  }
  id_map<fare_product_idx> products;
  for (auto const& p : f.products) {
    auto const [it, inserted] = products.emplace(std::string{p.id}, ft.products.next_idx());
    if (inserted) {
      ft.products.push_back({.id = cx.str(p.id),
                             .name = cx.str(p.name),
                             .currency = cx.str(p.currency),
                             .amount = 0,
                             .feed = cx.feed(),
                             .currency_digits = currency_digits(p.currency),
                             .eligible = 0});
    }
    auto& e = ft.products[it->second];
    if (tt.strings[e.name].empty() && !p.name.empty()) e.name = cx.str(p.name);
    auto const for_default = p.rider_category_id.empty() || p.rider_category_id == default_category;
    if (!for_default) continue;
    auto const digits = currency_digits(p.currency);
    auto const amount = to_minor(p.amount, digits);
    if (!amount) {
      cx.problem("fare_products.txt", p.file_line, "bad_price",
                 "amount " + std::to_string(p.amount) + " is not an amount of " + std::string{p.currency});
      continue;
    }
    if (e.eligible == 0U || *amount < e.amount) {
      e.amount = *amount, e.currency = cx.str(p.currency), e.currency_digits = digits;
    }
    e.eligible = 1;
  }

  // Timeframes.
  id_map<timeframe_group_idx> groups_tf;
  std::vector<std::pair<timeframe_group_idx, fare_timeframe>> tfs;
  for (auto const& t : f.timeframes) {
    auto const g = intern(groups_tf, ft.timeframe_group_ids, cx, t.group_id);
    auto const days = service_days(tt, f, t.service_id);
    auto const offset = static_cast<std::uint32_t>(ft.timeframe_days.size());
    ft.timeframe_days.insert(ft.timeframe_days.end(), days.begin(), days.end());
    tfs.push_back({g, {.start = t.start, .end = t.end, .days = offset}});
  }
  if (!tfs.empty()) {
    std::vector<std::pair<timeframe_group_idx, fare_timeframe>> all;
    for (auto g = timeframe_group_idx{0U}; g.v() < ft.timeframes.size(); ++g) {
      for (auto const& t : ft.timeframes[g]) all.emplace_back(g, t);
    }
    all.insert(all.end(), tfs.begin(), tfs.end());
    std::stable_sort(all.begin(), all.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
    multimap<timeframe_group_idx, fare_timeframe> rebuilt;
    auto it = all.begin();
    std::vector<fare_timeframe> of_group;
    for (auto g = timeframe_group_idx{0U}; g.v() < ft.timeframe_group_ids.size(); ++g) {
      of_group.clear();
      for (; it != all.end() && it->first == g; ++it) of_group.push_back(it->second);
      rebuilt.emplace_back(of_group);
    }
    ft.timeframes = std::move(rebuilt);
  }

  // Leg rules.
  id_map<leg_group_idx> leg_groups;
  ft.feed_rule_priority[cx.feed()] = f.leg_rules_have_priority ? 1 : 0;
  auto const optional_ref = [&](auto const& m, std::string_view id, std::string_view what, std::uint32_t line,
                                std::string_view file, bool& ok) {
    using Idx = typename std::remove_cvref_t<decltype(m)>::mapped_type;
    if (id.empty()) return Idx::invalid();
    auto const i = find_id(m, id);
    if (!i.valid()) {
      cx.problem(file, line, "unknown_" + std::string{what},
                 "unknown " + std::string{what} + "_id '" + std::string{id} + "'");
      ok = false;
    }
    return i;
  };
  for (auto const& r : f.leg_rules) {
    auto ok = true;
    auto const file = std::string_view{"fare_leg_rules.txt"};
    fare_leg_rule out{
        .group = r.leg_group_id.empty() ? leg_group_idx::invalid()
                                        : intern(leg_groups, ft.leg_group_ids, cx, r.leg_group_id),
        .network = optional_ref(networks, r.network_id, "network", r.file_line, file, ok),
        .from_area = optional_ref(areas, r.from_area_id, "area", r.file_line, file, ok),
        .to_area = optional_ref(areas, r.to_area_id, "area", r.file_line, file, ok),
        .from_timeframe = optional_ref(groups_tf, r.from_timeframe_group_id, "timeframe_group", r.file_line, file, ok),
        .to_timeframe = optional_ref(groups_tf, r.to_timeframe_group_id, "timeframe_group", r.file_line, file, ok),
        .product = optional_ref(products, r.fare_product_id, "fare_product", r.file_line, file, ok),
        .priority = r.rule_priority};
    if (!ok) continue;
    ft.leg_rules.push_back(out);
    mark(ft.network_listed, out.network);
    mark(ft.from_area_listed, out.from_area);
    mark(ft.to_area_listed, out.to_area);
  }

  // Transfer rules.
  for (auto const& r : f.transfer_rules) {
    auto ok = true;
    auto const file = std::string_view{"fare_transfer_rules.txt"};
    fare_transfer_rule out{
        .from_group = optional_ref(leg_groups, r.from_leg_group_id, "leg_group", r.file_line, file, ok),
        .to_group = optional_ref(leg_groups, r.to_leg_group_id, "leg_group", r.file_line, file, ok),
        .product = optional_ref(products, r.fare_product_id, "fare_product", r.file_line, file, ok),
        .transfer_count = r.transfer_count.value_or(0),
        .duration_limit_s =
            r.duration_limit ? static_cast<std::int32_t>(std::min<std::uint32_t>(*r.duration_limit, 1U << 30)) : -1,
        .duration_limit_type = r.duration_limit_type,
        .fare_transfer_type = r.fare_transfer_type};
    if (!ok) continue;
    ft.transfer_rules.push_back(out);
    mark(ft.from_group_listed, out.from_group);
    mark(ft.to_group_listed, out.to_group);
  }
  // Flags are read by index; every leg group, network and area has one.
  ft.network_listed.resize(ft.network_ids.size(), 0);
  ft.from_area_listed.resize(ft.area_ids.size(), 0);
  ft.to_area_listed.resize(ft.area_ids.size(), 0);
  ft.from_group_listed.resize(ft.leg_group_ids.size(), 0);
  ft.to_group_listed.resize(ft.leg_group_ids.size(), 0);
}

}  // namespace nebuta::fare::detail
