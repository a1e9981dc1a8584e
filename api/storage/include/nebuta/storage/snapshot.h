// A snapshot of a dispatcher's state, and its binary encoding (versioned, with a checksum).
//
// The state is what dispatcher::restore takes: every vehicle and request with the fields dump()
// shows, except planned times and other derived fields. Snapped points are stored as the travel
// model gave them (node handles included), so a snapshot restores exactly only under the travel
// model that wrote it; the journal stores that model's fingerprint (meta "travel_model").
//
// Encoding (format `snapshot_format_version`), little-endian, no padding:
//   "NEBUTA-SNAPSHOT\n" u32 format, i64 seq, str extra,
//   u32 n_vehicles, vehicles..., u32 n_requests, requests..., u32 n_journeys, journeys...,
//   u64 FNV-1a hash of everything before.
// Strings are u32 length + bytes; doubles their IEEE bits as u64; snapped points lat, lon, u32
// node, i32 offset_s, u8 valid. Field order is that of the structs in dispatcher.h / types.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::storage {

// Format 2 added request_state::pickup_reached_at and no_show_at (after `cancelled`); format 1 is
// still read (neither time known). Format 3 added, after those, the request's spec.latest_dropoff
// (i64), connection_lost (u8) and journey (u32), and after the requests u32 n_journeys, journeys...
// (i64 booked_at, u8 cancelled, i64 cancelled_at, u32 n_legs, legs: u32 request, u8 kind, str
// trip_id, str stop_id, i64 scheduled, i32 buffer); formats 1 and 2 read with none.
inline constexpr std::uint32_t snapshot_format_version = 3;

struct snapshot {
  std::int64_t seq{0};  // the state after command `seq` of the journal
  std::vector<dispatch::vehicle_state> vehicles;
  std::vector<dispatch::request_state> requests;
  std::string extra;  // whatever the journal's owner keeps beside the dispatcher's state
  std::vector<dispatch::journey_state> journeys;
};

snapshot snapshot_of(dispatch::dispatcher const& d, std::int64_t seq, std::string extra = {});

std::string encode_snapshot(snapshot const& s);
// Throws journal_error (journal.h) for anything that is not a whole snapshot of this format.
snapshot decode_snapshot(std::string_view bytes);

}  // namespace nebuta::storage
