// What the on-demand service uses of the timetable the planner loaded: one place search for both
// (stop ids and names in any language) and the names of the stops at meeting points.
#include <optional>
#include <string>
#include <vector>

#include "nebuta/api_server/drt_command.h"
#include "nebuta/api_service/service.h"

namespace nebuta::api_server {

drt_timetable timetable_access(api_service::service const& svc) {
  auto const& tt = svc.tt();
  drt_timetable access;
  for (auto st = stop_idx{0}; st.v() < tt.n_stops(); ++st)
    if (tt.stop_has_coords[st] != 0) access.stops.push_back(tt.stop_coords[st]);
  // The planner's place search: a station is its first platform with a coordinate, a gazetteer
  // place its own coordinate; unknown → nullopt; ambiguous_place and no_platforms pass through.
  access.stop_lookup = [&svc](std::string const& text, std::vector<std::string> const& langs) -> std::optional<latlon> {
    auto const& t = svc.tt();
    try {
      for (auto const& c : svc.resolve_place(text, langs, "stop_id").candidates) {
        if (!c.stop.valid()) return c.coord;
        if (t.stop_has_coords[c.stop] != 0) return t.stop_coords[c.stop];
      }
      return std::nullopt;
    } catch (api_service::api_error const& e) {
      if (e.code() == "unknown_stop") return std::nullopt;
      throw;  // 400 ambiguous_place (with its candidates), no_platforms
    }
  };
  // A meeting point lies on a stop when the rules took the feed's stops as meeting points; 5 m
  // allows for coordinates rounded in the rules file.
  access.stop_at = [&svc](latlon at, std::vector<std::string> const& langs) -> std::optional<stop_label> {
    auto const near = svc.nearby(at.lat, at.lon, 5.0, 1, langs);
    if (near.stops().empty()) return std::nullopt;
    auto const& st = near.stops(0).stop();
    return stop_label{st.stop_id(), st.name(), st.platform_code()};
  };
  return access;
}

}  // namespace nebuta::api_server
