// Counts heap allocations by replacing the global operator new/delete, for tests that check a
// steady-state path does not allocate. Include it in exactly one source file of a test binary.
// Every replaceable form that allocates with malloc is replaced, so that the pairs match (also
// under AddressSanitizer).
#pragma once
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace nebuta::test {
inline std::atomic<std::uint64_t> n_allocations{0};
inline std::uint64_t allocations() { return n_allocations.load(); }
}  // namespace nebuta::test

void* operator new(std::size_t n) {
  ++nebuta::test::n_allocations;
  if (auto* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc{};
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::nothrow_t const&) noexcept {
  ++nebuta::test::n_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, std::nothrow_t const&) noexcept { return operator new(n, std::nothrow); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::nothrow_t const&) noexcept { std::free(p); }
void operator delete[](void* p, std::nothrow_t const&) noexcept { std::free(p); }
