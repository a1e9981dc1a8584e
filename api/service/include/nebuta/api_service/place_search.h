// Places of a timetable as a visitor means them, and search over them: a stop group is a
// station with its platforms, or the poles of one feed that share a name (a trailing
// "（八日町）"-style qualifier aside) within a short walk; a gazetteer place is a sight, a
// hospital ... Built once at load, then read-only and shared by every request thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/search/name_index.h"
#include "nebuta/search/place.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::api_service {

struct stop_group {
  stop_idx key;                   // the station, or the first stop of the group
  std::vector<stop_idx> members;  // platforms / poles (or the stop itself)
  latlon anchor;
  bool names_differ{false};  // members' names differ in a qualifier (中心街ターミナル（三日町）...)
};

struct place_hit {
  bool is_place{false};
  std::uint32_t index{0};  // into groups() or places()
  std::uint32_t name{0};   // which name matched: index into the document's names
  search::match_quality quality;
  std::uint64_t trips{0};     // trips serving a stop group on the day (0 for places)
  std::uint8_t rank_hint{0};  // 1: a stop ranked after a place of the same name
};

class place_search {
 public:
  // Walking distance within which poles of one name are one place.
  static constexpr double group_radius_m = 400.0;

  place_search(timetable const& tt, std::vector<search::place> places);
  ~place_search();

  std::vector<stop_group> const& groups() const { return groups_; }
  std::vector<search::place> const& places() const { return places_; }
  std::uint32_t group_of(stop_idx s) const { return group_of_[s.v()]; }  // npos for stations / no group
  static constexpr std::uint32_t npos = 0xFFFFFFFFU;

  // The names a document was indexed under: (text, lang) of a group's key stop, or of a place.
  std::pair<std::string, std::string> matched_name(place_hit const& h) const;

  // Hits for a query, best first: by how well the text matches, then (with places) a place
  // before a stop of the same name, then by trips serving the stop
  // on `day` (timetable day index; the busiest day when absent), then by shorter name.
  std::vector<place_hit> find(std::string_view q, std::optional<std::int64_t> day, unsigned limit, bool with_places) const;

  bool has_words(std::string_view q) const;  // not only spaces and punctuation
  std::uint64_t trips_on(std::uint32_t group, std::int64_t day) const;
  std::int64_t busiest_day() const { return busiest_day_; }

  std::size_t index_bytes() const { return index_.memory_bytes(); }

 private:
  class scratch_lease;

  timetable const& tt_;
  std::vector<stop_group> groups_;
  std::vector<std::uint32_t> group_of_;
  std::vector<search::place> places_;
  search::name_index index_;
  // Per group: (bitfield, number of its trips calling at the group), offsets per group.
  std::vector<std::uint32_t> trips_offsets_;
  std::vector<std::pair<bitfield_idx, std::uint32_t>> trips_by_bitfield_;
  std::int64_t busiest_day_{0};
  // Names as indexed, per document: groups first, then places.
  std::vector<std::vector<std::pair<std::string, std::string>>> doc_names_;

  mutable std::mutex scratch_mutex_;
  mutable std::vector<std::unique_ptr<search::name_index::scratch>> scratch_pool_;
};

}  // namespace nebuta::api_service
