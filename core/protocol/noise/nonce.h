// The AES-GCM IV of WhatsApp's Noise: 8 zero bytes followed by the 32-bit big-endian counter
// (protocol notes §2.1), in the handshake and the transport phase alike.
#pragma once

#include <array>
#include <cstdint>

#include "core/crypto/aes_gcm.h"

namespace chorus::core::noise {

// Counters are 32 bits on the wire; a key must never encrypt more than this many messages.
inline constexpr std::uint64_t kMaxNonceCount = std::uint64_t{1} << 32;

[[nodiscard]] inline std::array<std::uint8_t, crypto::kGcmIvSize> ivForCounter(
    std::uint32_t counter) noexcept {
  std::array<std::uint8_t, crypto::kGcmIvSize> iv{};
  iv[8] = static_cast<std::uint8_t>(counter >> 24);
  iv[9] = static_cast<std::uint8_t>(counter >> 16);
  iv[10] = static_cast<std::uint8_t>(counter >> 8);
  iv[11] = static_cast<std::uint8_t>(counter);
  return iv;
}

}  // namespace chorus::core::noise
