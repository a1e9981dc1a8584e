#include "nebuta/rt/store.h"

#include <chrono>

namespace nebuta::rt {

store::store(context const& ctx, build_options bopt, tracker_options topt)
    : ctx_{ctx}, bopt_{bopt}, topt_{topt}, current_{std::make_shared<state const>()} {}

std::uint16_t store::add_source(std::string name) {
  std::lock_guard const lock{mutex_};
  auto& s = sources_.emplace_back();
  s.status.name = std::move(name);
  s.tracker = std::make_unique<vehicle_tracker>(ctx_, topt_);
  return static_cast<std::uint16_t>(sources_.size() - 1);
}

void store::refused(std::uint16_t src, std::string const& why) {
  std::lock_guard const lock{mutex_};
  if (src >= sources_.size()) return;
  ++sources_[src].status.refused;
  sources_[src].last_error = why;
}

void store::confirm(std::uint16_t src, unix_time now) {
  std::lock_guard const lock{mutex_};
  if (src >= sources_.size()) return;
  auto& s = sources_[src].status;
  if (!s.expired && s.messages > 0) s.applied_at = now;
}

store::apply_result store::apply(std::uint16_t src, feed_message msg, unix_time now) {
  auto const start = std::chrono::steady_clock::now();
  std::lock_guard const lock{mutex_};
  if (src >= sources_.size()) return {false, "unknown source"};
  auto& s = sources_[src];
  if (msg.timestamp && s.status.feed_time && *msg.timestamp < *s.status.feed_time) {
    ++s.status.refused;
    s.status.skipped_total.add(skip_reason::stale_timestamp);
    return {false, "older than the last applied message"};
  }
  s.status.skipped = msg.skipped;
  s.status.entities = msg.entities;
  if (!msg.differential) {
    s.trip_updates.clear();
    s.alerts.clear();
  }
  for (auto const& id : msg.deleted_entities) {
    s.trip_updates.erase(id);
    s.alerts.erase(id);
  }
  for (auto& u : msg.trip_updates) {
    auto const id = u.entity_id;
    if (!s.trip_updates.emplace(id, std::move(u)).second)
      s.status.skipped.add(skip_reason::bad_entity);  // duplicate id
  }
  for (auto& a : msg.alerts) {
    auto const id = a.id;
    if (!s.alerts.emplace(id, std::move(a)).second) s.status.skipped.add(skip_reason::bad_entity);
  }
  if (!msg.vehicles.empty() || msg.timestamp) {
    s.tracker->update(msg.vehicles, msg.timestamp, s.status.skipped);
    s.estimates = s.tracker->estimates(msg.timestamp.value_or(now));
  }
  if (msg.timestamp) s.status.feed_time = msg.timestamp;
  s.status.applied_at = now;
  s.status.expired = false;
  ++s.status.messages;
  s.status.trip_updates = s.trip_updates.size();
  s.status.vehicles = msg.vehicles.size();
  s.status.alerts = s.alerts.size();
  s.status.matched_vehicles = s.tracker->matched(msg.timestamp.value_or(now));
  publish(now);
  s.status.skipped_total += s.status.skipped;
  s.status.apply_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return {true, {}};
}

bool store::expire(unix_time now, std::int64_t max_age_s) {
  if (max_age_s <= 0) return false;
  std::lock_guard const lock{mutex_};
  auto changed = false;
  for (auto& s : sources_) {
    if (s.status.expired || s.status.messages == 0) continue;
    auto const age = now - s.status.applied_at;
    if (age <= max_age_s) continue;
    s.status.expired = true;
    s.trip_updates.clear();
    s.alerts.clear();
    s.estimates.clear();
    changed = true;
  }
  if (changed) publish(now);
  return changed;
}

void store::publish(unix_time now) {
  build_input in;
  in.now = now;
  for (auto i = 0U; i < sources_.size(); ++i) {
    auto const& s = sources_[i];
    if (s.status.expired) continue;
    auto const src = static_cast<std::uint16_t>(i);
    for (auto const& [id, u] : s.trip_updates) in.trip_updates.push_back({&u, src, s.status.feed_time});
    for (auto const& u : s.estimates) in.trip_updates.push_back({&u, src, s.status.feed_time});
    for (auto const& [id, a] : s.alerts) in.alerts.push_back(&a);
    if (s.status.feed_time && (!in.feed_time || *s.status.feed_time > *in.feed_time)) in.feed_time = s.status.feed_time;
  }
  auto next = build_state(ctx_, in, bopt_);  // the work, with no lock readers take
  {
    std::lock_guard const lock{current_mutex_};
    current_.swap(next);
  }
  version_.fetch_add(1, std::memory_order_acq_rel);
  // `next` (the previous state) is released here, after the lock, unless a query still holds it.
}

std::vector<source_status> store::sources() const {
  std::lock_guard const lock{mutex_};
  std::vector<source_status> out;
  for (auto const& s : sources_) out.push_back(s.status);
  return out;
}

}  // namespace nebuta::rt
