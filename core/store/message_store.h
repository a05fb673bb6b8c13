// MessageStore: the writes of one account's message store (architecture §4) — incoming and
// outgoing messages, their status, per-device receipts and reading a chat. Every call is one
// transaction, or a savepoint inside the caller's (Database::begin), so the session can store
// a decrypted message together with its new Signal state and commit both before it acks.
//
// Exactly once: a message is known by (chat, author, wire id); storing it again reports
// Duplicate and changes nothing — except that a placeholder ("waiting for this message") is
// filled in when the real content arrives later (Resolved).
//
// Status of outgoing messages: Queued → Sent → Delivered → Read, never backwards; Failed only
// from Queued or Sent, and left only on proof of arrival (rows::isStatusAdvance). Receipts are
// kept per recipient device and aggregated as WhatsApp shows them:
//   direct chat  Delivered as soon as any device of the peer has it, Read once any has read;
//   group        per participant: Delivered when every participant has it on at least one
//                device, Read when every participant has read. The participants are those
//                named by expectRecipients() at send time plus any that sent a receipt; call
//                expectRecipients() with the fan-out, or the first receipt decides.
// Receipts from our own other devices (type "sender") must not be passed in: they say nothing
// about the recipients.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/message_types.h"
#include "core/store/message_rows.h"
#include "core/store/outbox.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::store {

enum class InsertOutcome { Inserted, Duplicate, Resolved };

struct InsertResult {
  InsertOutcome outcome = InsertOutcome::Inserted;
  std::int64_t localId = 0;  // the stored message (the existing one for Duplicate)
};

struct IncomingMessage {
  std::string chatJid;    // the peer's user JID (direct) or the group JID
  std::string senderJid;  // the author's user JID without device; the peer in a direct chat
  std::uint32_t senderDevice = 0;
  std::string id;  // wire id
  TimePoint timestamp{};
  api::MessageKind kind = api::MessageKind::Text;
  std::string text;     // empty for a placeholder
  bool fromMe = false;  // a copy of our own message sent by another of our devices
};

struct OutgoingMessage {
  std::string chatJid;
  std::string id;  // made beforehand with newMessageId()
  TimePoint timestamp{};
  std::string text;  // what the UI shows
  Bytes payload;     // what goes on the wire (serialized Message), sealed in the outbox
};

struct Recipient {
  std::string participantJid;  // user JID
  std::string deviceJid;       // "<user>:<device>@server" (or the user JID for device 0)
};

enum class ReceiptType { Delivered, Read };

struct DeviceReceipt {
  Recipient from;
  ReceiptType type = ReceiptType::Delivered;
  TimePoint at{};
};

// An incoming message to send a read receipt for: <receipt id to=chat participant=sender>.
struct ReadReceiptTarget {
  std::string id;
  std::string senderJid;
  std::uint32_t senderDevice = 0;
};

using StatusUpdate = rows::StatusUpdate;

class MessageStore {
 public:
  // All must outlive the store.
  MessageStore(Database& db, const ColumnCipher& cipher, const MessageLookupKey& lookup) noexcept
      : ctx_{db, cipher, lookup}, outbox_(db, cipher, lookup) {}

  [[nodiscard]] Result<InsertResult> insertIncoming(const IncomingMessage& message);
  // Stores the message as Queued and puts it in the outbox, in one transaction. Storing the
  // same id in the same chat again is Duplicate (a resubmit after a crash).
  [[nodiscard]] Result<InsertResult> insertOutgoing(const OutgoingMessage& message, TimePoint now);

  // Status of an outgoing message by chat and wire id (server acks, errors). NotFound for an
  // unknown message; a move the rules forbid is not an error: changed is false.
  [[nodiscard]] Result<StatusUpdate> setStatus(std::string_view chatJid, std::string_view id,
                                               api::MessageStatus status,
                                               std::string_view reason = {});

  // An outgoing message by chat and wire id (answering retry receipts); NotFound when unknown.
  [[nodiscard]] Result<rows::OutgoingRef> findOutgoing(std::string_view chatJid,
                                                       std::string_view id);
  [[nodiscard]] Status expectRecipients(std::string_view chatJid, std::string_view id,
                                        std::span<const Recipient> recipients);
  // Records a receipt for an outgoing message and applies the aggregate status.
  [[nodiscard]] Result<StatusUpdate> addReceipt(std::string_view chatJid, std::string_view id,
                                                const DeviceReceipt& receipt);

  // Marks every incoming message of the chat read and zeroes its unread count; returns the
  // messages that need a read receipt (oldest first). Empty for an unknown chat.
  [[nodiscard]] Result<std::vector<ReadReceiptTarget>> markChatRead(std::string_view chatJid);

 private:
  [[nodiscard]] Status touchChat(std::int64_t chatId, std::int64_t localId, TimePoint timestamp,
                                 bool countUnread);

  rows::Context ctx_;
  Outbox outbox_;
};

}  // namespace chorus::core::store
