// Receipts and acks (protocol §9.4, §9.6, §9.8): delivery/read/retry receipts we send, the
// receipts the server forwards to us, the <ack> every server stanza needs, and the server's
// <ack class="message"> for what we sent.
//
// Facts (whatsmeow receipt.go buildBaseReceipt/sendMessageReceipt/MarkRead/parseReceipt/
// sendAck, retry.go sendRetryReceipt/handleRetryReceipt; Baileys 6.17.16 Socket/messages-send
// sendReceipt, messages-recv sendRetryRequest/sendMessageAck):
//  * a receipt answers the message's from/participant/recipient as to/participant/recipient;
//    no type = delivered, "sender" for copies of our own messages, "inactive", "peer_msg";
//  * read receipts: type="read" (or "read-self"), t, participant only in groups, further ids in
//    <list><item id/></list>;
//  * retry: <retry count id t v="1"/><registration>4 bytes</registration>, plus <keys> (type 05,
//    identity, a fresh <key>, <skey>, <device-identity>) from the 2nd attempt on (or forced);
//    at most 5 (Baileys sends counts 1..5, whatsmeow 1..4);
//  * ack: class = the stanza's tag, id, to = its from, participant and recipient echoed, type
//    echoed except for messages (whatsmeow; Baileys echoes it for messages only on a nack or
//    <unavailable>), error = the nack code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/session/message_stanza.h"
#include "core/signal/signal_keys.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::uint32_t kMaxRetryCount = 5;
inline constexpr std::size_t kMaxReceiptIds = 4096;

enum class ReceiptType : std::uint8_t {
  Delivery,    // no type attribute
  Sender,      // "sender": delivered to another device of the sender's own account
  Inactive,    // "inactive": delivered while the client is not active
  PeerMsg,     // "peer_msg"
  Read,        // "read"
  ReadSelf,    // "read-self"
  Played,      // "played"
  PlayedSelf,  // "played-self"
  Retry,       // "retry"
  Other,       // anything else (kept in IncomingReceipt::typeName)
};
// The wire value ("" for Delivery, "other" for Other).
[[nodiscard]] std::string_view receiptTypeName(ReceiptType type) noexcept;
[[nodiscard]] ReceiptType parseReceiptType(std::string_view name) noexcept;

enum class NackCode : int {
  ParsingError = 487,
  UnrecognizedStanza = 488,
  UnrecognizedStanzaClass = 489,
  UnrecognizedStanzaType = 490,
  InvalidProtobuf = 491,
  InvalidHostedCompanionStanza = 493,
  MissingMessageSecret = 495,
  SignalErrorOldCounter = 496,
  MessageDeletedOnPeer = 499,
  UnhandledError = 500,
  UnsupportedAdminRevoke = 550,
  UnsupportedLidGroup = 551,
  DbOperationFailed = 552,
};

struct OutgoingReceipt {
  std::vector<std::string> ids;  // the first is the id attribute, the rest go into <list>
  binary::AttrValue to;
  std::optional<binary::AttrValue> participant;
  std::optional<binary::AttrValue> recipient;
  ReceiptType type = ReceiptType::Delivery;
  std::optional<std::int64_t> timestamp;  // t
};
// <receipt id to [participant] [recipient] [type] [t]>[<list><item id/>…</list>]</receipt>.
// InvalidArgument for no ids, an empty or overlong id, more than kMaxReceiptIds ids, or
// type Other/Retry (retry receipts have their own builder).
[[nodiscard]] Result<binary::Node> buildReceipt(const OutgoingReceipt& receipt);

// The delivery receipt for a decrypted message (whatsmeow sendMessageReceipt): to/participant/
// recipient copied from the message; type "sender" (or "peer_msg" for category="peer") for our
// own devices' copies, "inactive" when `active` is false, none otherwise.
[[nodiscard]] binary::Node buildDeliveryReceipt(const IncomingMessage& message, bool active = true);

// Read receipts for `ids` of one sender in `chat` (whatsmeow MarkRead): participant = the
// sender's non-device JID in groups, none in 1:1 chats. `readSelf` when read receipts are off.
[[nodiscard]] Result<binary::Node> buildReadReceipt(const jid::Jid& chat,
                                                    const std::optional<jid::Jid>& sender,
                                                    const std::vector<std::string>& ids,
                                                    std::int64_t timestamp, bool readSelf = false);

struct RetryKeys {
  Bytes identityKey;  // our identity, 32 bytes
  std::uint32_t preKeyId = 0;
  Bytes preKey;  // a fresh one-time prekey, 32 bytes
  std::uint32_t signedPreKeyId = 0;
  Bytes signedPreKey;           // 32
  Bytes signedPreKeySignature;  // 64
  Bytes deviceIdentity;         // our ADVSignedDeviceIdentity bytes
};

struct RetryRequest {
  std::uint32_t count = 1;  // 1..kMaxRetryCount
  std::uint32_t registrationId = 0;
  std::optional<RetryKeys> keys;  // see retryIncludesKeys()
};

// The next retry count for a message, or nullopt once kMaxRetryCount receipts were sent.
// `alreadySent` counts our earlier retry receipts for it; `countInMessage` is the resend's
// <enc count> (whatsmeow: after a restart, continue from the sender's count).
[[nodiscard]] std::optional<std::uint32_t> nextRetryCount(std::uint32_t alreadySent,
                                                          std::uint32_t countInMessage) noexcept;
// <keys> go along from the second attempt on, or when forced (e.g. no enc / missing sender key).
[[nodiscard]] constexpr bool retryIncludesKeys(std::uint32_t count, bool forced) noexcept {
  return count > 1 || forced;
}

// <receipt id to [recipient] [participant] type="retry" [category="peer"]><retry count id t
// v="1"/><registration/>[<keys>…</keys>]</receipt> for an undecryptable message.
// InvalidArgument for count 0 or over kMaxRetryCount and for keys of the wrong sizes.
[[nodiscard]] Result<binary::Node> buildRetryReceipt(const IncomingMessage& message,
                                                     const RetryRequest& request);

struct IncomingRetry {
  std::uint32_t count = 0;
  std::string messageId;
  std::int64_t timestamp = 0;  // the original message's t
  std::uint32_t registrationId = 0;
  std::optional<signal::PreKeyBundle> bundle;  // from <keys>, deviceId = the sender's device
  std::optional<Bytes> deviceIdentity;         // <keys><device-identity>
};

// One reader of an aggregated group receipt (<participants key=ID><user jid t/></participants>).
struct GroupedReceiptEntry {
  std::string messageId;
  jid::Jid sender;
  std::int64_t timestamp = 0;
};

struct IncomingReceipt {
  ReceiptType type = ReceiptType::Delivery;
  std::string typeName;          // the raw type attribute ("" for delivery)
  std::vector<std::string> ids;  // id, then the <list><item id> ids
  jid::Jid from;
  std::optional<jid::Jid> participant;
  std::optional<jid::Jid> recipient;
  jid::Jid chat;    // group, or the peer (the recipient for our own devices' receipts)
  jid::Jid sender;  // the device that sent the receipt (from, or participant in groups)
  bool isGroup = false;
  bool fromMe = false;
  std::int64_t timestamp = 0;  // 0 when absent
  std::optional<IncomingRetry> retry;
  std::vector<GroupedReceiptEntry> grouped;  // aggregated group receipts only
};

// Protocol for: not a <receipt>; a missing/empty/overlong id; a missing or malformed from; a
// malformed participant/recipient/t; more than kMaxReceiptIds ids; a retry receipt without a
// well-formed <retry> (count ≥ 1, id, t) or <registration>, or with malformed <keys>.
[[nodiscard]] Result<IncomingReceipt> parseIncomingReceipt(const binary::Node& node,
                                                           const OwnJids& self);

// <ack class=<tag> id to=<from> [participant] [recipient] [type (not for messages)]
// [error]/> for a server stanza; `nack` 0 for a plain ack. Protocol when the stanza has no id or
// from; InvalidArgument for a tag that is not message/receipt/notification/call.
[[nodiscard]] Result<binary::Node> buildAckFor(const binary::Node& stanza, int nack = 0);

// The server's <ack class id from t [phash] [error] [type] [participant]/>.
struct ServerAck {
  std::string stanzaClass;  // "message", "receipt", …
  std::string id;
  std::optional<jid::Jid> from;
  std::optional<jid::Jid> participant;
  std::int64_t timestamp = 0;
  std::string type;
  std::string phash;  // the server's device-list hash when it differs from ours
  int error = 0;      // non-zero: the send failed
};
// Protocol for a non-<ack>, a missing class/id or a malformed t/error/from.
[[nodiscard]] Result<ServerAck> parseServerAck(const binary::Node& node);

}  // namespace chorus::core::session
