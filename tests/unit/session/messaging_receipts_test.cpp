// Receipts and acks (protocol §9.4, §9.6, §9.8): exact delivery/read/retry receipts, acks as
// whatsmeow's sendAck writes them, the receipts and acks chorus-sim forwards
// (app/sim/sim_relay.cpp onReceipt, sim_phone.cpp), and hostile inputs.
#include <gtest/gtest.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/session/receipts.h"

namespace chorus::core::session {
namespace {

using binary::Node;

jid::Jid j(std::string_view text) {
  return jid::parse(text).value();
}

Node node(std::string_view text) {
  auto parsed = binary::fromText(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : describe(parsed.error()));
  return parsed ? *parsed : Node{};
}

void expectRoundTrip(const Node& n) {
  for (auto dict : {binary::DictVersion::V2, binary::DictVersion::V3}) {
    auto back = binary::decode(binary::encode(n, dict).value(), dict);
    ASSERT_TRUE(back.has_value()) << describe(back.error());
    EXPECT_EQ(*back, n);
  }
}

const OwnJids kMe{j("15550000001@s.whatsapp.net"), std::nullopt};

IncomingMessage incoming(std::string_view text) {
  return parseIncomingMessage(node(text), kMe).value();
}

TEST(MessagingReceipts, GenericReceiptWithList) {
  OutgoingReceipt receipt{{"a1", "a2", "a3"}, j("15550000002@s.whatsapp.net"),
                          std::nullopt,       std::nullopt,
                          ReceiptType::Read,  1700000000};
  auto built = buildReceipt(receipt);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(*built, node(R"(
<receipt id="a1" to=@"15550000002@s.whatsapp.net" type="read" t="1700000000">
  <list><item id="a2"/><item id="a3"/></list>
</receipt>)"))
      << binary::toText(*built);
  expectRoundTrip(*built);

  OutgoingReceipt single{{"b1"},
                         j("15550000002:3@s.whatsapp.net"),
                         std::nullopt,
                         std::nullopt,
                         ReceiptType::Delivery,
                         std::nullopt};
  EXPECT_EQ(buildReceipt(single).value(),
            node(R"(<receipt id="b1" to=@"15550000002:3@s.whatsapp.net"/>)"));

  OutgoingReceipt bad = single;
  bad.ids.clear();
  EXPECT_EQ(buildReceipt(bad).error().code, Errc::InvalidArgument);
  bad = single;
  bad.ids.push_back("");
  EXPECT_EQ(buildReceipt(bad).error().code, Errc::InvalidArgument);
  bad = single;
  bad.type = ReceiptType::Retry;
  EXPECT_EQ(buildReceipt(bad).error().code, Errc::InvalidArgument);
  bad = single;
  bad.ids.assign(kMaxReceiptIds + 1, "x");
  EXPECT_EQ(buildReceipt(bad).error().code, Errc::InvalidArgument);
}

TEST(MessagingReceipts, DeliveryReceiptsCopyTheMessageRouting) {
  const IncomingMessage peer = incoming(R"(
<message from=@"15550000002:3@s.whatsapp.net" id="m1" t="9"><enc v="2" type="msg">x"33"</enc></message>)");
  EXPECT_EQ(buildDeliveryReceipt(peer),
            node(R"(<receipt id="m1" to=@"15550000002:3@s.whatsapp.net"/>)"));
  EXPECT_EQ(buildDeliveryReceipt(peer, /*active=*/false),
            node(R"(<receipt id="m1" to=@"15550000002:3@s.whatsapp.net" type="inactive"/>)"));

  const IncomingMessage own = incoming(R"(
<message from=@"15550000001:2@s.whatsapp.net" recipient=@"15550000002@s.whatsapp.net" id="m2" t="9">
  <enc v="2" type="msg">x"33"</enc>
</message>)");
  const Node sender = buildDeliveryReceipt(own);
  EXPECT_EQ(sender, node(R"(
<receipt id="m2" to=@"15550000001:2@s.whatsapp.net" recipient=@"15550000002@s.whatsapp.net" type="sender"/>)"))
      << binary::toText(sender);
  expectRoundTrip(sender);

  const IncomingMessage peerMsg = incoming(R"(
<message from=@"15550000001@s.whatsapp.net" category="peer" id="m3" t="9"><enc v="2" type="msg">x"33"</enc></message>)");
  EXPECT_EQ(buildDeliveryReceipt(peerMsg),
            node(R"(<receipt id="m3" to=@"15550000001@s.whatsapp.net" type="peer_msg"/>)"));

  const IncomingMessage group = incoming(R"(
<message from=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" id="m4" t="9">
  <enc v="2" type="skmsg">x"33"</enc>
</message>)");
  EXPECT_EQ(buildDeliveryReceipt(group), node(R"(
<receipt id="m4" to=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net"/>)"));
}

TEST(MessagingReceipts, ReadReceipts) {
  auto direct = buildReadReceipt(j("15550000002:3@s.whatsapp.net"),
                                 j("15550000002:3@s.whatsapp.net"), {"r1", "r2"}, 1700000001);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(*direct, node(R"(
<receipt id="r1" to=@"15550000002@s.whatsapp.net" type="read" t="1700000001"><list><item id="r2"/></list></receipt>)"))
      << binary::toText(*direct);
  auto group = buildReadReceipt(j("120363000000000001@g.us"), j("15550000002:3@s.whatsapp.net"),
                                {"r3"}, 1700000002, /*readSelf=*/true);
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ(*group, node(R"(
<receipt id="r3" to=@"120363000000000001@g.us" participant=@"15550000002@s.whatsapp.net" type="read-self" t="1700000002"/>)"))
      << binary::toText(*group);
  EXPECT_EQ(buildReadReceipt(j("15550000002@s.whatsapp.net"), std::nullopt, {}, 1).error().code,
            Errc::InvalidArgument);
}

TEST(MessagingReceipts, RetryReceiptFirstAttempt) {
  const IncomingMessage message = incoming(R"(
<message from=@"15550000002:3@s.whatsapp.net" id="m1" t="1700000000"><enc v="2" type="msg">x"33"</enc></message>)");
  auto retry = buildRetryReceipt(message, RetryRequest{1, 0x01020304, std::nullopt});
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(*retry, node(R"(
<receipt id="m1" to=@"15550000002:3@s.whatsapp.net" type="retry">
  <retry count="1" id="m1" t="1700000000" v="1"/>
  <registration>x"01020304"</registration>
</receipt>)"))
      << binary::toText(*retry);
  expectRoundTrip(*retry);
}

TEST(MessagingReceipts, RetryReceiptWithKeys) {
  const IncomingMessage message = incoming(R"(
<message from=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" id="m1" t="7">
  <enc v="2" type="skmsg">x"33"</enc>
</message>)");
  RetryKeys keys{Bytes(32, 1), 0x0a0b0c,     Bytes(32, 2),     1,
                 Bytes(32, 3), Bytes(64, 4), Bytes{0x0a, 0x0b}};
  auto retry = buildRetryReceipt(message, RetryRequest{2, 5, keys});
  ASSERT_TRUE(retry.has_value()) << describe(retry.error());
  auto hexOf = [](std::uint8_t v, std::size_t n) { return toHex(Bytes(n, v)); };
  EXPECT_EQ(*retry,
            node(R"(
<receipt id="m1" to=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" type="retry">
  <retry count="2" id="m1" t="7" v="1"/>
  <registration>x"00000005"</registration>
  <keys>
    <type>x"05"</type>
    <identity>x")" +
                 hexOf(1, 32) + R"("</identity>
    <key><id>x"0a0b0c"</id><value>x")" +
                 hexOf(2, 32) + R"("</value></key>
    <skey><id>x"000001"</id><value>x")" +
                 hexOf(3, 32) + R"("</value><signature>x")" + hexOf(4, 64) + R"("</signature></skey>
    <device-identity>x"0a0b"</device-identity>
  </keys>
</receipt>)"))
      << binary::toText(*retry);
  expectRoundTrip(*retry);

  // The sender's side reads the same receipt (as chorus-sim forwards it: from=group,
  // participant=the requesting device) back into a bundle.
  Node forwarded = *retry;
  forwarded.attrs.clear();
  forwarded.set("from", j("120363000000000001@g.us"))
      .set("id", std::string("m1"))
      .set("t", std::string("8"))
      .set("type", std::string("retry"))
      .set("participant", j("15550000002:3@s.whatsapp.net"));
  auto parsed = parseIncomingReceipt(forwarded, kMe);
  ASSERT_TRUE(parsed.has_value()) << describe(parsed.error());
  ASSERT_TRUE(parsed->retry.has_value());
  EXPECT_EQ(parsed->retry->count, 2u);
  EXPECT_EQ(parsed->retry->messageId, "m1");
  EXPECT_EQ(parsed->retry->timestamp, 7);
  EXPECT_EQ(parsed->retry->registrationId, 5u);
  ASSERT_TRUE(parsed->retry->bundle.has_value());
  EXPECT_EQ(parsed->retry->bundle->deviceId, 3);
  EXPECT_EQ(parsed->retry->bundle->identityKey, Bytes(32, 1));
  EXPECT_EQ(parsed->retry->bundle->preKey->id, 0x0a0b0cu);
  EXPECT_EQ(parsed->retry->bundle->signedPreKeySignature, Bytes(64, 4));
  EXPECT_EQ(parsed->retry->deviceIdentity, (Bytes{0x0a, 0x0b}));

  keys.identityKey = Bytes(33, 5);
  EXPECT_EQ(buildRetryReceipt(message, RetryRequest{2, 5, keys}).error().code,
            Errc::InvalidArgument);
  EXPECT_EQ(buildRetryReceipt(message, RetryRequest{0, 5, std::nullopt}).error().code,
            Errc::InvalidArgument);
  EXPECT_EQ(
      buildRetryReceipt(message, RetryRequest{kMaxRetryCount + 1, 5, std::nullopt}).error().code,
      Errc::InvalidArgument);
  EXPECT_TRUE(
      buildRetryReceipt(message, RetryRequest{kMaxRetryCount, 5, std::nullopt}).has_value());
}

TEST(MessagingReceipts, RetryCountsStopAtFive) {
  EXPECT_EQ(nextRetryCount(0, 0), 1u);
  EXPECT_EQ(nextRetryCount(1, 0), 2u);
  EXPECT_EQ(nextRetryCount(4, 0), 5u);
  EXPECT_FALSE(nextRetryCount(5, 0).has_value());
  EXPECT_EQ(nextRetryCount(0, 2), 3u);  // resumed after a restart from the resend's count
  EXPECT_FALSE(nextRetryCount(0, 5).has_value());
  EXPECT_EQ(nextRetryCount(2, 9), 3u);
  EXPECT_FALSE(nextRetryCount(0xFFFFFFFFu, 0).has_value());
  EXPECT_FALSE(retryIncludesKeys(1, false));
  EXPECT_TRUE(retryIncludesKeys(1, true));
  EXPECT_TRUE(retryIncludesKeys(2, false));
}

// Receipts as chorus-sim forwards them (sim_relay.cpp onReceipt, sim_phone.cpp).
TEST(MessagingReceipts, ParsesForwardedReceipts) {
  auto delivered = parseIncomingReceipt(node(R"(
<receipt from=@"15550000002:3@s.whatsapp.net" id="m1" t="1700000000"/>)"),
                                        kMe);
  ASSERT_TRUE(delivered.has_value()) << describe(delivered.error());
  EXPECT_EQ(delivered->type, ReceiptType::Delivery);
  EXPECT_EQ(delivered->ids, (std::vector<std::string>{"m1"}));
  EXPECT_EQ(jid::format(delivered->sender), "15550000002:3@s.whatsapp.net");
  EXPECT_EQ(jid::format(delivered->chat), "15550000002@s.whatsapp.net");
  EXPECT_EQ(delivered->timestamp, 1700000000);
  EXPECT_FALSE(delivered->fromMe);

  auto read = parseIncomingReceipt(node(R"(
<receipt from=@"15550000002@s.whatsapp.net" id="m1" t="5" type="read"><list><item id="m2"/><item id="m3"/></list></receipt>)"),
                                   kMe);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->type, ReceiptType::Read);
  EXPECT_EQ(read->ids, (std::vector<std::string>{"m1", "m2", "m3"}));

  // The phone's "sender" receipt for a copy of our own message (sim_phone.cpp).
  auto sender = parseIncomingReceipt(node(R"(
<receipt from=@"15550000001@s.whatsapp.net" id="m4" t="5" type="sender" recipient=@"15550000002@s.whatsapp.net"/>)"),
                                     kMe);
  ASSERT_TRUE(sender.has_value());
  EXPECT_EQ(sender->type, ReceiptType::Sender);
  EXPECT_TRUE(sender->fromMe);
  EXPECT_EQ(jid::format(sender->chat), "15550000002@s.whatsapp.net");

  auto group = parseIncomingReceipt(node(R"(
<receipt from=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" id="g1" t="5" type="read"/>)"),
                                    kMe);
  ASSERT_TRUE(group.has_value());
  EXPECT_TRUE(group->isGroup);
  EXPECT_EQ(jid::format(group->chat), "120363000000000001@g.us");
  EXPECT_EQ(jid::format(group->sender), "15550000002:3@s.whatsapp.net");

  auto odd = parseIncomingReceipt(
      node(R"(<receipt from=@"15550000002@s.whatsapp.net" id="m" type="hist_sync"/>)"), kMe);
  EXPECT_EQ(odd->type, ReceiptType::Other);
  EXPECT_EQ(odd->typeName, "hist_sync");
  EXPECT_EQ(odd->timestamp, 0);
}

TEST(MessagingReceipts, ParsesAggregatedGroupReceipts) {
  auto grouped = parseIncomingReceipt(node(R"(
<receipt from=@"120363000000000001@g.us" id="g1" type="read">
  <participants key="g1">
    <user jid=@"15550000002:3@s.whatsapp.net" t="10"/>
    <user jid=@"15550000003@s.whatsapp.net" t="11"/>
  </participants>
</receipt>)"),
                                      kMe);
  ASSERT_TRUE(grouped.has_value()) << describe(grouped.error());
  ASSERT_EQ(grouped->grouped.size(), 2u);
  EXPECT_EQ(grouped->grouped[1].messageId, "g1");
  EXPECT_EQ(jid::format(grouped->grouped[1].sender), "15550000003@s.whatsapp.net");
  EXPECT_EQ(grouped->grouped[1].timestamp, 11);
  EXPECT_EQ(grouped->ids, (std::vector<std::string>{"g1"}));
}

TEST(MessagingReceipts, HostileReceiptsAreClearErrors) {
  for (
      std::string_view bad : {
          R"(<receipt from=@"15550000002@s.whatsapp.net"/>)",
          R"(<receipt id="" from=@"15550000002@s.whatsapp.net"/>)",
          R"(<receipt id="m"/>)",
          R"(<receipt id="m" from="?"/>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" t="x"/>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" participant="bad jid"/>)",
          R"(<receipt id="m" from=@"1203630000@newsletter"/>)",
          R"(<receipt id="m" from=@"120363000000000001@g.us"/>)",
          R"(<receipt id="m" from=@"120363000000000001@g.us"><participants><user jid=@"1555@s.whatsapp.net"/></participants></receipt>)",
          R"(<receipt id="m" from=@"120363000000000001@g.us"><participants key="m"><user/></participants></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net"><list><item/></list></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"/>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"><retry count="0" id="m" t="1" v="1"/><registration>x"00000001"</registration></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"><retry count="1" t="1" v="1"/><registration>x"00000001"</registration></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"><retry count="1" id="m" v="1"/><registration>x"00000001"</registration></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"><retry count="1" id="m" t="1" v="1"/></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"><retry count="1" id="m" t="1" v="1"/><registration>x"0001"</registration></receipt>)",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" type="retry"><retry count="1" id="m" t="1" v="1"/><registration>x"00000001"</registration><keys><identity>x"05"</identity></keys></receipt>)",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net"/>)",
      }) {
    auto r = parseIncomingReceipt(node(bad), kMe);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol) << bad;
  }
  Node many = node(R"(<receipt id="m" from=@"15550000002@s.whatsapp.net"><list/></receipt>)");
  binary::Children items(kMaxReceiptIds, node(R"(<item id="x"/>)"));
  std::get<binary::Children>(many.content)[0].content = std::move(items);
  EXPECT_EQ(parseIncomingReceipt(many, kMe).error().code, Errc::Protocol);
}

TEST(MessagingReceipts, AcksEchoWhatWhatsmeowEchoes) {
  const Node message = node(R"(
<message from=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" id="m1" t="1" type="text">
  <enc v="2" type="skmsg">x"33"</enc>
</message>)");
  auto ack = buildAckFor(message);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(*ack, node(R"(
<ack class="message" id="m1" to=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net"/>)"))
      << binary::toText(*ack);
  expectRoundTrip(*ack);

  auto nack = buildAckFor(message, static_cast<int>(NackCode::InvalidProtobuf));
  EXPECT_EQ(*nack, node(R"(
<ack class="message" id="m1" to=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" error="491"/>)"));

  auto receiptAck = buildAckFor(node(R"(
<receipt from=@"15550000001:2@s.whatsapp.net" id="r1" type="sender" recipient=@"15550000002@s.whatsapp.net" t="3"/>)"));
  EXPECT_EQ(*receiptAck, node(R"(
<ack class="receipt" id="r1" to=@"15550000001:2@s.whatsapp.net" recipient=@"15550000002@s.whatsapp.net" type="sender"/>)"))
      << binary::toText(*receiptAck);

  auto notificationAck = buildAckFor(node(R"(
<notification from=@"s.whatsapp.net" type="encrypt" id="n1" t="3"><count value="2"/></notification>)"));
  EXPECT_EQ(*notificationAck,
            node(R"(<ack class="notification" id="n1" to=@"s.whatsapp.net" type="encrypt"/>)"));

  EXPECT_EQ(buildAckFor(node(R"(<iq id="i" from=@"s.whatsapp.net"/>)")).error().code,
            Errc::InvalidArgument);
  EXPECT_EQ(buildAckFor(node(R"(<message from=@"s.whatsapp.net"/>)")).error().code, Errc::Protocol);
  EXPECT_EQ(buildAckFor(node(R"(<message id="m"/>)")).error().code, Errc::Protocol);
}

TEST(MessagingReceipts, ServerAcks) {
  // chorus-sim's answer to a sent message.
  auto sent = parseServerAck(
      node(R"(<ack class="message" id="m1" t="1700000000" from=@"15550000002@s.whatsapp.net"/>)"));
  ASSERT_TRUE(sent.has_value()) << describe(sent.error());
  EXPECT_EQ(sent->stanzaClass, "message");
  EXPECT_EQ(sent->id, "m1");
  EXPECT_EQ(jid::format(sent->from.value()), "15550000002@s.whatsapp.net");
  EXPECT_EQ(sent->timestamp, 1700000000);
  EXPECT_EQ(sent->error, 0);

  auto refused = parseServerAck(node(
      R"(<ack class="message" id="m2" from=@"120363000000000001@g.us" error="403" phash="2:abc"/>)"));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->error, 403);
  EXPECT_EQ(refused->phash, "2:abc");

  for (std::string_view bad :
       {R"(<ack id="m"/>)", R"(<ack class="message"/>)", R"(<ack class="message" id="m" t="x"/>)",
        R"(<ack class="message" id="m" error="4000"/>)",
        R"(<ack class="message" id="m" from="bad jid"/>)",
        R"(<receipt class="message" id="m"/>)"}) {
    EXPECT_EQ(parseServerAck(node(bad)).error().code, Errc::Protocol) << bad;
  }
}

TEST(MessagingReceipts, TypeNames) {
  for (ReceiptType type : {ReceiptType::Delivery, ReceiptType::Sender, ReceiptType::Inactive,
                           ReceiptType::PeerMsg, ReceiptType::Read, ReceiptType::ReadSelf,
                           ReceiptType::Played, ReceiptType::PlayedSelf, ReceiptType::Retry}) {
    EXPECT_EQ(parseReceiptType(receiptTypeName(type)), type);
  }
  EXPECT_EQ(parseReceiptType("whatever"), ReceiptType::Other);
}

}  // namespace
}  // namespace chorus::core::session
