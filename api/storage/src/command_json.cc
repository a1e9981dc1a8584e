// The dispatcher's commands as JSON text (journal.h): the format both journals store.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"

namespace nebuta::storage {

namespace {

using nlohmann::json;
namespace d = nebuta::dispatch;

// --- JSON of the command fields ---

json double_to_json(double x) {
  if (std::isfinite(x)) return x;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(x)));
  return json{{"bits", buf}};
}

double double_from_json(json const& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_object() && j.contains("bits") && j["bits"].is_string()) {
    auto const s = j["bits"].get<std::string>();
    std::size_t pos = 0;
    unsigned long long bits = 0;
    try {
      bits = std::stoull(s, &pos, 16);
    } catch (std::exception const&) {
      pos = 0;
    }
    if (s.size() == 16 && pos == s.size()) return std::bit_cast<double>(static_cast<std::uint64_t>(bits));
  }
  throw journal_error{"bad number " + j.dump()};
}

bool valid_utf8(std::string const& s) {
  try {
    (void)json(s).dump();
    return true;
  } catch (json::type_error const&) {
    return false;
  }
}

json string_to_json(std::string const& s) {
  if (valid_utf8(s)) return s;
  std::string hex;
  char buf[3];
  for (unsigned char c : s) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    hex += buf;
  }
  return json{{"hex", hex}};
}

std::string string_from_json(json const& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.contains("hex") && j["hex"].is_string()) {
    auto const hex = j["hex"].get<std::string>();
    if (hex.size() % 2 == 0 && hex.find_first_not_of("0123456789abcdef") == std::string::npos) {
      std::string s;
      for (std::size_t i = 0; i < hex.size(); i += 2) s += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      return s;
    }
  }
  throw journal_error{"bad string " + j.dump()};
}

json const& field(json const& j, char const* name) {
  if (!j.contains(name)) throw journal_error{std::string{"missing field \""} + name + "\""};
  return j[name];
}

template <typename Int>
Int int_from_json(json const& j, char const* name) {
  auto const& v = field(j, name);
  if (!v.is_number_integer()) throw journal_error{std::string{"field \""} + name + "\" is not an integer"};
  if constexpr (std::is_signed_v<Int>) {
    // A parsed non-negative number is unsigned in nlohmann::json.
    auto const too_big =
        v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<Int>::max()};
    auto const x = too_big ? std::int64_t{0} : v.get<std::int64_t>();
    if (too_big || x < std::numeric_limits<Int>::min() || x > std::numeric_limits<Int>::max())
      throw journal_error{std::string{"field \""} + name + "\" out of range"};
    return static_cast<Int>(x);
  } else {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > std::numeric_limits<Int>::max())
      throw journal_error{std::string{"field \""} + name + "\" out of range"};
    return static_cast<Int>(v.get<std::uint64_t>());
  }
}

json latlon_to_json(latlon p) { return json{{"lat", double_to_json(p.lat)}, {"lon", double_to_json(p.lon)}}; }
latlon latlon_from_json(json const& j, char const* name) {
  auto const& v = field(j, name);
  return {double_from_json(field(v, "lat")), double_from_json(field(v, "lon"))};
}

template <typename Idx>
Idx idx_from_json(json const& j, char const* name) {
  return Idx{int_from_json<typename Idx::rep>(j, name)};
}

template <typename Enum, std::size_t N>
json enum_to_json(Enum e, std::array<std::pair<Enum, char const*>, N> const& names) {
  for (auto const& [value, name] : names)
    if (value == e) return name;
  return static_cast<int>(e);  // not a named value: keep the number (replays the same way)
}

template <typename Enum, std::size_t N>
Enum enum_from_json(json const& j, char const* name, std::array<std::pair<Enum, char const*>, N> const& names) {
  auto const& v = field(j, name);
  if (v.is_number_integer()) return static_cast<Enum>(int_from_json<std::underlying_type_t<Enum>>(j, name));
  if (v.is_string())
    for (auto const& [value, n] : names)
      if (v.get<std::string>() == n) return value;
  throw journal_error{std::string{"bad value of \""} + name + "\": " + v.dump()};
}

constexpr std::array<std::pair<d::cancelled_by, char const*>, 2> cancelled_by_names{
    {{d::cancelled_by::rider, "rider"}, {d::cancelled_by::operator_, "operator"}}};
constexpr std::array<std::pair<d::stop_event_kind, char const*>, 4> stop_event_names{
    {{d::stop_event_kind::arrived, "arrived"},
     {d::stop_event_kind::picked_up, "picked_up"},
     {d::stop_event_kind::dropped_off, "dropped_off"},
     {d::stop_event_kind::no_show, "no_show"}}};

constexpr std::array<std::pair<d::connection::kind, char const*>, 3> connection_kind_names{
    {{d::connection::kind::none, "none"},
     {d::connection::kind::before_departure, "before_departure"},
     {d::connection::kind::after_arrival, "after_arrival"}}};

struct to_json_visitor {
  json operator()(d::add_vehicle_cmd const& c) const {
    return json{{"type", "add_vehicle"},
                {"now", c.now},
                {"name", string_to_json(c.spec.name)},
                {"seats", c.spec.seats},
                {"wheelchairs", c.spec.wheelchairs},
                {"depot", latlon_to_json(c.spec.depot)},
                {"shift_start", c.spec.shift_start},
                {"shift_end", c.spec.shift_end}};
  }
  json operator()(d::offer_cmd const& c) const {
    auto j = json{{"type", "offer"},
                  {"now", c.now},
                  {"pickup", latlon_to_json(c.spec.pickup)},
                  {"dropoff", latlon_to_json(c.spec.dropoff)},
                  {"passengers", c.spec.passengers},
                  {"wheelchair_users", c.spec.wheelchair_users},
                  {"earliest_pickup", c.spec.earliest_pickup}};
    if (c.spec.latest_dropoff != d::no_time) j["latest_dropoff"] = c.spec.latest_dropoff;
    return j;
  }
  json operator()(d::accept_journey_cmd const& c) const {
    auto legs = json::array();
    for (auto const& l : c.legs)
      legs.push_back(json{{"request", l.request.v()},
                          {"kind", enum_to_json(l.link.k, connection_kind_names)},
                          {"trip_id", string_to_json(l.link.trip_id)},
                          {"stop_id", string_to_json(l.link.stop_id)},
                          {"scheduled", l.link.scheduled},
                          {"buffer", l.link.buffer}});
    return json{{"type", "accept_journey"}, {"now", c.now}, {"legs", std::move(legs)}};
  }
  json operator()(d::cancel_journey_cmd const& c) const {
    return json{{"type", "cancel_journey"},
                {"now", c.now},
                {"journey", c.journey.v()},
                {"by", enum_to_json(c.by, cancelled_by_names)}};
  }
  json operator()(d::move_cmd const& c) const {
    return json{{"type", "move"},
                {"now", c.now},
                {"request", c.request.v()},
                {"earliest_pickup", c.earliest_pickup},
                {"latest_dropoff", c.latest_dropoff}};
  }
  json operator()(d::accept_cmd const& c) const {
    return json{{"type", "accept"}, {"now", c.now}, {"request", c.request.v()}};
  }
  json operator()(d::cancel_cmd const& c) const {
    return json{
        {"type", "cancel"}, {"now", c.now}, {"request", c.request.v()}, {"by", enum_to_json(c.by, cancelled_by_names)}};
  }
  json operator()(d::position_cmd const& c) const {
    return json{
        {"type", "position"}, {"now", c.now}, {"vehicle", c.vehicle.v()}, {"position", latlon_to_json(c.position)}};
  }
  json operator()(d::stop_event_cmd const& c) const {
    return json{{"type", "stop_event"},
                {"now", c.now},
                {"vehicle", c.vehicle.v()},
                {"request", c.request.v()},
                {"kind", enum_to_json(c.kind, stop_event_names)}};
  }
  json operator()(d::reoptimise_cmd const& c) const { return json{{"type", "reoptimise"}, {"now", c.now}}; }
};

d::command command_from_json(json const& j) {
  if (!j.is_object()) throw journal_error{"a command must be a JSON object"};
  auto const& type_field = field(j, "type");
  if (!type_field.is_string()) throw journal_error{"field \"type\" is not a string"};
  auto const type = type_field.get<std::string>();
  auto const now = int_from_json<d::instant>(j, "now");
  if (type == "add_vehicle") {
    d::add_vehicle_cmd c{now, {}};
    c.spec.name = string_from_json(field(j, "name"));
    c.spec.seats = int_from_json<std::uint16_t>(j, "seats");
    c.spec.wheelchairs = int_from_json<std::uint16_t>(j, "wheelchairs");
    c.spec.depot = latlon_from_json(j, "depot");
    c.spec.shift_start = int_from_json<d::instant>(j, "shift_start");
    c.spec.shift_end = int_from_json<d::instant>(j, "shift_end");
    return c;
  }
  if (type == "offer") {
    d::offer_cmd c{now, {}};
    c.spec.pickup = latlon_from_json(j, "pickup");
    c.spec.dropoff = latlon_from_json(j, "dropoff");
    c.spec.passengers = int_from_json<std::uint16_t>(j, "passengers");
    c.spec.wheelchair_users = int_from_json<std::uint16_t>(j, "wheelchair_users");
    c.spec.earliest_pickup = int_from_json<d::instant>(j, "earliest_pickup");
    if (j.contains("latest_dropoff")) c.spec.latest_dropoff = int_from_json<d::instant>(j, "latest_dropoff");
    return c;
  }
  if (type == "accept_journey") {
    d::accept_journey_cmd c{now, {}};
    auto const& legs = field(j, "legs");
    if (!legs.is_array()) throw journal_error{"field \"legs\" is not an array"};
    for (auto const& l : legs) {
      d::journey_leg leg;
      leg.request = idx_from_json<d::request_idx>(l, "request");
      leg.link.k = enum_from_json(l, "kind", connection_kind_names);
      leg.link.trip_id = string_from_json(field(l, "trip_id"));
      leg.link.stop_id = string_from_json(field(l, "stop_id"));
      leg.link.scheduled = int_from_json<d::instant>(l, "scheduled");
      leg.link.buffer = int_from_json<seconds_t>(l, "buffer");
      c.legs.push_back(std::move(leg));
    }
    return c;
  }
  if (type == "cancel_journey")
    return d::cancel_journey_cmd{now, idx_from_json<d::journey_idx>(j, "journey"),
                                 enum_from_json(j, "by", cancelled_by_names)};
  if (type == "move")
    return d::move_cmd{now, idx_from_json<d::request_idx>(j, "request"),
                       int_from_json<d::instant>(j, "earliest_pickup"), int_from_json<d::instant>(j, "latest_dropoff")};
  if (type == "accept") return d::accept_cmd{now, idx_from_json<d::request_idx>(j, "request")};
  if (type == "cancel")
    return d::cancel_cmd{now, idx_from_json<d::request_idx>(j, "request"), enum_from_json(j, "by", cancelled_by_names)};
  if (type == "position")
    return d::position_cmd{now, idx_from_json<d::vehicle_idx>(j, "vehicle"), latlon_from_json(j, "position")};
  if (type == "stop_event")
    return d::stop_event_cmd{now, idx_from_json<d::vehicle_idx>(j, "vehicle"),
                             idx_from_json<d::request_idx>(j, "request"), enum_from_json(j, "kind", stop_event_names)};
  if (type == "reoptimise") return d::reoptimise_cmd{now};
  throw journal_error{"unknown command type \"" + type + "\""};
}

}  // namespace

std::string to_json_text(dispatch::command const& c) { return std::visit(to_json_visitor{}, c).dump(); }

dispatch::command from_json_text(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (json::exception const& e) {
    throw journal_error{std::string{"command is not JSON: "} + e.what()};
  }
  try {
    return command_from_json(j);
  } catch (json::exception const& e) {
    throw journal_error{std::string{"bad command: "} + e.what()};
  }
}

}  // namespace nebuta::storage
