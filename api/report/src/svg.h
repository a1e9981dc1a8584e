// HTML text, number formatting and the SVG chart frame shared by the run and sweep reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nebuta::report::detail {

// Escapes & < > " ' so the result is safe in text and in double-quoted attributes.
std::string escape(std::string_view text);

// Fixed-point with `decimals` digits, C locale, never "-0".
std::string fixed(double value, int decimals);
// Integer-valued doubles without decimals, others with up to `max_decimals` (trailing zeros cut).
std::string compact(double value, int max_decimals = 3);
// Seconds after midnight as H:MM (hours may exceed 23 on later days).
std::string clock(std::int64_t seconds);

// About `target` round tick values (1, 2 or 5 × 10^k apart); the first is ≤ lo and the last ≥ hi.
std::vector<double> nice_ticks(double lo, double hi, int target);

// The page skeleton: <!DOCTYPE html>, <head> with inline CSS and the title, <body>; and its end.
std::string page_begin(std::string_view title, std::string_view lang = "en");
std::string page_end();

// Fixed palette; series beyond its size cycle through it with a dash pattern.
std::string_view series_colour(std::size_t i);
std::string_view series_dash(std::size_t i);

// A plot area inside an SVG of size width × height, mapping data ranges to pixels.
struct frame {
  double x_min{0}, x_max{1}, y_min{0}, y_max{1};
  double width{720}, height{300};
  double left{64}, right{16}, top{16}, bottom{48};

  double px(double x) const;
  double py(double y) const;
  double plot_width() const { return width - left - right; }
  double plot_height() const { return height - top - bottom; }
};

struct tick {
  double value;
  std::string label;
};

// "<svg ...>" opening tag with viewBox, role and an accessible <title>.
std::string svg_begin(frame const& f, std::string_view title, std::string_view id);
// Axes with tick marks, labels, horizontal grid lines and axis titles.
std::string axes(frame const& f, std::vector<tick> const& x_ticks, std::vector<tick> const& y_ticks,
                 std::string_view x_title, std::string_view y_title);
// One legend entry (swatch + text) at (x, y); returns its SVG.
std::string legend_swatch(double x, double y, std::string_view colour, std::string_view label, bool line = false,
                          std::string_view dash = {});

}  // namespace nebuta::report::detail
