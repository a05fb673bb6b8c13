// XEdDSA signatures on Curve25519 (Montgomery) keys, as Signal and WhatsApp use them: the
// certificate chain, signed prekeys and ADV device identities. Backed by libsignal-protocol-c's
// curve functions. Signatures carry 64 random bytes, so they are verified, never compared.
#pragma once

#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::crypto {

inline constexpr std::size_t kSignatureSize = 64;

// Signs `message` with the 32-byte Curve25519 private key.
[[nodiscard]] Result<Bytes> xeddsaSign(BytesView privateKey, BytesView message, Random& random);
// True only for a valid 64-byte signature by the 32-byte public key; every bad input is false.
[[nodiscard]] bool xeddsaVerify(BytesView publicKey, BytesView message, BytesView signature);

}  // namespace chorus::core::crypto
