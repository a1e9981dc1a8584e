// Progress messages on stderr, only when stderr is a terminal (logs and pipes stay clean).
#pragma once

#include <string_view>

namespace nebuta::api {

class progress {
 public:
  progress();
  bool enabled() const { return enabled_; }
  void stage(std::string_view what);  // replaces the current progress line
  void done();                        // clears it

 private:
  bool enabled_;
  bool shown_{false};
};

}  // namespace nebuta::api
