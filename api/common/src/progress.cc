#include "nebuta/api/progress.h"

#include <unistd.h>

#include <cstdio>

namespace nebuta::api {

progress::progress() : enabled_{::isatty(STDERR_FILENO) == 1} {}

void progress::stage(std::string_view what) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%.*s ...", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  shown_ = true;
}

void progress::done() {
  if (!enabled_ || !shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace nebuta::api
