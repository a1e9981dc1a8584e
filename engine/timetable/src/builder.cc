#include "nebuta/timetable/builder.h"

#include "builder_internal.h"

namespace nebuta::build {
namespace detail {

timetable compiler::run(std::vector<std::pair<std::string, std::uint64_t>> const& reader_warnings) {
  for (auto const& [kind, n] : reader_warnings) warning_counts_[kind] += n;
  compute_date_range();
  for (auto i = 0U; i < feeds_.size(); ++i) load_feed(feeds_[i], feed_idx{i});
  build_routes();
  build_trip_links();
  build_footpaths();
  build_walk_links();
  build_stop_indexes();
  if (tt_.path_shape.empty()) tt_.trip_path = {};  // no shapes: nothing stored
  shapes_.clear();
  for (auto const& [kind, n] : warning_counts_) tt_.warnings.push_back({.kind = strings_.get(kind), .count = n});
  return std::move(tt_);
}

void compiler::problem(std::string_view file, std::uint32_t line, std::string kind, std::string message) {
  ++warning_counts_[kind];
  if (report_) report_({file_prefix_ + std::string{file}, line, std::move(kind), std::move(message)});
}

void compiler::load_feed(feed const& f, feed_idx fi) {
  file_prefix_ = feeds_.size() > 1 ? f.name + "/" : std::string{};
  tt_.feed_names.push_back(strings_.get(f.name));
  tt_.feed_stats.push_back(f.rows_read);
  if (!f.default_lang.empty()) language(f.default_lang);
  feed_state fs{f, fi};
  for (auto const& t : f.translations) language(t.language);
  load_agencies(fs);
  load_stops(fs);
  load_routes(fs);
  fs.services = build_services(f);
  load_shapes(fs);
  load_trips(fs);
  load_stop_times(fs);
  load_transfers(fs);
}

}  // namespace detail

timetable compile(std::vector<feed> const& feeds, options const& opt, problem_sink const& report,
                  std::vector<std::pair<std::string, std::uint64_t>> const& reader_warnings) {
  return detail::compiler{feeds, opt, report}.run(reader_warnings);
}

}  // namespace nebuta::build
