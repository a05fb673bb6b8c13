// Outbox: the durable queue of outgoing messages of one account (architecture §4). A message
// enters it together with its row in `messages` (MessageStore::insertOutgoing, one
// transaction) with its wire id already chosen, so every resend — after a dropped connection or
// a crash — is the same message. All state is in SQLite; nothing is kept in memory.
//
// The session drives it with `now`:
//   due(now)                items whose next attempt is due, in the order written (send only
//                           while the number is ready)
//   markAttempted(id, now)  handed to the connection: attempts + 1, and unless a server ack
//                           comes first the item is due again after the backoff
//                           (firstRetry · 2^(attempts-1), capped at maxRetry)
//   markSent(id)            the server acked: the message becomes Sent, the item leaves the
//                           queue; its payload stays for peers' retry receipts until pruned
//   markFailed(id, reason)  a permanent refusal: the message becomes Failed
//   retryNow(now)           after a reconnect: every pending item is due at once
//   failExhausted(now)      items with maxAttempts attempts and no ack become Failed
//   nextDueAt()             for the session's next deadline
// Receipts that prove arrival settle the item as well (MessageStore::addReceipt).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/message_rows.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::store {

struct OutboxPolicy {
  Millis firstRetry{5'000};
  Millis maxRetry{300'000};
  int maxAttempts = 8;
};

struct OutboxItem {
  std::int64_t localId = 0;  // the message's local id (api::MessageView::localId)
  std::string chatJid;
  std::string id;  // wire id
  Bytes payload;   // what insertOutgoing was given (the serialized Message)
  int attempts = 0;
  TimePoint createdAt{};
};

class Outbox {
 public:
  Outbox(Database& db, const ColumnCipher& cipher, const MessageLookupKey& lookup,
         OutboxPolicy policy = {}) noexcept
      : ctx_{db, cipher, lookup}, policy_(policy) {}

  // Queues the outgoing message `localId` (its row must exist). InvalidArgument for an empty
  // payload; Storage when it is already queued.
  [[nodiscard]] Status enqueue(std::int64_t localId, BytesView payload, TimePoint now);

  [[nodiscard]] Result<std::vector<OutboxItem>> due(TimePoint now, std::size_t limit);
  [[nodiscard]] Status markAttempted(std::int64_t localId, TimePoint now);
  [[nodiscard]] Status markSent(std::int64_t localId);
  [[nodiscard]] Status markFailed(std::int64_t localId, std::string_view reason);
  [[nodiscard]] Status retryNow(TimePoint now);
  // The person asks to try a Failed message again: back to Queued with a fresh attempt count,
  // due now, same id. NotFound unless it is a failed outgoing message whose payload is kept.
  [[nodiscard]] Status requeueFailed(std::int64_t localId, TimePoint now);
  // The local ids that became Failed.
  [[nodiscard]] Result<std::vector<std::int64_t>> failExhausted(TimePoint now);
  [[nodiscard]] Result<std::optional<TimePoint>> nextDueAt();
  // The payload of a queued or sent message, for answering a retry receipt; nullopt when it
  // was never queued or has been pruned.
  [[nodiscard]] Result<std::optional<Bytes>> payload(std::int64_t localId);
  // Forgets the payloads of messages sent or failed before `cutoff` (by creation time).
  [[nodiscard]] Status prune(TimePoint cutoff);

  [[nodiscard]] Millis backoff(int attempts) const noexcept;

 private:
  [[nodiscard]] Status settle(std::int64_t localId, api::MessageStatus to, std::string_view reason);

  rows::Context ctx_;
  OutboxPolicy policy_;
};

}  // namespace chorus::core::store
