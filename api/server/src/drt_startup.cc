// Start-up of the on-demand service (drt_api.h): open its store (a SQLite file, or a PostgreSQL
// database and service area: storage/store.h), restore the journal's latest snapshot and replay
// the commands after it, check the database's time zone and travel model, re-plan under a new
// travel model when the operator accepts one, then register the fleet's shifts.
#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "drt_state.h"
#include "drt_token.h"
#include "nebuta/storage/store.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

// Under another travel model the snapped points of a snapshot mean nothing: place every
// coordinate again.
void snap_again(storage::snapshot& s, road::travel_model const& model) {
  for (auto& v : s.vehicles) {
    v.depot = model.snap(v.spec.depot);
    v.pos = model.snap(v.pos.coord);
    for (auto& st : v.stops) st.loc = model.snap(st.loc.coord);
  }
  for (auto& q : s.requests) {
    if (q.pickup.valid) q.pickup = model.snap(q.pickup.coord);
    if (q.dropoff.valid) q.dropoff = model.snap(q.dropoff.coord);
  }
}

char const* promise_name(d::broken_promise::kind k) {
  switch (k) {
    case d::broken_promise::kind::late_pickup: return "pickup";
    case d::broken_promise::kind::late_dropoff: return "drop-off";
    case d::broken_promise::kind::long_ride: return "ride";
  }
  return "?";
}

}  // namespace

void drt_state::start_up() {
  if (opt.db.empty()) throw std::invalid_argument{"no database path"};
  sclock = service_clock::make(opt.timezone);  // throws std::invalid_argument for an unknown zone
  store = storage::open_store(opt.db.string(), opt.service_area);
  auto const db = store->describe();
  auto const existed = store->exists();

  std::optional<std::string> old_model;
  if (existed && !opt.travel_model_fingerprint.empty()) old_model = store->meta_get("travel_model");
  auto const new_model = old_model && *old_model != opt.travel_model_fingerprint;
  if (new_model && !opt.accept_new_travel_model) {
    throw std::invalid_argument{"database " + db + " was written under the travel model \"" + *old_model +
                                "\", not \"" + opt.travel_model_fingerprint +
                                "\": its plans and promises were made with other travel times. Start with the same "
                                "model, or give --accept-new-travel-model to re-plan the open bookings under the new "
                                "one (the promises it cannot keep are reported)"};
  }

  if (existed) {
    auto contents = store->load();
    if (contents.base) {
      if (new_model) snap_again(*contents.base, *model);
      auto const n_vehicles = contents.base->vehicles.size(), n_requests = contents.base->requests.size();
      if (!disp.restore(std::move(contents.base->vehicles), std::move(contents.base->requests),
                        std::move(contents.base->journeys)))
        throw storage::journal_error{"journal " + db + ": its snapshot does not hold together"};
      for (auto v = d::vehicle_idx{0}; v.v() < disp.vehicles().size(); ++v) index_shift(v);
      decode_extra(contents.base->extra);
      startup_notes.push_back("restored the snapshot after command " + std::to_string(contents.base->seq) + " (" +
                              std::to_string(n_vehicles) + " vehicle shifts, " + std::to_string(n_requests) +
                              " requests)");
    } else if (new_model && !contents.commands.empty()) {
      startup_notes.push_back(
          "no snapshot: the whole journal is replayed under the new travel model, so requests "
          "may be answered otherwise than they were");
    }
    if (contents.base && new_model && !contents.commands.empty()) {
      startup_notes.push_back(std::to_string(contents.commands.size()) +
                              " commands after the snapshot are replayed under the new travel model and may be "
                              "answered otherwise than they were (stop the service cleanly before changing the "
                              "model: it writes a snapshot then)");
    }
    for (auto const& c : contents.commands) {
      observe(c, disp.apply(c));
      ++n_replayed;
    }
    applied_seq = (contents.base ? contents.base->seq : 0) + static_cast<std::int64_t>(contents.commands.size());
  }
  if (!store->try_lead(opt.advertise)) {  // another process leads this area: follow it (drt_standby.cc)
    if (new_model)
      throw std::invalid_argument{"a standby cannot change the travel model; start the leader with the new one"};
    start_as_follower();
    return;
  }
  if (existed && store->shared()) n_replayed += catch_up();  // what the last leader appended meanwhile

  journal = store->open_journal();
  auto const stored_zone = store->meta_value("timezone", opt.timezone);
  if (stored_zone != opt.timezone)
    throw std::invalid_argument{"database " + db + " was created for time zone " + stored_zone + ", not " + opt.timezone};
  secret = store->meta_value("rider_token_secret", random_secret());
  disp.set_journal(journal.get());

  if (new_model) {
    // Re-plan: a re-optimisation pass may move the rides that broke onto plans that keep them.
    auto const before = disp.broken_promises().size();
    write([&] { return disp.reoptimise(now()); });
    auto const broken = disp.broken_promises();
    startup_notes.push_back("travel model changed from \"" + *old_model + "\" to \"" + opt.travel_model_fingerprint +
                            "\": " + std::to_string(before) + " promises broken under it, " +
                            std::to_string(broken.size()) + " after re-planning");
    for (auto const& b : broken) {
      auto const& q = disp.request(b.request);
      auto const ride = b.what == d::broken_promise::kind::long_ride;
      startup_notes.push_back("  request " + std::to_string(b.request.v()) + " (" + vehicle_name(q.vehicle) +
                              "): " + promise_name(b.what) + " " +
                              (ride ? std::to_string(b.planned) + " s, promised at most " + std::to_string(b.promised) + " s"
                                    : "planned " + sclock.iso(b.planned) + ", promised by " + sclock.iso(b.promised)));
    }
    compact_if_due(true);  // from here on the journal starts under the new model
    store->meta_set("travel_model", opt.travel_model_fingerprint);
  } else if (!opt.travel_model_fingerprint.empty()) {
    (void)store->meta_value("travel_model", opt.travel_model_fingerprint);
  }
  register_shifts(now());
}

}  // namespace nebuta::api_server
