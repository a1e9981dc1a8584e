// The realtime resources (docs/realtime.md): GET /v1/alerts, POST /v1/rt/{source} (operator
// token), GET /v1/gtfs-rt/trip-updates and /v1/gtfs-rt/alerts (the merged state republished).
#include <array>
#include <string>

#include "drt_token.h"
#include "gtfs-realtime.pb.h"
#include "nebuta/api_server/realtime.h"
#include "nebuta/core/time_zone.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/export.h"
#include "nebuta/v1/realtime.pb.h"
#include "routes.h"

namespace nebuta::api_server {

namespace {

// The instant of `at` (ISO 8601, with or without offset: then in the timetable's first zone),
// else now.
rt::unix_time request_time(realtime const& rt, call const& c) {
  auto const* at = c.param("at");
  if (at == nullptr) return rt.now();
  auto const iso = civil::parse_iso_datetime(*at);
  if (!iso) throw api_error{400, "invalid_time.instant", {"at", at->substr(0, 100)}};
  return iso->utc_offset ? civil::to_unix(iso->day, iso->seconds, *iso->utc_offset)
                         : rt.context().zone(0).local_to_unix(iso->day, iso->seconds);
}

// GET /v1/alerts?stop=&route=&trip=&at=&all=
http_response alerts(realtime_api& r, call& c) {
  auto const state = r.state;
  auto const at = request_time(r.rt, c);
  auto const all = c.param_bool("all");
  auto stop = stop_idx::invalid();
  auto line = line_idx::invalid();
  auto trip = trip_idx::invalid();
  if (auto const* id = c.param("stop")) {
    auto const s = r.rt.find_stop(*id);
    if (!s) throw api_error{404, "unknown_stop", {id->substr(0, 100)}};
    stop = *s;
  }
  if (auto const* id = c.param("route")) {
    auto const l = r.rt.find_line(*id);
    if (!l) throw api_error{404, "unknown_route", {id->substr(0, 100)}};
    line = *l;
  }
  if (auto const* id = c.param("trip")) {
    auto const t = r.rt.find_trips(*id);
    if (t.empty()) throw api_error{404, "unknown_trip", {id->substr(0, 100)}};
    trip = t.front();
    if (!line.valid()) line = r.rt.context().tt().trip_line[trip];
  }
  auto const filtered = stop.valid() || line.valid() || trip.valid();
  std::vector<std::uint32_t> which;
  if (filtered) {
    which = state->alerts_for(r.rt.context().tt(), stop, line, trip, all ? std::nullopt : std::optional{at});
  } else {
    for (auto i = 0U; i < state->alerts().size(); ++i) {
      if (all || state->alerts()[i].active_at(at)) which.push_back(i);
    }
  }
  v1::AlertsResponse out;
  for (auto const i : which) {
    api_service::fill_alert(*out.add_alerts(), state->alerts()[i], r.rt.context().tt(), r.rt.context().zone(0), c.chain,
                            at);
  }
  if (auto const ft = state->feed_time()) out.set_feed_time(r.rt.context().zone(0).iso(*ft));
  return message_response(out, c.fmt);
}

// POST /v1/rt/{source}: a FeedMessage (binary protobuf) for the source, with the operator token.
http_response push(realtime_api& r, call& c) {
  require_operator_token(c, r.rt.options().operator_token);
  auto const src = r.rt.find_source(c.seg[2]);
  if (src < 0) throw api_error{404, "unknown_rt_source", {c.seg[2].substr(0, 100)}};
  auto const ct = c.req.content_type.substr(0, c.req.content_type.find(';'));
  if (ct != protobuf_type && ct != "application/protobuf" && ct != "application/octet-stream" &&
      ct != "application/x-google-protobuf") {
    throw api_error{415, "unsupported_media_type", {c.req.content_type.substr(0, 100)}};
  }
  if (c.req.body.size() > r.rt.options().max_bytes) {
    throw api_error{413, "body_too_large", {std::to_string(r.rt.options().max_bytes)}};
  }
  auto const res = r.rt.push(src, c.req.body);
  if (!res.decoded) throw api_error{400, "malformed_body.gtfs_rt", {res.error.substr(0, 200)}};
  v1::RealtimePushResponse out;
  out.set_source(c.seg[2]);
  out.set_applied(res.applied);
  out.set_error(res.error);
  out.set_entities(res.entities);
  for (auto i = 0U; i < rt::n_skip_reasons; ++i) {
    if (res.skipped.n[i] != 0) (*out.mutable_skipped())[std::string{rt::skip_reason_names[i]}] = res.skipped.n[i];
  }
  return message_response(out, c.fmt, res.applied ? 200 : 409);
}

// GET /v1/gtfs-rt/trip-updates and /v1/gtfs-rt/alerts: binary GTFS-RT unless JSON is preferred.
http_response republish(realtime_api& r, call& c) {
  auto const bytes = r.rt.republished(r.state, c.seg[2] == "alerts");
  if (c.fmt == format::protobuf) return {200, "application/x-protobuf", *bytes, {}, {}};
  transit_realtime::FeedMessage m;
  if (!m.ParseFromString(*bytes)) throw std::runtime_error{"the republished feed does not parse"};
  return gtfs_rt_json_response(m);
}

constexpr std::array<route<realtime_api>, 4> table{{
    {"/v1/alerts", "GET", "stop route trip at all", endpoint::alerts, alerts},
    {"/v1/rt/{}", "POST", "", endpoint::rt_push, push},
    {"/v1/gtfs-rt/trip-updates", "GET", "", endpoint::gtfs_rt, republish, false, answers::protobuf},
    {"/v1/gtfs-rt/alerts", "GET", "", endpoint::gtfs_rt, republish, false, answers::protobuf},
}};

}  // namespace

std::span<route<realtime_api> const> realtime_routes() { return table; }

}  // namespace nebuta::api_server
