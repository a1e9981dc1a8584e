#include "nebuta/storage/store.h"

#include <filesystem>

#include "nebuta/storage/meta.h"
#include "nebuta/storage/pg_journal.h"

namespace nebuta::storage {

namespace {

class sqlite_store final : public journal_store {
 public:
  explicit sqlite_store(std::filesystem::path path) : path_{std::move(path)} {}
  std::string describe() const override { return path_.string(); }
  bool exists() const override {
    std::error_code ec;
    return std::filesystem::exists(path_, ec);
  }
  journal_contents load() const override { return load_journal(path_); }
  std::unique_ptr<durable_journal> open_journal() override { return std::make_unique<sqlite_journal>(path_); }
  std::string meta_value(std::string const& key, std::string const& value_if_absent) override {
    return storage::meta_value(path_, key, value_if_absent);
  }
  std::optional<std::string> meta_get(std::string const& key) const override { return storage::meta_get(path_, key); }
  void meta_set(std::string const& key, std::string const& value) override { storage::meta_set(path_, key, value); }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::vector<dispatch::command> journal_store::commands_after(std::int64_t seq) const {
  auto contents = load();
  auto const base = contents.base ? contents.base->seq : 0;
  if (seq < base)
    throw journal_error{"journal " + describe() + ": compacted at command " + std::to_string(base) + ", after " +
                        std::to_string(seq)};
  auto const skip = static_cast<std::size_t>(seq - base);
  if (skip >= contents.commands.size()) return {};
  return {contents.commands.begin() + static_cast<std::ptrdiff_t>(skip), contents.commands.end()};
}

bool is_postgresql_uri(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string printable_location(std::string const& location) {
  if (!is_postgresql_uri(location)) return location;
  auto const start = location.find("://") + 3;
  auto const at = location.find('@', start);
  auto const colon = location.find(':', start);
  auto out = location;
  if (at != std::string::npos && colon < at) out.erase(colon, at - colon);
  auto const q = out.find('?');
  if (q != std::string::npos && out.find("password", q) != std::string::npos) out.erase(q);
  return out;
}

std::unique_ptr<journal_store> open_store(std::string const& location, std::string const& service_area) {
  if (is_postgresql_uri(location)) return std::make_unique<pg_store>(location, service_area);
  return std::make_unique<sqlite_store>(location);
}

}  // namespace nebuta::storage
