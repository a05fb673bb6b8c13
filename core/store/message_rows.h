// Shared by the message store classes (MessageStore, ChatStore, MessageQuery, ContactStore,
// Outbox): the codes stored for enums, the RowIds of sealed columns, the chat upsert, the
// status rules and the decoding of a message row into an api::MessageView. Internal to
// core/store; the tables are described in message_schema.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/api/message_types.h"
#include "core/store/column_cipher.h"
#include "core/store/database.h"
#include "core/store/message_lookup_key.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::store::rows {

inline constexpr std::size_t kMaxWireIdLength = 128;
inline constexpr std::size_t kMaxPageSize = 1000;

// What every message store class works on; all three must outlive it.
struct Context {
  Database& db;
  const ColumnCipher& cipher;
  const MessageLookupKey& lookup;
};

[[nodiscard]] std::int64_t toMillis(TimePoint t) noexcept;
[[nodiscard]] TimePoint fromMillis(std::int64_t ms) noexcept;

[[nodiscard]] std::int64_t statusCode(api::MessageStatus status) noexcept;
[[nodiscard]] Result<api::MessageStatus> statusFromCode(std::int64_t code);
[[nodiscard]] std::int64_t kindCode(api::MessageKind kind) noexcept;
[[nodiscard]] Result<api::MessageKind> kindFromCode(std::int64_t code);
[[nodiscard]] api::ChatKind chatKindOf(std::string_view chatJid) noexcept;

// The primary-key text of sealed values: a chat or contact by the hex of its JID key, a
// message by (chat id, author key, wire id) — its identity on the wire, known before insert.
[[nodiscard]] std::string jidRowKey(BytesView jidKey);
[[nodiscard]] std::string messageRowKey(std::int64_t chatId, BytesView senderKey,
                                        std::string_view wireId);

[[nodiscard]] Result<std::string> openText(const ColumnCipher& cipher, const RowId& row,
                                           BytesView stored);

[[nodiscard]] Status checkJid(std::string_view jid, std::string_view what);
[[nodiscard]] Status checkWireId(std::string_view id);

// The chat's id, creating the row (kind from the JID) when it is missing. Call inside a
// transaction.
[[nodiscard]] Result<std::int64_t> ensureChat(const Context& ctx, std::string_view chatJid,
                                              TimePoint now);
// The chat's id or nullopt.
[[nodiscard]] Result<std::optional<std::int64_t>> findChat(const Context& ctx,
                                                           std::string_view chatJid);

// The status rules (architecture §4): Queued → Sent → Delivered → Read, never backwards;
// Failed only from Queued or Sent; Failed is left only for Sent/Delivered/Read, i.e. when a
// server ack or a receipt proves the message did arrive.
[[nodiscard]] bool isStatusAdvance(api::MessageStatus from, api::MessageStatus to) noexcept;

struct StatusUpdate {
  bool changed = false;
  api::MessageStatus status = api::MessageStatus::Queued;  // the status after the call
};

// Applies `to` to the outgoing message `localId` whose status is `from` if the rules allow,
// and settles its outbox row (sent → state sent; failed → state failed). Call inside a
// transaction.
[[nodiscard]] Result<StatusUpdate> applyStatus(Database& db, std::int64_t localId,
                                               api::MessageStatus from, api::MessageStatus to,
                                               std::string_view reason);

// An outgoing message by chat and wire id: its local id and status; NotFound when unknown.
struct OutgoingRef {
  std::int64_t localId = 0;
  api::MessageStatus status = api::MessageStatus::Queued;
  api::ChatKind chatKind = api::ChatKind::Direct;
};
[[nodiscard]] Result<OutgoingRef> findOutgoing(const Context& ctx, std::string_view chatJid,
                                               std::string_view wireId);

// The message columns every view query selects, as `m` joined with the author's contact `mc`:
//   FROM messages m LEFT JOIN contact_names mc ON mc.jid_key = m.sender_key
inline constexpr std::string_view kMessageColumns =
    "m.id, m.chat_id, m.wire_id, m.sender_key, m.sender_jid, m.from_me, m.kind, m.status,"
    " m.failure, m.timestamp, m.body, mc.push_name";
inline constexpr int kMessageColumnCount = 12;

// Decodes the kMessageColumns starting at `first`.
[[nodiscard]] Result<api::MessageView> readMessage(const ColumnCipher& cipher, const Statement& s,
                                                   int first);

}  // namespace chorus::core::store::rows
