// The published realtime state of every source (one per GTFS-RT feed), read-copy-update:
// apply() merges a source's new message into what that source said before (FULL_DATASET
// replaces it, DIFFERENTIAL replaces or deletes by entity id), turns VehiclePositions into delay
// estimates, builds a new immutable state from all sources and publishes it by swapping one
// shared pointer. current() copies that pointer: queries keep the state they started with and
// never wait for an update to be built; updates (serialised among themselves) never wait for
// queries. The copy and the swap hold a lock of their own for the few nanoseconds of a
// shared_ptr copy (not std::atomic<std::shared_ptr>: libstdc++ 12's reads its pointer outside
// what ThreadSanitizer can see as synchronised).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nebuta/rt/build.h"
#include "nebuta/rt/state.h"
#include "nebuta/rt/vehicle_tracker.h"

namespace nebuta::rt {

struct source_status {
  std::string name;
  std::optional<unix_time> feed_time;                     // header timestamp of the last applied message
  unix_time applied_at{0};                                // `now` of the last apply
  std::uint64_t messages{0};                              // applied
  std::uint64_t refused{0};                               // not a FeedMessage, or older than the last one
  std::uint64_t entities{0};                              // of the last message
  skip_counts skipped;                                    // of the last message (decoding and building)
  skip_counts skipped_total;                              // since start
  std::uint64_t trip_updates{0}, vehicles{0}, alerts{0};  // current content
  std::uint64_t matched_vehicles{0};
  double apply_ms{0.0};  // last apply: merge, estimate, build, publish
  bool expired{false};   // older than max_age: falls back to schedule
};

class store {
 public:
  explicit store(context const& ctx, build_options bopt = {}, tracker_options topt = {});

  // Registers a source; returns its index (sources are fixed before updates start).
  std::uint16_t add_source(std::string name);

  std::shared_ptr<state const> current() const {
    std::lock_guard const lock{current_mutex_};
    return current_;
  }

  struct apply_result {
    bool applied{false};
    std::string error;  // why not
  };
  // `now` is the wall clock for ages (or a recorded snapshot's own time).
  apply_result apply(std::uint16_t src, feed_message msg, unix_time now);
  // A source that failed to deliver (bad bytes, HTTP error): counted, state unchanged.
  void refused(std::uint16_t src, std::string const& why);
  // The source answered that its content has not changed (HTTP 304, an unchanged file): what it
  // said is still current, so its age for expire() starts again (not for an expired source).
  void confirm(std::uint16_t src, unix_time now);
  // Drops (falls back to schedule) sources whose last message is older than max_age_s;
  // max_age_s 0 turns the check off. Returns true when the published state changed.
  bool expire(unix_time now, std::int64_t max_age_s);

  std::vector<source_status> sources() const;
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  struct source {
    source_status status;
    std::map<std::string, trip_update> trip_updates;  // by entity id
    std::map<std::string, alert> alerts;
    std::unique_ptr<vehicle_tracker> tracker;
    std::vector<trip_update> estimates;
    std::string last_error;
  };
  void publish(unix_time now);

  context const& ctx_;
  build_options bopt_;
  tracker_options topt_;
  mutable std::mutex mutex_;  // serialises apply / expire / sources(); never taken by current()
  std::vector<source> sources_;
  mutable std::mutex current_mutex_;  // guards only the copy and the swap of current_
  std::shared_ptr<state const> current_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace nebuta::rt
