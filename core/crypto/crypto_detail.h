// Internal to core/crypto: small guards shared by the wrappers around C libraries.
#pragma once

#include <cstdint>
#include <cstdlib>

#include <sodium.h>

#include "core/util/bytes.h"

namespace chorus::core::crypto::detail {

// libsodium must be initialised before use so it picks the fastest implementation for this
// CPU (and seeds randombytes). sodium_init is idempotent and thread-safe; the function-local
// static only saves the repeated call.
inline void ensureSodium() {
  static const bool kReady = [] {
    // Without libsodium nothing in Chorus can be trusted to run: the same stance as SystemRandom.
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)kReady;
}

// An empty span may carry a null pointer, which several C APIs declare `nonnull` (libsodium)
// or pass on to memcpy/memmove (libsignal); even with length 0 that is undefined behaviour.
[[nodiscard]] inline const std::uint8_t* nonNullData(BytesView view) noexcept {
  static constexpr std::uint8_t kEmpty = 0;
  return view.data() != nullptr ? view.data() : &kEmpty;
}

}  // namespace chorus::core::crypto::detail
