// Internal to core/signal: AES-256-CTR (no padding) for libsignal's crypto provider, which
// requires the cipher even though WhatsApp's v3 messages only use CBC. core/crypto has no CTR.
#pragma once

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::signal::detail {

// Encryption and decryption are the same operation. Errc::InvalidArgument unless the key is
// 32 bytes and the iv (initial counter block) 16 bytes.
[[nodiscard]] Result<Bytes> aes256Ctr(BytesView key, BytesView iv, BytesView input);

}  // namespace chorus::core::signal::detail
