// The server's realtime (GTFS-RT) sources, issue 14 (docs/realtime.md): one rt::store for the
// timetable, fed by every `--rt NAME=URL_OR_FILE` source (polled by one background thread with
// conditional GET, timeouts and size limits) and by `POST /v1/rt/NAME` (operator token).
// Requests take the published state once (current()) and keep it; fetching, decoding and
// building never hold anything a query waits for.
//
// A failing source (HTTP error, timeout, too large, bytes that are not a FeedMessage) is counted
// and keeps its last good content until it is `max_age_s` old (since its last successful fetch,
// a 304 or an unchanged file included); then that source falls back to the schedule, which
// /healthz and /metrics report. max_age_s 0 turns the check off (recorded snapshots).
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/rt/context.h"
#include "nebuta/rt/state.h"
#include "nebuta/rt/store.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::v1 {
class Health;
}

namespace nebuta::gtfs_rt {
class resolver;
}

namespace nebuta::api_server {

struct realtime_options {
  std::vector<std::string> sources;   // NAME=URL_OR_FILE (http://, https://, file path or file://), NAME=push
  unsigned interval_s{15};            // between two polls of every source
  std::int64_t max_age_s{300};        // a source not delivered for longer falls back; 0: off
  unsigned timeout_s{10};             // per fetch (connect and transfer)
  std::size_t max_bytes{64U << 20U};  // largest feed accepted (fetch or push)
  std::string operator_token;         // POST /v1/rt/NAME needs it; empty: push refused (403)
  // The wall clock (POSIX seconds); tests replace it to age sources without waiting.
  std::function<rt::unix_time()> clock;
};

// One source as given on the command line.
struct realtime_source_spec {
  std::string name, location;
  bool http{false};       // http:// or https:// (else a file)
  bool push_only{false};  // "NAME=push": not polled, fed by POST /v1/rt/NAME only
};
// "NAME=URL_OR_FILE" → spec; throws std::invalid_argument with the reason.
realtime_source_spec parse_realtime_source(std::string_view arg);

class realtime {
 public:
  // `feeds`: the static feeds the timetable was compiled from (their stop_sequence and blocks are
  // read for matching; empty for a snapshot: stop ids and stop order then). Each
  // source refers to the static feed named by its NAME, or by NAME's part before the first '-',
  // else to the only feed. Throws std::invalid_argument for a bad or ambiguous source.
  realtime(timetable const& tt, std::vector<gtfs_import::feed_spec> const& feeds, realtime_options opt);
  ~realtime();
  realtime(realtime const&) = delete;
  realtime& operator=(realtime const&) = delete;

  // The published state, for one request (never null; empty without realtime).
  std::shared_ptr<rt::state const> current() const { return store_.current(); }
  rt::context const& context() const { return *ctx_; }
  rt::store const& store() const { return store_; }
  realtime_options const& options() const { return opt_; }
  rt::unix_time now() const;

  // Polls every source once, then expires the sources older than max_age (what the background
  // thread does every interval; tests call it directly).
  void poll_once();
  void start();  // the background poller (no-op without sources to poll)
  void stop();   // joins it, ending a fetch in progress (until start()); also called by the destructor

  // Called after each newly published state (a fetch or a push applied, a source expired), on the
  // thread that published it, once per state; set before start() (journeys: connect_journeys).
  void on_new_state(std::function<void()> f) { on_new_state_ = std::move(f); }

  // The id of a named source, or -1.
  int find_source(std::string_view name) const;
  struct push_result {
    bool applied{false};
    bool decoded{false};  // false: the bytes are not a FeedMessage
    std::string error;
    std::uint64_t entities{0};
    rt::skip_counts skipped;
  };
  // A FeedMessage pushed for a source (POST /v1/rt/NAME): decoded and applied like a fetch.
  push_result push(int source, std::span<char const> bytes);

  // Ids as the API writes them ("feed:id" with several feeds) → indices, for filters.
  std::optional<stop_idx> find_stop(std::string_view id) const;
  std::optional<line_idx> find_line(std::string_view id) const;
  std::vector<trip_idx> find_trips(std::string_view id) const;

  // The merged state as GTFS-RT FeedMessage bytes: its trip updates, or its alerts (what was
  // applied, republished). Built once per published state and shared.
  std::shared_ptr<std::string const> republished(std::shared_ptr<rt::state const> const& s, bool alerts) const;

  // Per source: state, ages, counts (the Health message's realtime part), and Prometheus text.
  void fill_health(v1::Health& h) const;
  std::string prometheus_text() const;

 private:
  struct source;
  void poll(source& s);
  bool apply_bytes(source& s, std::string const& bytes, std::string const& why);
  gtfs_rt::resolver const& resolver_for(feed_idx f) const;
  void notify_new_state();

  timetable const& tt_;
  realtime_options opt_;
  std::unique_ptr<rt::context> ctx_;
  std::vector<std::unique_ptr<gtfs_rt::resolver>> resolvers_;  // per static feed
  rt::store store_;
  std::vector<std::unique_ptr<source>> sources_;
  std::mutex fetch_mutex_;  // one fetch and apply at a time per source set (poller, push)
  std::mutex stop_mutex_;
  std::condition_variable wake_;
  bool stopping_{false};
  std::atomic<bool> cancel_fetches_{false};  // stop(): a fetch in progress ends now
  std::thread poller_;
  std::function<void()> on_new_state_;
  std::atomic<std::uint64_t> notified_serial_{0};
  mutable std::mutex republish_mutex_;
  mutable std::shared_ptr<rt::state const> republished_state_;             // the state the cache is of
  mutable std::array<std::shared_ptr<std::string const>, 2> republished_;  // trip updates, alerts
};

}  // namespace nebuta::api_server
