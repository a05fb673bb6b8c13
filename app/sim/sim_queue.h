// SimQueue: stanzas (message, receipt, notification) addressed to one device, kept in sim.db
// until that device acks them (§9.8, §15.5): delivered live when the device is connected and
// again, marked offline, on every later login until acked.
//
// Writes are batched: the first push or ack opens a transaction that commits when control
// returns to the event loop (a zero timer), so a burst of relayed stanzas costs one commit
// instead of one each; push and ack keep their prepared statements. Other writers on the same
// connection use savepoints, which nest inside an open batch.
#pragma once

#include <QObject>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/sim/sim_sqlite.h"
#include "core/protocol/binary/node.h"
#include "core/util/result.h"

struct sqlite3;

namespace chorus::sim {

class SimQueue {
 public:
  explicit SimQueue(sqlite3* db) : db_(db) {}
  ~SimQueue();  // commits an open batch
  SimQueue(const SimQueue&) = delete;
  SimQueue& operator=(const SimQueue&) = delete;

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
  // Commits the open batch now, if any.
  void flush();

 private:
  [[nodiscard]] core::Status beginBatch();

  sqlite3* db_;
  QObject timerContext_;  // the zero timer that ends a batch dies with the queue
  bool batchOpen_ = false;
  std::unique_ptr<SqlStatement> insert_;
  std::unique_ptr<SqlStatement> delete_;
};

}  // namespace chorus::sim
