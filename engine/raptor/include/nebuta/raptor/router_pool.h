// Routers for the threads of a server: a thread takes one for a request and gives it back when the
// lease ends. A router is built on first demand (cheap: only scratch, the index is shared) and
// kept, so the pool holds at most as many routers as requests ever ran at once. The pool belongs
// to its owner (the server's api object); nothing is process-wide.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "nebuta/raptor/router.h"

namespace nebuta::raptor {

class router_pool {
 public:
  explicit router_pool(index const& idx) : idx_{idx} {}
  router_pool(router_pool const&) = delete;
  router_pool& operator=(router_pool const&) = delete;

  class lease {
   public:
    lease(lease&& o) noexcept : pool_{o.pool_}, r_{std::move(o.r_)} { o.pool_ = nullptr; }
    lease(lease const&) = delete;
    lease& operator=(lease const&) = delete;
    lease& operator=(lease&&) = delete;
    ~lease() {
      if (pool_ != nullptr && r_) pool_->give_back(std::move(r_));
    }
    router& operator*() const { return *r_; }
    router* operator->() const { return r_.get(); }

   private:
    friend class router_pool;
    lease(router_pool* p, std::unique_ptr<router> r) : pool_{p}, r_{std::move(r)} {}
    router_pool* pool_;
    std::unique_ptr<router> r_;
  };

  lease acquire() {
    {
      std::lock_guard const lock{mutex_};
      if (!free_.empty()) {
        auto r = std::move(free_.back());
        free_.pop_back();
        return {this, std::move(r)};
      }
    }
    return {this, std::make_unique<router>(idx_)};
  }

  // Routers built so far and not in use.
  std::size_t idle() const {
    std::lock_guard const lock{mutex_};
    return free_.size();
  }

 private:
  void give_back(std::unique_ptr<router> r) {
    std::lock_guard const lock{mutex_};
    free_.push_back(std::move(r));
  }

  index const& idx_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<router>> free_;
};

}  // namespace nebuta::raptor
