// One in-memory Signal device for the benchmarks and fuzz targets (no gtest there): its
// randomness, MemorySignalStore, SignalContext and SessionCipher, and the prekey bundle the
// server would hand out for it. A failure while setting up prints what failed and aborts:
// these programs have nothing to recover. (The unit tests' Party in
// tests/unit/signal/signal_test_util.h is the gtest-aware sibling.)
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/signal/memory_signal_store.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/signal/signal_keys.h"
#include "core/util/result.h"

namespace chorus::testsupport {

[[noreturn]] inline void setupFailed(const char* what, const core::Error& error) {
  std::fprintf(stderr, "signal device: %s: %s\n", what, core::describe(error).c_str());
  std::abort();
}

template <typename T>
T need(core::Result<T> result, const char* what) {
  if (!result) setupFailed(what, result.error());
  return std::move(*result);
}

inline void need(const core::Status& status, const char* what) {
  if (!status) setupFailed(what, status.error());
}

template <typename RandomT>
struct SignalDevice {
  template <typename... RandomArgs>
  SignalDevice(std::string user, std::int32_t device, core::signal::SymmetricStep step,
               RandomArgs&&... randomArgs)
      : address{std::move(user), device},
        random(std::forward<RandomArgs>(randomArgs)...),
        store(need(core::signal::MemorySignalStore::generate(random), "generate store")),
        context(need(core::signal::SignalContext::create(store, random), "context")),
        sessions(context, step) {}
  SignalDevice(const SignalDevice&) = delete;
  SignalDevice& operator=(const SignalDevice&) = delete;

  // The bundle the server would hand out (signed prekey 1, one one-time prekey), after storing
  // the keys it names.
  [[nodiscard]] core::signal::PreKeyBundle publishBundle() {
    auto identity = need(store.identityKeyPair(), "identity");
    auto signedPreKey =
        need(core::signal::generateSignedPreKey(identity, 1, random), "signed prekey");
    auto preKeys = need(core::signal::generatePreKeys(1, 1, random), "prekeys");
    need(store.storeSignedPreKey(signedPreKey), "store the signed prekey");
    need(store.storePreKey(preKeys[0]), "store the prekey");
    core::signal::PreKeyBundle bundle;
    bundle.registrationId = need(store.registrationId(), "registration id");
    bundle.deviceId = address.device;
    bundle.identityKey = identity.publicKey;
    bundle.signedPreKeyId = signedPreKey.id;
    bundle.signedPreKey = signedPreKey.publicKey;
    bundle.signedPreKeySignature = signedPreKey.signature;
    bundle.preKey = core::signal::PreKeyBundle::OneTimePreKey{preKeys[0].id, preKeys[0].publicKey};
    return bundle;
  }

  // The serialized session record with `peer`; aborts when there is none.
  [[nodiscard]] core::Bytes sessionRecord(const core::signal::SignalAddress& peer) {
    auto record = need(store.session(peer), "load session");
    if (!record) setupFailed("load session", core::Error{core::Errc::NotFound, "no session"});
    return core::Bytes(record->data(), record->data() + record->size());
  }

  core::signal::SignalAddress address;
  RandomT random;
  core::signal::MemorySignalStore store;
  core::signal::SignalContext context;
  core::signal::SessionCipher sessions;
};

}  // namespace chorus::testsupport
