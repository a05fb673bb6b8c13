// The Messenger through a real Account against the in-process FakeServer: after login our
// prekeys are counted and uploaded; a peer (MemorySignalStore) builds a session from the
// uploaded bundle and sends a pkmsg, then (after our answer) a msg — each stored once (a
// redelivery changes nothing), answered by a delivery receipt and an ack; a garbage <enc>
// leaves a placeholder, a retry receipt and an ack; a group text arrives through the sender
// key from a pairwise SKDM; receipts and notifications are acked. Sending: a text is queued,
// the device lists and the missing bundles are fetched, the peer and our phone decrypt the one
// <message> (our phone gets the DeviceSentMessage), the server's ack makes it sent, and a
// reconnect before the ack sends it again with the same id.
#include "tests/unit/account/messenger_fixture.h"

namespace chorus::core::account {
namespace {

using namespace test;  // the fixture
using State = api::ConnectionState;
using binary::Node;

TEST_F(MessengerTest, UploadsPreKeysAfterLogin) {
  const Node upload = answerCountAndTakeUpload(0);
  const Node* list = upload.child("list");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->children()->size(), session::PreKeyPolicy{}.initialBatch);
  EXPECT_EQ(bytesOf(upload, "identity").size(), 32u);
  EXPECT_TRUE(recorder.problems().empty()) << ::testing::PrintToString(recorder.problems());

  // A low-count notification: acked, and a refill of the next ids goes up.
  Node low =
      binary::fromText(
          R"(<notification id="n1" type="encrypt" from=@"s.whatsapp.net"><count value="2"/></notification>)")
          .value();
  test::deliver(link, low);
  ASSERT_EQ(withTag(link.received, "ack").size(), 1u);
  const Node* refill = nullptr;
  for (const Node& n : link.received) {
    if (n.tag == "iq" && n.attrText("xmlns") == "encrypt") refill = &n;
  }
  ASSERT_NE(refill, nullptr);
  EXPECT_EQ(refill->child("list")->children()->size(), session::PreKeyPolicy{}.refillBatch);
  EXPECT_EQ(readBe(bytesOf(refill->child("list")->children()->at(0), "id")),
            static_cast<std::uint32_t>(session::PreKeyPolicy{}.initialBatch + 1));
}

TEST_F(MessengerTest, StoresPreKeyAndNormalMessagesOnceThenReceiptsAndAcks) {
  const Node upload = answerCountAndTakeUpload(0);
  ASSERT_TRUE(peer.sessions.processBundle({kOurUser, 2}, bundleFrom(upload, 0)).has_value());

  // 1. The first message is a pkmsg.
  auto first = peer.sessions.encrypt({kOurUser, 2}, padded("hello there"));
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->type, signal::MessageType::PreKey);
  const Node pkmsg = messageFrom("3EB0AA01", "pkmsg", first->bytes);
  test::deliver(link, pkmsg);
  ASSERT_EQ(added().size(), 1u) << ::testing::PrintToString(recorder.problems());
  EXPECT_EQ(added()[0].chatJid, kPeerChat);
  EXPECT_EQ(added()[0].message.text, "hello there");
  EXPECT_EQ(added()[0].message.kind, api::MessageKind::Text);
  EXPECT_EQ(added()[0].message.senderName, "Bob");
  ASSERT_EQ(link.received.size(), 2u);
  EXPECT_EQ(link.received[0].tag, "receipt") << "the delivery receipt, after the commit";
  EXPECT_FALSE(link.received[0].attr("type"));
  EXPECT_EQ(link.received[1].tag, "ack");
  EXPECT_EQ(link.received[1].attrText("class"), "message");
  link.received.clear();

  // 2. Redelivered (say our ack was lost): stored once, answered again, no retry.
  test::deliver(link, pkmsg);
  EXPECT_EQ(added().size(), 1u);
  ASSERT_EQ(link.received.size(), 2u);
  EXPECT_EQ(link.received[0].tag, "receipt");
  EXPECT_FALSE(link.received[0].attr("type")) << "not a retry receipt";
  EXPECT_EQ(link.received[1].tag, "ack");
  link.received.clear();

  // 3. We answer; the peer's next message is a msg.
  auto reply = peer.sessions.decrypt({kOurUser, 2}, signal::MessageType::Normal, ourReply("hi"));
  ASSERT_TRUE(reply.has_value()) << describe(reply.error());
  auto second = peer.sessions.encrypt({kOurUser, 2}, padded("second one"));
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->type, signal::MessageType::Normal);
  test::deliver(link, messageFrom("3EB0AA02", "msg", second->bytes));
  ASSERT_EQ(added().size(), 2u) << ::testing::PrintToString(recorder.problems());
  EXPECT_EQ(added()[1].message.text, "second one");
  ASSERT_EQ(link.received.size(), 2u);
  EXPECT_EQ(link.received[0].tag, "receipt");
  EXPECT_EQ(link.received[1].tag, "ack");

  const auto stored = storedMessages();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].text, "hello there");
  EXPECT_EQ(stored[1].text, "second one");
}

TEST_F(MessengerTest, GarbageLeavesAPlaceholderARetryReceiptAndAnAck) {
  (void)answerCountAndTakeUpload(100);
  Bytes garbage = random.bytes(60);
  garbage[0] = 0x33;
  test::deliver(link, messageFrom("3EB0BAD1", "msg", garbage));
  ASSERT_EQ(added().size(), 1u);
  EXPECT_EQ(added()[0].message.kind, api::MessageKind::Placeholder);
  ASSERT_EQ(link.received.size(), 2u);
  EXPECT_EQ(link.received[0].tag, "receipt");
  EXPECT_EQ(link.received[0].attrText("type"), "retry");
  EXPECT_EQ(link.received[1].tag, "ack");
  link.received.clear();

  // The resend fails as well: one placeholder still, the next retry carries keys; after five
  // retries only acks.
  for (int i = 2; i <= 6; ++i) {
    Node resend = messageFrom("3EB0BAD1", "msg", garbage);
    test::deliver(link, resend);
  }
  EXPECT_EQ(added().size(), 1u);
  const auto retries = withTag(link.received, "receipt");
  ASSERT_EQ(retries.size(), 4u);
  EXPECT_NE(retries[0]->child("keys"), nullptr);
  EXPECT_EQ(withTag(link.received, "ack").size(), 5u);
  const auto stored = storedMessages();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].kind, api::MessageKind::Placeholder);
}

TEST_F(MessengerTest, GroupTextArrivesThroughTheSenderKeyFromThePairwiseSkdm) {
  const Node upload = answerCountAndTakeUpload(0);
  ASSERT_TRUE(peer.sessions.processBundle({kOurUser, 2}, bundleFrom(upload, 0)).has_value());
  constexpr char kGroup[] = "120363000000000001@g.us";
  const signal::SenderKeyName name{kGroup, {kPeerUser, 0}};
  auto skdm = peer.groups.createDistributionMessage(name);
  ASSERT_TRUE(skdm.has_value());
  proto::Message distribution;
  distribution.mutable_senderkeydistributionmessage()->set_groupid(kGroup);
  distribution.mutable_senderkeydistributionmessage()->set_axolotlsenderkeydistributionmessage(
      std::string(skdm->begin(), skdm->end()));
  auto pairwise = peer.sessions.encrypt(
      {kOurUser, 2}, session::encodePaddedMessage(distribution, *peer.random).value());
  ASSERT_TRUE(pairwise.has_value());
  auto group = peer.groups.encrypt(name, padded("hello group"));
  ASSERT_TRUE(group.has_value());

  Node pk{"enc", {}, pairwise->bytes};
  pk.set("v", std::string("2")).set("type", std::string("pkmsg"));
  Node sk{"enc", {}, *group};
  sk.set("v", std::string("2")).set("type", std::string("skmsg"));
  Node message{"message", {}, binary::Children{std::move(pk), std::move(sk)}};
  message.set("from", jid::parse(kGroup).value())
      .set("participant", jid::parse(kPeerChat).value())
      .set("id", std::string("3EB0DD01"))
      .set("t", std::string("1700000200"))
      .set("type", std::string("text"));
  test::deliver(link, message);
  ASSERT_EQ(added().size(), 1u) << ::testing::PrintToString(recorder.problems());
  EXPECT_EQ(added()[0].chatJid, kGroup);
  EXPECT_EQ(added()[0].message.text, "hello group");
  EXPECT_EQ(added()[0].message.senderJid, kPeerChat);
  ASSERT_EQ(link.received.size(), 2u);
  EXPECT_EQ(link.received[0].tag, "receipt");
  EXPECT_FALSE(link.received[0].attr("type"));
  EXPECT_EQ(link.received[1].tag, "ack");
}

TEST_F(MessengerTest, ReceiptsAndUnknownNotificationsAreAcked) {
  (void)answerCountAndTakeUpload(100);
  test::deliver(
      link,
      binary::fromText(R"(<receipt id="3EB0CC01" from=@"15550000002@s.whatsapp.net"/>)").value());
  test::deliver(link,
                binary::fromText(
                    R"(<notification id="n2" type="devices" from=@"15550000002@s.whatsapp.net"/>)")
                    .value());
  const auto acks = withTag(link.received, "ack");
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0]->attrText("class"), "receipt");
  EXPECT_EQ(acks[1]->attrText("class"), "notification");
}


TEST_F(MessengerSendTest, SendsToThePeerAndOurPhoneAndTheAckMakesItSent) {
  (void)answerCountAndTakeUpload(100);
  std::string id;
  ASSERT_OK(account->sendText(kPeerChat, "hello peer", &id));
  test::pump(link);
  EXPECT_EQ(id.size(), store::kMessageIdLength);
  ASSERT_EQ(added().size(), 1u);
  EXPECT_EQ(added()[0].message.id, id);
  EXPECT_EQ(added()[0].message.status, api::MessageStatus::Queued);
  answerDevices();
  answerBundles();
  EXPECT_TRUE(recorder.problems().empty()) << ::testing::PrintToString(recorder.problems());
  const Node* message = find("message");
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->attrText("id"), id);
  EXPECT_EQ(message->attrText("to"), kPeerChat);
  EXPECT_NE(message->child("device-identity"), nullptr) << "pkmsg carries our identity";
  ASSERT_EQ(message->child("participants")->children()->size(), 2u);

  const auto toPeer = open(*message, kPeerChat, peer, false);
  EXPECT_EQ(toPeer.kind, session::ContentKind::Text);
  EXPECT_EQ(toPeer.text, "hello peer");
  EXPECT_FALSE(toPeer.deviceSent);
  const auto toPhone = open(*message, "15551234567@s.whatsapp.net", ourPhone, true);
  EXPECT_EQ(toPhone.text, "hello peer");
  EXPECT_TRUE(toPhone.deviceSent);
  EXPECT_EQ(toPhone.destinationJid, kPeerChat);

  test::deliver(link, serverAck(id));
  auto updated = recorder.last<api::MessageUpdated>();
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->messageId, id);
  EXPECT_EQ(updated->status, api::MessageStatus::Sent);
  const auto stored = storedMessages();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status, api::MessageStatus::Sent);
  EXPECT_EQ(stored[0].text, "hello peer");

  // A second message reuses the cached device lists and the sessions: no usync, no prekey
  // fetch, a plain msg.
  link.received.clear();
  std::string second;
  ASSERT_OK(account->sendText(kPeerChat, "again", &second));
  test::pump(link);
  EXPECT_NE(second, id);
  EXPECT_EQ(find("iq", "usync"), nullptr) << "the device lists are cached";
  EXPECT_EQ(find("iq", "encrypt"), nullptr);
  ASSERT_NE(find("message"), nullptr);
  EXPECT_EQ(open(*find("message"), kPeerChat, peer, false).text, "again");
}

TEST_F(MessengerSendTest, QueuedWhileOfflineAndResentWithTheSameIdAfterAReconnect) {
  (void)answerCountAndTakeUpload(100);
  std::string id;
  ASSERT_OK(account->sendText(kPeerChat, "survives", &id));
  test::pump(link);
  answerDevices();
  answerBundles();
  ASSERT_NE(find("message"), nullptr);
  EXPECT_EQ(find("message")->attrText("id"), id);

  // The connection drops before the server's ack: still queued.
  test::drop(link);
  EXPECT_EQ(storedMessages().at(0).status, api::MessageStatus::Queued);
  // Sent while offline: queued, nothing goes out.
  std::string offline;
  ASSERT_OK(account->sendText(kPeerChat, "while offline", &offline));
  test::pump(link);
  EXPECT_EQ(storedMessages().size(), 2u);

  // Back: login, then both go out again — the first with its id.
  link.received.clear();
  account->onNetworkUp();
  test::pump(link);
  ASSERT_TRUE(link.live);
  test::deliver(link, session::test::success(phone.lid));
  ASSERT_EQ(account->status().state, State::Ready);
  // The device lists are still cached and the sessions exist: both go out at once, in order.
  std::vector<std::string> sent;
  for (const Node& n : link.received) {
    EXPECT_FALSE(n.tag == "iq" && n.attrText("xmlns") == "usync") << "cached device lists";
    if (n.tag == "message") sent.push_back(n.attrText("id").value());
  }
  for (const std::string& wireId : sent) test::deliver(link, serverAck(wireId));
  EXPECT_EQ(sent, (std::vector<std::string>{id, offline}));
  const auto stored = storedMessages();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].status, api::MessageStatus::Sent);
  EXPECT_EQ(stored[1].status, api::MessageStatus::Sent);
}

}  // namespace
}  // namespace chorus::core::account
