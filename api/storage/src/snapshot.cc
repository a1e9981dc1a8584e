#include "nebuta/storage/snapshot.h"

#include <bit>
#include <cstring>

#include "nebuta/storage/journal.h"

namespace nebuta::storage {

namespace {

namespace d = nebuta::dispatch;

constexpr std::string_view magic = "NEBUTA-SNAPSHOT\n";

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (auto const c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class writer {
 public:
  std::string out;

  template <typename Int>
  void put(Int v) {
    auto u = static_cast<std::make_unsigned_t<Int>>(v);
    for (std::size_t i = 0; i < sizeof(Int); ++i) {
      out += static_cast<char>(u & 0xffU);
      u = static_cast<decltype(u)>(u >> 8U);
    }
  }
  void f64(double x) { put(std::bit_cast<std::uint64_t>(x)); }
  void str(std::string_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    out += s;
  }
  void point(latlon p) {
    f64(p.lat);
    f64(p.lon);
  }
  void snapped(road::snapped_point const& p) {
    point(p.coord);
    put(p.node);
    put(p.offset_s);
    put(static_cast<std::uint8_t>(p.valid ? 1 : 0));
  }
};

class reader {
 public:
  explicit reader(std::string_view in) : in_{in} {}

  template <typename Int>
  Int get() {
    need(sizeof(Int));
    std::make_unsigned_t<Int> u = 0;
    for (std::size_t i = 0; i < sizeof(Int); ++i) {
      u = static_cast<decltype(u)>(u | (static_cast<decltype(u)>(static_cast<unsigned char>(in_[pos_ + i])) << (8U * i)));
    }
    pos_ += sizeof(Int);
    return static_cast<Int>(u);
  }
  double f64() { return std::bit_cast<double>(get<std::uint64_t>()); }
  std::string str() {
    auto const n = get<std::uint32_t>();
    need(n);
    std::string s{in_.substr(pos_, n)};
    pos_ += n;
    return s;
  }
  latlon point() {
    auto const lat = f64();
    return {lat, f64()};
  }
  road::snapped_point snapped() {
    road::snapped_point p;
    p.coord = point();
    p.node = get<std::uint32_t>();
    p.offset_s = get<std::int32_t>();
    p.valid = flag();
    return p;
  }
  bool flag() {
    auto const b = get<std::uint8_t>();
    if (b > 1) throw journal_error{"snapshot: bad flag"};
    return b == 1;
  }
  template <typename Enum>
  Enum enumeration(Enum last) {
    auto const v = get<std::uint8_t>();
    if (v > static_cast<std::uint8_t>(last)) throw journal_error{"snapshot: bad enum value " + std::to_string(v)};
    return static_cast<Enum>(v);
  }
  // A count of things that take at least `min_bytes` each (so a corrupt count cannot allocate much).
  std::size_t count(std::size_t min_bytes) {
    auto const n = get<std::uint32_t>();
    if (static_cast<std::size_t>(n) * min_bytes > in_.size() - pos_) throw journal_error{"snapshot: truncated"};
    return n;
  }
  std::size_t pos() const { return pos_; }

 private:
  void need(std::size_t n) const {
    if (n > in_.size() - pos_) throw journal_error{"snapshot: truncated"};
  }
  std::string_view in_;
  std::size_t pos_{0};
};

void put_vehicle(writer& w, d::vehicle_state const& v) {
  w.str(v.spec.name);
  w.put(v.spec.seats);
  w.put(v.spec.wheelchairs);
  w.point(v.spec.depot);
  w.put(v.spec.shift_start);
  w.put(v.spec.shift_end);
  w.snapped(v.depot);
  w.snapped(v.pos);
  w.put(v.pos_time);
  w.put(v.seats_used);
  w.put(v.wheelchairs_used);
  w.put(static_cast<std::uint32_t>(v.stops.size()));
  for (auto const& s : v.stops) {
    w.put(s.request.v());
    w.put(static_cast<std::uint8_t>(s.kind));
    w.snapped(s.loc);
    w.put(static_cast<std::uint8_t>(s.arrived ? 1 : 0));
    w.put(s.arrived_at);
  }
}

d::vehicle_state get_vehicle(reader& r) {
  d::vehicle_state v;
  v.spec.name = r.str();
  v.spec.seats = r.get<std::uint16_t>();
  v.spec.wheelchairs = r.get<std::uint16_t>();
  v.spec.depot = r.point();
  v.spec.shift_start = r.get<std::int64_t>();
  v.spec.shift_end = r.get<std::int64_t>();
  v.depot = r.snapped();
  v.pos = r.snapped();
  v.pos_time = r.get<std::int64_t>();
  v.seats_used = r.get<std::uint16_t>();
  v.wheelchairs_used = r.get<std::uint16_t>();
  auto const n = r.count(39);
  v.stops.resize(n);
  for (auto& s : v.stops) {
    s.request = d::request_idx{r.get<std::uint32_t>()};
    s.kind = r.enumeration(d::stop_kind::dropoff);
    s.loc = r.snapped();
    s.arrived = r.flag();
    s.arrived_at = r.get<std::int64_t>();
  }
  return v;
}

void put_request(writer& w, d::request_state const& q) {
  w.point(q.spec.pickup);
  w.point(q.spec.dropoff);
  w.put(q.spec.passengers);
  w.put(q.spec.wheelchair_users);
  w.put(q.spec.earliest_pickup);
  w.put(static_cast<std::uint8_t>(q.status));
  w.put(static_cast<std::uint8_t>(q.reason));
  w.snapped(q.pickup);
  w.snapped(q.dropoff);
  w.put(q.requested_at);
  w.put(q.earliest);
  w.put(q.direct);
  w.f64(q.direct_m);
  w.put(q.max_ride);
  w.put(q.window_start);
  w.put(q.window_end);
  w.put(q.latest_dropoff);
  w.put(q.expires);
  w.put(q.vehicle.v());
  w.put(q.picked_up_at);
  w.put(q.dropped_off_at);
  w.put(static_cast<std::uint8_t>(q.cancelled));
  w.put(q.pickup_reached_at);
  w.put(q.no_show_at);
  w.put(q.spec.latest_dropoff);
  w.put(static_cast<std::uint8_t>(q.connection_lost ? 1 : 0));
  w.put(q.journey.v());
}

void put_journey(writer& w, d::journey_state const& j) {
  w.put(j.booked_at);
  w.put(static_cast<std::uint8_t>(j.cancelled ? 1 : 0));
  w.put(j.cancelled_at);
  w.put(static_cast<std::uint32_t>(j.legs.size()));
  for (auto const& l : j.legs) {
    w.put(l.request.v());
    w.put(static_cast<std::uint8_t>(l.link.k));
    w.str(l.link.trip_id);
    w.str(l.link.stop_id);
    w.put(l.link.scheduled);
    w.put(l.link.buffer);
  }
}

d::journey_state get_journey(reader& r) {
  d::journey_state j;
  j.booked_at = r.get<std::int64_t>();
  j.cancelled = r.flag();
  j.cancelled_at = r.get<std::int64_t>();
  auto const n = r.count(26);
  j.legs.resize(n);
  for (auto& l : j.legs) {
    l.request = d::request_idx{r.get<std::uint32_t>()};
    l.link.k = r.enumeration(d::connection::kind::after_arrival);
    l.link.trip_id = r.str();
    l.link.stop_id = r.str();
    l.link.scheduled = r.get<std::int64_t>();
    l.link.buffer = r.get<std::int32_t>();
  }
  return j;
}

d::request_state get_request(reader& r, std::uint32_t format) {
  d::request_state q;
  q.spec.pickup = r.point();
  q.spec.dropoff = r.point();
  q.spec.passengers = r.get<std::uint16_t>();
  q.spec.wheelchair_users = r.get<std::uint16_t>();
  q.spec.earliest_pickup = r.get<std::int64_t>();
  q.status = r.enumeration(d::request_status::no_show);
  q.reason = r.enumeration(d::reject_reason::no_feasible_insertion);
  q.pickup = r.snapped();
  q.dropoff = r.snapped();
  q.requested_at = r.get<std::int64_t>();
  q.earliest = r.get<std::int64_t>();
  q.direct = r.get<std::int32_t>();
  q.direct_m = r.f64();
  q.max_ride = r.get<std::int32_t>();
  q.window_start = r.get<std::int64_t>();
  q.window_end = r.get<std::int64_t>();
  q.latest_dropoff = r.get<std::int64_t>();
  q.expires = r.get<std::int64_t>();
  q.vehicle = d::vehicle_idx{r.get<std::uint32_t>()};
  q.picked_up_at = r.get<std::int64_t>();
  q.dropped_off_at = r.get<std::int64_t>();
  q.cancelled = r.enumeration(d::cancelled_by::operator_);
  if (format >= 2) {  // format 1 did not keep them
    q.pickup_reached_at = r.get<std::int64_t>();
    q.no_show_at = r.get<std::int64_t>();
  }
  if (format >= 3) {  // formats 1 and 2 had no connections
    q.spec.latest_dropoff = r.get<std::int64_t>();
    q.connection_lost = r.flag();
    q.journey = d::journey_idx{r.get<std::uint32_t>()};
  }
  return q;
}

}  // namespace

snapshot snapshot_of(dispatch::dispatcher const& d, std::int64_t seq, std::string extra) {
  return {seq,
          {d.vehicles().begin(), d.vehicles().end()},
          {d.requests().begin(), d.requests().end()},
          std::move(extra),
          {d.journeys().begin(), d.journeys().end()}};
}

std::string encode_snapshot(snapshot const& s) {
  writer w;
  w.out.reserve(64 + s.vehicles.size() * 128 + s.requests.size() * 200 + s.extra.size());
  w.out += magic;
  w.put(snapshot_format_version);
  w.put(s.seq);
  w.str(s.extra);
  w.put(static_cast<std::uint32_t>(s.vehicles.size()));
  for (auto const& v : s.vehicles) put_vehicle(w, v);
  w.put(static_cast<std::uint32_t>(s.requests.size()));
  for (auto const& q : s.requests) put_request(w, q);
  w.put(static_cast<std::uint32_t>(s.journeys.size()));
  for (auto const& j : s.journeys) put_journey(w, j);
  w.put(fnv1a(w.out));
  return std::move(w.out);
}

snapshot decode_snapshot(std::string_view bytes) {
  if (bytes.size() < magic.size() + 8 || bytes.substr(0, magic.size()) != magic)
    throw journal_error{"snapshot: not a Nebuta snapshot"};
  auto const body = bytes.substr(0, bytes.size() - 8);
  reader tail{bytes.substr(bytes.size() - 8)};
  if (tail.get<std::uint64_t>() != fnv1a(body)) throw journal_error{"snapshot: checksum mismatch (damaged)"};
  reader r{body.substr(magic.size())};
  auto const format = r.get<std::uint32_t>();
  if (format < 1 || format > snapshot_format_version)
    throw journal_error{"snapshot: format " + std::to_string(format) + " is not supported (this build reads 1 to " +
                        std::to_string(snapshot_format_version) + ")"};
  snapshot s;
  s.seq = r.get<std::int64_t>();
  s.extra = r.str();
  auto const nv = r.count(100);
  s.vehicles.reserve(nv);
  for (std::size_t i = 0; i < nv; ++i) s.vehicles.push_back(get_vehicle(r));
  auto const nr = r.count(150);
  s.requests.reserve(nr);
  for (std::size_t i = 0; i < nr; ++i) s.requests.push_back(get_request(r, format));
  if (format >= 3) {
    auto const nj = r.count(21);
    s.journeys.reserve(nj);
    for (std::size_t i = 0; i < nj; ++i) s.journeys.push_back(get_journey(r));
  }
  if (r.pos() != body.size() - magic.size()) throw journal_error{"snapshot: trailing bytes"};
  return s;
}

}  // namespace nebuta::storage
