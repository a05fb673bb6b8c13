// Test helpers: a "party" is one device with its own deterministic randomness, in-memory
// store, Signal context and ciphers, and the prekeys it would upload (protocol §8.2).
#pragma once

#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "core/signal/group_cipher.h"
#include "core/signal/memory_signal_store.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/signal/signal_error.h"
#include "core/signal/signal_keys.h"
#include "core/util/random.h"

namespace chorus::core::signal::test {

struct Party {
  Party(std::string user, std::int32_t device, std::uint64_t seed,
        SymmetricStep step = SymmetricStep::Chorus)
      : address{std::move(user), device},
        random(std::make_unique<SeededRandom>(seed)),
        store(std::make_unique<MemorySignalStore>(MemorySignalStore::generate(*random).value())),
        context(std::make_unique<SignalContext>(SignalContext::create(*store, *random).value())),
        sessions(*context, step),
        groups(*context) {
    IdentityKeyPair identity = store->identityKeyPair().value();
    SignedPreKey spk = generateSignedPreKey(identity, 1, *random).value();
    EXPECT_TRUE(store->storeSignedPreKey(spk).has_value());
    signedPreKey = std::move(spk);
    std::vector<PreKey> generated = generatePreKeys(1, 5, *random).value();
    for (PreKey& key : generated) {
      EXPECT_TRUE(store->storePreKey(key).has_value());
      preKeys.push_back(std::move(key));
    }
  }

  // The bundle the server would hand out for this device, with one-time prekey `index`.
  [[nodiscard]] PreKeyBundle bundle(std::optional<std::size_t> index = 0) {
    PreKeyBundle b;
    b.registrationId = store->registrationId().value();
    b.deviceId = address.device;
    b.identityKey = store->identityKeyPair().value().publicKey;
    b.signedPreKeyId = signedPreKey.id;
    b.signedPreKey = signedPreKey.publicKey;
    b.signedPreKeySignature = signedPreKey.signature;
    if (index)
      b.preKey = PreKeyBundle::OneTimePreKey{preKeys[*index].id, preKeys[*index].publicKey};
    return b;
  }

  SignalAddress address;
  std::unique_ptr<SeededRandom> random;
  std::unique_ptr<MemorySignalStore> store;
  std::unique_ptr<SignalContext> context;
  SessionCipher sessions;
  GroupCipher groups;
  SignedPreKey signedPreKey;
  std::vector<PreKey> preKeys;
};

inline Bytes text(std::string_view s) {
  return toBytes(s);
}

}  // namespace chorus::core::signal::test
