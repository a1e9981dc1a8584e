// Where a dispatcher keeps its state, whichever database holds it: a SQLite file (the embedded
// default, journal.h) or a PostgreSQL database (pg_journal.h), chosen by the location's form. The
// dispatcher's server asks this interface only, so it does not care which backend it has.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/storage/journal.h"

namespace nebuta::storage {

class journal_store {
 public:
  virtual ~journal_store() = default;
  // The location for messages (a path, or the PostgreSQL database and service area; no password).
  virtual std::string describe() const = 0;
  // A journal was written here before (the database and the service area's journal exist).
  virtual bool exists() const = 0;
  // The latest snapshot and the commands after it (load_journal's checks, journal.h).
  virtual journal_contents load() const = 0;
  // The writer that appends the dispatcher's commands (created when missing).
  virtual std::unique_ptr<durable_journal> open_journal() = 0;
  // The values fixed once (meta.h): the stored one, or `value_if_absent` stored and returned.
  virtual std::string meta_value(std::string const& key, std::string const& value_if_absent) = 0;
  virtual std::optional<std::string> meta_get(std::string const& key) const = 0;
  virtual void meta_set(std::string const& key, std::string const& value) = 0;

  // Leadership, for a standby (docs/deployment.md). A store that several processes share (a
  // PostgreSQL area) lets one lead at a time: `try_lead` takes the area's leadership, recording
  // `address` as the leader's, and from then on `open_journal` appends fenced by it. A SQLite
  // file has one process: it always leads.
  virtual bool try_lead(std::string const& /*address*/) { return true; }
  virtual bool shared() const { return false; }
  // The leader's address as it recorded it (nullopt: none, or not a shared store).
  virtual std::optional<std::string> leader() const { return std::nullopt; }
  // A follower's catch-up: the commands after `seq`, in order. Throws journal_error when they are
  // not all there any more (compacted away: restart to restore the snapshot).
  virtual std::vector<dispatch::command> commands_after(std::int64_t seq) const;
};

// A libpq connection URI ("postgresql://..." or "postgres://..."); anything else is a SQLite path.
bool is_postgresql_uri(std::string_view location);

// `location` fit for a log: a URI's password ("postgresql://user:secret@host") left out.
std::string printable_location(std::string const& location);

// The store at `location`. `service_area` keys the rows of a PostgreSQL database, which several
// service areas (one dispatcher each) may share; a SQLite file holds one area and ignores it.
// Throws journal_error when a PostgreSQL database cannot be reached.
std::unique_ptr<journal_store> open_store(std::string const& location, std::string const& service_area);

}  // namespace nebuta::storage
