// The server's realtime sources (realtime.h): polling, push, expiry, health and metrics.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "nebuta/api_server/realtime.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/export.h"
#include "nebuta/v1/nebuta.pb.h"
#include "rt_fetch.h"

namespace nebuta::api_server {

struct realtime::source {
  realtime_source_spec spec;
  std::uint16_t id{0};
  feed_idx feed{0};
  fetch_validators validators;  // the poller's only
  std::string last_body;        // the last fetched bytes that applied (the poller's only)

  mutable std::mutex m;  // the counters below: the poller and pushes write, /metrics reads
  std::uint64_t fetches{0}, not_modified{0}, failures{0}, bad_bytes{0}, pushes{0};
  rt::unix_time last_ok{0};  // the last fetch or push that delivered (0: never)
  bool failing{false};       // the last fetch failed
  std::string last_error;
  double fetch_ms{0.0};
};

namespace {

bool valid_source_name(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

rt::unix_time system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Prometheus label values: the names are validated, but escape anyway.
std::string label(std::string_view s) {
  std::string out;
  for (auto const c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

realtime_source_spec parse_realtime_source(std::string_view arg) {
  auto const eq = arg.find('=');
  if (eq == std::string_view::npos) throw std::invalid_argument{"--rt " + std::string{arg} + ": give NAME=URL_OR_FILE"};
  realtime_source_spec s;
  s.name = arg.substr(0, eq);
  s.location = arg.substr(eq + 1);
  if (!valid_source_name(s.name))
    throw std::invalid_argument{"--rt " + std::string{arg} + ": NAME is 1-64 letters, digits, '-', '_' or '.'"};
  if (s.location.empty()) throw std::invalid_argument{"--rt " + std::string{arg} + ": no URL or file"};
  s.http = s.location.starts_with("http://") || s.location.starts_with("https://");
  s.push_only = s.location == "push";
  if (s.location.starts_with("file://")) s.location.erase(0, 7);
  if (!s.http && s.location.find("://") != std::string::npos)
    throw std::invalid_argument{"--rt " + std::string{arg} + ": only http://, https:// and files"};
  return s;
}

realtime::realtime(timetable const& tt, std::vector<gtfs_import::feed_spec> const& feeds, realtime_options opt)
    : tt_{tt},
      opt_{std::move(opt)},
      ctx_{std::make_unique<rt::context>(
          tt, feeds.empty() ? rt::schedule_extras{} : gtfs_rt::read_schedule_extras(feeds, tt))},
      store_{*ctx_} {
  if (!opt_.clock) opt_.clock = system_now;
  for (auto f = 0U; f < tt.n_feeds(); ++f)
    resolvers_.push_back(std::make_unique<gtfs_rt::resolver>(*ctx_, feed_idx{f}));
  for (auto const& arg : opt_.sources) {
    auto spec = parse_realtime_source(arg);
    if (find_source(spec.name) >= 0) throw std::invalid_argument{"--rt " + spec.name + ": given twice"};
    auto feed = std::optional<feed_idx>{};
    auto const prefix = spec.name.substr(0, spec.name.find('-'));
    for (auto f = 0U; f < tt.n_feeds(); ++f) {
      auto const name = tt.strings[tt.feed_names[feed_idx{f}]];
      if (name == spec.name || (!feed && name == prefix)) feed = feed_idx{f};
    }
    if (!feed && tt.n_feeds() > 1)
      throw std::invalid_argument{"--rt " + spec.name +
                                  ": several static feeds are loaded; name the source after "
                                  "its feed (FEED or FEED-anything)"};
    auto s = std::make_unique<source>();
    s->spec = std::move(spec);
    s->feed = feed.value_or(feed_idx{0});
    s->id = store_.add_source(s->spec.name);
    sources_.push_back(std::move(s));
  }
}

realtime::~realtime() { stop(); }

rt::unix_time realtime::now() const { return opt_.clock(); }

int realtime::find_source(std::string_view name) const {
  for (auto i = 0U; i < sources_.size(); ++i) {
    if (sources_[i]->spec.name == name) return static_cast<int>(i);
  }
  return -1;
}

gtfs_rt::resolver const& realtime::resolver_for(feed_idx f) const { return *resolvers_[f.v()]; }

bool realtime::apply_bytes(source& s, std::string const& bytes, std::string const& why) {
  auto decoded = gtfs_rt::decode(bytes, resolver_for(s.feed));
  if (!decoded.message) {
    store_.refused(s.id, decoded.error);
    std::lock_guard const lock{s.m};
    ++s.bad_bytes;
    s.failing = true;
    s.last_error = why + ": " + decoded.error;
    return false;
  }
  auto const res = store_.apply(s.id, *std::move(decoded.message), now());
  std::lock_guard const lock{s.m};
  if (!res.applied) {
    s.failing = true;
    s.last_error = why + ": " + res.error;
    return false;
  }
  s.failing = false;
  s.last_error.clear();
  s.last_ok = now();
  return true;
}

void realtime::poll(source& s) {
  if (s.spec.push_only) return;
  std::lock_guard const one_at_a_time{fetch_mutex_};
  // An expired source fetches without validators: a 304 would not bring back what was dropped.
  auto const statuses = store_.sources();
  if (statuses[s.id].expired) {
    s.validators.reset();
    s.last_body.clear();
  }
  fetch_limits const lim{opt_.timeout_s, opt_.max_bytes, &cancel_fetches_};
  auto const last_good = s.validators;
  auto const t0 = std::chrono::steady_clock::now();
  auto r = s.spec.http ? fetch_http(s.spec.location, s.validators, lim) : fetch_file(s.spec.location, s.validators, lim);
  auto const ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  {
    std::lock_guard const lock{s.m};
    ++s.fetches;
    s.fetch_ms = ms;
  }
  // Servers without ETag or Last-Modified send the same bytes again: that is a 304 too.
  if (r.outcome == fetch_result::kind::modified && !s.last_body.empty() && r.body == s.last_body)
    r.outcome = fetch_result::kind::not_modified;
  switch (r.outcome) {
    case fetch_result::kind::not_modified: {
      store_.confirm(s.id, now());
      std::lock_guard const lock{s.m};
      ++s.not_modified;
      if (s.last_ok != 0) s.last_ok = now();
      s.failing = false;
      s.last_error.clear();
      break;
    }
    case fetch_result::kind::failed: {
      store_.refused(s.id, r.error);
      std::lock_guard const lock{s.m};
      ++s.failures;
      s.failing = true;
      s.last_error = r.error;
      break;
    }
    case fetch_result::kind::modified:
      // Bytes that do not apply are not what the validators stand for: the next fetch asks for
      // anything newer than the last good content again.
      if (apply_bytes(s, r.body, "fetch")) {
        s.last_body = std::move(r.body);
      } else {
        s.validators = last_good;
      }
      break;
  }
}

void realtime::poll_once() {
  for (auto& s : sources_) poll(*s);
  store_.expire(now(), opt_.max_age_s);
  notify_new_state();
}

void realtime::notify_new_state() {
  if (!on_new_state_) return;
  auto const serial = store_.current()->serial();
  auto seen = notified_serial_.load();
  while (seen < serial) {
    if (notified_serial_.compare_exchange_weak(seen, serial)) {
      on_new_state_();
      return;
    }
  }
}

realtime::push_result realtime::push(int src, std::span<char const> bytes) {
  push_result out;
  if (src < 0 || static_cast<std::size_t>(src) >= sources_.size()) {
    out.error = "unknown source";
    return out;
  }
  auto& s = *sources_[static_cast<std::size_t>(src)];
  auto decoded = gtfs_rt::decode(bytes, resolver_for(s.feed));
  {
    std::lock_guard const lock{s.m};
    ++s.pushes;
  }
  if (!decoded.message) {
    store_.refused(s.id, decoded.error);
    std::lock_guard const lock{s.m};
    ++s.bad_bytes;
    s.last_error = "push: " + decoded.error;
    out.error = decoded.error;
    return out;
  }
  out.decoded = true;
  out.entities = decoded.message->entities;
  out.skipped = decoded.message->skipped;
  auto const res = store_.apply(s.id, *std::move(decoded.message), now());
  out.applied = res.applied;
  out.error = res.error;
  if (res.applied) {
    // The skips of the whole apply (decoding, estimates and building) as the store counted them.
    out.skipped = store_.sources()[s.id].skipped;
    std::lock_guard const lock{s.m};
    s.last_ok = now();
    s.failing = false;
    s.last_error.clear();
  }
  if (res.applied) notify_new_state();
  return out;
}

void realtime::start() {
  if (sources_.empty() || poller_.joinable()) return;
  {
    std::lock_guard const lock{stop_mutex_};
    stopping_ = false;
  }
  cancel_fetches_ = false;
  poller_ = std::thread{[this] {
    std::unique_lock lock{stop_mutex_};
    while (!stopping_) {
      lock.unlock();
      try {
        poll_once();
      } catch (std::exception const& e) {  // e.g. out of memory building a state: keep serving
        std::fprintf(stderr, "nebuta serve: realtime poll failed: %s\n", e.what());
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds{std::max(1U, opt_.interval_s)}, [this] { return stopping_; });
    }
  }};
}

void realtime::stop() {
  {
    std::lock_guard const lock{stop_mutex_};
    stopping_ = true;
  }
  cancel_fetches_ = true;
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

std::shared_ptr<std::string const> realtime::republished(std::shared_ptr<rt::state const> const& s, bool alerts) const {
  auto const k = alerts ? 1U : 0U;
  {
    std::lock_guard const lock{republish_mutex_};
    if (republished_state_ == s && republished_[k]) return republished_[k];
  }
  auto msg = rt::export_state(*s, *ctx_);  // outside the lock: requests of other states go on
  if (alerts) {
    msg.trip_updates.clear();
  } else {
    msg.alerts.clear();
  }
  auto bytes = std::make_shared<std::string const>(gtfs_rt::encode(msg, tt_));
  std::lock_guard const lock{republish_mutex_};
  if (republished_state_ != s) {
    republished_state_ = s;
    republished_ = {};
  }
  republished_[k] = bytes;
  return bytes;
}

// ------------------------------------------------------------------ ids

std::optional<stop_idx> realtime::find_stop(std::string_view id) const { return tt_.find_stop(id); }

namespace {
// "feed:id" with several feeds (as the API writes ids), the plain id with one.
std::pair<std::optional<feed_idx>, std::string_view> split_external(timetable const& tt, std::string_view id) {
  if (tt.n_feeds() <= 1) return {feed_idx{0}, id};
  auto const colon = id.find(':');
  if (colon == std::string_view::npos) return {std::nullopt, id};
  for (auto f = 0U; f < tt.n_feeds(); ++f) {
    if (tt.strings[tt.feed_names[feed_idx{f}]] == id.substr(0, colon)) return {feed_idx{f}, id.substr(colon + 1)};
  }
  return {std::nullopt, id};
}
}  // namespace

std::optional<line_idx> realtime::find_line(std::string_view id) const {
  auto const [feed, raw] = split_external(tt_, id);
  if (!feed || tt_.n_feeds() == 0) return std::nullopt;
  return resolver_for(*feed).line(raw);
}

std::vector<trip_idx> realtime::find_trips(std::string_view id) const {
  auto const [feed, raw] = split_external(tt_, id);
  if (!feed || tt_.n_feeds() == 0) return {};
  auto const t = resolver_for(*feed).trips(raw);
  return {t.begin(), t.end()};
}

// ------------------------------------------------------------------ health and metrics

void realtime::fill_health(v1::Health& h) const {
  auto const statuses = store_.sources();
  auto const t = now();
  for (auto const& s : sources_) {
    auto const& st = statuses[s->id];
    auto& out = *h.add_realtime();
    out.set_name(s->spec.name);
    std::lock_guard const lock{s->m};
    out.set_state(st.expired ? "expired" : s->failing ? "failing" : st.messages == 0 ? "waiting" : "ok");
    out.set_age_seconds(s->last_ok == 0 ? -1 : t - s->last_ok);
    if (st.feed_time) out.set_feed_time(ctx_->zone(0).iso(*st.feed_time));
    out.set_last_error(s->last_error.substr(0, 300));
  }
}

std::string realtime::prometheus_text() const {
  auto const statuses = store_.sources();
  auto const state = current();
  auto const t = now();
  std::string out;
  char buf[320];
  auto const metric = [&](char const* name, char const* type, char const* help) {
    out += std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  using st_t = rt::source_status;
  // One series per source: HELP, TYPE and a value of each source.
  auto const series = [&](char const* name, char const* type, char const* help, auto const& value_of) {
    metric(name, type, help);
    for (auto const& s : sources_) {
      std::lock_guard const lock{s->m};
      std::snprintf(buf, sizeof(buf), "%s{source=\"%s\"} %.17g\n", name, label(s->spec.name).c_str(),
                    static_cast<double>(value_of(*s, statuses[s->id])));
      out += buf;
    }
  };
  series("nebuta_rt_source_age_seconds", "gauge", "Seconds since the source last delivered (-1: never).",
         [&](source const& s, st_t const&) { return s.last_ok == 0 ? -1 : t - s.last_ok; });
  series("nebuta_rt_feed_age_seconds", "gauge",
         "Seconds since the header timestamp of the source's last applied message (-1: none).",
         [&](source const&, st_t const& st) { return st.feed_time ? t - *st.feed_time : -1; });
  series("nebuta_rt_source_expired", "gauge",
         "1 when the source is older than --rt-max-age: its feed runs on the schedule.",
         [](source const&, st_t const& st) { return st.expired ? 1 : 0; });
  series("nebuta_rt_fetches_total", "counter", "Polls of the source.",
         [](source const& s, st_t const&) { return s.fetches; });
  series("nebuta_rt_not_modified_total", "counter", "Polls answered 304 Not Modified (or an unchanged file).",
         [](source const& s, st_t const&) { return s.not_modified; });
  series("nebuta_rt_fetch_failures_total", "counter", "Polls that failed (HTTP error, timeout, too large, unreadable).",
         [](source const& s, st_t const&) { return s.failures; });
  series("nebuta_rt_bad_messages_total", "counter", "Fetched or pushed bytes that are not a FeedMessage.",
         [](source const& s, st_t const&) { return s.bad_bytes; });
  series("nebuta_rt_pushes_total", "counter", "POST /v1/rt/{source} requests that reached the source.",
         [](source const& s, st_t const&) { return s.pushes; });
  series("nebuta_rt_messages_applied_total", "counter", "Messages applied.",
         [](source const&, st_t const& st) { return st.messages; });
  series("nebuta_rt_messages_refused_total", "counter",
         "Messages refused (not a FeedMessage, older than the last, fetch failed).",
         [](source const&, st_t const& st) { return st.refused; });
  series("nebuta_rt_entities", "gauge", "Entities in the source's last applied message.",
         [](source const&, st_t const& st) { return st.entities; });
  series("nebuta_rt_entities_applied", "gauge",
         "What the source contributes now: trip updates and alerts held, vehicles matched to a trip.",
         [](source const&, st_t const& st) { return st.trip_updates + st.alerts + st.matched_vehicles; });
  series("nebuta_rt_trip_updates", "gauge", "Trip updates the source holds now.",
         [](source const&, st_t const& st) { return st.trip_updates; });
  series("nebuta_rt_alerts", "gauge", "Alerts the source holds now.",
         [](source const&, st_t const& st) { return st.alerts; });
  series("nebuta_rt_vehicles", "gauge", "Vehicle positions in the source's last message.",
         [](source const&, st_t const& st) { return st.vehicles; });
  series("nebuta_rt_matched_vehicles", "gauge", "Vehicles matched to a trip (delay estimates from positions).",
         [](source const&, st_t const& st) { return st.matched_vehicles; });
  series("nebuta_rt_apply_seconds", "gauge", "Duration of the source's last apply (merge, estimates, build, publish).",
         [](source const&, st_t const& st) { return st.apply_ms / 1000.0; });
  series("nebuta_rt_fetch_seconds", "gauge", "Duration of the source's last fetch.",
         [](source const& s, st_t const&) { return s.fetch_ms / 1000.0; });
  // Skips by reason, of the last message and since start.
  auto const skips = [&](char const* name, char const* type, char const* help, rt::skip_counts st_t::*counts) {
    metric(name, type, help);
    for (auto const& s : sources_) {
      auto const& c = statuses[s->id].*counts;
      for (auto r = 0U; r < rt::n_skip_reasons; ++r) {
        std::snprintf(buf, sizeof(buf), "%s{source=\"%s\",reason=\"%s\"} %llu\n", name, label(s->spec.name).c_str(),
                      std::string{rt::skip_reason_names[r]}.c_str(), static_cast<unsigned long long>(c.n[r]));
        out += buf;
      }
    }
  };
  skips("nebuta_rt_skipped", "gauge", "Entities or stop time updates of the last message left out, by reason.",
        &st_t::skipped);
  skips("nebuta_rt_skipped_total", "counter", "Entities or stop time updates left out since start, by reason.",
        &st_t::skipped_total);
  auto const& bs = state->stats();
  metric("nebuta_rt_state", "gauge", "The published realtime state: trip-days by kind, alerts.");
  std::snprintf(buf, sizeof(buf),
                "nebuta_rt_state{kind=\"applied\"} %llu\nnebuta_rt_state{kind=\"canceled\"} %llu\n"
                "nebuta_rt_state{kind=\"added\"} %llu\nnebuta_rt_state{kind=\"overtaking\"} %llu\n"
                "nebuta_rt_state{kind=\"alerts\"} %zu\n",
                static_cast<unsigned long long>(bs.applied), static_cast<unsigned long long>(bs.canceled),
                static_cast<unsigned long long>(bs.added), static_cast<unsigned long long>(bs.overtaking),
                state->alerts().size());
  out += buf;
  metric("nebuta_rt_state_version", "counter", "Realtime states published since start.");
  out += "nebuta_rt_state_version " + std::to_string(store_.version()) + "\n";
  return out;
}

}  // namespace nebuta::api_server
