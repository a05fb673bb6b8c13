// The Messenger test fixture: a real Account linked against the in-process FakeServer, a
// peer with its own Signal store, and helpers to answer the server's queries
// (messenger_test.cpp, messenger_features_test.cpp).
#pragma once

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

namespace chorus::core::account::test {

namespace fs = std::filesystem;
using State = api::ConnectionState;
using binary::Node;

inline constexpr char kId[] = "5d1c0b7a-2e3f-4a5b-8c6d-0e1f2a3b4c5d";
inline constexpr char kOurUser[] = "15551234567";  // the FakeServer phone's number
inline constexpr char kPeerUser[] = "15550000002";
inline constexpr char kPeerChat[] = "15550000002@s.whatsapp.net";

inline std::uint32_t readBe(const Bytes& bytes) {
  std::uint32_t value = 0;
  for (std::uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

inline const Bytes& bytesOf(const Node& parentNode, std::string_view tag) {
  static const Bytes kEmpty;
  const Node* c = parentNode.child(tag);
  return c != nullptr && c->bytes() != nullptr ? *c->bytes() : kEmpty;
}

inline std::vector<const Node*> withTag(const std::vector<Node>& nodes, std::string_view tag) {
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
    wire();
    linkByQr();
  }

  // The account's transport is the in-process FakeServer; its events go to the recorder.
  void wire() {
    account->setTransport(std::make_unique<test::FakeTransport>(link, *account));
    account->setListener(recorder.listener());
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

  // An app restart: the account closed and opened again from its folder, logged in to Ready.
  // Everything the Messenger keeps only in memory (device lists, group metadata) is gone.
  void restart() {
    account->close();
    account.reset();
    std::optional<Result<std::unique_ptr<Account>>> opened;
    Account::open(dir.path() / kId, kId, secrets, random, clock, test::optionsFor(link.server),
                  [&](Result<std::unique_ptr<Account>> r) { opened.emplace(std::move(r)); });
    ASSERT_TRUE(opened.has_value());
    ASSERT_OK(*opened);
    account = std::move(**opened);
    wire();
    account->start();
    test::pump(link);
    test::deliver(link, session::test::success(phone.lid));
    ASSERT_EQ(account->status().state, State::Ready);
    link.received.clear();
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

// ---- sending -----------------------------------------------------------------------------------

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


}  // namespace chorus::core::account::test
