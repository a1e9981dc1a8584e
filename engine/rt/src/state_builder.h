// Internal: the steps of build_state(), split over build.cc (trip updates), alerts.cc
// (NO_SERVICE closures) and overlay.cc (RAPTOR routes).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "nebuta/rt/build.h"

namespace nebuta::rt {

class state_builder {
 public:
  state_builder(context const& ctx, build_options const& opt) : ctx_{ctx}, opt_{opt}, s_{std::make_shared<state>()} {}

  std::shared_ptr<state const> run(build_input const& in);

 private:
  // The schedule a trip update applies to: a static trip, possibly shifted (DUPLICATED).
  struct schedule_view {
    trip_idx trip;
    seconds_t shift{0};
  };

  // build.cc
  std::optional<day_idx> service_day(trip_update const& u, trip_idx t, std::optional<unix_time> feed_time, unix_time now);
  bool propagate(schedule_view v, unix_time base, trip_update const& u, std::vector<stop_time>& out);
  bool added_times(trip_update const& u, unix_time base, std::vector<stop_time>& out);
  void fix_order(std::vector<stop_time>& times, std::vector<std::uint8_t> const& explicit_arr,
                 std::vector<std::uint8_t> const& explicit_dep);
  void apply_update(build_input::update_ref const& ref, unix_time now);
  std::uint32_t push_trip(trip_state st, std::vector<stop_time> const& times);

  // alerts.cc
  void apply_no_service(build_input const& in);

  // overlay.cc
  void build_routes();

  context const& ctx_;
  build_options const& opt_;
  std::shared_ptr<state> s_;
  std::vector<stop_time> scratch_;
  std::vector<std::uint8_t> explicit_arr_, explicit_dep_;
};

}  // namespace nebuta::rt
