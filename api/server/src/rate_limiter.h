// Token buckets per client address, for the routes that cost the most (plans, offers):
// `per_s` tokens a second, at most `burst` saved up.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nebuta::api_server {

class rate_limiter {
 public:
  rate_limiter(double per_s, double burst);
  // 0 when the request may go ahead (a token is taken), else the whole seconds to wait.
  int take(std::string const& client, std::int64_t now_ns);
  // Forgets clients whose bucket is full again (bounded memory under address churn).
  void prune(std::int64_t now_ns);
  bool enabled() const { return per_s_ > 0; }

 private:
  struct bucket {
    double tokens;
    std::int64_t last_ns;
  };
  double per_s_, burst_;
  std::mutex m_;
  std::unordered_map<std::string, bucket> buckets_;
};

bool is_loopback(std::string_view address);

}  // namespace nebuta::api_server
