#include "fares.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "nebuta/fare/journey.h"

namespace nebuta::api_service::detail {

journey_fares fares_of(timetable const& tt, raptor::journey const& j, date_t date) {
  std::array<fare::ride, fare::max_rides> rides{};
  auto const n = fare::rides_of(tt, j, rides);
  journey_fares out;
  out.legs.resize(n);
  auto const day = (date - tt.first_date).count();
  out.journey = fare::compute(tt, {rides.data(), n}, day, out.legs);
  return out;
}

fare_options fare_options_of(v1::PlanRequest const& req) {
  fare_options o;
  if (req.sort() == "fare") {
    o.by_fare = true;
  } else if (!req.sort().empty() && req.sort() != "departure") {
    throw api_error{400, "invalid_parameter.sort", {"sort"}};
  }
  if (req.has_max_fare()) {
    if (!std::isfinite(req.max_fare()) || req.max_fare() < 0.0) {
      throw api_error{400, "invalid_parameter.amount", {"max_fare"}};
    }
    o.max_fare = req.max_fare();
  }
  return o;
}

namespace {

// Known totals in the currency's main unit; unknown ones sort last.
std::vector<double> sort_keys(timetable const& tt, std::vector<raptor::journey> const& journeys, date_t date) {
  std::vector<double> keys;
  keys.reserve(journeys.size());
  for (auto const& j : journeys) {
    auto const f = fares_of(tt, j, date).journey;
    keys.push_back(f.known ? fare::to_major(f.total, f.currency_digits) : std::numeric_limits<double>::infinity());
  }
  return keys;
}

void reorder(std::vector<raptor::journey>& journeys, std::vector<double> const& keys) {
  std::vector<std::size_t> order(journeys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::vector<raptor::journey> sorted;
  sorted.reserve(journeys.size());
  for (auto const i : order) sorted.push_back(std::move(journeys[i]));
  journeys = std::move(sorted);
}

}  // namespace

void order_by_fare(timetable const& tt, std::vector<raptor::journey>& journeys, date_t date) {
  reorder(journeys, sort_keys(tt, journeys, date));
}

void apply_fare_options(timetable const& tt, fare_options const& o, std::vector<raptor::journey>& journeys, date_t date) {
  if (!o.by_fare && !o.max_fare) return;
  auto keys = sort_keys(tt, journeys, date);
  if (o.max_fare) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < journeys.size(); ++i) {
      // Unknown fares (infinite keys) are kept: nothing says they are over the limit.
      if (std::isinf(keys[i]) || keys[i] <= *o.max_fare + 1e-9) {
        if (kept != i) journeys[kept] = std::move(journeys[i]);  // a self-move would empty the legs
        keys[kept++] = keys[i];
      }
    }
    journeys.resize(kept);
    keys.resize(kept);
  }
  if (o.by_fare) reorder(journeys, keys);
}

void set_fares(timetable const& tt, raptor::journey const& j, date_t date, v1::Journey& mj) {
  auto const f = fares_of(tt, j, date);
  auto const text = [&](string_idx s) { return s.valid() ? std::string{tt.strings[s]} : std::string{}; };
  auto& jf = *mj.mutable_fare();
  jf.set_known(f.journey.known);
  jf.set_total(fare::to_major(f.journey.total, f.journey.currency_digits));
  jf.set_currency(text(f.journey.currency));
  jf.set_legs_counted(f.journey.legs_counted);
  std::size_t ride = 0;
  for (int i = 0; i < mj.legs_size() && static_cast<std::size_t>(i) < j.legs.size(); ++i) {
    if (j.legs[static_cast<std::size_t>(i)].kind != raptor::leg_kind::ride || ride >= f.legs.size()) continue;
    auto const& l = f.legs[ride++];
    auto& lf = *mj.mutable_legs(i)->mutable_fare();
    lf.set_known(l.known);
    if (!l.known) continue;
    lf.set_amount(fare::to_major(l.amount, l.currency_digits));
    lf.set_currency(text(l.currency));
    lf.set_fare_id(text(l.fare_id));
    lf.set_product(text(l.product));
    lf.set_transfer(l.transfer);
  }
}

}  // namespace nebuta::api_service::detail
