#include "core/store/outbox.h"

namespace chorus::core::store {

namespace {

constexpr std::int64_t kPending = 0;

RowId payloadRow(const std::string& key) {
  return RowId{"outbox", "payload", key};
}

}  // namespace

Millis Outbox::backoff(int attempts) const noexcept {
  Millis delay = policy_.firstRetry;
  for (int i = 1; i < attempts && delay < policy_.maxRetry; ++i) delay *= 2;
  return std::min(delay, policy_.maxRetry);
}

Status Outbox::enqueue(std::int64_t localId, BytesView payload, TimePoint now) {
  if (payload.empty()) return fail(Errc::InvalidArgument, "outbox payload is empty");
  CHORUS_TRY(sealed, ctx_.cipher.seal(payloadRow(std::to_string(localId)), payload));
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("INSERT INTO outbox (message_id, payload, state, attempts,"
                                " next_attempt_at, created_at) VALUES (?1, ?2, 0, 0, ?3, ?3)"));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_CHECK(s.bindBlob(2, sealed));
  CHORUS_CHECK(s.bindInt(3, rows::toMillis(now)));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Result<std::vector<OutboxItem>> Outbox::due(TimePoint now, std::size_t limit) {
  CHORUS_TRY(
      s, ctx_.db.prepare("SELECT o.message_id, o.payload, o.attempts, o.created_at, m.wire_id,"
                         " c.jid_key, c.jid FROM outbox o JOIN messages m ON m.id = o.message_id"
                         " JOIN chats c ON c.id = m.chat_id"
                         " WHERE o.state = 0 AND o.next_attempt_at <= ?1 AND o.attempts < ?2"
                         " ORDER BY o.message_id LIMIT ?3"));
  CHORUS_CHECK(s.bindInt(1, rows::toMillis(now)));
  CHORUS_CHECK(s.bindInt(2, policy_.maxAttempts));
  CHORUS_CHECK(s.bindInt(3, static_cast<std::int64_t>(std::min(limit, rows::kMaxPageSize))));
  std::vector<OutboxItem> items;
  for (;;) {
    CHORUS_TRY(hasRow, s.step());
    if (!hasRow) break;
    OutboxItem item;
    item.localId = s.columnInt(0);
    CHORUS_TRY(payload,
               ctx_.cipher.open(payloadRow(std::to_string(item.localId)), s.columnBlob(1)));
    item.payload = toBytes(payload.view());
    item.attempts = static_cast<int>(s.columnInt(2));
    item.createdAt = rows::fromMillis(s.columnInt(3));
    item.id = s.columnText(4);
    CHORUS_TRY(jid,
               rows::openText(ctx_.cipher, RowId{"chats", "jid", rows::jidRowKey(s.columnBlob(5))},
                              s.columnBlob(6)));
    item.chatJid = std::move(jid);
    items.push_back(std::move(item));
  }
  return items;
}

Status Outbox::markAttempted(std::int64_t localId, TimePoint now) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(read, ctx_.db.prepare("SELECT attempts FROM outbox WHERE message_id = ?1"
                                   " AND state = 0"));
  CHORUS_CHECK(read.bindInt(1, localId));
  CHORUS_TRY(hasRow, read.step());
  if (!hasRow) return fail(Errc::NotFound, "no pending outbox item for this message");
  const auto attempts = static_cast<int>(read.columnInt(0)) + 1;
  CHORUS_TRY(s, ctx_.db.prepare("UPDATE outbox SET attempts = ?2, next_attempt_at = ?3"
                                " WHERE message_id = ?1"));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_CHECK(s.bindInt(2, attempts));
  CHORUS_CHECK(s.bindInt(3, rows::toMillis(now + backoff(attempts))));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Status Outbox::settle(std::int64_t localId, api::MessageStatus to, std::string_view reason) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("SELECT m.status FROM outbox o JOIN messages m"
                                " ON m.id = o.message_id WHERE o.message_id = ?1"));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return fail(Errc::NotFound, "no outbox item for this message");
  CHORUS_TRY(from, rows::statusFromCode(s.columnInt(0)));
  CHORUS_TRY(update, rows::applyStatus(ctx_.db, localId, from, to, reason));
  (void)update;  // an ack after a receipt (already Delivered) changes nothing, and is no error
  return tx.commit();
}

Status Outbox::markSent(std::int64_t localId) {
  return settle(localId, api::MessageStatus::Sent, {});
}

Status Outbox::markFailed(std::int64_t localId, std::string_view reason) {
  return settle(localId, api::MessageStatus::Failed, reason);
}

Status Outbox::retryNow(TimePoint now) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("UPDATE outbox SET next_attempt_at = ?1"
                                " WHERE state = 0 AND next_attempt_at > ?1"));
  CHORUS_CHECK(s.bindInt(1, rows::toMillis(now)));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Status Outbox::requeueFailed(std::int64_t localId, TimePoint now) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("UPDATE messages SET status = ?2, failure = NULL"
                                " WHERE id = ?1 AND status = ?3 AND from_me = 1"
                                " AND EXISTS (SELECT 1 FROM outbox WHERE message_id = ?1)"));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_CHECK(s.bindInt(2, rows::statusCode(api::MessageStatus::Queued)));
  CHORUS_CHECK(s.bindInt(3, rows::statusCode(api::MessageStatus::Failed)));
  CHORUS_CHECK(s.run());
  if (ctx_.db.changes() == 0) {
    return fail(Errc::NotFound, "no failed message to retry (or its content is gone)");
  }
  CHORUS_TRY(o, ctx_.db.prepare("UPDATE outbox SET state = 0, attempts = 0, next_attempt_at = ?2,"
                                " last_error = NULL WHERE message_id = ?1"));
  CHORUS_CHECK(o.bindInt(1, localId));
  CHORUS_CHECK(o.bindInt(2, rows::toMillis(now)));
  CHORUS_CHECK(o.run());
  return tx.commit();
}

Result<std::vector<std::int64_t>> Outbox::failExhausted(TimePoint now) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("SELECT o.message_id, m.status FROM outbox o JOIN messages m"
                                " ON m.id = o.message_id WHERE o.state = 0 AND o.attempts >= ?1"
                                " AND o.next_attempt_at <= ?2"));
  CHORUS_CHECK(s.bindInt(1, policy_.maxAttempts));
  CHORUS_CHECK(s.bindInt(2, rows::toMillis(now)));
  std::vector<std::pair<std::int64_t, api::MessageStatus>> exhausted;
  for (;;) {
    CHORUS_TRY(hasRow, s.step());
    if (!hasRow) break;
    CHORUS_TRY(status, rows::statusFromCode(s.columnInt(1)));
    exhausted.emplace_back(s.columnInt(0), status);
  }
  const std::string reason =
      "no server acknowledgement after " + std::to_string(policy_.maxAttempts) + " attempts";
  std::vector<std::int64_t> failed;
  for (const auto& [localId, status] : exhausted) {
    CHORUS_TRY(update,
               rows::applyStatus(ctx_.db, localId, status, api::MessageStatus::Failed, reason));
    if (update.changed) failed.push_back(localId);
  }
  CHORUS_CHECK(tx.commit());
  return failed;
}

Result<std::optional<TimePoint>> Outbox::nextDueAt() {
  CHORUS_TRY(s, ctx_.db.prepare("SELECT min(next_attempt_at) FROM outbox WHERE state = 0"));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow || s.isNull(0)) return std::optional<TimePoint>();
  return std::optional<TimePoint>(rows::fromMillis(s.columnInt(0)));
}

Result<std::optional<Bytes>> Outbox::payload(std::int64_t localId) {
  CHORUS_TRY(s, ctx_.db.prepare("SELECT payload FROM outbox WHERE message_id = ?1"));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return std::optional<Bytes>();
  CHORUS_TRY(plain, ctx_.cipher.open(payloadRow(std::to_string(localId)), s.columnBlob(0)));
  return std::optional<Bytes>(toBytes(plain.view()));
}

Status Outbox::prune(TimePoint cutoff) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("DELETE FROM outbox WHERE state <> ?1 AND created_at < ?2"));
  CHORUS_CHECK(s.bindInt(1, kPending));
  CHORUS_CHECK(s.bindInt(2, rows::toMillis(cutoff)));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

}  // namespace chorus::core::store
