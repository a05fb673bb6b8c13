// SignalContext: one account's libsignal instance — the library context with Chorus's crypto
// provider (core/crypto, randomness from the injected Random) and the store context bridged to
// a SignalStore. SessionCipher and GroupCipher work on it. Not thread-safe: like all of core it
// belongs to the engine thread. It borrows `store` and `random`, which must outlive it.
//
// Identity trust is trust-on-first-use: an unknown identity is accepted and remembered; a
// different one for a known address is refused (Errc::Protocol, kUntrustedIdentity) until the
// caller forgets it with forgetIdentity() (e.g. on an identity-change notification).
#pragma once

#include <memory>

#include "core/signal/signal_address.h"
#include "core/signal/signal_store.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::signal {

class SignalContext {
 public:
  [[nodiscard]] static Result<SignalContext> create(SignalStore& store, Random& random);
  SignalContext(SignalContext&&) noexcept;
  SignalContext& operator=(SignalContext&&) noexcept;
  ~SignalContext();

  [[nodiscard]] SignalStore& store() noexcept;
  // Drops the remembered identity and every session of `address`'s device, so the next bundle
  // or pkmsg from a new identity is accepted.
  [[nodiscard]] Status forgetIdentity(const SignalAddress& address);

  struct Impl;  // core/signal/signal_context_impl.h, for the ciphers
  [[nodiscard]] Impl& impl() noexcept { return *impl_; }

 private:
  explicit SignalContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus::core::signal
