// What every endpoint does, independent of transport: a request (already parsed into plain
// values or a protobuf request) → engine calls → a protobuf response message. The HTTP server
// and the CLI both call this, so `nebuta plan --format json` and GET /v1/plan print the same
// message.
//
// A service is built once over a const timetable (it precomputes search and lookup indexes, and
// the planner's raptor::index) and is then read-only: any number of threads may call it at once,
// each with its own raptor::router built from raptor_index().
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nebuta/api_service/errors.h"
#include "nebuta/api_service/json.h"
#include "nebuta/api_service/place_search.h"
#include "nebuta/core/time_zone.h"
#include "nebuta/raptor/router.h"
#include "nebuta/timetable/timetable.h"
#include "nebuta/v1/nebuta.pb.h"

namespace nebuta::rt {
class state;
struct alert;
struct informed_target;
}  // namespace nebuta::rt

namespace nebuta::api_service {

// `lang` (comma-separated, wins) or an Accept-Language header (q-values honoured), then en:
// a visitor asking for a language the feed lacks reads English, and the feed's own language
// only where it has no English either. "ja" does not fall back to kana (ja-Hrkt) unless asked.
lang_chain make_lang_chain(std::string_view lang, std::string_view accept_language = {});

// An alert as the API writes it (realtime.cc; /v1/alerts, plans and departure boards): texts in
// the chain's first language the alert has, active periods as ISO times of `zone`, `active` at
// `at`; the informed entities with the API's ids when `with_informed`.
void fill_alert(v1::Alert& out, rt::alert const& a, timetable const& tt, civil::time_zone const& zone,
                lang_chain const& chain, std::int64_t at, bool with_informed = true);

struct limits {
  seconds_t max_window_s{24 * 3600};         // range queries
  std::chrono::milliseconds max_compute{0};  // per request; 0 = unlimited
  std::size_t max_place_pairs{256};          // origin x destination candidate stops
  bool strict_dates{false};                  // a date outside the timetable is an error
  unsigned max_results{100};                 // stops, departures, nearby
  double max_radius_m{5000.0};               // nearby
};

// Formatting shared by the text and message outputs.
std::string clock_time(seconds_t t);  // "09:45", "00:10 (+1 day)"
std::string iso_date(date_t date);    // "2026-04-08"
date_t parse_iso_date(std::string_view s, std::string_view param = "date");
seconds_t parse_clock(std::string_view s, std::string_view param);
seconds_t parse_duration(std::string_view s, std::string_view param = "window");

// A place of a plan request: candidate stops (a station's platforms, stops of one name) or a
// coordinate.
struct resolved_place {
  std::vector<raptor::place> candidates;
  std::string label;
  std::string label_lang;
  std::optional<latlon> anchor;  // where it is, for the distances of ambiguous candidates
  double walk_m{0.0};            // a gazetteer place: walking needed to reach its stops
};

// A text and the language it is in (BCP 47; "und" when nobody knows).
struct named_text {
  std::string text;
  std::string lang;
};

struct plan_result {
  resolved_place from, to;
  date_t date{};
  std::string date_text;
  bool arrive_by{false};
  seconds_t time{0};
  std::vector<raptor::journey> journeys;
  lang_chain chain;
  bool date_outside_timetable{false};
  bool next_day{false};                     // only trips of a later service day arrive
  std::optional<seconds_t> last_departure;  // then: the last departure of `date` that arrives
  // The realtime state the journeys were planned with (kept alive for plan_message), or null.
  std::shared_ptr<rt::state const> realtime;
};

class service {
 public:
  // `places`: a gazetteer (nebuta serve --places), searchable and valid as from / to.
  // stored: the sections of the snapshot tt was read from, if any: the router's index loads
  // the parts stored there (raptor::stored_index) and builds the rest.
  explicit service(timetable const& tt, limits l = {}, std::vector<search::place> places = {},
                   std::span<snapshot_section const> stored = {});
  ~service();
  service(service const&) = delete;
  service& operator=(service const&) = delete;

  timetable const& tt() const { return tt_; }
  raptor::index const& raptor_index() const { return raptor_index_; }
  limits const& config() const { return limits_; }
  // The API's message types planned once for printing as JSON (json.h).
  json_plans const& json() const { return json_plans_; }

  // Journeys for a request; `chain` comes from make_lang_chain(req.lang(), Accept-Language).
  // `realtime`: the realtime state to plan with (docs/realtime.md; a request takes
  // rt::store::current() once and passes it here), or nullptr for the timetable alone. A request
  // with realtime=false plans on the timetable whatever is given.
  plan_result plan_journeys(v1::PlanRequest const& req, lang_chain const& chain, raptor::router& r,
                            std::shared_ptr<rt::state const> realtime = nullptr) const;
  v1::PlanResponse plan_message(plan_result const& p) const;
  // The same into `out` (an empty message), which may live on a protobuf arena: a plan answer's
  // hundreds of strings then cost no allocation each, nor a free.
  void plan_message(plan_result const& p, v1::PlanResponse& out) const;
  v1::PlanResponse plan(v1::PlanRequest const& req, lang_chain const& chain, raptor::router& r,
                        std::shared_ptr<rt::state const> realtime = nullptr) const {
    return plan_message(plan_journeys(req, chain, r, std::move(realtime)));
  }

  // The router options of a request (max_legs, walking, slack, literal mode), checked.
  raptor::options router_options(v1::PlanRequest const& req) const;
  // A stop id (the place it belongs to: a station's platforms, the poles of one name), "place:ID",
  // "lat,lon", or a name: the search's best hit when it is clearly best, else 400
  // ambiguous_place with the candidates and their distance from `near` (the other end).
  resolved_place resolve_place(std::string_view arg, lang_chain const& chain, std::string_view param,
                               std::optional<latlon> near = {}) const;

  // Stops (and with search_places also the gazetteer's places) for what a visitor typed, best
  // first; equal matches by the trips serving the stop on `date` (YYYY-MM-DD; empty: the
  // timetable's busiest day).
  v1::StopSearchResponse search_stops(std::string_view q, unsigned limit, lang_chain const& chain,
                                      std::string_view date = {}) const;
  v1::StopSearchResponse search_places(std::string_view q, unsigned limit, lang_chain const& chain,
                                       std::string_view date = {}) const;
  place_search const& places() const { return *search_; }
  // One gazetteer place by its id, with or without the "place:" of plan requests.
  v1::Place place(std::string_view id, lang_chain const& chain) const;
  v1::Stop stop(std::string_view id, lang_chain const& chain) const;
  // `realtime` as for plan(): delays, cancellations, skipped stops and platform changes.
  v1::DeparturesResponse departures(std::string_view id, std::string_view date, std::string_view time, unsigned n,
                                    lang_chain const& chain,
                                    std::shared_ptr<rt::state const> const& realtime = nullptr) const;
  v1::NearbyResponse nearby(double lat, double lon, double radius_m, unsigned limit, lang_chain const& chain) const;
  v1::RoutesResponse routes(lang_chain const& chain) const;
  v1::Route route(std::string_view id, lang_chain const& chain) const;
  v1::Trip trip(std::string_view id, std::string_view date, lang_chain const& chain) const;
  v1::FeedsResponse feeds(lang_chain const& chain) const;

  // A time of the service day as ISO 8601 with the feed zone's offset at that instant
  // ("2026-04-08T09:05:00+09:00"; without an offset when the feed has no known zone).
  std::string iso_time(date_t date, seconds_t t) const;
  // The same for many times of one service day (an answer's stop calls): the day's start and the
  // offset in force are looked up once, and the offset again only past its span (a DST change).
  class day_clock {
   public:
    day_clock(service const& s, date_t date);
    std::string iso(seconds_t t);

   private:
    civil::time_zone const* zone_;
    date_t date_;
    std::int64_t day_start_{0};  // the instant of the day's time 0 (with a zone)
    civil::time_zone::offset_span span_{0, 0, 0};
  };
  // The service date and its seconds of a request: `date` and "H:MM[:SS]", or an ISO 8601 time
  // (with or without offset) alone, whose local date is the service date.
  std::pair<date_t, seconds_t> service_day_time(std::string_view date, std::string_view time,
                                                std::string_view param) const;

  // Text helpers for the CLI's human-readable output.
  std::string stop_label(stop_idx s, lang_chain const& chain, std::string const& fallback) const;
  std::string line_label(line_idx l, lang_chain const& chain) const;
  std::string headsign(raptor::leg const& leg, lang_chain const& chain) const;
  // A text of the feed in the first language of the chain that has it, with that language.
  named_text name(text_idx t, lang_chain const& chain) const;

 private:
  stop_idx require_stop(std::string_view id) const;
  line_idx require_line(std::string_view id) const;
  void fill_stop(v1::Stop& out, stop_idx s, lang_chain const& chain, bool with_routes) const;
  void fill_route_ref(v1::RouteRef& out, line_idx l, lang_chain const& chain) const;
  void fill_platform(v1::PlatformRef& out, stop_idx s, lang_chain const& chain) const;
  void fill_group(v1::Stop& out, stop_group const& g, lang_chain const& chain) const;
  void fill_place(v1::Place& out, search::place const& p, lang_chain const& chain) const;
  named_text trip_headsign(trip_idx t, std::uint32_t pos, lang_chain const& chain) const;
  named_text route_long_name(line_idx l, lang_chain const& chain) const;
  std::string default_lang(text_idx t) const;
  std::vector<stop_idx> group_members(stop_idx s) const;  // the stop's place: station or pole group
  v1::StopSearchResponse search(std::string_view q, unsigned limit, lang_chain const& chain, std::string_view date,
                                bool with_places) const;
  void index_lines();  // badges and terminals of lines (names.cc)
  // "accessible", "unknown" or "inaccessible" (see Leg.accessibility in nebuta.proto).
  char const* leg_accessibility(raptor::leg const& leg) const;
  char const* journey_accessibility(raptor::journey const& j) const;
  // With only later days' trips found: next_day and the last departure of the day (plan.cc).
  void note_next_day(plan_result& p, raptor::router& router, raptor::options const& opt) const;
  void check_date(date_t d, std::string_view text) const;

  // --- realtime in answers (realtime.cc): a departure of a board, with the overlay applied
  static constexpr std::uint32_t none_extra = 0xFFFFFFFFU;
  static constexpr seconds_t realtime_lookback_s = 6 * 3600;  // the overlay's largest plausible delay
  struct board_entry {
    seconds_t time, sched_time;  // realtime (else timetable) and timetable departure, after midnight of the date
    trip_idx trip;               // invalid for an added trip
    std::uint32_t pos;
    stop_idx stop, sched_stop;  // served, and the timetable's
    std::uint8_t rt_flags{0};   // rt::stop_flags
    bool realtime{false}, cancelled{false};
    std::uint32_t extra{none_extra};  // an added trip: its extra route in the state
    std::int8_t day_offset{0};        // the trip's service day is the board's date plus this
  };
  // The realtime of e's trip on `day` (its departure shifted by `shift`); false: not shown.
  bool apply_realtime(board_entry& e, rt::state const& st, std::int64_t day, seconds_t shift) const;
  // Added trips leaving the board's stops at or after t, and trips moved here from another stop.
  void add_realtime_departures(std::vector<board_entry>& out, rt::state const& st, std::vector<stop_idx> const& board,
                               std::int64_t day, seconds_t t) const;
  void fill_added_departure(v1::Departure& m, rt::state const& st, board_entry const& e, lang_chain const& chain) const;
  void fill_realtime_departure(v1::Departure& m, date_t d, board_entry const& e) const;
  void set_realtime_place(v1::LegPlace& mp, date_t d, raptor::stop_visit const& v, seconds_t t, seconds_t sched) const;
  void fill_stop_call(v1::StopCall& c, day_clock& clock, raptor::stop_visit const& v, bool realtime,
                      lang_chain const& chain) const;
  void fill_added_trip(v1::Leg& ml, rt::state const& st, raptor::leg const& leg, lang_chain const& chain) const;
  void fill_leg_line(v1::Leg& ml, line_idx line, lang_chain const& chain) const;
  // Alerts in answers (realtime.cc): the alerts an answer names, each written once to `list`.
  struct alert_list {
    google::protobuf::RepeatedPtrField<v1::Alert>* list;
    lang_chain const& chain;
    std::vector<std::uint32_t> written{};  // indices into the state's alerts() already in `list`
  };
  // Names the state's alerts `which` in `ids` (adding each to `to` once).
  void name_alerts(alert_list& to, google::protobuf::RepeatedPtrField<std::string>& ids, rt::state const& st,
                   std::vector<std::uint32_t> const& which) const;
  // The alerts informing a ride of a plan on date d, and a departure of a board of date d.
  std::vector<std::uint32_t> ride_alerts(rt::state const& st, date_t d, raptor::leg const& leg,
                                         std::span<raptor::stop_visit const> visits) const;
  std::vector<std::uint32_t> departure_alerts(rt::state const& st, date_t d, board_entry const& e) const;
  // The alerts of a board's stops themselves, active between the times from and to of date d.
  std::vector<std::uint32_t> board_alerts(rt::state const& st, date_t d, std::vector<stop_idx> const& board,
                                          seconds_t from, seconds_t to) const;
  std::int64_t unix_time_of(date_t d, seconds_t t) const;  // a service-day time as an instant
  rt::informed_target trip_target(rt::state const& st, trip_idx t, std::uint32_t extra, date_t service_date) const;

  timetable const& tt_;
  raptor::index const raptor_index_;
  limits limits_;
  std::optional<civil::time_zone> zone_;
  std::unique_ptr<place_search> search_;                  // stop groups, places and the name index
  std::vector<std::string> line_badges_;                  // per line: the badge its headsigns show ("P8")
  std::vector<std::pair<stop_idx, stop_idx>> line_ends_;  // per line: terminals of its busiest pattern
  std::string feed_script_lang_;                          // the language a feed's untranslated text is in
  std::vector<std::string> language_tags_;                // per language of the timetable, lower case
  json_plans json_plans_;                                 // the API's messages (json.h)
  std::unordered_map<std::string, line_idx> lines_by_id_;
  std::unordered_map<std::string, std::vector<trip_idx>> trips_by_id_;
  std::vector<std::vector<route_idx>> line_routes_;  // per line_idx
};

}  // namespace nebuta::api_service
