// SimQueue: stanzas (message, receipt, notification) addressed to one device, kept in sim.db
// until that device acks them (§9.8, §15.5): delivered live when the device is connected and
// again, marked offline, on every later login until acked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/util/result.h"

struct sqlite3;

namespace chorus::sim {

class SimQueue {
 public:
  explicit SimQueue(sqlite3* db) : db_(db) {}

  // Persists `node` for the device. Its class is its tag; `id` its id attribute.
  [[nodiscard]] core::Status push(std::string_view phone, std::uint32_t device,
                                  const core::binary::Node& node);
  // Everything still queued for the device, oldest first.
  [[nodiscard]] core::Result<std::vector<core::binary::Node>> pending(std::string_view phone,
                                                                     std::uint32_t device);
  // Drops the device's queued stanzas of that class and id; returns how many were dropped.
  [[nodiscard]] core::Result<std::size_t> ack(std::string_view phone, std::uint32_t device,
                                              std::string_view stanzaClass, std::string_view id);
  [[nodiscard]] core::Result<std::size_t> size(std::string_view phone, std::uint32_t device);

 private:
  sqlite3* db_;
};

}  // namespace chorus::sim
