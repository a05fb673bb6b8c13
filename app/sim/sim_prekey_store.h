// SimPreKeyStore: the one-time prekeys each device uploaded (§8.2, §15.4), in sim.db. A bundle
// fetch takes (hands out and deletes) the lowest-numbered one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/result.h"

struct sqlite3;

namespace chorus::sim {

struct OneTimePreKey {
  std::uint32_t id = 0;   // 24-bit
  core::Bytes publicKey;  // 32 bytes
};

class SimPreKeyStore {
 public:
  explicit SimPreKeyStore(sqlite3* db) : db_(db) {}

  [[nodiscard]] core::Result<std::size_t> count(std::string_view phone, std::uint32_t device);
  // Adds (or replaces, by id) keys for an existing device.
  [[nodiscard]] core::Status add(std::string_view phone, std::uint32_t device,
                                 const std::vector<OneTimePreKey>& keys);
  // Removes and returns the lowest-numbered key; nullopt when none is left.
  [[nodiscard]] core::Result<std::optional<OneTimePreKey>> take(std::string_view phone,
                                                               std::uint32_t device);

 private:
  sqlite3* db_;
};

}  // namespace chorus::sim
