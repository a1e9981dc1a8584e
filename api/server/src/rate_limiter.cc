#include "rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace nebuta::api_server {

rate_limiter::rate_limiter(double per_s, double burst) : per_s_{per_s}, burst_{std::max(burst, 1.0)} {}

int rate_limiter::take(std::string const& client, std::int64_t now_ns) {
  if (per_s_ <= 0) return 0;
  std::lock_guard const lock{m_};
  auto [it, fresh] = buckets_.try_emplace(client, bucket{burst_, now_ns});
  auto& b = it->second;
  if (!fresh) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ns - b.last_ns) * 1e-9 * per_s_);
    b.last_ns = now_ns;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_s_)));
}

void rate_limiter::prune(std::int64_t now_ns) {
  std::lock_guard const lock{m_};
  std::erase_if(buckets_, [&](auto const& kv) {
    return kv.second.tokens + static_cast<double>(now_ns - kv.second.last_ns) * 1e-9 * per_s_ >= burst_;
  });
}

bool is_loopback(std::string_view a) { return a.starts_with("127.") || a == "::1" || a == "::ffff:127.0.0.1"; }

}  // namespace nebuta::api_server
