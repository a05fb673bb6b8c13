// The Messenger beyond the first 1:1 exchange, through a real Account against the FakeServer:
// a peer that lost its session asks for a retry and gets the message again, re-encrypted in a
// fresh session, with the same id; a devices notification makes the next send ask for the
// device list again; reading a chat sends read receipts; a group text goes out as an SKDM to
// each device plus one skmsg, and the next one as the skmsg alone; an unacknowledged send goes
// out again after the outbox backoff; the group API answers through its callback.
#include "tests/unit/account/messenger_fixture.h"

#include "core/session/groups.h"
#include "core/session/receipts.h"
#include "core/store/outbox.h"
#include "core/signal/group_cipher.h"

namespace chorus::core::account {
namespace {

using namespace test;  // the fixture
using binary::Node;
using namespace std::chrono_literals;

constexpr char kGroup[] = "120363000000000001@g.us";

class MessengerFeaturesTest : public MessengerSendTest {
 protected:
  // One 1:1 text all the way to the server's ack; returns its id and the <message>.
  std::pair<std::string, Node> sendAndAck(std::string_view text) {
    std::string id;
    EXPECT_TRUE(account->sendText(kPeerChat, text, &id).has_value());
    test::pump(link);
    if (find("iq", "usync") != nullptr) answerDevices();
    if (find("iq", "encrypt") != nullptr) answerBundles();
    const Node* message = find("message");
    EXPECT_NE(message, nullptr);
    Node copy = message != nullptr ? *message : Node{};
    test::deliver(link, serverAck(id));
    link.received.clear();
    return {id, copy};
  }

  // The server's answer to the group metadata query: us and the peer.
  void answerGroupMeta() {
    const Node* query = find("iq", "w:g2");
    ASSERT_NE(query, nullptr) << "the group's participants are asked for";
    Node result = binary::fromText(R"(
<iq type="result" from=@"120363000000000001@g.us"><group id="120363000000000001" subject="Shop team" creator=@"15551234567@s.whatsapp.net" creation="1700000000">
  <participant jid=@"15551234567@s.whatsapp.net" type="superadmin"/>
  <participant jid=@"15550000002@s.whatsapp.net"/>
</group></iq>)")
                      .value();
    result.set("id", query->attrText("id").value());
    link.received.clear();
    test::deliver(link, result);
  }

  // Our sender key of kGroup, as the peer names it.
  const signal::SenderKeyName ourGroupKey{kGroup, {kOurUser, 2}};

  struct GroupText {
    std::string id;
    Node message;
    Bytes skdm;  // the sender key distribution message the peer took from it
  };
  // The first text to kGroup: metadata, device lists and bundles answered; the <message> has
  // the SKDM in <participants> and one skmsg. The peer takes the SKDM. Not acknowledged yet.
  GroupText sendFirstGroupText(std::string_view text) {
    GroupText out;
    EXPECT_TRUE(account->sendText(kGroup, text, &out.id).has_value());
    test::pump(link);
    answerGroupMeta();
    answerDevices();
    answerBundles();
    const Node* message = find("message");
    EXPECT_NE(message, nullptr) << ::testing::PrintToString(recorder.problems());
    if (message == nullptr) return out;
    out.message = *message;
    EXPECT_NE(message->child("participants"), nullptr);
    const auto pairwise = open(*message, kPeerChat, peer, false);
    EXPECT_TRUE(pairwise.senderKey.has_value());
    if (pairwise.senderKey) {
      EXPECT_EQ(pairwise.senderKey->groupId, kGroup);
      out.skdm = pairwise.senderKey->skdm;
      EXPECT_TRUE(peer.groups.processDistributionMessage(ourGroupKey, out.skdm));
    }
    return out;
  }

  // The skmsg of a group <message>, or nullptr.
  static const Node* skmsgOf(const Node& message) {
    for (const Node& c : *message.children()) {
      if (c.tag == "enc" && c.attrText("type") == "skmsg") return &c;
    }
    return nullptr;
  }

  // A retry receipt from the peer's phone for `id` (count 1: no keys).
  Node retryReceipt(const std::string& id, std::uint32_t registrationId) {
    Node retry{"retry", {}, {}};
    retry.set("count", std::string("1"))
        .set("id", id)
        .set("t", std::string("1700000100"))
        .set("v", std::string("1"));
    Bytes reg(4);
    for (int i = 0; i < 4; ++i) reg[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(registrationId >> (24 - 8 * i));
    Node registration{"registration", {}, std::move(reg)};
    Node receipt{"receipt", {}, binary::Children{std::move(retry), std::move(registration)}};
    receipt.set("id", id)
        .set("from", jid::parse(kPeerChat).value())
        .set("type", std::string("retry"))
        .set("t", std::string("1700000101"));
    return receipt;
  }
};

TEST_F(MessengerFeaturesTest, APeerThatLostItsSessionGetsTheMessageAgainThroughARetry) {
  (void)answerCountAndTakeUpload(100);
  const auto [id, first] = sendAndAck("keep this");
  EXPECT_EQ(open(first, kPeerChat, peer, false).text, "keep this");

  // The peer's phone starts over (new keys, no session with us) and asks for a retry.
  signal::test::Party reborn{kPeerUser, 0, 77};
  test::deliver(link, retryReceipt(id, reborn.store->registrationId().value()));
  const auto acks = withTag(link.received, "ack");
  ASSERT_EQ(acks.size(), 1u) << "the retry receipt is acked";
  const Node* fetch = find("iq", "encrypt");
  ASSERT_NE(fetch, nullptr) << "a fresh bundle is fetched for the device";
  binary::Children users;
  users.push_back(session::bundleUserNode(jid::parse(kPeerChat).value(), reborn.bundle(0)).value());
  Node list{"list", {}, std::move(users)};
  Node result{"iq", {}, binary::Children{std::move(list)}};
  result.set("type", std::string("result"))
      .set("from", jid::parse("s.whatsapp.net").value())
      .set("id", fetch->attrText("id").value());
  link.received.clear();
  test::deliver(link, result);

  const Node* resend = find("message");
  ASSERT_NE(resend, nullptr) << ::testing::PrintToString(recorder.problems());
  EXPECT_EQ(resend->attrText("id"), id) << "the same message id";
  const Node* enc = resend->child("enc");
  ASSERT_NE(enc, nullptr);
  EXPECT_EQ(enc->attrText("type"), "pkmsg");
  EXPECT_EQ(enc->attrText("count"), "1");
  EXPECT_NE(resend->child("device-identity"), nullptr);
  auto padded = reborn.sessions.decrypt({kOurUser, 2}, signal::MessageType::PreKey, *enc->bytes());
  ASSERT_TRUE(padded.has_value()) << describe(padded.error());
  EXPECT_EQ(session::decodeReceivedContent(*padded, false).value().text, "keep this");

  // At most kMaxRetryCount answers per message and device.
  for (std::uint32_t i = 1; i < session::kMaxRetryCount + 2; ++i) {
    link.received.clear();
    test::deliver(link, retryReceipt(id, reborn.store->registrationId().value()));
    const bool fetched = find("iq", "encrypt") != nullptr;
    EXPECT_EQ(fetched, i < session::kMaxRetryCount) << "retry " << i + 1;
  }
}

TEST_F(MessengerFeaturesTest, ADevicesNotificationMakesTheNextSendAskForTheListAgain) {
  (void)answerCountAndTakeUpload(100);
  (void)sendAndAck("one");
  std::string second;
  ASSERT_OK(account->sendText(kPeerChat, "two", &second));
  test::pump(link);
  EXPECT_EQ(find("iq", "usync"), nullptr) << "cached";
  test::deliver(link, serverAck(second));
  link.received.clear();

  test::deliver(link, binary::fromText(R"(
<notification id="d1" type="devices" from=@"15550000002@s.whatsapp.net" t="1700000200">
  <add><device jid=@"15550000002:3@s.whatsapp.net" key-index="1"/></add>
</notification>)")
                          .value());
  ASSERT_EQ(withTag(link.received, "ack").size(), 1u);
  link.received.clear();
  std::string third;
  ASSERT_OK(account->sendText(kPeerChat, "three", &third));
  test::pump(link);
  EXPECT_NE(find("iq", "usync"), nullptr) << "the peer's list changed: asked again";
  EXPECT_TRUE(recorder.problems().empty()) << ::testing::PrintToString(recorder.problems());
}

TEST_F(MessengerFeaturesTest, ReadingAChatSendsReadReceiptsAndZeroesItsUnreadCount) {
  const Node upload = answerCountAndTakeUpload(0);
  ASSERT_OK(peer.sessions.processBundle({kOurUser, 2}, bundleFrom(upload, 0)));
  auto first = peer.sessions.encrypt({kOurUser, 2}, padded("one"));
  test::deliver(link, messageFrom("3EB0R1", "pkmsg", first->bytes));
  auto second = peer.sessions.encrypt({kOurUser, 2}, padded("two"));
  test::deliver(link, messageFrom("3EB0R2", "pkmsg", second->bytes));
  auto unread = recorder.last<api::ChatUpdated>();
  ASSERT_TRUE(unread.has_value());
  EXPECT_EQ(unread->unreadCount, 2);
  EXPECT_EQ(unread->totalUnread, 2);
  link.received.clear();

  ASSERT_OK(account->markChatRead(kPeerChat));
  test::pump(link);
  std::vector<const Node*> reads;
  for (const Node& n : link.received) {
    if (n.tag == "receipt" && n.attrText("type") == "read") reads.push_back(&n);
  }
  ASSERT_EQ(reads.size(), 1u) << "one receipt per sender";
  EXPECT_EQ(reads[0]->attrText("to"), kPeerChat);
  EXPECT_EQ(reads[0]->attrText("id"), "3EB0R1");
  const Node* listed = reads[0]->child("list");
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->children()->at(0).attrText("id"), "3EB0R2");
  auto read = recorder.last<api::ChatUpdated>();
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->unreadCount, 0);
  EXPECT_EQ(read->totalUnread, 0);

  // Nothing unread any more: reading again sends nothing.
  link.received.clear();
  ASSERT_OK(account->markChatRead(kPeerChat));
  test::pump(link);
  EXPECT_EQ(withTag(link.received, "receipt").size(), 0u);
}

TEST_F(MessengerFeaturesTest, AGroupTextGoesAsSenderKeyDistributionThenOneSkmsg) {
  (void)answerCountAndTakeUpload(100);
  const GroupText first = sendFirstGroupText("hello team");
  ASSERT_FALSE(HasFailure());
  const std::string& id = first.id;
  const Node* message = &first.message;
  EXPECT_EQ(message->attrText("to"), kGroup);
  const Node* skmsg = skmsgOf(*message);
  ASSERT_NE(skmsg, nullptr);
  EXPECT_EQ(message->child("participants")->children()->size(), 2u) << "the peer's phone and ours";

  // The peer took the SKDM from its pairwise enc; it reads the skmsg with it.
  const signal::SenderKeyName& name = ourGroupKey;
  auto text = peer.groups.decrypt(name, *skmsg->bytes());
  ASSERT_TRUE(text.has_value()) << describe(text.error());
  EXPECT_EQ(session::decodeReceivedContent(*text, false).value().text, "hello team");

  test::deliver(link, serverAck(id));
  auto updated = recorder.last<api::MessageUpdated>();
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->status, api::MessageStatus::Sent);

  // Everyone has our sender key now: the next text is the skmsg alone, nothing fetched.
  link.received.clear();
  std::string next;
  ASSERT_OK(account->sendText(kGroup, "second", &next));
  test::pump(link);
  EXPECT_EQ(find("iq", "w:g2"), nullptr) << "metadata cached";
  EXPECT_EQ(find("iq", "usync"), nullptr) << "device lists cached";
  const Node* again = find("message");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->child("participants"), nullptr);
  auto second = peer.groups.decrypt(name, *again->child("enc")->bytes());
  ASSERT_TRUE(second.has_value()) << describe(second.error());
  EXPECT_EQ(session::decodeReceivedContent(*second, false).value().text, "second");
  test::deliver(link, serverAck(next));

  // Someone was removed: the metadata is asked for again and a new sender key goes to every
  // device, so the removed member cannot read what follows.
  link.received.clear();
  test::deliver(link, binary::fromText(R"(
<notification id="g1" type="w:gp2" from=@"120363000000000001@g.us" participant=@"15551234567@s.whatsapp.net" t="1700000300">
  <remove><participant jid=@"15550000009@s.whatsapp.net"/></remove>
</notification>)")
                          .value());
  ASSERT_EQ(withTag(link.received, "ack").size(), 1u);
  link.received.clear();
  std::string third;
  ASSERT_OK(account->sendText(kGroup, "third", &third));
  test::pump(link);
  answerGroupMeta();
  const Node* rotated = find("message");
  ASSERT_NE(rotated, nullptr) << ::testing::PrintToString(recorder.problems());
  ASSERT_NE(rotated->child("participants"), nullptr) << "a new SKDM for everyone";
  const auto fresh = open(*rotated, kPeerChat, peer, false);
  ASSERT_TRUE(fresh.senderKey.has_value());
  EXPECT_NE(fresh.senderKey->skdm, first.skdm);
  ASSERT_OK(peer.groups.processDistributionMessage(name, fresh.senderKey->skdm));
  const Node* rotatedEnc = skmsgOf(*rotated);
  ASSERT_NE(rotatedEnc, nullptr);
  auto thirdText = peer.groups.decrypt(name, *rotatedEnc->bytes());
  ASSERT_TRUE(thirdText.has_value()) << describe(thirdText.error());
  EXPECT_EQ(session::decodeReceivedContent(*thirdText, false).value().text, "third");
}

// Who has our sender key is stored, so after a restart a group text goes as one skmsg; a
// devices notification for a member makes their devices get the SKDM again.
TEST_F(MessengerFeaturesTest, SenderKeyHoldersSurviveARestart) {
  (void)answerCountAndTakeUpload(100);
  const std::string id = sendFirstGroupText("before").id;
  ASSERT_FALSE(HasFailure());
  test::deliver(link, serverAck(id));
  const signal::SenderKeyName& name = ourGroupKey;

  restart();
  std::string next;
  ASSERT_OK(account->sendText(kGroup, "after a restart", &next));
  test::pump(link);
  answerGroupMeta();  // metadata and device lists are cached in memory only
  answerDevices();
  const Node* again = find("message");
  ASSERT_NE(again, nullptr) << ::testing::PrintToString(recorder.problems());
  EXPECT_EQ(again->child("participants"), nullptr) << "no SKDM again";
  auto text = peer.groups.decrypt(name, *again->child("enc")->bytes());
  ASSERT_TRUE(text.has_value()) << describe(text.error());
  EXPECT_EQ(session::decodeReceivedContent(*text, false).value().text, "after a restart");
  test::deliver(link, serverAck(next));

  // The peer's devices changed: whichever device is new has no key, so every device of that
  // user gets the SKDM again (ours, with the key already, does not).
  link.received.clear();
  test::deliver(link, binary::fromText(R"(
<notification id="d1" type="devices" from=@"15550000002@s.whatsapp.net" t="1700000400">
  <add><device jid=@"15550000002@s.whatsapp.net"/></add>
</notification>)")
                          .value());
  link.received.clear();
  std::string third;
  ASSERT_OK(account->sendText(kGroup, "after a device change", &third));
  test::pump(link);
  answerDevices();
  const Node* rekeyed = find("message");
  ASSERT_NE(rekeyed, nullptr) << ::testing::PrintToString(recorder.problems());
  const Node* participants = rekeyed->child("participants");
  ASSERT_NE(participants, nullptr) << "the SKDM goes to the peer again";
  EXPECT_EQ(participants->children()->size(), 1u) << "the peer's phone only";
}

TEST_F(MessengerFeaturesTest, ABurstToOneChatMakesOneDeviceQueryAndOneBundleFetch) {
  (void)answerCountAndTakeUpload(100);
  std::vector<std::string> ids(3);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_OK(account->sendText(kPeerChat, "burst " + std::to_string(i), &ids[i]));
  }
  test::pump(link);
  std::size_t usyncs = 0;
  for (const Node& n : link.received) usyncs += n.tag == "iq" && n.attrText("xmlns") == "usync";
  EXPECT_EQ(usyncs, 1u) << "the others wait for the first one's answer";
  answerDevices();
  std::size_t fetches = 0;
  for (const Node& n : link.received) fetches += n.tag == "iq" && n.attrText("xmlns") == "encrypt";
  EXPECT_EQ(fetches, 1u);
  answerBundles();
  std::vector<std::string> sent;
  for (const Node& n : link.received) {
    if (n.tag == "message") sent.push_back(n.attrText("id").value());
  }
  EXPECT_EQ(sent, ids) << "all three, in order";
  // The peer reads all three in its one session (the first a pkmsg, the rest on its chain).
  std::size_t i = 0;
  for (const Node& n : link.received) {
    if (n.tag != "message") continue;
    EXPECT_EQ(open(n, kPeerChat, peer, false).text, "burst " + std::to_string(i++));
  }
}

TEST_F(MessengerFeaturesTest, ALateAckIsWaitedForNotAnsweredByASecondCopy) {
  (void)answerCountAndTakeUpload(100);
  std::string id;
  ASSERT_OK(account->sendText(kPeerChat, "are you there", &id));
  test::pump(link);
  answerDevices();
  answerBundles();
  ASSERT_NE(find("message"), nullptr);
  link.received.clear();

  // The backoff passes without the server's ack on a live connection: sending it again here
  // would deliver it twice, so it waits.
  clock.advance(store::OutboxPolicy{}.firstRetry + 1ms);
  account->onTimer();
  test::pump(link);
  EXPECT_EQ(find("message"), nullptr) << "no second copy on the same connection";
  EXPECT_EQ(storedMessages().at(0).status, api::MessageStatus::Queued);
  test::deliver(link, serverAck(id));  // late, but it came
  EXPECT_EQ(storedMessages().at(0).status, api::MessageStatus::Sent);

  // Another one whose ack never comes: the next connection sends it again, same id.
  std::string lost;
  ASSERT_OK(account->sendText(kPeerChat, "lost ack", &lost));
  test::pump(link);
  ASSERT_NE(find("message"), nullptr);
  test::drop(link);
  link.received.clear();
  account->onNetworkUp();
  test::pump(link);
  test::deliver(link, session::test::success(phone.lid));
  const Node* again = find("message");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->attrText("id"), lost);
}

TEST_F(MessengerFeaturesTest, AtMostEightMessagesAreOnTheirWayAtOnce) {
  (void)answerCountAndTakeUpload(100);
  (void)sendAndAck("warm up");  // device lists and sessions in place
  std::vector<std::string> ids(12);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_OK(account->sendText(kPeerChat, "n" + std::to_string(i), &ids[i]));
  }
  test::pump(link);
  std::vector<std::string> sent;
  for (const Node& n : link.received) {
    if (n.tag == "message") sent.push_back(n.attrText("id").value());
  }
  ASSERT_EQ(sent.size(), 8u) << "a crash now could repeat at most these";
  link.received.clear();
  test::deliver(link, serverAck(sent[0]));
  test::deliver(link, serverAck(sent[1]));
  std::vector<std::string> next;
  for (const Node& n : link.received) {
    if (n.tag == "message") next.push_back(n.attrText("id").value());
  }
  EXPECT_EQ(next, (std::vector<std::string>{ids[8], ids[9]})) << "each ack makes room, in order";
}

TEST_F(MessengerFeaturesTest, AFailedMessageIsRetriedWithTheSameIdWhenAsked) {
  (void)answerCountAndTakeUpload(100);
  std::string id;
  ASSERT_OK(account->sendText(kPeerChat, "try me", &id));
  test::pump(link);
  answerDevices();
  answerBundles();
  Node refused = serverAck(id);
  refused.set("error", std::string("479"));
  test::deliver(link, refused);
  ASSERT_EQ(storedMessages().at(0).status, api::MessageStatus::Failed);
  EXPECT_EQ(store::test::errorOf(account->retryMessage(kPeerChat, "3EB0NOSUCH")), Errc::NotFound);

  link.received.clear();
  ASSERT_OK(account->retryMessage(kPeerChat, id));
  test::pump(link);
  EXPECT_EQ(storedMessages().at(0).status, api::MessageStatus::Queued);
  const Node* again = find("message");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->attrText("id"), id);
  test::deliver(link, serverAck(id));
  EXPECT_EQ(storedMessages().at(0).status, api::MessageStatus::Sent);
  EXPECT_EQ(storedMessages().size(), 1u) << "the same message, not a copy";
  EXPECT_EQ(store::test::errorOf(account->retryMessage(kPeerChat, id)), Errc::NotFound) << "only failed ones";
}

TEST_F(MessengerFeaturesTest, GroupCallsAnswerThroughTheirCallback) {
  (void)answerCountAndTakeUpload(100);
  std::optional<Result<api::GroupInfo>> created;
  account->createGroup("Shop team", {kPeerChat},
                       [&](Result<api::GroupInfo> r) { created.emplace(std::move(r)); });
  test::pump(link);
  const Node* create = find("iq", "w:g2");
  ASSERT_NE(create, nullptr);
  ASSERT_NE(create->child("create"), nullptr);
  EXPECT_EQ(create->child("create")->attrText("subject"), "Shop team");
  EXPECT_FALSE(created.has_value()) << "answered only by the server";
  answerGroupMeta();
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(created->has_value()) << describe(created->error());
  EXPECT_EQ((*created)->jid, kGroup);
  EXPECT_EQ((*created)->subject, "Shop team");
  ASSERT_EQ((*created)->participants.size(), 2u);
  EXPECT_TRUE((*created)->participants[0].superAdmin);

  // A refused request reaches the callback as an error.
  std::optional<Result<api::GroupInfo>> info;
  account->groupInfo(kGroup, [&](Result<api::GroupInfo> r) { info.emplace(std::move(r)); });
  test::pump(link);
  const Node* query = find("iq", "w:g2");
  ASSERT_NE(query, nullptr);
  test::deliver(link, [&] {
    Node error = binary::fromText(
                     R"(<iq type="error" from=@"120363000000000001@g.us"><error code="403" text="forbidden"/></iq>)")
                     .value();
    error.set("id", query->attrText("id").value());
    return error;
  }());
  ASSERT_TRUE(info.has_value());
  ASSERT_FALSE(info->has_value());
  EXPECT_NE(info->error().detail.find("403"), std::string::npos);

  // Not connected: refused at once.
  test::drop(link);
  std::optional<Result<api::GroupInfo>> offline;
  account->groupInfo(kGroup, [&](Result<api::GroupInfo> r) { offline.emplace(std::move(r)); });
  ASSERT_TRUE(offline.has_value());
  ASSERT_FALSE(offline->has_value());
  EXPECT_EQ(offline->error().code, Errc::Unsupported);
}

}  // namespace
}  // namespace chorus::core::account
