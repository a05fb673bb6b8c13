#include "core/protocol/binary/tokens.h"

#include <vector>

namespace chorus::core::binary {
namespace {

// Open addressing with linear probing. 4096 slots for ~1260 tokens keeps probes short;
// slot value 0 means empty, otherwise it is 1 + the token's position (see TokenIndex::code).
constexpr std::size_t kSlotCount = 4096;
constexpr std::size_t kSlotMask = kSlotCount - 1;
constexpr std::uint16_t kDoubleBase = kSingleByteTokenCount;

std::uint32_t hashOf(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

class TokenIndex {
 public:
  explicit TokenIndex(const TokenTable& table) : table_(table), slots_(kSlotCount, 0) {
    for (std::size_t i = 1; i < kSingleByteTokenCount; ++i) insert(static_cast<std::uint16_t>(i));
    for (std::size_t d = 0; d < kDoubleByteDictCount; ++d) {
      for (std::size_t i = 0; i < kDoubleByteDictSize; ++i) {
        insert(static_cast<std::uint16_t>(kDoubleBase + d * kDoubleByteDictSize + i));
      }
    }
  }

  bool find(std::string_view text, TokenCode& code) const noexcept {
    if (text.empty() || text.size() > maxLength_) return false;
    for (std::size_t slot = hashOf(text) & kSlotMask;; slot = (slot + 1) & kSlotMask) {
      const std::uint16_t entry = slots_[slot];
      if (entry == 0) return false;
      const std::uint16_t position = static_cast<std::uint16_t>(entry - 1);
      if (tokenAt(position) == text) {
        code = codeOf(position);
        return true;
      }
    }
  }

 private:
  // position: 1..235 single-byte tokens; kDoubleBase + dict * 256 + index for double-byte.
  std::string_view tokenAt(std::uint16_t position) const noexcept {
    if (position < kDoubleBase) return table_.single[position];
    const std::size_t rest = position - kDoubleBase;
    return table_.dictionaries[rest / kDoubleByteDictSize][rest % kDoubleByteDictSize];
  }
  static TokenCode codeOf(std::uint16_t position) noexcept {
    if (position < kDoubleBase) return {false, 0, static_cast<std::uint8_t>(position)};
    const std::size_t rest = position - kDoubleBase;
    return {true, static_cast<std::uint8_t>(rest / kDoubleByteDictSize),
            static_cast<std::uint8_t>(rest % kDoubleByteDictSize)};
  }
  void insert(std::uint16_t position) {
    const std::string_view text = tokenAt(position);
    if (text.size() > maxLength_) maxLength_ = text.size();
    std::size_t slot = hashOf(text) & kSlotMask;
    while (slots_[slot] != 0) slot = (slot + 1) & kSlotMask;
    slots_[slot] = static_cast<std::uint16_t>(position + 1);
  }

  const TokenTable& table_;
  std::vector<std::uint16_t> slots_;
  std::size_t maxLength_ = 0;
};

}  // namespace

const TokenTable& tokenTable(DictVersion dict) noexcept {
  return dict == DictVersion::V3 ? kTokensV3 : kTokensV2;
}

bool findToken(DictVersion dict, std::string_view text, TokenCode& code) noexcept {
  // Function-local statics: built once, thread-safe, after the constant tables exist.
  static const TokenIndex v2(kTokensV2);
  static const TokenIndex v3(kTokensV3);
  return (dict == DictVersion::V3 ? v3 : v2).find(text, code);
}

}  // namespace chorus::core::binary
