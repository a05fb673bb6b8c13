// WhatsApp's random padding of the plaintext Message protobuf for <enc v="2"> (protocol §9.1):
// p copies of the byte p are appended, p in 1..15 (a random nibble, 0 becoming 15), exactly
// as Baileys' writeRandomPadMax16 and whatsmeow's padMessage do. Padding is applied before
// Signal encryption and removed after decryption; libsignal knows nothing about it.
#pragma once

#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::signal {

inline constexpr std::uint8_t kMaxPadding = 16;  // the most a peer may add ("max 16")

[[nodiscard]] Bytes padMessage(BytesView message, Random& random);
// Removes the padding. Errc::Protocol when the input is empty, the last byte is 0 or larger
// than kMaxPadding or the input, or the padding bytes are not all equal to it.
[[nodiscard]] Result<Bytes> unpadMessage(BytesView padded);

}  // namespace chorus::core::signal
