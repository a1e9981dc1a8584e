// Conversion of a journal of format 1 (one database per service day: times in seconds of the
// service date whose date and time zone its meta table holds) to format 2 (Unix times, any
// number of days; journal.h). Every time of every command (now, shift_start, shift_end,
// earliest_pickup) becomes the instant the service meant by it: seconds from "noon minus 12 h"
// of the service date in its zone, GTFS's rule, which the service used. Replaying the converted
// journal gives the same state, every time moved by the same amount.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace nebuta::storage {

struct migration_report {
  std::size_t n_commands{0};
  std::string service_date, timezone;  // of the format-1 database
};

// Writes a consistent copy of the database to `backup` first (which must not exist), then converts
// in one transaction: a crash leaves the database either unchanged or converted. Throws
// journal_error (journal.h) with the reason when the file is not a format-1 journal, has no
// service date or time zone, or cannot be written.
migration_report migrate_to_instants(std::filesystem::path const& db, std::filesystem::path const& backup);

}  // namespace nebuta::storage
