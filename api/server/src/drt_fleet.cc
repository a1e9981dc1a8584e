// The on-demand service's fleet over days: the dated shifts of each vehicle id, which one is the
// current one, their registration up to the booking horizon, and the journal's compaction with
// what the service keeps beside the dispatcher (drt_state.h).
#include <charconv>
#include <cinttypes>
#include <cstdio>

#include "drt_state.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

void drt_state::index_shift(d::vehicle_idx v) {
  positions.resize(disp.vehicles().size());
  auto& shifts = vehicle_by_name[disp.vehicle(v).spec.name];
  auto const start = disp.vehicle(v).spec.shift_start;
  auto const at = std::upper_bound(shifts.begin(), shifts.end(), start, [&](d::instant s, d::vehicle_idx other) {
    return s < disp.vehicle(other).spec.shift_start;
  });
  shifts.insert(at, v);
}

// The shift telemetry goes to: the first with stops left (a shift running late keeps its riders),
// else the first not over yet (current or next), else the last.
std::optional<d::vehicle_idx> drt_state::current_shift(std::string const& name, d::instant t) const {
  auto const it = vehicle_by_name.find(name);
  if (it == vehicle_by_name.end() || it->second.empty()) return std::nullopt;
  for (auto const v : it->second)
    if (!disp.vehicle(v).stops.empty()) return v;
  for (auto const v : it->second)
    if (disp.vehicle(v).spec.shift_end > t) return v;
  return it->second.back();
}

std::size_t drt_state::register_shifts(d::instant t) {
  if (opt.shifts.empty()) return 0;
  auto const last = sclock.service_date(t + disp.service_rules().max_booking_ahead) + std::chrono::days{1};
  auto const first = shifts_registered_until == date_t{} ? sclock.service_date(t) - std::chrono::days{1}
                                                         : shifts_registered_until + std::chrono::days{1};
  if (last < first) return 0;
  std::vector<std::string> overlaps;
  auto const shifts = d::shifts_between(opt.shifts, opt.holidays, sclock.zone, first, last, &overlaps);
  for (auto const& o : overlaps) std::fprintf(stderr, "nebuta dispatch: fleet: %s\n", o.c_str());
  std::size_t n = 0;
  for (auto const& s : shifts) {
    if (s.vehicle.shift_end <= t) continue;  // over already
    auto const it = vehicle_by_name.find(s.vehicle.name);
    if (it != vehicle_by_name.end() && std::any_of(it->second.begin(), it->second.end(), [&](d::vehicle_idx v) {
          return disp.vehicle(v).spec.shift_start == s.vehicle.shift_start;
        })) {
      continue;  // registered before (an earlier run, or the API)
    }
    auto const v = write([&] { return disp.add_vehicle(t, s.vehicle); });
    observe(d::add_vehicle_cmd{t, s.vehicle}, v);
    ++n;
  }
  shifts_registered_until = last;
  return n;
}

void drt_state::compact_if_due(bool force) {
  if (!journal || failed) return;
  auto const pending = journal->commands_since_snapshot();
  if (pending == 0 || (!force && pending < opt.compact_every)) return;
  try {
    write([&] {
      journal->compact(disp, encode_extra());
      return 0;
    });
    ++n_compactions;
  } catch (api_service::api_error const&) {  // storage failed: the service is read-only now
  }
}

// Beside the dispatcher's state a snapshot keeps the largest `now` seen and the positions the
// vehicles reported (as they were posted, not as snapped): "now T\n", then "pos V LAT LON AT\n".
std::string drt_state::encode_extra() const {
  std::string out = "now " + std::to_string(last_now) + "\n";
  char buf[128];
  for (std::size_t v = 0; v < positions.size(); ++v) {
    auto const& p = positions[v];
    if (!p.valid) continue;
    std::snprintf(buf, sizeof buf, "pos %zu %.17g %.17g %" PRId64 "\n", v, p.coord.lat, p.coord.lon, p.at);
    out += buf;
  }
  return out;
}

void drt_state::decode_extra(std::string_view extra) {
  positions.resize(disp.vehicles().size());
  while (!extra.empty()) {
    auto const eol = std::min(extra.find('\n'), extra.size());
    std::string const line{extra.substr(0, eol)};
    extra.remove_prefix(std::min(eol + 1, extra.size()));
    long long t = 0;
    std::size_t v = 0;
    double lat = 0, lon = 0;
    if (std::sscanf(line.c_str(), "now %lld", &t) == 1) {
      last_now = std::max<d::instant>(last_now, t);
    } else if (std::sscanf(line.c_str(), "pos %zu %lf %lf %lld", &v, &lat, &lon, &t) == 4 && v < positions.size()) {
      positions[v] = {{lat, lon}, t, true};
    }
  }
}

}  // namespace nebuta::api_server
