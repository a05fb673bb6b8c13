// Argument checks shared by NoiseInitiator and NoiseResponder.
#pragma once

#include <string>

#include "core/crypto/aes_gcm.h"
#include "core/crypto/x25519.h"
#include "core/util/result.h"

namespace chorus::core::noise {

// An AES-GCM encrypted 32-byte key: ciphertext plus tag.
inline constexpr std::size_t kEncryptedKeySize = crypto::kCurveKeySize + crypto::kGcmTagSize;

[[nodiscard]] inline Status checkKeyPair(const crypto::KeyPair& pair, const char* which) {
  if (pair.privateKey.size() != crypto::kCurveKeySize ||
      pair.publicKey.size() != crypto::kCurveKeySize) {
    return fail(Errc::InvalidArgument, std::string(which) + " key pair must be 32-byte keys");
  }
  return ok();
}

[[nodiscard]] inline Unexpected<Error> outOfOrder(const char* call) {
  return fail(Errc::InvalidArgument, std::string(call) + " called out of order or after a failure");
}

}  // namespace chorus::core::noise
