// The plan request of the realtime answer tests (realtime_plan_test.cc, realtime_alerts_test.cc):
// on the service day of test::rt_day, GTFS-literal (answers for the stop asked, as a reference
// would).
#pragma once

#include <string>

#include "nebuta/v1/nebuta.pb.h"

namespace nebuta::test {

inline v1::PlanRequest rt_plan_request(std::string const& from, std::string const& to, std::string const& depart) {
  v1::PlanRequest r;
  r.set_from(from);
  r.set_to(to);
  r.set_date("2024-05-15");
  r.set_depart(depart);
  r.set_gtfs_literal(true);
  return r;
}

}  // namespace nebuta::test
