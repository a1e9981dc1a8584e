#include "nebuta/rt/export.h"

namespace nebuta::rt {

feed_message export_state(state const& s, context const& ctx) {
  auto const& tt = ctx.tt();
  feed_message m;
  m.version = "2.0";
  m.timestamp = s.feed_time();
  for (auto const& ts : s.trips()) {
    if (ts.alert_only) continue;  // the alert itself is republished
    trip_update u;
    u.relationship = ts.relationship;
    u.estimated = ts.estimated;
    u.timestamp = ts.timestamp;
    u.start_date = tt.date_of(ts.day);
    auto const zone = ts.status == trip_status::added ? ctx.zone_of_line(s.added()[ts.added].line) : ctx.zone_of(ts.trip);
    auto const base = ctx.day_base_of_zone(zone, ts.day);
    if (ts.status == trip_status::added) {
      auto const& a = s.added()[ts.added];
      u.line = a.line;
      u.headsign = a.headsign;
      u.short_name = a.short_name;
      u.vehicle_id = a.vehicle_id;
      if (ts.relationship == trip_relationship::duplicated) {
        u.trip = ts.trip;
        u.new_trip_id = a.trip_id;
        u.new_start_date = u.start_date;
        u.new_start_time = s.times(ts)[0].departure;
        u.start_date.reset();
      } else if (ts.relationship == trip_relationship::replacement) {
        u.trip = ts.trip;
      } else {
        u.trip_id = a.trip_id;
      }
      u.entity_id = a.trip_id + "@" + std::to_string(ts.day.v());
    } else {
      u.trip = ts.trip;
      u.line = tt.trip_line[ts.trip];
      u.entity_id = std::string{tt.strings[tt.trip_ids[ts.trip]]} + "@" + std::to_string(ts.day.v());
      if (ts.status == trip_status::replaced) continue;  // published as its replacement
    }
    if (ts.status == trip_status::canceled || ts.status == trip_status::deleted) {
      u.relationship = ts.status == trip_status::canceled ? trip_relationship::canceled : trip_relationship::deleted;
      m.trip_updates.push_back(std::move(u));
      continue;
    }
    auto const times = s.times(ts);
    for (auto p = 0U; p < times.size(); ++p) {
      auto const& x = times[p];
      stop_time_update stu;
      stu.stop = x.stop;
      if (ts.status != trip_status::added || ts.relationship == trip_relationship::duplicated) {
        if (auto const q = ctx.sequence_at(ts.trip, p); q != no_sequence) stu.stop_sequence = q;
        if ((x.flags & stop_flags::assigned) != 0U) {
          stu.assigned_stop = x.stop;
          stu.stop = ctx.stops(ts.trip)[p];
        }
      }
      if ((x.flags & stop_flags::skipped) != 0U) {
        stu.relationship = stop_relationship::skipped;
      } else if ((x.flags & (stop_flags::arrival_rt | stop_flags::departure_rt)) == 0U) {
        stu.relationship = stop_relationship::no_data;
      } else {
        stu.arrival.time = base + x.arrival;
        stu.arrival.delay = x.arrival - x.sched_arrival;
        stu.departure.time = base + x.departure;
        stu.departure.delay = x.departure - x.sched_departure;
      }
      if ((x.flags & (stop_flags::no_pickup | stop_flags::closed)) != 0U) stu.pickup = pickup_change::no_service;
      if ((x.flags & (stop_flags::no_drop_off | stop_flags::closed)) != 0U) stu.drop_off = pickup_change::no_service;
      u.stops.push_back(stu);
    }
    m.trip_updates.push_back(std::move(u));
  }
  m.alerts.assign(s.alerts().begin(), s.alerts().end());
  m.entities = m.trip_updates.size() + m.alerts.size();
  return m;
}

}  // namespace nebuta::rt
