// The realtime of journey connections for `nebuta serve` (issue 16): a journey leg names its
// transit ride by trip id, stop id and scheduled unix time; this finds that ride in the server's
// published realtime state and gives its expected time there (and whether it runs at all). The
// on-demand service only sees the lookup (drt_api.h), never the realtime state: engine and API
// layers stay apart.
#include <algorithm>

#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/realtime.h"

namespace nebuta::api_server {

connection_lookup realtime_connection_lookup(realtime const& rt) {
  return [&rt](dispatch::connection const& c) -> std::optional<connection_realtime> {
    if (c.k == dispatch::connection::kind::none) return std::nullopt;
    auto const stop = rt.find_stop(c.stop_id);
    auto const trips = rt.find_trips(c.trip_id);
    if (!stop || trips.empty()) return std::nullopt;
    auto const state = rt.current();
    auto const after = c.k == dispatch::connection::kind::after_arrival;
    for (auto const& ts : state->trips()) {
      if (std::find(trips.begin(), trips.end(), ts.trip) == trips.end()) continue;
      auto const base = rt.context().day_base(ts.trip, ts.day);
      for (auto const& st : state->times(ts)) {
        if (st.stop != *stop) continue;
        if (base + (after ? st.sched_arrival : st.sched_departure) != c.scheduled) continue;
        auto const cancelled = ts.status == rt::trip_status::canceled || ts.status == rt::trip_status::deleted;
        return connection_realtime{base + (after ? st.arrival : st.departure), cancelled, 0};
      }
    }
    return std::nullopt;  // no realtime for that ride: it runs as scheduled
  };
}

}  // namespace nebuta::api_server
