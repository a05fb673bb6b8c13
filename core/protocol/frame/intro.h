// The bytes a client sends once, before its first frame: the optional "ED" routing prefix and
// the 4-byte intro header "WA" 0x06 <dict version> (protocol notes §1.2, §1.3). The intro header
// is also the Noise prologue; the routing prefix is not.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::frame {

// Largest payload the 3-byte length prefix can describe.
inline constexpr std::size_t kMaxFrameSize = (std::size_t{1} << 24) - 1;
inline constexpr std::size_t kLengthPrefixSize = 3;
inline constexpr std::size_t kIntroHeaderSize = 4;
// "ED" 0x00 0x01 + 3-byte length, followed by the routing info bytes.
inline constexpr std::size_t kRoutingPrefixHeaderSize = 7;

inline constexpr std::uint8_t kWaMagicVersion = 6;
// Dictionary (token table) versions: Baileys 6.x speaks v2, current whatsmeow v3.
inline constexpr std::uint8_t kDictVersionV2 = 2;
inline constexpr std::uint8_t kDictVersionV3 = 3;
inline constexpr std::uint8_t kDefaultDictVersion = kDictVersionV3;

[[nodiscard]] constexpr bool isKnownDictVersion(std::uint8_t v) noexcept {
  return v == kDictVersionV2 || v == kDictVersionV3;
}

// "WA" 0x06 dictVersion. Errc::Unsupported for a dictionary version other than 2 or 3.
[[nodiscard]] Result<Bytes> introHeader(std::uint8_t dictVersion);

// "ED" 0x00 0x01 len(3 bytes BE) routingInfo. Errc::TooLarge when routingInfo needs more than 24
// bits of length; Errc::InvalidArgument when it is empty (then no prefix should be sent at all).
[[nodiscard]] Result<Bytes> routingPrefix(BytesView routingInfo);

}  // namespace chorus::core::frame
