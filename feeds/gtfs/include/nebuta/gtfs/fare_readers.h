// Readers of the fare files: GTFS-Fares v1 (fare_attributes, fare_rules) and v2 (fare_media,
// fare_products, rider_categories, fare_leg_rules, fare_transfer_rules, timeframes, areas,
// stop_areas, networks, route_networks). Same error policy as the other tables: a bad row is
// reported as file:line, counted and skipped.
#pragma once

#include <optional>
#include <string>

#include "nebuta/gtfs/feed.h"
#include "nebuta/gtfs/source.h"
#include "nebuta/gtfs/table.h"

namespace nebuta::gtfs {
namespace detail {

inline void read_fare_attributes(table& t, feed& f) {
  auto const id = t.require("fare_id"), price = t.require("price"), currency = t.require("currency_type"),
             payment = t.require("payment_method"), transfers = t.column("transfers"),
             agency_col = t.column("agency_id"), duration = t.column("transfer_duration");
  while (t.next()) {
    fare_attribute r;
    r.line = t.line();
    r.fare_id = t[id], r.currency_type = t[currency], r.agency_id = t[agency_col];
    std::optional<double> p;
    if (!t.require_value(id, "fare_id") || !t.get_double(price, p, "price", "bad_number") ||
        !t.get_int(payment, r.payment_method, "payment_method") || !t.get_int(transfers, r.transfers, "transfers") ||
        !t.get_int(duration, r.transfer_duration, "transfer_duration")) {
      continue;
    }
    r.price = p.value_or(0.0);
    f.fare_attributes.push_back(r);
  }
}

inline void read_fare_rules(table& t, feed& f) {
  auto const id = t.require("fare_id"), route_col = t.column("route_id"), origin = t.column("origin_id"),
             destination = t.column("destination_id"), contains = t.column("contains_id");
  while (t.next()) {
    fare_rule r;
    r.line = t.line();
    r.fare_id = t[id], r.route_id = t[route_col], r.origin_id = t[origin];
    r.destination_id = t[destination], r.contains_id = t[contains];
    if (t.require_value(id, "fare_id")) f.fare_rules.push_back(r);
  }
}

inline void read_timeframes(table& t, feed& f) {
  auto const group = t.require("timeframe_group_id"), start = t.column("start_time"), end = t.column("end_time"),
             service = t.require("service_id");
  while (t.next()) {
    timeframe r;
    r.line = t.line();
    r.timeframe_group_id = t[group], r.service_id = t[service];
    if (!t.require_value(group, "timeframe_group_id") || !t.require_value(service, "service_id") ||
        !t.get_time(start, r.start_time, "start_time") || !t.get_time(end, r.end_time, "end_time")) {
      continue;
    }
    if (r.start_time.has_value() != r.end_time.has_value()) {
      t.report("bad_timeframe", "start_time and end_time must both be given or both be empty");
      continue;
    }
    if ((r.start_time && *r.start_time > 86'400) || (r.end_time && *r.end_time > 86'400)) {
      t.report("bad_timeframe", "timeframe times above 24:00:00 are forbidden");
      continue;
    }
    f.timeframes.push_back(r);
  }
}

inline void read_rider_categories(table& t, feed& f) {
  auto const id = t.require("rider_category_id"), name = t.column("rider_category_name"),
             is_default = t.column("is_default_fare_category"), url = t.column("eligibility_url");
  while (t.next()) {
    rider_category r;
    r.line = t.line();
    r.rider_category_id = t[id], r.rider_category_name = t[name], r.eligibility_url = t[url];
    if (!t.require_value(id, "rider_category_id") ||
        !t.get_int(is_default, r.is_default_fare_category, "is_default_fare_category")) {
      continue;
    }
    f.rider_categories.push_back(r);
  }
}

inline void read_fare_media(table& t, feed& f) {
  auto const id = t.require("fare_media_id"), name = t.column("fare_media_name"), type = t.require("fare_media_type");
  while (t.next()) {
    fare_media r;
    r.line = t.line();
    r.fare_media_id = t[id], r.fare_media_name = t[name];
    if (!t.require_value(id, "fare_media_id") || !t.get_int(type, r.fare_media_type, "fare_media_type", true)) {
      continue;
    }
    f.fare_medias.push_back(r);
  }
}

inline void read_fare_products(table& t, feed& f) {
  auto const id = t.require("fare_product_id"), name = t.column("fare_product_name"),
             category = t.column("rider_category_id"), media = t.column("fare_media_id"), amount = t.require("amount"),
             currency = t.require("currency");
  while (t.next()) {
    fare_product r;
    r.line = t.line();
    r.fare_product_id = t[id], r.fare_product_name = t[name], r.rider_category_id = t[category];
    r.fare_media_id = t[media], r.currency = t[currency];
    std::optional<double> a;
    if (!t.require_value(id, "fare_product_id") || !t.require_value(currency, "currency") ||
        !t.require_value(amount, "amount") || !t.get_double(amount, a, "amount", "bad_number")) {
      continue;
    }
    r.amount = *a;
    f.fare_products.push_back(r);
  }
}

inline void read_fare_leg_rules(table& t, feed& f) {
  auto const group = t.column("leg_group_id"), network = t.column("network_id"), from_area = t.column("from_area_id"),
             to_area = t.column("to_area_id"), from_tf = t.column("from_timeframe_group_id"),
             to_tf = t.column("to_timeframe_group_id"), product = t.require("fare_product_id"),
             priority = t.column("rule_priority");
  f.fare_leg_rules_have_priority = priority >= 0;
  while (t.next()) {
    fare_leg_rule r;
    r.line = t.line();
    r.leg_group_id = t[group], r.network_id = t[network], r.from_area_id = t[from_area];
    r.to_area_id = t[to_area], r.from_timeframe_group_id = t[from_tf], r.to_timeframe_group_id = t[to_tf];
    r.fare_product_id = t[product];
    if (!t.require_value(product, "fare_product_id") || !t.get_int(priority, r.rule_priority, "rule_priority")) {
      continue;
    }
    f.fare_leg_rules.push_back(r);
  }
}

inline void read_fare_transfer_rules(table& t, feed& f) {
  auto const from = t.column("from_leg_group_id"), to = t.column("to_leg_group_id"),
             product = t.column("fare_product_id"), count = t.column("transfer_count"),
             limit = t.column("duration_limit"), limit_type = t.column("duration_limit_type"),
             type = t.require("fare_transfer_type");
  while (t.next()) {
    fare_transfer_rule r;
    r.line = t.line();
    r.from_leg_group_id = t[from], r.to_leg_group_id = t[to], r.fare_product_id = t[product];
    if (!t.get_int(count, r.transfer_count, "transfer_count") || !t.get_int(limit, r.duration_limit, "duration_limit") ||
        !t.get_int(limit_type, r.duration_limit_type, "duration_limit_type") ||
        !t.get_int(type, r.fare_transfer_type, "fare_transfer_type", true)) {
      continue;
    }
    if (r.fare_transfer_type > 2 || (r.duration_limit_type && *r.duration_limit_type > 3) ||
        (r.transfer_count && (*r.transfer_count == 0 || *r.transfer_count < -1))) {
      t.report("bad_number", "fare_transfer_type, duration_limit_type or transfer_count out of range");
      continue;
    }
    if (r.duration_limit.has_value() != r.duration_limit_type.has_value()) {
      t.report("missing_value", "duration_limit and duration_limit_type go together");
      continue;
    }
    f.fare_transfer_rules.push_back(r);
  }
}

inline void read_areas(table& t, feed& f) {
  auto const id = t.require("area_id"), name = t.column("area_name");
  while (t.next()) {
    area r;
    r.line = t.line();
    r.area_id = t[id], r.area_name = t[name];
    if (t.require_value(id, "area_id")) f.areas.push_back(r);
  }
}

inline void read_stop_areas(table& t, feed& f) {
  auto const area_col = t.require("area_id"), stop_col = t.require("stop_id");
  while (t.next()) {
    stop_area r;
    r.line = t.line();
    r.area_id = t[area_col], r.stop_id = t[stop_col];
    if (t.require_value(area_col, "area_id") && t.require_value(stop_col, "stop_id")) f.stop_areas.push_back(r);
  }
}

inline void read_networks(table& t, feed& f) {
  auto const id = t.require("network_id"), name = t.column("network_name");
  while (t.next()) {
    network r;
    r.line = t.line();
    r.network_id = t[id], r.network_name = t[name];
    if (t.require_value(id, "network_id")) f.networks.push_back(r);
  }
}

inline void read_route_networks(table& t, feed& f) {
  auto const network_col = t.require("network_id"), route_col = t.require("route_id");
  while (t.next()) {
    route_network r;
    r.line = t.line();
    r.network_id = t[network_col], r.route_id = t[route_col];
    if (t.require_value(network_col, "network_id") && t.require_value(route_col, "route_id")) {
      f.route_networks.push_back(r);
    }
  }
}

inline void read_fares(feed_source const& src, feed& f) {
  read_into(src, f, "fare_attributes.txt", false, read_fare_attributes);
  read_into(src, f, "fare_rules.txt", false, read_fare_rules);
  read_into(src, f, "timeframes.txt", false, read_timeframes);
  read_into(src, f, "rider_categories.txt", false, read_rider_categories);
  read_into(src, f, "fare_media.txt", false, read_fare_media);
  read_into(src, f, "fare_products.txt", false, read_fare_products);
  read_into(src, f, "fare_leg_rules.txt", false, read_fare_leg_rules);
  read_into(src, f, "fare_transfer_rules.txt", false, read_fare_transfer_rules);
  read_into(src, f, "areas.txt", false, read_areas);
  read_into(src, f, "stop_areas.txt", false, read_stop_areas);
  read_into(src, f, "networks.txt", false, read_networks);
  read_into(src, f, "route_networks.txt", false, read_route_networks);
}

}  // namespace detail
}  // namespace nebuta::gtfs
