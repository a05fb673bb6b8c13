// Chorus's symmetric-ratchet step (core/signal/symmetric_ratchet.h) against libsignal itself.
// The same conversation — pkmsg phase, bursts, DH ratchet steps, late and reordered messages,
// replays, tampering — runs in four worlds built from the same seeds: both devices on
// Chorus's step, both on libsignal's, and each mix. Every message must come out byte for byte
// the same in all of them, every decrypt the same plaintext or the same error, and every
// session record the same once libsignal has read and re-written it.
#include "core/signal/symmetric_ratchet.h"

#include <array>
#include <deque>
#include <memory>
#include <random>

#include <gtest/gtest.h>
#include <signal/session_record.h>
#include <signal/signal_protocol.h>

#include "core/signal/padding.h"
#include "core/signal/protobuf_wire.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::signal {
namespace {

using test::Party;
using test::text;

// A session record as libsignal re-serializes it after reading it: the form in which records
// written by Chorus's step and by libsignal must agree.
Bytes normalized(Party& party, const SignalAddress& peer) {
  static signal_context* const context = [] {
    signal_context* created = nullptr;
    EXPECT_EQ(signal_context_create(&created, nullptr), 0);
    return created;
  }();
  auto record = party.store->session(peer);
  if (!record || !record->has_value()) {
    ADD_FAILURE() << "no session record";
    return {};
  }
  session_record* parsed = nullptr;
  if (session_record_deserialize(&parsed, (*record)->data(), (*record)->size(), context) != 0) {
    ADD_FAILURE() << "libsignal cannot read the record";
    return {};
  }
  signal_buffer* buffer = nullptr;
  EXPECT_EQ(session_record_serialize(&buffer, parsed), 0);
  Bytes out(signal_buffer_data(buffer), signal_buffer_data(buffer) + signal_buffer_len(buffer));
  signal_buffer_bzero_free(buffer);
  SIGNAL_UNREF(parsed);
  return out;
}

struct World {
  World(SymmetricStep aliceStep, SymmetricStep bobStep)
      : alice("15550000001", 3, 101, aliceStep), bob("15550000002", 1, 102, bobStep) {}
  Party alice;
  Party bob;
};

// What one operation produced, comparable across worlds.
struct Outcome {
  bool ok = false;
  Errc error = Errc::Internal;
  MessageType type = MessageType::Normal;
  Bytes bytes;  // the message, or the plaintext

  bool operator==(const Outcome&) const = default;
};

Outcome encryptIn(Party& from, const Party& to, BytesView plaintext) {
  auto result = from.sessions.encrypt(to.address, plaintext);
  if (!result) return {false, result.error().code, {}, {}};
  return {true, Errc::Internal, result->type, std::move(result->bytes)};
}

Outcome decryptIn(Party& at, const Party& from, MessageType type, BytesView bytes) {
  auto result = at.sessions.decrypt(from.address, type, bytes);
  if (!result) return {false, result.error().code, type, {}};
  return {true, Errc::Internal, type, std::move(*result)};
}

struct Sent {
  MessageType type;
  Bytes bytes;
};

class SymmetricRatchetTest : public ::testing::Test {
 protected:
  // worlds_[0] is the reference: libsignal on both sides.
  std::array<std::unique_ptr<World>, 4> worlds_{
      std::make_unique<World>(SymmetricStep::Libsignal, SymmetricStep::Libsignal),
      std::make_unique<World>(SymmetricStep::Chorus, SymmetricStep::Chorus),
      std::make_unique<World>(SymmetricStep::Chorus, SymmetricStep::Libsignal),
      std::make_unique<World>(SymmetricStep::Libsignal, SymmetricStep::Chorus)};

  static Party& sender(World& w, bool fromAlice) { return fromAlice ? w.alice : w.bob; }
  static Party& receiver(World& w, bool fromAlice) { return fromAlice ? w.bob : w.alice; }

  // Encrypts in every world; all must agree. Returns the message.
  Sent send(bool fromAlice, BytesView plaintext) {
    const Outcome reference =
        encryptIn(sender(*worlds_[0], fromAlice), receiver(*worlds_[0], fromAlice), plaintext);
    EXPECT_TRUE(reference.ok);
    for (std::size_t i = 1; i < worlds_.size(); ++i) {
      const Outcome outcome =
          encryptIn(sender(*worlds_[i], fromAlice), receiver(*worlds_[i], fromAlice), plaintext);
      EXPECT_EQ(outcome, reference) << "world " << i << " encrypt differs";
    }
    expectSameRecords();
    return {reference.type, reference.bytes};
  }

  // Decrypts in every world; all must agree. Returns the reference outcome.
  Outcome deliver(bool fromAlice, const Sent& message) {
    const Outcome reference = decryptIn(receiver(*worlds_[0], fromAlice),
                                        sender(*worlds_[0], fromAlice), message.type, message.bytes);
    for (std::size_t i = 1; i < worlds_.size(); ++i) {
      const Outcome outcome = decryptIn(receiver(*worlds_[i], fromAlice),
                                        sender(*worlds_[i], fromAlice), message.type, message.bytes);
      EXPECT_EQ(outcome, reference) << "world " << i << " decrypt differs";
    }
    expectSameRecords();
    return reference;
  }

  void expectSameRecords() {
    World& reference = *worlds_[0];
    const Bytes alice = normalized(reference.alice, reference.bob.address);
    const Bytes bob = reference.bob.store->session(reference.alice.address).value()
                          ? normalized(reference.bob, reference.alice.address)
                          : Bytes{};
    for (std::size_t i = 1; i < worlds_.size(); ++i) {
      World& w = *worlds_[i];
      EXPECT_EQ(normalized(w.alice, w.bob.address), alice) << "world " << i << " alice record";
      if (!bob.empty())
        EXPECT_EQ(normalized(w.bob, w.alice.address), bob) << "world " << i << " bob record";
    }
  }

  void establish() {
    for (auto& w : worlds_)
      ASSERT_TRUE(w->alice.sessions.processBundle(w->bob.address, w->bob.bundle()).has_value());
  }

  std::uint64_t chorusSteps(std::size_t world) const {
    return worlds_[world]->alice.sessions.chorusSteps() +
           worlds_[world]->bob.sessions.chorusSteps();
  }
};

TEST_F(SymmetricRatchetTest, ARandomConversationIsIdenticalToLibsignal) {
  establish();
  std::mt19937 rng(20261123);
  std::array<std::deque<Sent>, 2> inFlight;  // [0]: to Bob, [1]: to Alice
  std::array<std::vector<Sent>, 2> delivered;
  std::size_t messages = 0;
  std::size_t decrypted = 0;
  std::size_t refused = 0;
  SeededRandom padding(7);
  auto nextPlaintext = [&] {
    Bytes body(1 + rng() % 300);
    for (auto& b : body) b = static_cast<std::uint8_t>(rng());
    return padMessage(body, padding);
  };
  auto deliverAndCount = [&](std::size_t direction, const Sent& message) {
    const Outcome outcome = deliver(direction == 0, message);
    (outcome.ok ? decrypted : refused) += 1;
    return outcome;
  };

  for (int step = 0; step < 2500 && !HasFailure(); ++step) {
    const unsigned roll = rng() % 100;
    const std::size_t direction = roll % 2;  // a direction for the delivery actions
    std::deque<Sent>& queue = inFlight[direction];
    if (roll < 28) {
      inFlight[0].push_back(send(true, nextPlaintext()));
      ++messages;
    } else if (roll < 48) {
      inFlight[1].push_back(send(false, nextPlaintext()));
      ++messages;
    } else if (roll < 88) {  // in order
      if (queue.empty()) continue;
      Sent message = std::move(queue.front());
      queue.pop_front();
      if (deliverAndCount(direction, message).ok) delivered[direction].push_back(message);
    } else if (roll < 94) {  // out of order: a later one first
      if (queue.empty()) continue;
      const std::size_t at = rng() % queue.size();
      Sent message = std::move(queue[at]);
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(at));
      if (deliverAndCount(direction, message).ok) delivered[direction].push_back(message);
    } else if (roll < 97) {  // a replay
      if (delivered[direction].empty()) continue;
      const Sent& message = delivered[direction][rng() % delivered[direction].size()];
      EXPECT_FALSE(deliverAndCount(direction, message).ok);
    } else {  // tampered: one bit of a message still in flight
      if (queue.empty()) continue;
      Sent message = queue[rng() % queue.size()];
      message.bytes[rng() % message.bytes.size()] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
      deliverAndCount(direction, message);
    }
  }
  // Whatever is still in flight arrives at the end, in order.
  for (std::size_t direction = 0; direction < 2; ++direction) {
    for (const Sent& message : inFlight[direction]) deliverAndCount(direction, message);
  }

  EXPECT_GT(messages, 1000U);
  EXPECT_GT(decrypted, 900U);
  EXPECT_GT(refused, 50U);
  EXPECT_EQ(chorusSteps(0), 0U);
  // Most steps of the all-Chorus world were Chorus's (the rest: pkmsg, DH steps, skips).
  EXPECT_GT(chorusSteps(1), (messages + decrypted) / 2);
  EXPECT_GT(chorusSteps(2), 0U);
  EXPECT_GT(chorusSteps(3), 0U);
}

TEST_F(SymmetricRatchetTest, ALateMessageUsesItsKeptKeyOnce) {
  establish();
  const Sent first = send(true, text("pkmsg"));
  ASSERT_EQ(first.type, MessageType::PreKey);
  ASSERT_TRUE(deliver(true, first).ok);
  ASSERT_TRUE(deliver(false, send(false, text("reply"))).ok);

  const Sent one = send(true, text("one"));
  const Sent two = send(true, text("two"));
  ASSERT_EQ(one.type, MessageType::Normal);
  const std::uint64_t before = worlds_[1]->bob.sessions.chorusSteps();
  ASSERT_TRUE(deliver(true, two).ok);  // libsignal keeps one's key
  EXPECT_EQ(worlds_[1]->bob.sessions.chorusSteps(), before);
  const Outcome late = deliver(true, one);
  ASSERT_TRUE(late.ok);
  EXPECT_EQ(late.bytes, text("one"));
  EXPECT_EQ(worlds_[1]->bob.sessions.chorusSteps(), before + 1);  // ours, from the kept key
  const Outcome again = deliver(true, one);
  ASSERT_FALSE(again.ok);
  EXPECT_EQ(again.error, Errc::Protocol);  // the key is gone: a duplicate
}

TEST_F(SymmetricRatchetTest, WaitingForTheFirstReplyStaysPreKey) {
  establish();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(send(true, text("hello")).type, MessageType::PreKey);
  EXPECT_EQ(chorusSteps(1), 0U);
}

// The current session of a record, and the record with another current session.
BytesView currentSession(BytesView record) {
  detail::wire::Reader reader(record);
  detail::wire::Field field;
  while (reader.next(field))
    if (field.number == 1) return field.bytes;
  ADD_FAILURE() << "record without a current session";
  return {};
}

Bytes withCurrentSession(BytesView session) {
  detail::wire::Writer counter;
  counter.bytesField(1, session);
  Bytes out(counter.size());
  detail::wire::Writer writer(out.data(), out.size());
  writer.bytesField(1, session);
  return out;
}

// libsignal drops a session's "waiting for the first reply" state on any message it decrypts
// in that session. With libsignal's own flow the first reply always brings a new ratchet key
// (its DH step clears it), so the state is put back by hand here to see Chorus's step do the
// same when such a message arrives in an existing chain.
TEST_F(SymmetricRatchetTest, ReceivingInAChainEndsTheWaitForTheFirstReply) {
  establish();
  World& reference = *worlds_[0];
  const SecretBytes waiting =
      std::move(*reference.alice.store->session(reference.bob.address).value());
  Bytes pendingField;
  {
    detail::wire::Reader reader(currentSession(waiting.view()));
    detail::wire::Field field;
    while (reader.next(field))
      if (field.number == 9) pendingField.assign(field.whole.begin(), field.whole.end());
  }
  ASSERT_FALSE(pendingField.empty());
  ASSERT_TRUE(deliver(true, send(true, text("pkmsg"))).ok);
  ASSERT_TRUE(deliver(false, send(false, text("reply"))).ok);
  for (auto& w : worlds_) {
    const SecretBytes record = std::move(*w->alice.store->session(w->bob.address).value());
    Bytes session = toBytes(currentSession(record.view()));
    append(session, pendingField);
    ASSERT_TRUE(w->alice.store->storeSession(w->bob.address, withCurrentSession(session)));
  }
  EXPECT_EQ(send(true, text("waiting again")).type, MessageType::PreKey);
  const std::uint64_t before = worlds_[1]->alice.sessions.chorusSteps();
  ASSERT_TRUE(deliver(false, send(false, text("in the same chain"))).ok);
  EXPECT_EQ(worlds_[1]->alice.sessions.chorusSteps(), before + 1);
  EXPECT_EQ(send(true, text("answered")).type, MessageType::Normal);
}

// A record Chorus's step cannot read as plain (here: a current session given twice) is left
// to libsignal, which reads it as protobuf does; nothing breaks.
TEST_F(SymmetricRatchetTest, UnusualRecordsGoToLibsignal) {
  establish();
  ASSERT_TRUE(deliver(true, send(true, text("pkmsg"))).ok);
  ASSERT_TRUE(deliver(false, send(false, text("reply"))).ok);
  World& w = *worlds_[1];
  SecretBytes record = std::move(*w.alice.store->session(w.bob.address).value());
  Bytes doubled(record.data(), record.data() + record.size());
  append(doubled, record.view());  // every field twice: singular ones are merged / last wins
  ASSERT_TRUE(w.alice.store->storeSession(w.bob.address, doubled).has_value());
  const std::uint64_t before = w.alice.sessions.chorusSteps();
  auto message = w.alice.sessions.encrypt(w.bob.address, text("still works"));
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(w.alice.sessions.chorusSteps(), before);
  auto plain = w.bob.sessions.decrypt(w.alice.address, message->type, message->bytes);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, text("still works"));
}

}  // namespace
}  // namespace chorus::core::signal
