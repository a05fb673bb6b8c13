#include "core/store/message_rows.h"

namespace chorus::core::store::rows {

namespace {

constexpr std::string_view kGroupSuffix = "@g.us";
constexpr std::size_t kMaxJidLength = 256;

constexpr std::string_view kFindChat = "SELECT id FROM chats WHERE jid_key = ?1";
constexpr std::string_view kInsertChat =
    "INSERT INTO chats (jid_key, jid, kind, created_at) VALUES (?1, ?2, ?3, ?4)";

int rank(api::MessageStatus status) noexcept {
  switch (status) {
    case api::MessageStatus::Queued: return 0;
    case api::MessageStatus::Sent: return 1;
    case api::MessageStatus::Delivered: return 2;
    case api::MessageStatus::Read: return 3;
    case api::MessageStatus::Failed: return -1;
  }
  return -1;
}

}  // namespace

std::int64_t toMillis(TimePoint t) noexcept {
  return t.time_since_epoch().count();
}

TimePoint fromMillis(std::int64_t ms) noexcept {
  return TimePoint(Millis(ms));
}

std::int64_t statusCode(api::MessageStatus status) noexcept {
  switch (status) {
    case api::MessageStatus::Queued: return 0;
    case api::MessageStatus::Sent: return 1;
    case api::MessageStatus::Delivered: return 2;
    case api::MessageStatus::Read: return 3;
    case api::MessageStatus::Failed: return 4;
  }
  return 0;
}

Result<api::MessageStatus> statusFromCode(std::int64_t code) {
  switch (code) {
    case 0: return api::MessageStatus::Queued;
    case 1: return api::MessageStatus::Sent;
    case 2: return api::MessageStatus::Delivered;
    case 3: return api::MessageStatus::Read;
    case 4: return api::MessageStatus::Failed;
    default: return fail(Errc::Storage, "stored message status is unknown");
  }
}

std::int64_t kindCode(api::MessageKind kind) noexcept {
  switch (kind) {
    case api::MessageKind::Text: return 0;
    case api::MessageKind::Placeholder: return 1;
    case api::MessageKind::System: return 2;
  }
  return 0;
}

Result<api::MessageKind> kindFromCode(std::int64_t code) {
  switch (code) {
    case 0: return api::MessageKind::Text;
    case 1: return api::MessageKind::Placeholder;
    case 2: return api::MessageKind::System;
    default: return fail(Errc::Storage, "stored message kind is unknown");
  }
}

api::ChatKind chatKindOf(std::string_view chatJid) noexcept {
  return chatJid.ends_with(kGroupSuffix) ? api::ChatKind::Group : api::ChatKind::Direct;
}

std::string jidRowKey(BytesView jidKey) {
  return toHex(jidKey);
}

std::string messageRowKey(std::int64_t chatId, BytesView senderKey, std::string_view wireId) {
  // Three parts joined by the unit separator; none of them can contain it (the chat id is a
  // number, the sender key hex, and wire ids are checked by checkWireId).
  std::string key = std::to_string(chatId);
  key += '\x1f';
  key += senderKey.empty() ? std::string("me") : toHex(senderKey);
  key += '\x1f';
  key += wireId;
  return key;
}

Result<std::string> openText(const ColumnCipher& cipher, const RowId& row, BytesView stored) {
  CHORUS_TRY(plain, cipher.open(row, stored));
  return std::string(asString(plain.view()));
}

Status checkJid(std::string_view jid, std::string_view what) {
  if (jid.empty() || jid.size() > kMaxJidLength || jid.find('@') == std::string_view::npos) {
    return fail(Errc::InvalidArgument, std::string(what) + " is not a JID");
  }
  return ok();
}

Status checkWireId(std::string_view id) {
  if (id.empty() || id.size() > kMaxWireIdLength) {
    return fail(Errc::InvalidArgument,
                "message id must be 1.." + std::to_string(kMaxWireIdLength) + " characters");
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return fail(Errc::InvalidArgument, "message id holds a control character");
    }
  }
  return ok();
}

Result<std::optional<std::int64_t>> findChat(const Context& ctx, std::string_view chatJid) {
  CHORUS_CHECK(checkJid(chatJid, "chat"));
  CHORUS_TRY(s, ctx.db.prepare(kFindChat));
  CHORUS_CHECK(s.bindBlob(1, ctx.lookup.jidKey(chatJid)));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(s.columnInt(0));
}

Result<std::int64_t> ensureChat(const Context& ctx, std::string_view chatJid, TimePoint now) {
  CHORUS_CHECK(checkJid(chatJid, "chat"));
  const Bytes key = ctx.lookup.jidKey(chatJid);
  CHORUS_TRY(find, ctx.db.prepare(kFindChat));
  CHORUS_CHECK(find.bindBlob(1, key));
  CHORUS_TRY(found, find.step());
  if (found) return find.columnInt(0);

  const std::string rowKey = jidRowKey(key);
  CHORUS_TRY(sealedJid, ctx.cipher.seal(RowId{"chats", "jid", rowKey}, asBytes(chatJid)));
  CHORUS_TRY(insert, ctx.db.prepare(kInsertChat));
  CHORUS_CHECK(insert.bindBlob(1, key));
  CHORUS_CHECK(insert.bindBlob(2, sealedJid));
  CHORUS_CHECK(insert.bindInt(3, chatKindOf(chatJid) == api::ChatKind::Group ? 1 : 0));
  CHORUS_CHECK(insert.bindInt(4, toMillis(now)));
  CHORUS_CHECK(insert.run());
  return ctx.db.lastInsertRowId();
}

bool isStatusAdvance(api::MessageStatus from, api::MessageStatus to) noexcept {
  if (from == to) return false;
  if (to == api::MessageStatus::Failed) {
    return from == api::MessageStatus::Queued || from == api::MessageStatus::Sent;
  }
  if (from == api::MessageStatus::Failed) return to != api::MessageStatus::Queued;
  return rank(to) > rank(from);
}

Result<StatusUpdate> applyStatus(Database& db, std::int64_t localId, api::MessageStatus from,
                                 api::MessageStatus to, std::string_view reason) {
  if (!isStatusAdvance(from, to)) return StatusUpdate{false, from};
  const bool failed = to == api::MessageStatus::Failed;
  CHORUS_TRY(update, db.prepare("UPDATE messages SET status = ?2, failure = ?3 WHERE id = ?1"));
  CHORUS_CHECK(update.bindInt(1, localId));
  CHORUS_CHECK(update.bindInt(2, statusCode(to)));
  if (failed) {
    CHORUS_CHECK(update.bindText(3, reason.empty() ? std::string_view("failed") : reason));
  } else {
    CHORUS_CHECK(update.bindNull(3));
  }
  CHORUS_CHECK(update.run());
  // The outbox follows the message: evidence of arrival ends the sending, failure stops it.
  CHORUS_TRY(outbox, db.prepare(failed ? "UPDATE outbox SET state = 2, last_error = ?2"
                                         " WHERE message_id = ?1 AND state = 0"
                                       : "UPDATE outbox SET state = 1"
                                         " WHERE message_id = ?1 AND state <> 1"));
  CHORUS_CHECK(outbox.bindInt(1, localId));
  if (failed) CHORUS_CHECK(outbox.bindText(2, reason));
  CHORUS_CHECK(outbox.run());
  return StatusUpdate{true, to};
}

Result<OutgoingRef> findOutgoing(const Context& ctx, std::string_view chatJid,
                                 std::string_view wireId) {
  CHORUS_CHECK(checkJid(chatJid, "chat"));
  CHORUS_CHECK(checkWireId(wireId));
  CHORUS_TRY(s, ctx.db.prepare("SELECT m.id, m.status, c.kind FROM messages m"
                               " JOIN chats c ON c.id = m.chat_id"
                               " WHERE c.jid_key = ?1 AND m.sender_key = x'' AND m.wire_id = ?2"));
  CHORUS_CHECK(s.bindBlob(1, ctx.lookup.jidKey(chatJid)));
  CHORUS_CHECK(s.bindText(2, wireId));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return fail(Errc::NotFound, "no outgoing message with this id in this chat");
  CHORUS_TRY(status, statusFromCode(s.columnInt(1)));
  return OutgoingRef{s.columnInt(0), status,
                     s.columnInt(2) == 1 ? api::ChatKind::Group : api::ChatKind::Direct};
}

Result<api::MessageView> readMessage(const ColumnCipher& cipher, const Statement& s, int first) {
  api::MessageView v;
  v.localId = s.columnInt(first);
  const std::int64_t chatId = s.columnInt(first + 1);
  v.id = s.columnText(first + 2);
  const Bytes senderKey = s.columnBlob(first + 3);
  const bool fromMe = s.columnInt(first + 5) != 0;
  v.direction = fromMe ? api::MessageDirection::Outgoing : api::MessageDirection::Incoming;
  CHORUS_TRY(kind, kindFromCode(s.columnInt(first + 6)));
  CHORUS_TRY(status, statusFromCode(s.columnInt(first + 7)));
  v.kind = kind;
  v.status = status;
  v.failureReason = s.columnText(first + 8);
  v.timestamp = fromMillis(s.columnInt(first + 9));

  const std::string rowKey = messageRowKey(chatId, senderKey, v.id);
  if (!s.isNull(first + 10)) {
    CHORUS_TRY(text, openText(cipher, RowId{"messages", "body", rowKey}, s.columnBlob(first + 10)));
    v.text = std::move(text);
  }
  if (!fromMe && !s.isNull(first + 4)) {
    CHORUS_TRY(sender,
               openText(cipher, RowId{"messages", "sender_jid", rowKey}, s.columnBlob(first + 4)));
    v.senderJid = std::move(sender);
  }
  if (!fromMe && !s.isNull(first + 11)) {
    CHORUS_TRY(name, openText(cipher, RowId{"contact_names", "push_name", jidRowKey(senderKey)},
                              s.columnBlob(first + 11)));
    v.senderName = std::move(name);
  }
  return v;
}

}  // namespace chorus::core::store::rows
