#include "core/session/message_content.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <google/protobuf/unknown_field_set.h>

#include "core/signal/padding.h"

namespace chorus::core::session {
namespace {

using proto::Message;

constexpr std::int32_t kDeviceListMetadataVersion = 2;

// Message field numbers (WAProto / whatsmeow waE2E) that carry no content of their own.
constexpr int kSenderKeyField = 2;
constexpr int kFastRatchetSenderKeyField = 15;
constexpr int kDeviceSentField = 31;
constexpr int kContextInfoField = 35;
constexpr int kProtocolTypeField = 2;  // ProtocolMessage.type

// Names of Message fields our schema does not carry, for "unsupported" placeholders.
struct FieldName {
  int number;
  std::string_view name;
};
constexpr FieldName kOtherMessageFields[] = {
    {4, "contactMessage"},
    {5, "locationMessage"},
    {13, "contactsArrayMessage"},
    {14, "highlyStructuredMessage"},
    {16, "sendPaymentMessage"},
    {18, "liveLocationMessage"},
    {22, "requestPaymentMessage"},
    {25, "templateMessage"},
    {26, "stickerMessage"},
    {28, "groupInviteMessage"},
    {29, "templateButtonReplyMessage"},
    {30, "productMessage"},
    {36, "listMessage"},
    {37, "viewOnceMessage"},
    {38, "orderMessage"},
    {39, "listResponseMessage"},
    {40, "ephemeralMessage"},
    {42, "buttonsMessage"},
    {43, "buttonsResponseMessage"},
    {45, "interactiveMessage"},
    {46, "reactionMessage"},
    {48, "interactiveResponseMessage"},
    {49, "pollCreationMessage"},
    {50, "pollUpdateMessage"},
    {51, "keepInChatMessage"},
    {53, "documentWithCaptionMessage"},
    {55, "viewOnceMessageV2"},
    {56, "encReactionMessage"},
    {58, "editedMessage"},
    {59, "viewOnceMessageV2Extension"},
    {60, "pollCreationMessageV2"},
    {62, "groupMentionedMessage"},
    {63, "pinInChatMessage"},
    {64, "pollCreationMessageV3"},
    {66, "ptvMessage"},
    {74, "lottieStickerMessage"},
    {75, "eventMessage"},
    {80, "placeholderMessage"},
    {83, "albumMessage"},
};

std::string unknownFieldName(int number) {
  for (const FieldName& field : kOtherMessageFields) {
    if (field.number == number) return std::string(field.name);
  }
  return "field " + std::to_string(number);
}

// Structural UTF-8 check (no overlongs, no surrogates, at most U+10FFFF).
bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3Fu);
    }
    constexpr std::uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

// The first set field that is content (not metadata), by number, known or unknown.
std::optional<std::string> otherContent(const Message& message) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const auto* field : fields) {
    const int number = field->number();
    if (number == kSenderKeyField || number == kFastRatchetSenderKeyField ||
        number == kContextInfoField || number == kDeviceSentField ||
        number == Message::kConversationFieldNumber ||
        number == Message::kExtendedTextMessageFieldNumber ||
        number == Message::kProtocolMessageFieldNumber) {
      continue;
    }
    return field->name();
  }
  const auto& unknown = message.unknown_fields();
  if (unknown.field_count() > 0) return unknownFieldName(unknown.field(0).number());
  return std::nullopt;
}

void classifyProtocol(const Message::ProtocolMessage& protocol, ReceivedContent& out) {
  out.kind = ContentKind::Protocol;
  if (protocol.has_type()) {
    out.protocolType = protocol.type();
    out.typeName = Message::ProtocolMessage::Type_Name(protocol.type());
    return;
  }
  // A value our schema does not know lands in the unknown fields (proto2 closed enums).
  const auto& unknown = protocol.unknown_fields();
  for (int i = 0; i < unknown.field_count(); ++i) {
    const auto& field = unknown.field(i);
    if (field.number() == kProtocolTypeField &&
        field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      out.typeName = "type " + std::to_string(field.varint());
      return;
    }
  }
  out.protocolType = Message::ProtocolMessage::REVOKE;  // the default, as both clients read it
  out.typeName = Message::ProtocolMessage::Type_Name(Message::ProtocolMessage::REVOKE);
}

}  // namespace

std::string_view contentKindName(ContentKind kind) noexcept {
  switch (kind) {
    case ContentKind::Text: return "text";
    case ContentKind::Protocol: return "protocol";
    case ContentKind::SenderKey: return "sender-key";
    case ContentKind::Unsupported: return "unsupported";
    case ContentKind::Empty: return "empty";
  }
  return "unknown";
}

Result<proto::Message> buildTextMessage(std::string_view text,
                                        const MessageContextOptions& options) {
  if (text.empty() || text.size() > kMaxTextBytes) {
    return fail(Errc::InvalidArgument, "text must be 1 to 65536 bytes");
  }
  if (!validUtf8(text)) return fail(Errc::InvalidArgument, "text is not valid UTF-8");
  if (!options.messageSecret.empty() && options.messageSecret.size() != kMessageSecretSize) {
    return fail(Errc::InvalidArgument, "message secret must be 32 bytes");
  }
  Message message;
  message.set_conversation(std::string(text));
  if (options.deviceListMetadata || !options.messageSecret.empty()) {
    auto* context = message.mutable_messagecontextinfo();
    if (options.deviceListMetadata) {
      *context->mutable_devicelistmetadata() = *options.deviceListMetadata;
      context->set_devicelistmetadataversion(kDeviceListMetadataVersion);
    }
    if (!options.messageSecret.empty()) {
      context->set_messagesecret(std::string(asString(options.messageSecret)));
    }
  }
  return message;
}

Result<proto::Message> wrapDeviceSent(const proto::Message& message, const jid::Jid& destination) {
  if (destination.isServer()) return fail(Errc::InvalidArgument, "DSM destination is not a chat");
  Message outer;
  auto* dsm = outer.mutable_devicesentmessage();
  dsm->set_destinationjid(jid::format(destination.toNonDevice()));
  *dsm->mutable_message() = message;
  if (message.has_messagecontextinfo()) {
    *outer.mutable_messagecontextinfo() = message.messagecontextinfo();
  }
  return outer;
}

Result<Bytes> encodePaddedMessage(const proto::Message& message, Random& random) {
  std::string serialized;
  if (!message.SerializeToString(&serialized)) {
    return fail(Errc::InvalidArgument, "message cannot be serialised");
  }
  return signal::padMessage(asBytes(serialized), random);
}

Result<ReceivedContent> decodeReceivedContent(BytesView padded, bool fromOwnAccount) {
  CHORUS_TRY(plain, signal::unpadMessage(padded));
  Message message;
  if (!message.ParseFromArray(plain.data(), static_cast<int>(plain.size()))) {
    return fail(Errc::Protocol, "undecodable Message protobuf");
  }
  return classifyMessage(std::move(message), fromOwnAccount);
}

Result<ReceivedContent> classifyMessage(proto::Message message, bool fromOwnAccount) {
  ReceivedContent out;
  if (message.has_devicesentmessage()) {
    if (!fromOwnAccount) return fail(Errc::Protocol, "DeviceSentMessage from another account");
    const auto& dsm = message.devicesentmessage();
    if (!dsm.has_message()) return fail(Errc::Protocol, "DeviceSentMessage without a message");
    if (dsm.message().has_devicesentmessage())
      return fail(Errc::Protocol, "nested DeviceSentMessage");
    out.deviceSent = true;
    out.destinationJid = dsm.destinationjid();
    Message inner = dsm.message();
    message = std::move(inner);
  }

  if (message.has_senderkeydistributionmessage()) {
    const auto& skdm = message.senderkeydistributionmessage();
    out.senderKey = SenderKeyDistribution{
        skdm.groupid(), toBytes(asBytes(skdm.axolotlsenderkeydistributionmessage()))};
  }

  if (message.has_conversation()) {
    out.kind = ContentKind::Text;
    out.text = message.conversation();
  } else if (message.has_extendedtextmessage()) {
    out.kind = ContentKind::Text;
    out.text = message.extendedtextmessage().text();
  } else if (message.has_protocolmessage()) {
    classifyProtocol(message.protocolmessage(), out);
  } else if (auto other = otherContent(message)) {
    out.kind = ContentKind::Unsupported;
    out.typeName = std::move(*other);
  } else if (out.senderKey) {
    out.kind = ContentKind::SenderKey;
  } else {
    out.kind = ContentKind::Empty;
  }
  out.message = std::move(message);
  return out;
}

}  // namespace chorus::core::session
