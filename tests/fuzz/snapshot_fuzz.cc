// libFuzzer target: the timetable snapshot reader (engine/timetable snapshot.cc) on arbitrary
// bytes, both ways: copied (read_snapshot over a span) and read in place (over shared bytes, as
// from a mapped file). The header's checksum is set to the payload's first, so that the fuzzer
// reaches the structural checks behind it instead of being stopped by the checksum.
// Beyond "no crash, no hang": only snapshot_error escapes; both ways accept or refuse alike;
// what is accepted writes back to exactly the input bytes (counts, padding and the end are all
// checked, so nothing in a snapshot goes unread), and the copy equals the view.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "nebuta/core/bytes.h"
#include "nebuta/timetable/snapshot.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace nebuta;
  // 8-aligned, as a mapped file is, so that the in-place path views rather than copies.
  auto const words = std::make_shared<std::vector<std::uint64_t>>((size + 7) / 8);
  auto* const bytes = reinterpret_cast<char*>(words->data());
  if (size != 0) std::memcpy(bytes, data, size);
  constexpr std::size_t header_size = 40, checksum_at = 32;
  if (size >= header_size) {
    auto const sum = checksum64({bytes + header_size, size - header_size});
    std::memcpy(bytes + checksum_at, &sum, sizeof(sum));
  }
  std::span<char const> const input{bytes, size};

  std::vector<snapshot_section> copied_sections, viewed_sections;
  std::unique_ptr<timetable> copied, viewed;
  try {
    copied = std::make_unique<timetable>(read_snapshot(input, &copied_sections));
  } catch (snapshot_error const&) {
  }
  try {
    viewed = std::make_unique<timetable>(read_snapshot(shared_bytes{input, words}, &viewed_sections));
  } catch (snapshot_error const&) {
  }
  require((copied == nullptr) == (viewed == nullptr));
  if (copied == nullptr) return 0;
  auto const again = write_snapshot(*copied, copied_sections);
  require(again.size() == size && std::memcmp(again.data(), bytes, size) == 0);
  auto const again_viewed = write_snapshot(*viewed, viewed_sections);
  require(again_viewed == again);
  require(snapshot_viewed_bytes(*copied) == 0U);
  return 0;
}
