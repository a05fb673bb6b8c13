// <message> stanzas (protocol §9.3, §9.5, §10.2): the outgoing fan-out stanza for 1:1 chats and
// groups, and an incoming (server-split) message read into its routing facts and <enc> parts.
//
// Facts (whatsmeow send.go prepareMessageNode/encryptMessageForDevice/sendGroup,
// message.go parseMessageSource/parseMessageInfo; Baileys Socket/messages-send.ts relayMessage
// createParticipantNodes, Utils/decode-wa-message.ts):
//  * <message id to type>; <participants><to jid=device><enc v="2" type="pkmsg|msg"
//    [mediatype]>…</enc></to>…</participants>; groups add one <enc v="2" type="skmsg"> at the
//    top level and send <participants> only to devices that need the SKDM;
//  * <device-identity> (ADVSignedDeviceIdentity with accountSignatureKey) whenever one enc is a
//    pkmsg; phash "2:" + base64(sha256(sorted "user.agent:device@server")[0:6]) is optional
//    (whatsmeow groups only; Baileys 6.17.16 never sends it);
//  * incoming: from = sender device (1:1) or group/broadcast with participant = sender device;
//    recipient = the chat for copies of our own messages; notify = push name; t; offline;
//    category="peer" for peer messages; each <enc> may carry count (a resend's retry count).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/binary/node.h"
#include "core/protocol/jid/jid.h"
#include "core/signal/session_cipher.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::size_t kMaxMessageIdLength = 128;
inline constexpr std::size_t kMaxStanzaParticipants = 8192;  // devices in one fan-out
inline constexpr std::size_t kMaxIncomingEncs = 4;           // pairwise + skmsg, with slack
inline constexpr std::string_view kEncVersion = "2";

enum class EncType : std::uint8_t {
  PreKey,     // "pkmsg"
  Normal,     // "msg"
  SenderKey,  // "skmsg"
};
[[nodiscard]] std::string_view encTypeName(EncType type) noexcept;
[[nodiscard]] std::optional<EncType> parseEncType(std::string_view name) noexcept;
[[nodiscard]] EncType encTypeOf(signal::MessageType type) noexcept;

struct OutgoingEnc {
  jid::Jid device;                     // the recipient device
  signal::EncryptedMessage encrypted;  // pkmsg or msg
};

struct OutgoingMessage {
  std::string id;
  jid::Jid to;                // a user (1:1) or a group JID
  std::string type = "text";  // the message type attribute (text, media, reaction, …)
  std::vector<OutgoingEnc> participants;
  Bytes senderKeyCiphertext;  // groups only, required there: the skmsg bytes
  std::string mediaType;      // optional enc mediatype
  std::string phash;          // optional participant hash
  Bytes deviceIdentity;       // required when any participant enc is a pkmsg
};

// <message id to type [phash]>[<participants>…</participants>][<enc type="skmsg">]
// [<device-identity>]</message>. InvalidArgument for an empty/overlong id, a `to` that is
// neither a user nor a group, a 1:1 message without participants, a group without skmsg (or a
// 1:1 with one), a participant that is not a user device or repeats, too many participants, or
// a pkmsg without device identity bytes.
[[nodiscard]] Result<binary::Node> buildMessageStanza(const OutgoingMessage& message);

// A resend after a peer's retry receipt (whatsmeow retry.go handleRetryReceipt, Baileys
// relayMessage with `participant`): one device, one top-level enc carrying count=N.
// <message to=<receipt from> type id t [device_fanout="false" (1:1)] [participant]
// [recipient]><enc v="2" type count [mediatype]/>[<device-identity>]</message>
struct RetryResend {
  std::string id;
  binary::AttrValue to;                          // the retry receipt's from (group, user or device)
  std::optional<binary::AttrValue> participant;  // the receipt's participant (groups)
  std::optional<binary::AttrValue> recipient;    // the receipt's recipient (own-device copies)
  bool group = false;
  std::string type = "text";
  std::int64_t timestamp = 0;  // the original message's t
  signal::EncryptedMessage encrypted;
  std::uint32_t retryCount = 1;  // the receipt's <retry count>
  std::string mediaType;
  Bytes deviceIdentity;  // required for a pkmsg
};
// InvalidArgument for an empty/overlong id, an empty ciphertext, count 0 or a pkmsg without
// device identity bytes.
[[nodiscard]] Result<binary::Node> buildRetryResend(const RetryResend& resend);

// whatsmeow's participantListHashV2 over the target devices.
[[nodiscard]] std::string participantHash(std::span<const jid::Jid> devices);

// Our own account, to tell our other devices' copies from everyone else's messages.
struct OwnJids {
  jid::Jid pn;                  // our phone-number user (device ignored)
  std::optional<jid::Jid> lid;  // our LID user, when known
  [[nodiscard]] bool owns(const jid::Jid& j) const noexcept;
};

enum class ChatKind : std::uint8_t { Direct, Group, Broadcast };

struct IncomingEnc {
  EncType type = EncType::Normal;
  int version = 2;  // v (2 = padded protobuf)
  Bytes ciphertext;
  std::uint32_t retryCount = 0;  // count="N" on a resend, 0 when absent
  std::string mediaType;
  bool hideOnFailure = false;  // decrypt-fail="hide"
};

struct IncomingMessage {
  std::string id;
  jid::Jid from;    // the stanza's from, as received
  jid::Jid chat;    // the conversation (non-device for 1:1)
  jid::Jid sender;  // the sending device (from, or participant in groups)
  std::optional<jid::Jid> participant;
  std::optional<jid::Jid> recipient;
  ChatKind chatKind = ChatKind::Direct;
  bool fromMe = false;  // sent by another device of our own account
  std::int64_t timestamp = 0;
  std::string pushName;      // notify
  std::string type;          // text, media, …
  std::string category;      // "peer" for peer messages
  bool offline = false;      // queued while we were offline
  bool unavailable = false;  // an <unavailable/> child: the server holds no content
  std::vector<IncomingEnc> encs;
  std::optional<Bytes> deviceIdentity;
};

// Protocol for: not a <message>; a missing/empty/overlong id; a missing or malformed from; a
// group/broadcast without a user participant; a missing or malformed t; an <enc> with an
// unknown type, a malformed v/count or no bytes; an skmsg outside a group/broadcast; more than
// kMaxIncomingEncs encs. Unsupported for chats we do not handle (newsletters, bots, …).
[[nodiscard]] Result<IncomingMessage> parseIncomingMessage(const binary::Node& node,
                                                           const OwnJids& self);

}  // namespace chorus::core::session
