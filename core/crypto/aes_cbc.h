// AES-256-CBC with PKCS#7 padding (OpenSSL), as WhatsApp media and Signal messages use it.
#pragma once

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::crypto {

inline constexpr std::size_t kCbcIvSize = 16;

[[nodiscard]] Result<Bytes> aesCbcEncrypt(BytesView key, BytesView iv, BytesView plaintext);
// Errc::Crypto for bad padding; Errc::Malformed when not a multiple of the block size.
[[nodiscard]] Result<Bytes> aesCbcDecrypt(BytesView key, BytesView iv, BytesView ciphertext);

}  // namespace chorus::core::crypto
