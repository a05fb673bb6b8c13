// AES-256-CTR (OpenSSL): libsignal's crypto provider requires it, and pairing by phone-number
// code wraps keys with it (protocol notes §7).
#pragma once

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::crypto {

// Encryption and decryption are the same operation. Errc::InvalidArgument unless the key is
// 32 bytes and the iv (initial counter block) 16 bytes.
[[nodiscard]] Result<Bytes> aes256Ctr(BytesView key, BytesView iv, BytesView input);

}  // namespace chorus::core::crypto
