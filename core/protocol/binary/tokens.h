// Tag bytes of the binary node format (§4.2) and the token dictionaries v2/v3 (§4.3).
// The tables themselves live in the generated token_tables_v{2,3}.cpp (scripts/gen_tokens.py).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/protocol/binary/codec.h"

namespace chorus::core::binary {

namespace tag {
inline constexpr std::uint8_t kListEmpty = 0;
inline constexpr std::uint8_t kDictionary0 = 236;  // ..239: next byte indexes dictionary 0..3
inline constexpr std::uint8_t kDictionary3 = 239;
inline constexpr std::uint8_t kInteropJid = 245;
inline constexpr std::uint8_t kFbJid = 246;
inline constexpr std::uint8_t kAdJid = 247;
inline constexpr std::uint8_t kList8 = 248;
inline constexpr std::uint8_t kList16 = 249;
inline constexpr std::uint8_t kJidPair = 250;
inline constexpr std::uint8_t kHex8 = 251;
inline constexpr std::uint8_t kBinary8 = 252;
inline constexpr std::uint8_t kBinary20 = 253;
inline constexpr std::uint8_t kBinary32 = 254;
inline constexpr std::uint8_t kNibble8 = 255;
}  // namespace tag

inline constexpr std::size_t kPackedMax = 127;  // longest nibble/hex-packed string
inline constexpr std::size_t kSingleByteTokenCount = 236;
inline constexpr std::size_t kDoubleByteDictCount = 4;
inline constexpr std::size_t kDoubleByteDictSize = 256;

// AD_JID domain bytes (§5.2); any other value is an agent on s.whatsapp.net.
inline constexpr std::uint8_t kDomainWhatsApp = 0;
inline constexpr std::uint8_t kDomainLid = 1;
inline constexpr std::uint8_t kDomainHosted = 128;
inline constexpr std::uint8_t kDomainHostedLid = 129;

struct TokenTable {
  // Index = tag byte; entry 0 is "" (byte 0 is LIST_EMPTY, never a token).
  std::array<std::string_view, kSingleByteTokenCount> single;
  std::array<std::array<std::string_view, kDoubleByteDictSize>, kDoubleByteDictCount> dictionaries;
};

extern const TokenTable kTokensV2;
extern const TokenTable kTokensV3;

[[nodiscard]] const TokenTable& tokenTable(DictVersion dict) noexcept;

// How a token is written: one byte `index`, or `kDictionary0 + dict, index` when `isDouble`.
struct TokenCode {
  bool isDouble = false;
  std::uint8_t dict = 0;
  std::uint8_t index = 0;
};

// O(1) string→token lookup (a hash index built once per dictionary, on first use).
// False for "" and for strings that are not tokens.
[[nodiscard]] bool findToken(DictVersion dict, std::string_view text, TokenCode& code) noexcept;

}  // namespace chorus::core::binary
