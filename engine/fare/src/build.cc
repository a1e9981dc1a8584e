#include <algorithm>
#include <cmath>
#include <tuple>

#include "build_context.h"

namespace nebuta::fare {
namespace detail {

std::optional<std::int64_t> to_minor(double amount, std::uint8_t digits) {
  if (!std::isfinite(amount) || std::fabs(amount) > 1e12) return std::nullopt;
  auto const scaled = amount * std::pow(10.0, digits);
  auto const rounded = std::llround(scaled);
  if (std::fabs(scaled - static_cast<double>(rounded)) > 1e-6 * std::max(1.0, std::fabs(scaled))) return std::nullopt;
  return rounded;
}

namespace {

// A fare_rules row resolved to indices.
struct resolved_rule {
  fare_idx fare;
  line_idx line;  // invalid: any route
  zone_idx origin, destination, contains;
};

}  // namespace

void build_v1(context& cx, feed const& f) {
  auto& tt = cx.tt();
  auto& ft = tt.fares;

  // Zones: the feed's stops.zone_id values; rules may name zones no stop has (they never match).
  id_map<zone_idx> zones;
  auto const zone = [&](std::string_view id) {
    auto const [it, inserted] = zones.emplace(std::string{id}, ft.zone_ids.next_idx());
    if (inserted) ft.zone_ids.push_back(cx.str(id));
    return it->second;
  };
  for (auto const& z : f.stop_zones) {
    if (z.zone_id.empty()) continue;
    auto const s = cx.stop(z.stop_id);
    if (!s.valid()) continue;  // the timetable builder reported it
    if (ft.stop_zone.empty()) ft.stop_zone.resize(tt.n_stops(), zone_idx::invalid());
    ft.stop_zone[s] = zone(z.zone_id);
  }

  id_map<fare_idx> fares;
  for (auto const& a : f.attributes) {
    if (fares.contains(std::string{a.fare_id})) {
      cx.problem("fare_attributes.txt", a.file_line, "duplicate_id",
                 "duplicate fare_id '" + std::string{a.fare_id} + "'");
      continue;
    }
    auto agency = agency_idx::invalid();
    if (!a.agency_id.empty()) {
      agency = cx.agency(a.agency_id);
      if (!agency.valid()) {
        cx.problem("fare_attributes.txt", a.file_line, "unknown_agency",
                   "unknown agency_id '" + std::string{a.agency_id} + "'; fare skipped");
        continue;
      }
    }
    auto const digits = currency_digits(a.currency);
    auto const price = to_minor(a.price, digits);
    if (!price || *price < 0) {
      cx.problem("fare_attributes.txt", a.file_line, "bad_price",
                 "price " + std::to_string(a.price) + " is not a non-negative amount of " + std::string{a.currency});
      continue;
    }
    fares.emplace(std::string{a.fare_id}, ft.v1_fares.next_idx());
    ft.v1_fares.push_back(
        {.id = cx.str(a.fare_id),
         .currency = cx.str(a.currency),
         .price = *price,
         .agency = agency,
         .transfer_duration_s =
             a.transfer_duration ? static_cast<std::int32_t>(std::min<std::uint32_t>(*a.transfer_duration, 1U << 30)) : -1,
         .feed = cx.feed(),
         .transfers = a.transfers ? std::min<std::uint8_t>(*a.transfers, unlimited_transfers - 1) : unlimited_transfers,
         .currency_digits = digits});
  }

  // A feed without fare_rules: every fare applies to every ride (the spec's examples 1 to 3 and 5).
  if (f.rules.empty()) {
    for (auto const& [id, fi] : fares) ft.v1_unruled.push_back(fi);
    std::sort(ft.v1_unruled.begin(), ft.v1_unruled.end());
    return;
  }

  std::vector<resolved_rule> rows;
  rows.reserve(f.rules.size());
  std::vector<std::uint8_t> used(ft.v1_fares.size(), 0);
  for (auto const& r : f.rules) {
    auto const fi = find_id(fares, r.fare_id);
    if (!fi.valid()) {
      cx.problem("fare_rules.txt", r.file_line, "unknown_fare", "unknown fare_id '" + std::string{r.fare_id} + "'");
      continue;
    }
    auto line = line_idx::invalid();
    if (!r.route_id.empty()) {
      line = cx.line(r.route_id);
      if (!line.valid()) {
        cx.problem("fare_rules.txt", r.file_line, "unknown_route", "unknown route_id '" + std::string{r.route_id} + "'");
        continue;
      }
    }
    auto const opt_zone = [&](std::string_view id) { return id.empty() ? zone_idx::invalid() : zone(id); };
    rows.push_back({fi, line, opt_zone(r.origin_id), opt_zone(r.destination_id), opt_zone(r.contains_id)});
    used[fi.v()] = 1;
  }
  for (auto const& a : f.attributes) {
    auto const fi = find_id(fares, a.fare_id);
    if (fi.valid() && fi.v() < used.size() && used[fi.v()] == 0U) {
      cx.problem("fare_attributes.txt", a.file_line, "unused_fare",
                 "fare_id '" + std::string{a.fare_id} + "' has no fare_rules row; it applies to no ride");
    }
  }

  // Rows that differ only in contains_id form one contains set (all its zones must be passed);
  // a row without contains_id is a condition of its own.
  std::sort(rows.begin(), rows.end(), [](auto const& a, auto const& b) {
    return std::tie(a.fare, a.line, a.origin, a.destination, a.contains) <
           std::tie(b.fare, b.line, b.origin, b.destination, b.contains);
  });
  struct condition {
    fare_idx fare;
    zone_idx origin, destination;
    std::vector<zone_idx> contains;
    line_idx line;
  };
  std::vector<condition> conditions;
  for (auto i = 0U; i < rows.size();) {
    auto j = i;
    std::vector<zone_idx> contains;
    auto plain = false;
    for (; j < rows.size() && std::tie(rows[j].fare, rows[j].line, rows[j].origin, rows[j].destination) ==
                                  std::tie(rows[i].fare, rows[i].line, rows[i].origin, rows[i].destination);
         ++j) {
      if (rows[j].contains.valid()) {
        if (contains.empty() || contains.back() != rows[j].contains) contains.push_back(rows[j].contains);
      } else {
        plain = true;
      }
    }
    if (plain) conditions.push_back({rows[i].fare, rows[i].origin, rows[i].destination, {}, rows[i].line});
    if (!contains.empty()) {
      conditions.push_back({rows[i].fare, rows[i].origin, rows[i].destination, std::move(contains), rows[i].line});
    }
    i = j;
  }

  // Conditions that differ only in the route are one rule with a set of lines.
  std::sort(conditions.begin(), conditions.end(), [](auto const& a, auto const& b) {
    return std::tie(a.origin, a.destination, a.fare, a.contains, a.line) <
           std::tie(b.origin, b.destination, b.fare, b.contains, b.line);
  });
  for (auto i = 0U; i < conditions.size();) {
    auto const& c = conditions[i];
    fare_v1_rule out{.origin = c.origin,
                     .destination = c.destination,
                     .fare = c.fare,
                     .contains_begin = static_cast<std::uint32_t>(ft.v1_contains.size()),
                     .contains_end = 0,
                     .lines_begin = static_cast<std::uint32_t>(ft.v1_rule_lines.size()),
                     .lines_end = 0};
    ft.v1_contains.insert(ft.v1_contains.end(), c.contains.begin(), c.contains.end());
    out.contains_end = static_cast<std::uint32_t>(ft.v1_contains.size());
    if (!c.contains.empty()) ft.v1_uses_contains = 1;
    auto j = i;
    auto any_line = false;
    for (; j < conditions.size() &&
           std::tie(conditions[j].origin, conditions[j].destination, conditions[j].fare, conditions[j].contains) ==
               std::tie(c.origin, c.destination, c.fare, c.contains);
         ++j) {
      if (!conditions[j].line.valid()) any_line = true;
      ft.v1_rule_lines.push_back(conditions[j].line);
    }
    // Lines are sorted with invalid() last; a row without route_id makes the rule route-free.
    if (any_line) ft.v1_rule_lines.resize(out.lines_begin);
    out.lines_end = static_cast<std::uint32_t>(ft.v1_rule_lines.size());
    ft.v1_rules.push_back(out);
    i = j;
  }
}

}  // namespace detail

std::uint8_t currency_digits(std::string_view code) {
  // ISO 4217 currencies whose minor unit is not 2 digits.
  static constexpr std::string_view zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                              "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::string_view three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (std::find(std::begin(zero), std::end(zero), code) != std::end(zero)) return 0;
  if (std::find(std::begin(three), std::end(three), code) != std::end(three)) return 3;
  return 2;
}

void build(timetable& tt, std::vector<feed> const& feeds, build::problem_sink const& report) {
  tt.fares = {};
  detail::context cx{tt, report};
  auto& ft = tt.fares;
  ft.feed_system.resize(tt.n_feeds(), static_cast<std::uint8_t>(fare_system::none));
  ft.feed_rule_priority.resize(tt.n_feeds(), 0);
  ft.feed_leg_rules.push_back(0);
  ft.feed_transfer_rules.push_back(0);
  for (auto i = 0U; i < tt.n_feeds(); ++i) {
    auto const fi = feed_idx{i};
    auto const* f = i < feeds.size() && tt.strings[tt.feed_names[fi]] == feeds[i].name ? &feeds[i] : nullptr;
    if (f != nullptr) {
      cx.begin_feed(fi, f->name);
      auto const n_fares = ft.v1_fares.size();
      detail::build_v1(cx, *f);
      detail::build_v2(cx, *f);
      if (ft.leg_rules.size() > ft.feed_leg_rules.back()) {
        ft.feed_system[fi] = static_cast<std::uint8_t>(fare_system::v2);
      } else if (ft.v1_fares.size() > n_fares) {
        ft.feed_system[fi] = static_cast<std::uint8_t>(fare_system::v1);
      }
    }
    ft.feed_leg_rules.push_back(static_cast<std::uint32_t>(ft.leg_rules.size()));
    ft.feed_transfer_rules.push_back(static_cast<std::uint32_t>(ft.transfer_rules.size()));
  }
  std::sort(ft.v1_unruled.begin(), ft.v1_unruled.end());
  for (auto const& fa : ft.v1_fares) ft.v1_max_transfers = std::max<std::uint32_t>(ft.v1_max_transfers, fa.transfers);
  // Per feed, v1 rules were appended sorted; the lookup needs them sorted across feeds.
  std::stable_sort(ft.v1_rules.begin(), ft.v1_rules.end(), [](auto const& a, auto const& b) {
    return std::tie(a.origin, a.destination, a.fare) < std::tie(b.origin, b.destination, b.fare);
  });
  cx.publish_counts();
}

}  // namespace nebuta::fare
