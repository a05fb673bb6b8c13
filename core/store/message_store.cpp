#include "core/store/message_store.h"

namespace chorus::core::store {

namespace {

constexpr std::string_view kInsertMessage =
    "INSERT INTO messages (chat_id, wire_id, sender_key, sender_jid, sender_device, from_me,"
    " kind, status, timestamp, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (chat_id, sender_key, wire_id) DO NOTHING";

constexpr std::string_view kFindMessage =
    "SELECT id, kind FROM messages WHERE chat_id = ?1 AND sender_key = ?2 AND wire_id = ?3";

// The preview follows the newest message by (timestamp, insert order); an older message that
// arrives late (offline delivery) is stored without taking the preview.
constexpr std::string_view kTouchChat =
    "UPDATE chats SET"
    " last_message_id = CASE WHEN last_message_id IS NULL OR ?3 >= last_activity"
    " THEN ?2 ELSE last_message_id END,"
    " last_activity = max(last_activity, ?3),"
    " unread_count = unread_count + ?4 WHERE id = ?1";

// Per participant: has any of its devices delivered / read?
constexpr std::string_view kAggregate =
    "SELECT count(*), coalesce(sum(delivered), 0), coalesce(sum(seen), 0) FROM"
    " (SELECT max(delivered_at IS NOT NULL) AS delivered, max(read_at IS NOT NULL) AS seen"
    "  FROM receipts WHERE message_id = ?1 GROUP BY participant_key)";

constexpr std::string_view kUpsertReceipt =
    "INSERT INTO receipts (message_id, device_key, participant_key, delivered_at, read_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (message_id, device_key) DO UPDATE SET"
    " delivered_at = coalesce(delivered_at, excluded.delivered_at),"
    " read_at = coalesce(read_at, excluded.read_at)";

api::MessageStatus incomingStatus(const IncomingMessage& m) noexcept {
  if (m.fromMe) return api::MessageStatus::Sent;
  // System notices are never unread and never get a read receipt.
  return m.kind == api::MessageKind::System ? api::MessageStatus::Read
                                            : api::MessageStatus::Delivered;
}

}  // namespace

Status MessageStore::touchChat(std::int64_t chatId, std::int64_t localId, TimePoint timestamp,
                               bool countUnread) {
  CHORUS_TRY(s, ctx_.db.prepare(kTouchChat));
  CHORUS_CHECK(s.bindInt(1, chatId));
  CHORUS_CHECK(s.bindInt(2, localId));
  CHORUS_CHECK(s.bindInt(3, rows::toMillis(timestamp)));
  CHORUS_CHECK(s.bindInt(4, countUnread ? 1 : 0));
  return s.run();
}

Result<InsertResult> MessageStore::insertIncoming(const IncomingMessage& m) {
  CHORUS_CHECK(rows::checkJid(m.chatJid, "chat"));
  CHORUS_CHECK(rows::checkWireId(m.id));
  if (!m.fromMe) CHORUS_CHECK(rows::checkJid(m.senderJid, "sender"));

  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(chatId, rows::ensureChat(ctx_, m.chatJid, m.timestamp));
  const Bytes senderKey = m.fromMe ? Bytes{} : ctx_.lookup.jidKey(m.senderJid);
  const std::string rowKey = rows::messageRowKey(chatId, senderKey, m.id);
  const bool hasBody = m.kind != api::MessageKind::Placeholder;
  Bytes body;
  if (hasBody) {
    CHORUS_TRY(sealed, ctx_.cipher.seal(RowId{"messages", "body", rowKey}, asBytes(m.text)));
    body = std::move(sealed);
  }

  CHORUS_TRY(insert, ctx_.db.prepare(kInsertMessage));
  CHORUS_CHECK(insert.bindInt(1, chatId));
  CHORUS_CHECK(insert.bindText(2, m.id));
  CHORUS_CHECK(insert.bindBlob(3, senderKey));
  if (m.fromMe) {
    CHORUS_CHECK(insert.bindNull(4));
  } else {
    CHORUS_TRY(sender,
               ctx_.cipher.seal(RowId{"messages", "sender_jid", rowKey}, asBytes(m.senderJid)));
    CHORUS_CHECK(insert.bindBlob(4, sender));
  }
  CHORUS_CHECK(insert.bindInt(5, m.fromMe ? 0 : m.senderDevice));
  CHORUS_CHECK(insert.bindInt(6, m.fromMe ? 1 : 0));
  CHORUS_CHECK(insert.bindInt(7, rows::kindCode(m.kind)));
  CHORUS_CHECK(insert.bindInt(8, rows::statusCode(incomingStatus(m))));
  CHORUS_CHECK(insert.bindInt(9, rows::toMillis(m.timestamp)));
  if (hasBody) {
    CHORUS_CHECK(insert.bindBlob(10, body));
  } else {
    CHORUS_CHECK(insert.bindNull(10));
  }
  CHORUS_CHECK(insert.run());

  if (ctx_.db.changes() == 1) {
    const std::int64_t localId = ctx_.db.lastInsertRowId();
    CHORUS_CHECK(
        touchChat(chatId, localId, m.timestamp, !m.fromMe && m.kind != api::MessageKind::System));
    CHORUS_CHECK(tx.commit());
    return InsertResult{InsertOutcome::Inserted, localId};
  }

  // Seen before: a redelivery, or the content of what was a placeholder.
  CHORUS_TRY(find, ctx_.db.prepare(kFindMessage));
  CHORUS_CHECK(find.bindInt(1, chatId));
  CHORUS_CHECK(find.bindBlob(2, senderKey));
  CHORUS_CHECK(find.bindText(3, m.id));
  CHORUS_TRY(found, find.step());
  if (!found) return fail(Errc::Internal, "message neither inserted nor found");
  const std::int64_t localId = find.columnInt(0);
  CHORUS_TRY(storedKind, rows::kindFromCode(find.columnInt(1)));
  if (storedKind != api::MessageKind::Placeholder || !hasBody) {
    CHORUS_CHECK(tx.commit());
    return InsertResult{InsertOutcome::Duplicate, localId};
  }
  CHORUS_TRY(fill, ctx_.db.prepare("UPDATE messages SET kind = ?2, body = ?3 WHERE id = ?1"));
  CHORUS_CHECK(fill.bindInt(1, localId));
  CHORUS_CHECK(fill.bindInt(2, rows::kindCode(m.kind)));
  CHORUS_CHECK(fill.bindBlob(3, body));
  CHORUS_CHECK(fill.run());
  CHORUS_CHECK(tx.commit());
  return InsertResult{InsertOutcome::Resolved, localId};
}

Result<InsertResult> MessageStore::insertOutgoing(const OutgoingMessage& m, TimePoint now) {
  CHORUS_CHECK(rows::checkJid(m.chatJid, "chat"));
  CHORUS_CHECK(rows::checkWireId(m.id));
  if (m.payload.empty()) return fail(Errc::InvalidArgument, "outgoing message has no payload");

  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(chatId, rows::ensureChat(ctx_, m.chatJid, m.timestamp));
  const std::string rowKey = rows::messageRowKey(chatId, {}, m.id);
  CHORUS_TRY(body, ctx_.cipher.seal(RowId{"messages", "body", rowKey}, asBytes(m.text)));

  CHORUS_TRY(insert, ctx_.db.prepare(kInsertMessage));
  CHORUS_CHECK(insert.bindInt(1, chatId));
  CHORUS_CHECK(insert.bindText(2, m.id));
  CHORUS_CHECK(insert.bindBlob(3, Bytes{}));
  CHORUS_CHECK(insert.bindNull(4));
  CHORUS_CHECK(insert.bindInt(5, 0));
  CHORUS_CHECK(insert.bindInt(6, 1));
  CHORUS_CHECK(insert.bindInt(7, rows::kindCode(api::MessageKind::Text)));
  CHORUS_CHECK(insert.bindInt(8, rows::statusCode(api::MessageStatus::Queued)));
  CHORUS_CHECK(insert.bindInt(9, rows::toMillis(m.timestamp)));
  CHORUS_CHECK(insert.bindBlob(10, body));
  CHORUS_CHECK(insert.run());

  if (ctx_.db.changes() != 1) {
    CHORUS_TRY(find, ctx_.db.prepare(kFindMessage));
    CHORUS_CHECK(find.bindInt(1, chatId));
    CHORUS_CHECK(find.bindBlob(2, Bytes{}));
    CHORUS_CHECK(find.bindText(3, m.id));
    CHORUS_TRY(found, find.step());
    if (!found) return fail(Errc::Internal, "message neither inserted nor found");
    const std::int64_t localId = find.columnInt(0);
    CHORUS_CHECK(tx.commit());
    return InsertResult{InsertOutcome::Duplicate, localId};
  }
  const std::int64_t localId = ctx_.db.lastInsertRowId();
  CHORUS_CHECK(touchChat(chatId, localId, m.timestamp, false));
  CHORUS_CHECK(outbox_.enqueue(localId, m.payload, now));
  CHORUS_CHECK(tx.commit());
  return InsertResult{InsertOutcome::Inserted, localId};
}

Result<StatusUpdate> MessageStore::setStatus(std::string_view chatJid, std::string_view id,
                                             api::MessageStatus status, std::string_view reason) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(ref, rows::findOutgoing(ctx_, chatJid, id));
  CHORUS_TRY(update, rows::applyStatus(ctx_.db, ref.localId, ref.status, status, reason));
  CHORUS_CHECK(tx.commit());
  return update;
}

Result<rows::OutgoingRef> MessageStore::findOutgoing(std::string_view chatJid,
                                                     std::string_view id) {
  return rows::findOutgoing(ctx_, chatJid, id);
}

Status MessageStore::expectRecipients(std::string_view chatJid, std::string_view id,
                                      std::span<const Recipient> recipients) {
  for (const Recipient& r : recipients) {
    CHORUS_CHECK(rows::checkJid(r.participantJid, "participant"));
    CHORUS_CHECK(rows::checkJid(r.deviceJid, "device"));
  }
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(ref, rows::findOutgoing(ctx_, chatJid, id));
  CHORUS_TRY(s, ctx_.db.prepare("INSERT OR IGNORE INTO receipts (message_id, device_key,"
                                " participant_key) VALUES (?1, ?2, ?3)"));
  for (const Recipient& r : recipients) {
    CHORUS_CHECK(s.bindInt(1, ref.localId));
    CHORUS_CHECK(s.bindBlob(2, ctx_.lookup.jidKey(r.deviceJid)));
    CHORUS_CHECK(s.bindBlob(3, ctx_.lookup.jidKey(r.participantJid)));
    CHORUS_CHECK(s.run());
    s.reset();
  }
  return tx.commit();
}

Result<StatusUpdate> MessageStore::addReceipt(std::string_view chatJid, std::string_view id,
                                              const DeviceReceipt& receipt) {
  CHORUS_CHECK(rows::checkJid(receipt.from.participantJid, "participant"));
  CHORUS_CHECK(rows::checkJid(receipt.from.deviceJid, "device"));
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(ref, rows::findOutgoing(ctx_, chatJid, id));

  const std::int64_t at = rows::toMillis(receipt.at);
  CHORUS_TRY(upsert, ctx_.db.prepare(kUpsertReceipt));
  CHORUS_CHECK(upsert.bindInt(1, ref.localId));
  CHORUS_CHECK(upsert.bindBlob(2, ctx_.lookup.jidKey(receipt.from.deviceJid)));
  CHORUS_CHECK(upsert.bindBlob(3, ctx_.lookup.jidKey(receipt.from.participantJid)));
  CHORUS_CHECK(upsert.bindInt(4, at));  // read implies delivered
  if (receipt.type == ReceiptType::Read) {
    CHORUS_CHECK(upsert.bindInt(5, at));
  } else {
    CHORUS_CHECK(upsert.bindNull(5));
  }
  CHORUS_CHECK(upsert.run());

  CHORUS_TRY(agg, ctx_.db.prepare(kAggregate));
  CHORUS_CHECK(agg.bindInt(1, ref.localId));
  CHORUS_TRY(hasRow, agg.step());
  if (!hasRow) return fail(Errc::Internal, "receipt aggregate returned no row");
  const std::int64_t participants = agg.columnInt(0);
  const std::int64_t delivered = agg.columnInt(1);
  const std::int64_t seen = agg.columnInt(2);
  const bool group = ref.chatKind == api::ChatKind::Group;
  const auto reached = [&](std::int64_t count) {
    return group ? count == participants && count > 0 : count > 0;
  };
  StatusUpdate update{false, ref.status};
  if (reached(seen)) {
    CHORUS_TRY(u,
               rows::applyStatus(ctx_.db, ref.localId, ref.status, api::MessageStatus::Read, {}));
    update = u;
  } else if (reached(delivered)) {
    CHORUS_TRY(
        u, rows::applyStatus(ctx_.db, ref.localId, ref.status, api::MessageStatus::Delivered, {}));
    update = u;
  }
  CHORUS_CHECK(tx.commit());
  return update;
}

Result<std::vector<ReadReceiptTarget>> MessageStore::markChatRead(std::string_view chatJid) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(chat, rows::findChat(ctx_, chatJid));
  std::vector<ReadReceiptTarget> targets;
  if (!chat) {
    CHORUS_CHECK(tx.commit());
    return targets;
  }
  const std::int64_t chatId = *chat;
  CHORUS_TRY(s, ctx_.db.prepare("SELECT wire_id, sender_key, sender_jid, sender_device"
                                " FROM messages WHERE chat_id = ?1 AND from_me = 0 AND status = 2"
                                " ORDER BY timestamp, id"));
  CHORUS_CHECK(s.bindInt(1, chatId));
  for (;;) {
    CHORUS_TRY(hasRow, s.step());
    if (!hasRow) break;
    ReadReceiptTarget target;
    target.id = s.columnText(0);
    const std::string rowKey = rows::messageRowKey(chatId, s.columnBlob(1), target.id);
    CHORUS_TRY(sender, rows::openText(ctx_.cipher, RowId{"messages", "sender_jid", rowKey},
                                      s.columnBlob(2)));
    target.senderJid = std::move(sender);
    target.senderDevice = static_cast<std::uint32_t>(s.columnInt(3));
    targets.push_back(std::move(target));
  }
  CHORUS_TRY(read, ctx_.db.prepare("UPDATE messages SET status = 3 WHERE chat_id = ?1"
                                   " AND from_me = 0 AND status = 2"));
  CHORUS_CHECK(read.bindInt(1, chatId));
  CHORUS_CHECK(read.run());
  CHORUS_TRY(zero, ctx_.db.prepare("UPDATE chats SET unread_count = 0 WHERE id = ?1"));
  CHORUS_CHECK(zero.bindInt(1, chatId));
  CHORUS_CHECK(zero.run());
  CHORUS_CHECK(tx.commit());
  return targets;
}

}  // namespace chorus::core::store
