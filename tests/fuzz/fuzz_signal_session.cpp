// libFuzzer target: hostile "msg" messages and hostile session records against Chorus's
// symmetric-ratchet step (core/signal/symmetric_ratchet.h) and libsignal behind it.
//
// One conversation is set up once: Alice and Bob with a session in both directions, Bob holding
// a kept key for a late message. Every input starts again from those records. Byte 0 picks:
//   * even: a message to Bob — one of Alice's real messages (byte 1 picks: the next in the
//     chain, the late one, one with a new ratchet key), cut short when byte 2 says so, XORed
//     with the rest of the input and extended by what is longer. Property: Bob on Chorus's
//     step and Bob on libsignal alone get the same plaintext or the same error, and a refused
//     message leaves Chorus's record exactly as it was.
//   * odd: Bob's record itself, mutated the same way; then Bob encrypts and decrypts with it.
//     Property: no crash, no leak, no undefined behaviour (the sanitizers watch); whatever
//     libsignal and Chorus make of a record nobody wrote is their own business.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/signal/session_cipher.h"
#include "core/util/random.h"
#include "tests/common/signal_device.h"

using chorus::core::Bytes;
using chorus::core::BytesView;
using chorus::core::SeededRandom;
using chorus::core::signal::MessageType;
using chorus::core::signal::SignalAddress;
using chorus::core::signal::SymmetricStep;

namespace {

using chorus::testsupport::need;
using Device = chorus::testsupport::SignalDevice<SeededRandom>;

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// Alice, and Bob twice (on Chorus's step and on libsignal's) with identical records.
struct Conversation {
  Conversation()
      : alice("15550000001", 0, SymmetricStep::Chorus, 1),
        bob("15550000002", 0, SymmetricStep::Chorus, 2),
        bobLibsignal("15550000002", 0, SymmetricStep::Libsignal, 2) {
    need(alice.sessions.processBundle(bob.address, bob.publishBundle()), "bundle");
    (void)bobLibsignal.publishBundle();  // the same keys, stored
    auto first = need(alice.sessions.encrypt(bob.address, text("first")), "setup");
    deliver(first.type, first.bytes);
    auto reply = need(bob.sessions.encrypt(alice.address, text("reply")), "setup");
    (void)need(bobLibsignal.sessions.encrypt(alice.address, text("reply")), "setup");
    (void)need(alice.sessions.decrypt(bob.address, reply.type, reply.bytes), "setup");
    // A late one: "late" is sent before "next" but arrives after it, so Bob keeps its key.
    late = need(alice.sessions.encrypt(bob.address, text("late")), "setup").bytes;
    const Bytes early = need(alice.sessions.encrypt(bob.address, text("early")), "setup").bytes;
    deliver(MessageType::Normal, early);
    next = need(alice.sessions.encrypt(bob.address, text("next")), "setup").bytes;
    bobRecord = bob.sessionRecord(alice.address);
    if (bobLibsignal.sessionRecord(alice.address) != bobRecord) std::abort();
    // A new ratchet key: Alice answers a message from Bob (not delivered to the Bobs' records).
    auto fromBob = need(bob.sessions.encrypt(alice.address, text("from bob")), "setup");
    (void)need(alice.sessions.decrypt(bob.address, fromBob.type, fromBob.bytes), "setup");
    ratcheted = need(alice.sessions.encrypt(bob.address, text("ratcheted")), "setup").bytes;
    reset();
  }

  void deliver(MessageType type, const Bytes& bytes) {
    (void)need(bob.sessions.decrypt(alice.address, type, bytes), "setup");
    (void)need(bobLibsignal.sessions.decrypt(alice.address, type, bytes), "setup");
  }

  void reset() {
    need(bob.store.storeSession(alice.address, bobRecord), "setup");
    need(bobLibsignal.store.storeSession(alice.address, bobRecord), "setup");
  }

  Device alice;
  Device bob;
  Device bobLibsignal;
  Bytes bobRecord;
  Bytes next;
  Bytes late;
  Bytes ratcheted;
};

Conversation& conversation() {
  static Conversation* const instance = new Conversation();  // lives for the process
  return *instance;
}

// `base` cut to cut/256 of its length (0: uncut), XORed with `mask`, extended by its excess.
Bytes mutate(const Bytes& base, std::uint8_t cut, BytesView mask) {
  Bytes out = base;
  if (cut != 0) out.resize(base.size() * cut / 256);
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (i < out.size()) {
      out[i] ^= mask[i];
    } else {
      out.push_back(mask[i]);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  Conversation& c = conversation();
  c.reset();
  const BytesView mask(data + 3, size - 3);

  if ((data[0] & 1) == 0) {
    const Bytes* templates[] = {&c.next, &c.late, &c.ratcheted};
    const Bytes message = mutate(*templates[data[1] % 3], data[2], mask);
    auto ours = c.bob.sessions.decrypt(c.alice.address, MessageType::Normal, message);
    auto theirs = c.bobLibsignal.sessions.decrypt(c.alice.address, MessageType::Normal, message);
    if (ours.has_value() != theirs.has_value()) std::abort();
    if (ours.has_value() && *ours != *theirs) std::abort();
    if (!ours.has_value()) {
      if (ours.error().code != theirs.error().code) std::abort();
      if (c.bob.sessionRecord(c.alice.address) != c.bobRecord) std::abort();  // nothing written
    }
    return 0;
  }

  const Bytes record = mutate(c.bobRecord, data[2], mask);
  need(c.bob.store.storeSession(c.alice.address, record), "setup");
  (void)c.bob.sessions.encrypt(c.alice.address, text("to alice"));
  (void)c.bob.sessions.decrypt(c.alice.address, MessageType::Normal, data[1] % 2 ? c.next : c.late);
  return 0;
}
