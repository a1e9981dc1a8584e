#include <algorithm>

#include "gtfs-realtime.pb.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"

namespace nebuta::gtfs_rt {
namespace pb = transit_realtime;
namespace {

std::string compact_date(date_t d) {
  auto s = civil::format_date(d);
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

pb::TripDescriptor::ScheduleRelationship relationship(rt::trip_relationship r) {
  switch (r) {
    case rt::trip_relationship::canceled: return pb::TripDescriptor::CANCELED;
    case rt::trip_relationship::deleted: return pb::TripDescriptor::DELETED;
    case rt::trip_relationship::new_trip: return pb::TripDescriptor::NEW;
    case rt::trip_relationship::replacement: return pb::TripDescriptor::REPLACEMENT;
    case rt::trip_relationship::duplicated: return pb::TripDescriptor::DUPLICATED;
    case rt::trip_relationship::unscheduled: return pb::TripDescriptor::UNSCHEDULED;
    default: return pb::TripDescriptor::SCHEDULED;
  }
}

void texts(rt::translated_text const& in, pb::TranslatedString* out) {
  for (auto const& t : in) {
    auto* x = out->add_translation();
    x->set_text(t.text);
    if (!t.language.empty()) x->set_language(t.language);
  }
}

class encoder {
 public:
  explicit encoder(timetable const& tt) : tt_{tt} {}

  void descriptor(trip_idx trip, std::string const& trip_id, line_idx line, std::optional<std::uint8_t> direction,
                  std::optional<date_t> start_date, std::optional<seconds_t> start_time, pb::TripDescriptor* d) const {
    if (trip.valid()) {
      d->set_trip_id(std::string{tt_.strings[tt_.trip_ids[trip]]});
    } else if (!trip_id.empty()) {
      d->set_trip_id(trip_id);
    }
    if (line.valid()) d->set_route_id(std::string{tt_.strings[tt_.line_ids[line]]});
    if (direction) d->set_direction_id(*direction);
    if (start_date) d->set_start_date(compact_date(*start_date));
    if (start_time) d->set_start_time(civil::format_clock(*start_time));
  }

  void trip_update(rt::trip_update const& u, pb::TripUpdate* out) const {
    auto* d = out->mutable_trip();
    descriptor(u.relationship == rt::trip_relationship::new_trip ? trip_idx::invalid() : u.trip, u.trip_id, u.line,
               u.direction, u.start_date, u.start_time, d);
    d->set_schedule_relationship(relationship(u.relationship));
    if (!u.vehicle_id.empty()) out->mutable_vehicle()->set_id(u.vehicle_id);
    if (u.timestamp) out->set_timestamp(static_cast<std::uint64_t>(*u.timestamp));
    if (u.delay) out->set_delay(*u.delay);
    if (!u.new_trip_id.empty() || u.new_start_date || u.new_start_time || !u.headsign.empty() || !u.short_name.empty()) {
      auto* p = out->mutable_trip_properties();
      if (!u.new_trip_id.empty()) p->set_trip_id(u.new_trip_id);
      if (u.new_start_date) p->set_start_date(compact_date(*u.new_start_date));
      if (u.new_start_time) p->set_start_time(civil::format_clock(*u.new_start_time));
      if (!u.headsign.empty()) p->set_trip_headsign(u.headsign);
      if (!u.short_name.empty()) p->set_trip_short_name(u.short_name);
    }
    for (auto const& s : u.stops) {
      auto* x = out->add_stop_time_update();
      if (s.stop_sequence) x->set_stop_sequence(*s.stop_sequence);
      if (s.stop.valid()) x->set_stop_id(std::string{tt_.strings[tt_.stop_ids[s.stop]]});
      auto const event = [](rt::stop_event const& e, pb::TripUpdate_StopTimeEvent* o) {
        if (e.delay) o->set_delay(*e.delay);
        if (e.time) o->set_time(*e.time);
        if (e.uncertainty) o->set_uncertainty(*e.uncertainty);
      };
      if (s.arrival.given()) event(s.arrival, x->mutable_arrival());
      if (s.departure.given()) event(s.departure, x->mutable_departure());
      switch (s.relationship) {
        case rt::stop_relationship::skipped:
          x->set_schedule_relationship(pb::TripUpdate_StopTimeUpdate::SKIPPED);
          break;
        case rt::stop_relationship::no_data:
          x->set_schedule_relationship(pb::TripUpdate_StopTimeUpdate::NO_DATA);
          break;
        case rt::stop_relationship::unscheduled:
          x->set_schedule_relationship(pb::TripUpdate_StopTimeUpdate::UNSCHEDULED);
          break;
        default: break;
      }
      if (s.assigned_stop.valid() || s.pickup != rt::pickup_change::none || s.drop_off != rt::pickup_change::none) {
        auto* p = x->mutable_stop_time_properties();
        if (s.assigned_stop.valid()) p->set_assigned_stop_id(std::string{tt_.strings[tt_.stop_ids[s.assigned_stop]]});
        auto const pick = [](rt::pickup_change c) {
          return c == rt::pickup_change::no_service ? pb::TripUpdate_StopTimeUpdate_StopTimeProperties::NONE
                                                    : pb::TripUpdate_StopTimeUpdate_StopTimeProperties::REGULAR;
        };
        if (s.pickup != rt::pickup_change::none) p->set_pickup_type(pick(s.pickup));
        if (s.drop_off != rt::pickup_change::none) p->set_drop_off_type(pick(s.drop_off));
      }
    }
  }

  void vehicle(rt::vehicle_position const& v, pb::VehiclePosition* out) const {
    if (v.trip.valid() || !v.trip_id.empty() || v.line.valid()) {
      descriptor(v.trip, v.trip_id, v.line, v.direction, v.start_date, v.start_time, out->mutable_trip());
    }
    if (!v.vehicle_id.empty() || !v.label.empty()) {
      auto* d = out->mutable_vehicle();
      if (!v.vehicle_id.empty()) d->set_id(v.vehicle_id);
      if (!v.label.empty()) d->set_label(v.label);
    }
    if (v.position) {
      auto* p = out->mutable_position();
      p->set_latitude(static_cast<float>(v.position->lat));
      p->set_longitude(static_cast<float>(v.position->lon));
      if (v.bearing) p->set_bearing(*v.bearing);
      if (v.speed) p->set_speed(*v.speed);
    }
    if (v.current_stop_sequence) out->set_current_stop_sequence(*v.current_stop_sequence);
    if (v.stop.valid()) out->set_stop_id(std::string{tt_.strings[tt_.stop_ids[v.stop]]});
    switch (v.status) {
      case rt::vehicle_status::incoming_at: out->set_current_status(pb::VehiclePosition::INCOMING_AT); break;
      case rt::vehicle_status::stopped_at: out->set_current_status(pb::VehiclePosition::STOPPED_AT); break;
      default: out->set_current_status(pb::VehiclePosition::IN_TRANSIT_TO); break;
    }
    if (v.timestamp) out->set_timestamp(static_cast<std::uint64_t>(*v.timestamp));
  }

  void alert(rt::alert const& a, pb::Alert* out) const {
    for (auto const& p : a.active_periods) {
      auto* r = out->add_active_period();
      if (p.start) r->set_start(static_cast<std::uint64_t>(*p.start));
      if (p.end) r->set_end(static_cast<std::uint64_t>(*p.end));
    }
    for (auto const& e : a.informed) {
      if (e.unresolved) continue;
      auto* s = out->add_informed_entity();
      if (e.agency.valid()) s->set_agency_id(std::string{tt_.strings[tt_.agency_ids[e.agency]]});
      if (e.line.valid()) s->set_route_id(std::string{tt_.strings[tt_.line_ids[e.line]]});
      if (e.route_type) s->set_route_type(*e.route_type);
      if (e.stop.valid()) s->set_stop_id(std::string{tt_.strings[tt_.stop_ids[e.stop]]});
      if (e.direction) s->set_direction_id(*e.direction);
      if (e.trip.valid()) descriptor(e.trip, {}, line_idx::invalid(), {}, e.trip_start_date, {}, s->mutable_trip());
    }
    out->set_cause(static_cast<pb::Alert::Cause>(a.cause));
    out->set_effect(static_cast<pb::Alert::Effect>(a.effect));
    out->set_severity_level(static_cast<pb::Alert::SeverityLevel>(a.severity));
    if (!a.url.empty()) texts(a.url, out->mutable_url());
    if (!a.header.empty()) texts(a.header, out->mutable_header_text());
    if (!a.description.empty()) texts(a.description, out->mutable_description_text());
    if (!a.tts_header.empty()) texts(a.tts_header, out->mutable_tts_header_text());
    if (!a.tts_description.empty()) texts(a.tts_description, out->mutable_tts_description_text());
    if (!a.cause_detail.empty()) texts(a.cause_detail, out->mutable_cause_detail());
    if (!a.effect_detail.empty()) texts(a.effect_detail, out->mutable_effect_detail());
  }

 private:
  timetable const& tt_;
};

}  // namespace

std::string encode(rt::feed_message const& m, timetable const& tt) {
  pb::FeedMessage out;
  auto* h = out.mutable_header();
  h->set_gtfs_realtime_version(m.version.empty() ? "2.0" : m.version);
  h->set_incrementality(m.differential ? pb::FeedHeader::DIFFERENTIAL : pb::FeedHeader::FULL_DATASET);
  if (m.timestamp) h->set_timestamp(static_cast<std::uint64_t>(*m.timestamp));
  encoder e{tt};
  for (auto const& u : m.trip_updates) {
    auto* x = out.add_entity();
    x->set_id(u.entity_id);
    e.trip_update(u, x->mutable_trip_update());
  }
  for (auto const& v : m.vehicles) {
    auto* x = out.add_entity();
    x->set_id(v.entity_id);
    e.vehicle(v, x->mutable_vehicle());
  }
  for (auto const& a : m.alerts) {
    auto* x = out.add_entity();
    x->set_id(a.id);
    e.alert(a, x->mutable_alert());
  }
  for (auto const& id : m.deleted_entities) {
    auto* x = out.add_entity();
    x->set_id(id);
    x->set_is_deleted(true);
  }
  return out.SerializeAsString();
}

}  // namespace nebuta::gtfs_rt
