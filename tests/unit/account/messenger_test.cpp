// The Messenger through a real Account against the in-process FakeServer: after login our
// prekeys are counted and uploaded; a peer (MemorySignalStore) builds a session from the
// uploaded bundle and sends a pkmsg, then (after our answer) a msg — each stored once (a
// redelivery changes nothing), answered by a delivery receipt and an ack; a garbage <enc>
// leaves a placeholder, a retry receipt and an ack; a group text arrives through the sender
// key from a pairwise SKDM; receipts and notifications are acked. Sending: a text is queued,
// the device lists and the missing bundles are fetched, the peer and our phone decrypt the one
// <message> (our phone gets the DeviceSentMessage), the server's ack makes it sent, and a
// reconnect before the ack sends it again with the same id.
#include "core/account/messenger.h"

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/protocol/binary/text_form.h"
#include "core/session/message_content.h"
#include "core/session/prekey_bundle.h"
#include "core/signal/padding.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/store/data_key.h"
#include "core/store/lookup_key.h"
#include "core/store/message_id.h"
#include "core/store/message_lookup_key.h"
#include "core/store/message_query.h"
#include "core/store/signal_sql_store.h"
#include "tests/unit/account/account_test_util.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::account {
namespace {

namespace fs = std::filesystem;
using State = api::ConnectionState;
using binary::Node;
using test::Link;
using test::Recorder;

constexpr char kId[] = "5d1c0b7a-2e3f-4a5b-8c6d-0e1f2a3b4c5d";
constexpr char kOurUser[] = "15551234567";  // the FakeServer phone's number
constexpr char kPeerUser[] = "15550000002";
constexpr char kPeerChat[] = "15550000002@s.whatsapp.net";

std::uint32_t readBe(const Bytes& bytes) {
  std::uint32_t value = 0;
  for (std::uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

const Bytes& bytesOf(const Node& parentNode, std::string_view tag) {
  static const Bytes kEmpty;
  const Node* c = parentNode.child(tag);
  return c != nullptr && c->bytes() != nullptr ? *c->bytes() : kEmpty;
}

std::vector<const Node*> withTag(const std::vector<Node>& nodes, std::string_view tag) {
  std::vector<const Node*> out;
  for (const Node& n : nodes) {
    if (n.tag == tag) out.push_back(&n);
  }
  return out;
}

class MessengerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<Result<std::unique_ptr<Account>>> made;
    Account::create(dir.path() / kId, kId, "Shop", secrets, random, clock,
                    test::optionsFor(link.server),
                    [&](Result<std::unique_ptr<Account>> r) { made.emplace(std::move(r)); });
    ASSERT_TRUE(made.has_value());
    ASSERT_OK(*made);
    account = std::move(**made);
    account->setTransport(std::make_unique<test::FakeTransport>(link, *account));
    account->setListener(recorder.listener());
    linkByQr();
  }

  void linkByQr() {
    ASSERT_OK(account->linkWithQr());
    test::pump(link);
    test::deliver(link, session::test::pairDevice("pd", test::kRefs));
    auto qr = recorder.last<api::QrCodeShown>();
    ASSERT_TRUE(qr.has_value());
    test::deliver(link, session::test::pairSuccess("ps", qr->code, phone, phoneRandom));
    ASSERT_TRUE(account->isLinked());
    test::deliver(link, session::test::streamError("515"));
    test::deliver(link, session::test::success(phone.lid));
    ASSERT_EQ(account->status().state, State::Ready);
  }

  // The server's side of the prekey exchange: answers the count, takes the upload.
  Node answerCountAndTakeUpload(std::size_t serverCount) {
    const Node* count = nullptr;
    for (const Node& n : link.received) {
      if (n.tag == "iq" && n.attrText("xmlns") == "encrypt" && n.attrText("type") == "get") {
        count = &n;
      }
    }
    EXPECT_NE(count, nullptr) << "the prekey count is asked after login";
    if (count == nullptr) return {};
    Node result = binary::fromText(R"(<iq type="result" from=@"s.whatsapp.net"><count value=")" +
                                   std::to_string(serverCount) + R"("/></iq>)")
                      .value();
    result.set("id", count->attrText("id").value());
    link.received.clear();
    test::deliver(link, result);
    const Node* upload = nullptr;
    for (const Node& n : link.received) {
      if (n.tag == "iq" && n.attrText("xmlns") == "encrypt" && n.attrText("type") == "set") {
        upload = &n;
      }
    }
    if (serverCount >= session::PreKeyPolicy{}.minServerCount) {
      EXPECT_EQ(upload, nullptr) << "the server has enough";
      link.received.clear();
      return {};
    }
    EXPECT_NE(upload, nullptr) << "the prekeys are uploaded";
    if (upload == nullptr) return {};
    Node copy = *upload;
    link.received.clear();
    test::deliver(link, session::test::iqResult(copy.attrText("id").value()));
    return copy;
  }

  // The bundle the server would hand out for our device, from the upload.
  static signal::PreKeyBundle bundleFrom(const Node& upload, std::size_t keyIndex) {
    signal::PreKeyBundle b;
    b.registrationId = readBe(bytesOf(upload, "registration"));
    b.deviceId = 2;
    b.identityKey = bytesOf(upload, "identity");
    const Node* skey = upload.child("skey");
    b.signedPreKeyId = readBe(bytesOf(*skey, "id"));
    b.signedPreKey = bytesOf(*skey, "value");
    b.signedPreKeySignature = bytesOf(*skey, "signature");
    const Node& key = upload.child("list")->children()->at(keyIndex);
    b.preKey =
        signal::PreKeyBundle::OneTimePreKey{readBe(bytesOf(key, "id")), bytesOf(key, "value")};
    return b;
  }

  Node messageFrom(std::string id, std::string_view encType, Bytes ciphertext) {
    Node enc{"enc", {}, std::move(ciphertext)};
    enc.set("v", std::string("2")).set("type", std::string(encType));
    Node message{"message", {}, binary::Children{std::move(enc)}};
    message.set("from", jid::parse(kPeerChat).value())
        .set("id", std::move(id))
        .set("t", std::string("1700000100"))
        .set("type", std::string("text"))
        .set("notify", std::string("Bob"));
    return message;
  }

  Bytes padded(std::string_view text) {
    const proto::Message message = session::buildTextMessage(text).value();
    return session::encodePaddedMessage(message, *peer.random).value();
  }

  // What the account's database holds in the chat with the peer, read on a connection of our
  // own with the account's keys.
  std::vector<api::MessageView> storedMessages() {
    auto key = dataKey();
    auto db = store::Database::open(dir.path() / kId / "chorus.db");
    EXPECT_TRUE(db.has_value());
    SeededRandom r(3);
    store::ColumnCipher cipher(key.clone(), r);
    auto lookup = store::MessageLookupKey::derive(key).value();
    store::MessageQuery query(**db, cipher, lookup);
    auto latest = query.latest(kPeerChat, 50);
    EXPECT_TRUE(latest.has_value());
    return latest.value_or(std::vector<api::MessageView>{});
  }

  store::DataKey dataKey() {
    std::optional<store::DataKey> key;
    store::readDataKey(secrets, kId, [&](Result<store::DataKey> k) { key = std::move(*k); });
    return std::move(*key);
  }

  // Our device answers the peer (so the peer's next message is a plain msg).
  Bytes ourReply(std::string_view text) {
    auto key = dataKey();
    auto db = store::Database::open(dir.path() / kId / "chorus.db");
    EXPECT_TRUE(db.has_value());
    SeededRandom r(4);
    store::ColumnCipher cipher(key.clone(), r);
    auto lookup = store::LookupKey::derive(key, store::LookupDomain::Signal).value();
    store::SqlSignalStore signalStore(**db, cipher, lookup, clock);
    auto context = signal::SignalContext::create(signalStore, r).value();
    signal::SessionCipher sessions(context);
    auto encrypted = sessions.encrypt({kPeerUser, 0}, toBytes(text));
    EXPECT_TRUE(encrypted.has_value());
    EXPECT_EQ(encrypted->type, signal::MessageType::Normal);
    return encrypted->bytes;
  }

  std::vector<api::MessageAdded> added() const { return recorder.all<api::MessageAdded>(); }

  store::test::TempDir dir;
  FakeClock clock;
  SeededRandom random{21};
  SeededRandom phoneRandom{22};
  store::MemorySecretStore secrets;
  Link link{2000};
  session::test::Phone phone{session::test::fixedKeyPair(0x77)};
  Recorder recorder;
  std::unique_ptr<Account> account;
  signal::test::Party peer{kPeerUser, 0, 31};
};

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


// ---- sending ------------------------------------------------------------------------------------

class MessengerSendTest : public MessengerTest {
 protected:
  const Node* find(std::string_view tag, std::string_view xmlns = {}) {
    for (const Node& n : link.received) {
      if (n.tag == tag && (xmlns.empty() || n.attrText("xmlns") == xmlns)) return &n;
    }
    return nullptr;
  }

  // The server answers the usync query: the peer's phone; our phone and our device (2).
  void answerDevices() {
    const Node* usync = find("iq", "usync");
    ASSERT_NE(usync, nullptr) << "the device lists are asked for";
    Node result = binary::fromText(R"(
<iq type="result" from=@"s.whatsapp.net"><usync><list>
  <user jid=@"15550000002@s.whatsapp.net"><devices><device-list><device id="0"/></device-list></devices></user>
  <user jid=@"15551234567@s.whatsapp.net"><devices><device-list>
    <device id="0"/><device id="2" key-index="1"/>
  </device-list></devices></user>
</list></usync></iq>)")
                      .value();
    result.set("id", usync->attrText("id").value());
    link.received.clear();
    test::deliver(link, result);
  }

  // The server answers the prekey fetch with the peer's and our phone's bundles.
  void answerBundles() {
    const Node* fetch = find("iq", "encrypt");
    ASSERT_NE(fetch, nullptr) << "the missing bundles are fetched";
    ASSERT_EQ(fetch->child("key")->children()->size(), 2u);
    binary::Children users;
    users.push_back(
        session::bundleUserNode(jid::parse(kPeerChat).value(), peer.bundle(0)).value());
    users.push_back(
        session::bundleUserNode(jid::parse("15551234567@s.whatsapp.net").value(), ourPhone.bundle(0))
            .value());
    Node list{"list", {}, std::move(users)};
    Node result{"iq", {}, binary::Children{std::move(list)}};
    result.set("type", std::string("result"))
        .set("from", jid::parse("s.whatsapp.net").value())
        .set("id", fetch->attrText("id").value());
    link.received.clear();
    test::deliver(link, result);
  }

  // The enc for `device` in a fan-out <message>, decrypted by `party` and classified.
  static session::ReceivedContent open(const Node& message, std::string_view device,
                                       signal::test::Party& party, bool own) {
    const Node* participants = message.child("participants");
    EXPECT_NE(participants, nullptr);
    if (participants == nullptr) return {};
    for (const Node& to : *participants->children()) {
      if (to.attrText("jid") != device) continue;
      const Node* enc = to.child("enc");
      const auto type = signal::parseMessageType(enc->attrText("type").value_or("")).value();
      auto padded = party.sessions.decrypt({kOurUser, 2}, type, *enc->bytes());
      EXPECT_TRUE(padded.has_value()) << describe(padded.error());
      if (!padded) return {};
      return session::decodeReceivedContent(*padded, own).value();
    }
    ADD_FAILURE() << "no enc for " << device;
    return {};
  }

  Node serverAck(const std::string& id) {
    Node ack = binary::fromText(R"(<ack class="message" t="1700000300" from=@"15550000002@s.whatsapp.net"/>)")
                   .value();
    ack.set("id", id);
    return ack;
  }

  signal::test::Party ourPhone{kOurUser, 0, 41};
};

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
