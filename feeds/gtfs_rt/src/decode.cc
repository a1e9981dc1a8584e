#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "gtfs-realtime.pb.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"

namespace nebuta::gtfs_rt {
namespace pb = transit_realtime;

resolver::resolver(rt::context const& ctx, feed_idx feed) : ctx_{ctx}, feed_{feed} {
  auto const& tt = ctx.tt();
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (tt.line_feed[tt.trip_line[t]] == feed) trips_[std::string{tt.strings[tt.trip_ids[t]]}].push_back(t);
  }
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_feed[s] == feed) stops_.emplace(std::string{tt.strings[tt.stop_ids[s]]}, s);
  }
  for (auto l = line_idx{0}; l.v() < tt.n_lines(); ++l) {
    if (tt.line_feed[l] == feed) lines_.emplace(std::string{tt.strings[tt.line_ids[l]]}, l);
  }
  for (auto a = agency_idx{0}; a.v() < tt.n_agencies(); ++a) {
    if (tt.agency_feed[a] == feed) agencies_.emplace(std::string{tt.strings[tt.agency_ids[a]]}, a);
  }
}

std::span<trip_idx const> resolver::trips(std::string_view id) const {
  auto const it = trips_.find(id);
  if (it == trips_.end()) return {};
  return it->second;
}
std::optional<stop_idx> resolver::stop(std::string_view id) const {
  auto const it = stops_.find(id);
  return it == stops_.end() ? std::nullopt : std::optional{it->second};
}
std::optional<line_idx> resolver::line(std::string_view id) const {
  auto const it = lines_.find(id);
  return it == lines_.end() ? std::nullopt : std::optional{it->second};
}
std::optional<agency_idx> resolver::agency(std::string_view id) const {
  auto const it = agencies_.find(id);
  return it == agencies_.end() ? std::nullopt : std::optional{it->second};
}

namespace {

// POSIX seconds from a uint64 field; absurd values (beyond year ~2^40) are none.
std::optional<rt::unix_time> posix(std::uint64_t v) {
  if (v == 0 || v > (std::uint64_t{1} << 40)) return std::nullopt;
  return static_cast<rt::unix_time>(v);
}

rt::translated_text texts(pb::TranslatedString const& s) {
  rt::translated_text out;
  for (auto const& t : s.translation()) out.push_back({t.language(), t.text()});
  return out;
}

rt::pickup_change pickup(pb::TripUpdate_StopTimeUpdate_StopTimeProperties_DropOffPickupType t) {
  return t == pb::TripUpdate_StopTimeUpdate_StopTimeProperties::NONE ? rt::pickup_change::no_service
                                                                     : rt::pickup_change::regular;
}

rt::trip_relationship relationship(pb::TripDescriptor::ScheduleRelationship r) {
  switch (r) {
    case pb::TripDescriptor::CANCELED: return rt::trip_relationship::canceled;
    case pb::TripDescriptor::DELETED: return rt::trip_relationship::deleted;
    case static_cast<pb::TripDescriptor::ScheduleRelationship>(1):  // ADDED, deprecated: read as NEW
    case pb::TripDescriptor::NEW: return rt::trip_relationship::new_trip;
    case pb::TripDescriptor::REPLACEMENT: return rt::trip_relationship::replacement;
    case pb::TripDescriptor::DUPLICATED: return rt::trip_relationship::duplicated;
    case pb::TripDescriptor::UNSCHEDULED: return rt::trip_relationship::unscheduled;
    default: return rt::trip_relationship::scheduled;
  }
}

class decoder {
 public:
  decoder(resolver const& ids, rt::feed_message& out) : ids_{ids}, tt_{ids.ctx().tt()}, out_{out} {}

  void entity(pb::FeedEntity const& e) {
    ++out_.entities;
    if (e.is_deleted()) {
      if (out_.differential) {
        out_.deleted_entities.push_back(e.id());
      } else {
        out_.skipped.add(rt::skip_reason::bad_entity);  // is_deleted belongs to DIFFERENTIAL feeds
      }
      return;
    }
    auto const any = e.has_trip_update() || e.has_vehicle() || e.has_alert();
    if (e.has_trip_update()) trip_update(e.id(), e.trip_update());
    if (e.has_vehicle()) vehicle(e.id(), e.vehicle());
    if (e.has_alert()) alert(e.id(), e.alert());
    if (!any) {
      auto const experimental = e.has_shape() || e.has_stop() || e.has_trip_modifications();
      out_.skipped.add(experimental ? rt::skip_reason::unsupported : rt::skip_reason::empty_entity);
    }
  }

 private:
  struct descriptor {
    trip_idx trip{trip_idx::invalid()};
    line_idx line{line_idx::invalid()};
    std::optional<date_t> start_date;
    std::optional<seconds_t> start_time;
    std::optional<std::uint8_t> direction;
  };

  // Dates, times and route of a TripDescriptor; false (counted) when one of them is malformed.
  bool read_descriptor(pb::TripDescriptor const& d, descriptor& out) {
    if (d.has_start_date() && !d.start_date().empty()) {
      out.start_date = civil::parse_compact_date(d.start_date());
      if (!out.start_date) return skip(rt::skip_reason::bad_time);
    }
    if (d.has_start_time() && !d.start_time().empty()) {
      auto const t = civil::parse_clock(d.start_time(), 71);
      if (!t) return skip(rt::skip_reason::bad_time);
      out.start_time = *t;
    }
    if (d.has_direction_id() && d.direction_id() <= 1) out.direction = static_cast<std::uint8_t>(d.direction_id());
    if (d.has_route_id() && !d.route_id().empty()) {
      if (auto const l = ids_.line(d.route_id())) out.line = *l;
    }
    return true;
  }

  // The static trip of a descriptor: trip_id (with start_time among frequency copies), else
  // route_id + direction_id + start_time (+ start_date), the spec's alternative matching.
  // Invalid with the reason when it names no single trip.
  std::pair<trip_idx, rt::skip_reason> resolve_trip(pb::TripDescriptor const& d, descriptor const& x) {
    auto const& ctx = ids_.ctx();
    auto const none = [](rt::skip_reason r) { return std::pair{trip_idx::invalid(), r}; };
    if (!d.trip_id().empty()) {
      auto const c = ids_.trips(d.trip_id());
      if (c.empty()) return none(rt::skip_reason::unknown_trip);
      if (c.size() == 1) return {c.front(), rt::skip_reason::bad_entity};
      if (x.start_time) {
        for (auto const t : c) {
          if (ctx.departure(t, 0) == *x.start_time) return {t, rt::skip_reason::bad_entity};
        }
      }
      return none(rt::skip_reason::ambiguous_trip);
    }
    if (x.line.valid() && x.start_time) {
      trip_idx found = trip_idx::invalid();
      for (auto const t : ctx.line_trips(x.line)) {
        if (ctx.departure(t, 0) != *x.start_time) continue;
        if (x.direction && ctx.direction_of(t) >= 0 && ctx.direction_of(t) != *x.direction) continue;
        if (x.start_date) {
          auto const day = tt_.day_of(*x.start_date);
          if (!day || !tt_.trip_active(t, day->v())) continue;
        }
        if (found.valid()) return none(rt::skip_reason::ambiguous_trip);
        found = t;
      }
      if (!found.valid()) return none(rt::skip_reason::unknown_trip);
      return {found, rt::skip_reason::bad_entity};
    }
    return none(d.has_route_id() && !d.route_id().empty() && !x.line.valid() ? rt::skip_reason::unknown_route
                                                                             : rt::skip_reason::unknown_trip);
  }

  void trip_update(std::string const& id, pb::TripUpdate const& tu) {
    rt::trip_update u;
    u.entity_id = id;
    if (!tu.has_trip()) {
      skip(rt::skip_reason::bad_entity);
      return;
    }
    auto const& d = tu.trip();
    u.relationship = relationship(d.schedule_relationship());
    u.trip_id = d.trip_id();
    descriptor x;
    if (!read_descriptor(d, x)) return;
    if (d.has_route_id() && !d.route_id().empty() && !x.line.valid() &&
        u.relationship == rt::trip_relationship::new_trip) {
      skip(rt::skip_reason::unknown_route);
      return;
    }
    if (u.relationship == rt::trip_relationship::unscheduled) {
      skip(rt::skip_reason::unsupported);
      return;
    }
    if (u.relationship != rt::trip_relationship::new_trip) {
      auto const [t, why] = resolve_trip(d, x);
      if (!t.valid()) return (void)skip(why);
      u.trip = t;
    }
    u.line = x.line.valid() ? x.line : (u.trip.valid() ? tt_.trip_line[u.trip] : line_idx::invalid());
    u.direction = x.direction;
    u.start_date = x.start_date;
    u.start_time = x.start_time;
    if (tu.has_vehicle()) u.vehicle_id = tu.vehicle().id();
    if (tu.has_timestamp()) u.timestamp = posix(tu.timestamp());
    if (tu.has_delay()) u.delay = tu.delay();
    if (tu.has_trip_properties()) {
      auto const& p = tu.trip_properties();
      u.new_trip_id = p.trip_id();
      u.headsign = p.trip_headsign();
      u.short_name = p.trip_short_name();
      if (!p.start_date().empty()) {
        u.new_start_date = civil::parse_compact_date(p.start_date());
        if (!u.new_start_date) return (void)skip(rt::skip_reason::bad_time);
      }
      if (!p.start_time().empty()) {
        auto const t = civil::parse_clock(p.start_time(), 71);
        if (!t) return (void)skip(rt::skip_reason::bad_time);
        u.new_start_time = *t;
      }
    }
    for (auto const& s : tu.stop_time_update()) {
      rt::stop_time_update x2;
      if (s.has_stop_sequence()) x2.stop_sequence = s.stop_sequence();
      if (s.has_stop_id() && !s.stop_id().empty()) {
        if (auto const st = ids_.stop(s.stop_id())) {
          x2.stop = *st;
        } else {
          out_.skipped.add(rt::skip_reason::unknown_stop);
          if (!x2.stop_sequence) continue;  // nothing left to find the stop by
        }
      }
      if (!x2.stop_sequence && !x2.stop.valid()) {
        out_.skipped.add(rt::skip_reason::bad_sequence);
        continue;
      }
      auto const event = [](pb::TripUpdate_StopTimeEvent const& e) {
        rt::stop_event out;
        if (e.has_delay()) out.delay = e.delay();
        if (e.has_time() && e.time() > 0) out.time = e.time();
        if (e.has_uncertainty()) out.uncertainty = e.uncertainty();
        return out;
      };
      if (s.has_arrival()) x2.arrival = event(s.arrival());
      if (s.has_departure()) x2.departure = event(s.departure());
      switch (s.schedule_relationship()) {
        case pb::TripUpdate_StopTimeUpdate::SKIPPED: x2.relationship = rt::stop_relationship::skipped; break;
        case pb::TripUpdate_StopTimeUpdate::NO_DATA: x2.relationship = rt::stop_relationship::no_data; break;
        case pb::TripUpdate_StopTimeUpdate::UNSCHEDULED: x2.relationship = rt::stop_relationship::unscheduled; break;
        default: x2.relationship = rt::stop_relationship::scheduled; break;
      }
      if (s.has_stop_time_properties()) {
        auto const& p = s.stop_time_properties();
        if (!p.assigned_stop_id().empty()) {
          if (auto const st = ids_.stop(p.assigned_stop_id())) {
            x2.assigned_stop = *st;
          } else {
            out_.skipped.add(rt::skip_reason::unknown_stop);
          }
        }
        if (p.has_pickup_type()) x2.pickup = pickup(p.pickup_type());
        if (p.has_drop_off_type()) x2.drop_off = pickup(p.drop_off_type());
      }
      u.stops.push_back(std::move(x2));
    }
    out_.trip_updates.push_back(std::move(u));
  }

  void vehicle(std::string const& id, pb::VehiclePosition const& vp) {
    rt::vehicle_position v;
    v.entity_id = id;
    if (vp.has_vehicle()) {
      v.vehicle_id = vp.vehicle().id();
      v.label = vp.vehicle().label();
    }
    if (vp.has_trip()) {
      descriptor x;
      if (!read_descriptor(vp.trip(), x)) return;
      // An unknown trip is not counted here: the tracker may still match the vehicle by its
      // position and counts it only when it cannot.
      v.trip_id = vp.trip().trip_id();
      v.trip = resolve_trip(vp.trip(), x).first;
      v.line = x.line.valid() ? x.line : (v.trip.valid() ? tt_.trip_line[v.trip] : line_idx::invalid());
      v.direction = x.direction;
      v.start_date = x.start_date;
      v.start_time = x.start_time;
    }
    if (vp.has_position()) {
      auto const& p = vp.position();
      auto const lat = static_cast<double>(p.latitude()), lon = static_cast<double>(p.longitude());
      if (std::isfinite(lat) && std::isfinite(lon) && std::abs(lat) <= 90.0 && std::abs(lon) <= 180.0 &&
          !(lat == 0.0 && lon == 0.0)) {
        v.position = latlon{lat, lon};
      }
      if (p.has_bearing() && std::isfinite(p.bearing())) v.bearing = p.bearing();
      if (p.has_speed() && std::isfinite(p.speed()) && p.speed() >= 0.0F) v.speed = p.speed();
    }
    if (vp.has_current_stop_sequence()) v.current_stop_sequence = vp.current_stop_sequence();
    if (!vp.stop_id().empty()) {
      if (auto const s = ids_.stop(vp.stop_id())) v.stop = *s;
    }
    switch (vp.current_status()) {
      case pb::VehiclePosition::INCOMING_AT: v.status = rt::vehicle_status::incoming_at; break;
      case pb::VehiclePosition::STOPPED_AT: v.status = rt::vehicle_status::stopped_at; break;
      default: v.status = rt::vehicle_status::in_transit_to; break;
    }
    if (vp.has_timestamp()) v.timestamp = posix(vp.timestamp());
    if (!v.position && !v.stop.valid() && !v.current_stop_sequence) {
      skip(rt::skip_reason::no_position);
      return;
    }
    out_.vehicles.push_back(std::move(v));
  }

  void alert(std::string const& id, pb::Alert const& a) {
    rt::alert x;
    x.id = id;
    for (auto const& p : a.active_period()) {
      rt::time_range r;
      if (p.has_start()) r.start = posix(p.start());
      if (p.has_end()) r.end = posix(p.end());
      x.active_periods.push_back(r);
    }
    // A selector naming an unknown id informs nothing (kept for display, counted).
    for (auto const& e : a.informed_entity()) {
      rt::informed_entity ie;
      auto const miss = [&](rt::skip_reason r) {
        ie.unresolved = true;
        out_.skipped.add(r);
      };
      if (!e.agency_id().empty()) {
        if (auto const ag = ids_.agency(e.agency_id())) ie.agency = *ag;
        else miss(rt::skip_reason::bad_entity);
      }
      if (!e.route_id().empty()) {
        if (auto const l = ids_.line(e.route_id())) ie.line = *l;
        else miss(rt::skip_reason::unknown_route);
      }
      if (e.has_route_type()) ie.route_type = static_cast<std::int16_t>(std::clamp(e.route_type(), -32768, 32767));
      if (!e.stop_id().empty()) {
        if (auto const s = ids_.stop(e.stop_id())) ie.stop = *s;
        else miss(rt::skip_reason::unknown_stop);
      }
      if (e.has_direction_id() && e.direction_id() <= 1) ie.direction = static_cast<std::uint8_t>(e.direction_id());
      if (e.has_trip()) {
        descriptor d;
        if (read_descriptor(e.trip(), d)) {
          auto const [t, why] = resolve_trip(e.trip(), d);
          ie.trip = t;
          ie.trip_start_date = d.start_date;
          if (!t.valid()) miss(why);
        } else {
          ie.unresolved = true;
        }
      }
      x.informed.push_back(ie);
    }
    x.cause = static_cast<rt::alert_cause>(a.cause());
    x.effect = static_cast<rt::alert_effect>(a.effect());
    x.severity = static_cast<rt::alert_severity>(a.severity_level());
    x.url = texts(a.url());
    x.header = texts(a.header_text());
    x.description = texts(a.description_text());
    x.tts_header = texts(a.tts_header_text());
    x.tts_description = texts(a.tts_description_text());
    x.cause_detail = texts(a.cause_detail());
    x.effect_detail = texts(a.effect_detail());
    out_.alerts.push_back(std::move(x));
  }

  bool skip(rt::skip_reason r) {
    out_.skipped.add(r);
    return false;
  }

  resolver const& ids_;
  timetable const& tt_;
  rt::feed_message& out_;
};

}  // namespace

decode_result decode(std::span<char const> bytes, resolver const& ids) {
  decode_result r;
  pb::FeedMessage m;
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !m.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    r.error = "not a GTFS-Realtime FeedMessage (protobuf wire format error)";
    return r;
  }
  if (!m.has_header()) {
    r.error = "FeedMessage without header";
    return r;
  }
  rt::feed_message out;
  out.version = m.header().gtfs_realtime_version();
  out.differential = m.header().incrementality() == pb::FeedHeader::DIFFERENTIAL;
  if (m.header().has_timestamp()) out.timestamp = posix(m.header().timestamp());
  decoder d{ids, out};
  for (auto const& e : m.entity()) d.entity(e);
  r.message = std::move(out);
  return r;
}

}  // namespace nebuta::gtfs_rt
