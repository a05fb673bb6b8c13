// The plaintext of an end-to-end message (protocol §9.1, §9.7, §10.2): building a text
// Message, wrapping it as a DeviceSentMessage for our own other devices, serialising with
// random padding, and the reverse: unpad, parse, unwrap and classify what arrived. Content we
// do not handle is kept as Unsupported with its type name, never dropped.
//
// Facts (whatsmeow send.go marshalMessage, message.go; Baileys Socket/messages-send.ts
// relayMessage meMsg, Utils/decode-wa-message.ts): the own-device copy is
// Message{deviceSentMessage{destinationJid=<chat>, message}}; whatsmeow also copies
// messageContextInfo to the outer message (current Baileys too, 6.17.16 not). Receivers always
// unwrap deviceSentMessage and process senderKeyDistributionMessage before the content.
// Neither current client fills DeviceListMetadata for plain text; both add a 32-byte
// messageSecret only for some kinds (polls, events, reporting tokens).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/protocol/jid/jid.h"
#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "proto/message.pb.h"

namespace chorus::core::session {

inline constexpr std::size_t kMaxTextBytes = 65536;
inline constexpr std::size_t kMessageSecretSize = 32;

struct MessageContextOptions {
  std::optional<proto::DeviceListMetadata> deviceListMetadata;  // with version 2 when set
  Bytes messageSecret;                                          // empty, or 32 bytes
};

// Message{conversation = text [, messageContextInfo]}. InvalidArgument for empty text, more
// than kMaxTextBytes, invalid UTF-8 or a message secret that is not 32 bytes.
[[nodiscard]] Result<proto::Message> buildTextMessage(std::string_view text,
                                                      const MessageContextOptions& options = {});

// Message{deviceSentMessage{destinationJid, message}, messageContextInfo (copied)}: the copy
// for our own other devices. InvalidArgument when `destination` is a server JID.
[[nodiscard]] Result<proto::Message> wrapDeviceSent(const proto::Message& message,
                                                    const jid::Jid& destination);

// Serialised and padded (signal::padMessage): the plaintext for session/group encryption.
[[nodiscard]] Result<Bytes> encodePaddedMessage(const proto::Message& message, Random& random);

enum class ContentKind : std::uint8_t {
  Text,         // conversation or extendedTextMessage.text
  Protocol,     // protocolMessage (revoke, history sync, app-state key share, edit, ...)
  SenderKey,    // only a senderKeyDistributionMessage (no other content)
  Unsupported,  // anything else: kept, with its type name
  Empty,        // nothing at all (e.g. only messageContextInfo)
};
[[nodiscard]] std::string_view contentKindName(ContentKind kind) noexcept;

struct SenderKeyDistribution {
  std::string groupId;  // "<group>@g.us"
  Bytes skdm;           // axolotlSenderKeyDistributionMessage
};

struct ReceivedContent {
  ContentKind kind = ContentKind::Empty;
  std::string text;  // Text
  // Protocol: the ProtocolMessage type ("REVOKE", "HISTORY_SYNC_NOTIFICATION", …, or
  // "type <n>" for values our schema does not know). Unsupported: the content's field name
  // ("imageMessage", "reactionMessage", or "field <n>" for unknown fields).
  std::string typeName;
  std::optional<proto::Message::ProtocolMessage::Type> protocolType;
  std::optional<SenderKeyDistribution> senderKey;  // alongside any kind
  bool deviceSent = false;                         // it came wrapped in a DeviceSentMessage
  std::string destinationJid;                      // the DSM's destination (deviceSent only)
  proto::Message message;                          // the (unwrapped) message itself
};

// Unpads, parses and classifies. `fromOwnAccount`: the sender is one of our own devices —
// only then is a DeviceSentMessage accepted (and unwrapped); from anyone else it is Protocol.
// Protocol for bad padding, an unparsable Message or a DSM without its inner message.
[[nodiscard]] Result<ReceivedContent> decodeReceivedContent(BytesView padded, bool fromOwnAccount);
// The same for an already-parsed message (no padding involved).
[[nodiscard]] Result<ReceivedContent> classifyMessage(proto::Message message, bool fromOwnAccount);

}  // namespace chorus::core::session
