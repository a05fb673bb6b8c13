// Internal to core/crypto: libsodium must be initialised before use so it picks the fastest
// implementation for this CPU (and seeds randombytes). sodium_init is idempotent and
// thread-safe; the function-local static only saves the repeated call.
#pragma once

#include <sodium.h>

#include <cstdlib>

namespace chorus::core::crypto::detail {

inline void ensureSodium() {
  static const bool kReady = [] {
    // Without libsodium nothing in Chorus can be trusted to run: the same stance as SystemRandom.
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)kReady;
}

}  // namespace chorus::core::crypto::detail
