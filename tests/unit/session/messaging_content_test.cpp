// Message plaintext (protocol §9.1): text messages, the DeviceSentMessage wrapper, padding, and
// classification of what arrives — unknown content is kept with its type name.
#include <gtest/gtest.h>

#include "core/session/message_content.h"
#include "core/signal/padding.h"

namespace chorus::core::session {
namespace {

using proto::Message;

Bytes hex(std::string_view text) {
  return fromHex(text).value();
}

Bytes serialize(const Message& message) {
  return toBytes(message.SerializeAsString());
}

// Pads with a fixed 3 bytes, so tests can build hostile plaintexts by hand.
Bytes padded(BytesView plain) {
  Bytes out = toBytes(plain);
  out.insert(out.end(), 3, 3);
  return out;
}

TEST(MessagingContent, TextMessageMatchesTheReferenceBytes) {
  auto message = buildTextMessage("hello");
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(serialize(*message), hex("0a0568656c6c6f"));  // protocol §9.1

  SeededRandom random(1);
  auto plain = encodePaddedMessage(*message, random);
  ASSERT_TRUE(plain.has_value());
  ASSERT_GT(plain->size(), 7u);
  const std::uint8_t pad = plain->back();
  EXPECT_GE(pad, 1);
  EXPECT_LE(pad, 15);
  EXPECT_EQ(plain->size(), 7u + pad);
  EXPECT_EQ(Bytes(plain->begin(), plain->begin() + 7), hex("0a0568656c6c6f"));

  auto back = decodeReceivedContent(*plain, false);
  ASSERT_TRUE(back.has_value()) << describe(back.error());
  EXPECT_EQ(back->kind, ContentKind::Text);
  EXPECT_EQ(back->text, "hello");
  EXPECT_FALSE(back->deviceSent);
  EXPECT_FALSE(back->senderKey.has_value());
}

TEST(MessagingContent, ContextInfoWhenAsked) {
  MessageContextOptions options;
  proto::DeviceListMetadata metadata;
  metadata.set_sendertimestamp(1700000000);
  metadata.add_senderkeyindexes(1);
  options.deviceListMetadata = metadata;
  options.messageSecret = Bytes(32, 0x5a);
  auto message = buildTextMessage("hi", options);
  ASSERT_TRUE(message.has_value());
  ASSERT_TRUE(message->has_messagecontextinfo());
  const auto& context = message->messagecontextinfo();
  EXPECT_EQ(context.devicelistmetadataversion(), 2);
  EXPECT_EQ(context.devicelistmetadata().sendertimestamp(), 1700000000u);
  EXPECT_EQ(context.messagesecret(), std::string(32, 0x5a));
  EXPECT_FALSE(buildTextMessage("hi")->has_messagecontextinfo());
}

TEST(MessagingContent, RefusesUnusableText) {
  EXPECT_EQ(buildTextMessage("").error().code, Errc::InvalidArgument);
  EXPECT_EQ(buildTextMessage(std::string(kMaxTextBytes + 1, 'a')).error().code,
            Errc::InvalidArgument);
  EXPECT_TRUE(buildTextMessage(std::string(kMaxTextBytes, 'a')).has_value());
  EXPECT_TRUE(buildTextMessage("h\xc3\xa9llo \xf0\x9f\x98\x80").has_value());
  for (std::string_view bad :
       {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80"}) {
    EXPECT_EQ(buildTextMessage(bad).error().code, Errc::InvalidArgument);
  }
  MessageContextOptions options;
  options.messageSecret = Bytes(31, 1);
  EXPECT_EQ(buildTextMessage("x", options).error().code, Errc::InvalidArgument);
}

TEST(MessagingContent, DeviceSentCopyForOwnDevices) {
  MessageContextOptions options;
  options.messageSecret = Bytes(32, 7);
  const Message text = buildTextMessage("to bob", options).value();
  auto wrapped = wrapDeviceSent(text, jid::parse("15550000002:3@s.whatsapp.net").value());
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_EQ(wrapped->devicesentmessage().destinationjid(), "15550000002@s.whatsapp.net");
  EXPECT_EQ(wrapped->devicesentmessage().message().conversation(), "to bob");
  EXPECT_EQ(wrapped->messagecontextinfo().messagesecret(), std::string(32, 7));  // whatsmeow
  EXPECT_EQ(wrapDeviceSent(text, jid::parse("s.whatsapp.net").value()).error().code,
            Errc::InvalidArgument);

  SeededRandom random(2);
  const Bytes plain = encodePaddedMessage(*wrapped, random).value();
  auto own = decodeReceivedContent(plain, /*fromOwnAccount=*/true);
  ASSERT_TRUE(own.has_value());
  EXPECT_TRUE(own->deviceSent);
  EXPECT_EQ(own->destinationJid, "15550000002@s.whatsapp.net");
  EXPECT_EQ(own->kind, ContentKind::Text);
  EXPECT_EQ(own->text, "to bob");
  EXPECT_EQ(own->message.conversation(), "to bob");

  auto forged = decodeReceivedContent(plain, /*fromOwnAccount=*/false);
  ASSERT_FALSE(forged.has_value());
  EXPECT_EQ(forged.error().code, Errc::Protocol);

  Message nested;
  *nested.mutable_devicesentmessage()->mutable_message() = *wrapped;
  EXPECT_EQ(classifyMessage(nested, true).error().code, Errc::Protocol);
  Message empty;
  empty.mutable_devicesentmessage()->set_destinationjid("x@s.whatsapp.net");
  EXPECT_EQ(classifyMessage(empty, true).error().code, Errc::Protocol);
}

TEST(MessagingContent, SenderKeyDistribution) {
  Message skdm;
  skdm.mutable_senderkeydistributionmessage()->set_groupid("120363000000000001@g.us");
  skdm.mutable_senderkeydistributionmessage()->set_axolotlsenderkeydistributionmessage(
      "\x33\x01\x02");
  auto only = classifyMessage(skdm, false);
  ASSERT_TRUE(only.has_value());
  EXPECT_EQ(only->kind, ContentKind::SenderKey);
  ASSERT_TRUE(only->senderKey.has_value());
  EXPECT_EQ(only->senderKey->groupId, "120363000000000001@g.us");
  EXPECT_EQ(only->senderKey->skdm, (Bytes{0x33, 0x01, 0x02}));

  skdm.set_conversation("with text");  // Baileys' retry resends carry both
  auto both = classifyMessage(skdm, false);
  EXPECT_EQ(both->kind, ContentKind::Text);
  EXPECT_EQ(both->text, "with text");
  EXPECT_TRUE(both->senderKey.has_value());
}

TEST(MessagingContent, ProtocolMessages) {
  const std::pair<Message::ProtocolMessage::Type, std::string_view> cases[] = {
      {Message::ProtocolMessage::REVOKE, "REVOKE"},
      {Message::ProtocolMessage::HISTORY_SYNC_NOTIFICATION, "HISTORY_SYNC_NOTIFICATION"},
      {Message::ProtocolMessage::APP_STATE_SYNC_KEY_SHARE, "APP_STATE_SYNC_KEY_SHARE"},
      {Message::ProtocolMessage::MESSAGE_EDIT, "MESSAGE_EDIT"},
  };
  for (const auto& [type, name] : cases) {
    Message message;
    message.mutable_protocolmessage()->set_type(type);
    auto content = decodeReceivedContent(padded(serialize(message)), false);
    ASSERT_TRUE(content.has_value());
    EXPECT_EQ(content->kind, ContentKind::Protocol);
    EXPECT_EQ(content->protocolType, type);
    EXPECT_EQ(content->typeName, name);
  }
  // protocolMessage{type = 99}: a type our schema lacks survives as its number.
  auto unknownType = decodeReceivedContent(padded(hex("62021063")), false);
  ASSERT_TRUE(unknownType.has_value());
  EXPECT_EQ(unknownType->kind, ContentKind::Protocol);
  EXPECT_FALSE(unknownType->protocolType.has_value());
  EXPECT_EQ(unknownType->typeName, "type 99");
  // protocolMessage{} without a type reads as REVOKE, the default (as both clients read it).
  auto noType = decodeReceivedContent(padded(hex("6200")), false);
  EXPECT_EQ(noType->typeName, "REVOKE");
}

TEST(MessagingContent, UnknownContentIsKeptNotDropped) {
  Message image;
  image.mutable_imagemessage()->set_caption("look");
  auto known = classifyMessage(image, false);
  EXPECT_EQ(known->kind, ContentKind::Unsupported);
  EXPECT_EQ(known->typeName, "imageMessage");
  EXPECT_EQ(known->message.imagemessage().caption(), "look");

  // reactionMessage (46) and a field nobody knows (1000), each with empty content.
  auto reaction = decodeReceivedContent(padded(hex("f20200")), false);
  ASSERT_TRUE(reaction.has_value());
  EXPECT_EQ(reaction->kind, ContentKind::Unsupported);
  EXPECT_EQ(reaction->typeName, "reactionMessage");
  EXPECT_EQ(serialize(reaction->message), hex("f20200"));  // kept byte for byte

  auto future = decodeReceivedContent(padded(hex("c23e00")), false);
  EXPECT_EQ(future->typeName, "field 1000");

  Message contextOnly;
  contextOnly.mutable_messagecontextinfo()->set_messagesecret("s");
  EXPECT_EQ(classifyMessage(contextOnly, false)->kind, ContentKind::Empty);
  EXPECT_EQ(contentKindName(ContentKind::Unsupported), "unsupported");
}

TEST(MessagingContent, HostilePlaintextsAreClearErrors) {
  for (std::string_view bad :
       {"", "00", "0a0568656c6c6f00", "0a0568656c6c6f11", "0a0568656c6c6f0302"}) {
    auto r = decodeReceivedContent(hex(bad), false);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol) << bad;
  }
  // Valid padding around bytes that are no protobuf (truncated length, bad wire type).
  for (std::string_view bad : {"0a05686c", "0f", "0aff"}) {
    auto r = decodeReceivedContent(padded(hex(bad)), false);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol) << bad;
  }
}

}  // namespace
}  // namespace chorus::core::session
