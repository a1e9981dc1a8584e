// GTFS-Realtime bytes ↔ the engine's realtime types (engine/rt).
//
// decode(): a FeedMessage (proto/gtfs-realtime.proto, the complete specification) into an
// rt::feed_message whose ids are resolved to timetable indices. Error policy: bytes that are not
// a FeedMessage at all give an error and no message; within a message every bad or unmatched
// entity (or stop_time_update) is skipped and counted by rt::skip_reason, never fatal. Fields of
// the extension ranges (1000-1999, 9000-9999) and experimental entities (shapes, stops, trip
// modifications) are skipped.
//
// encode(): an rt::feed_message back into FeedMessage bytes (the simulator's feeds; the merged
// realtime state republished), ids written as the timetable has them.
//
// read_schedule_extras(): stop_sequence, block_id and direction_id from the static feeds, which
// the timetable does not keep and realtime needs (rt::context; shapes are the timetable's).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/rt/context.h"
#include "nebuta/rt/updates.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::gtfs_rt {

// GTFS ids of one static feed of the timetable → indices (a realtime feed refers to one static
// feed). Built once per timetable and feed.
class resolver {
 public:
  explicit resolver(rt::context const& ctx, feed_idx feed = feed_idx{0});

  rt::context const& ctx() const { return ctx_; }
  feed_idx feed() const { return feed_; }
  std::span<trip_idx const> trips(std::string_view id) const;  // several for frequency trips
  std::optional<stop_idx> stop(std::string_view id) const;
  std::optional<line_idx> line(std::string_view id) const;
  std::optional<agency_idx> agency(std::string_view id) const;

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using map = std::unordered_map<std::string, V, hash, std::equal_to<>>;
  rt::context const& ctx_;
  feed_idx feed_;
  map<std::vector<trip_idx>> trips_;
  map<stop_idx> stops_;
  map<line_idx> lines_;
  map<agency_idx> agencies_;
};

struct decode_result {
  std::optional<rt::feed_message> message;  // none: the bytes are not a FeedMessage
  std::string error;
};

decode_result decode(std::span<char const> bytes, resolver const& ids);

// FeedMessage bytes of a feed_message (FULL_DATASET unless differential).
std::string encode(rt::feed_message const& m, timetable const& tt);

// Reads trips.txt and stop_times.txt of the feeds the timetable was compiled from
// (same names, same order) and aligns them with its trips. Throws gtfs::feed_error for a
// missing feed or file.
rt::schedule_extras read_schedule_extras(std::vector<gtfs_import::feed_spec> const& feeds, timetable const& tt);

}  // namespace nebuta::gtfs_rt
