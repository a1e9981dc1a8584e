// A standby dispatcher (docs/deployment.md): two `nebuta dispatch` processes on one PostgreSQL
// database and service area. The leader holds the area's leadership (a session-level advisory
// lock, storage/pg_journal.h) on the session its journal appends with; the other follows the
// journal, applying the new commands to its own dispatcher every 100 ms, so its state stays warm.
// It answers reads and refuses writes (503 not_leader, naming the leader's address) until the
// leader's session ends (its process died, its connection dropped) and the lock is free: then it
// takes the lock, applies the last committed commands and serves as the leader. No command is
// applied by two leaders: the lock is held by the appending session, each append is fenced by
// the area's epoch (raised by every new leader), and the primary key refuses a sequence number
// written twice.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "drt_state.h"
#include "pipeline.h"

namespace nebuta::api_server {

void drt_state::start_as_follower() {
  leading = false;
  auto const zone = store->meta_get("timezone");
  if (zone && *zone != opt.timezone)
    throw std::invalid_argument{"database " + store->describe() + " was created for time zone " + *zone + ", not " +
                                opt.timezone};
  auto stored_secret = store->meta_get("rider_token_secret");
  if (!stored_secret)
    throw storage::journal_error{"journal " + store->describe() +
                                 ": another process holds the leadership but has not started the area yet"};
  secret = *stored_secret;
  startup_notes.push_back("standby: " + store->leader().value_or("another process") +
                          " leads this service area; following its journal from command " + std::to_string(applied_seq));
}

std::size_t drt_state::catch_up() {
  auto const commands = store->commands_after(applied_seq);
  for (auto const& c : commands) {
    observe(c, disp.apply(c));
    ++applied_seq;
  }
  return commands.size();
}

void drt_state::follow_loop() {
  std::unique_lock lock{mutex};
  while (!stopping) {
    wake.wait_for(lock, std::chrono::milliseconds{100});
    if (stopping) return;
    try {
      catch_up();
      if (!store->try_lead(opt.advertise)) continue;
      // The lock is ours: nobody appends any more; apply what the last leader committed.
      catch_up();
      journal = store->open_journal();
      disp.set_journal(journal.get());
      leading = true;
      std::fprintf(stderr, "nebuta dispatch: took over the leadership of service area %s after command %" PRId64 "\n",
                   opt.service_area.c_str(), applied_seq);
      register_shifts(now());
      break;
    } catch (std::exception const& e) {
      // A standby that cannot follow must not pretend to: a supervisor restarts it, and the start-up
      // restores the latest snapshot (e.g. after a compaction it fell behind).
      std::fprintf(stderr, "nebuta dispatch: the standby cannot follow the journal: %s\n", e.what());
      std::fflush(stderr);
      std::_Exit(3);
    }
  }
  lock.unlock();
  if (!stopping) background_loop();
}

std::optional<http_response> standby_answer(drt_state& m, call& c) {
  auto const path = c.req.target.substr(0, c.req.target.find('?'));
  if (path == "/v1/drt/leader" && c.is_get()) {
    auto const leading = m.leading.load();
    nlohmann::json body{{"leader", leading}, {"service_area", m.opt.service_area}};
    try {
      std::lock_guard const lock{m.mutex};
      body["leader_address"] = leading ? m.opt.advertise : m.store->leader().value_or("");
    } catch (std::exception const&) {
      body["leader_address"] = "";
    }
    return http_response{leading ? 200 : 503, "application/json", body.dump(), {}, {}};
  }
  if (m.leading || c.is_get()) return std::nullopt;
  std::string leader;
  try {
    std::lock_guard const lock{m.mutex};
    leader = m.store->leader().value_or("");
  } catch (std::exception const&) {
  }
  nlohmann::json body{{"code", "not_leader"},
                      {"message", "this dispatcher is a standby of service area " + m.opt.service_area +
                                      "; send writes to the leader" + (leader.empty() ? "" : " at " + leader)},
                      {"leader_address", leader}};
  return http_response{503, "application/json", body.dump(), {}, {}};
}

}  // namespace nebuta::api_server
