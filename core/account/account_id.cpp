#include "core/account/account_id.h"

#include <array>
#include <cstdint>

namespace chorus::core::account {

namespace {

constexpr std::array<std::size_t, 4> kDashes{8, 13, 18, 23};
constexpr char kHexDigits[] = "0123456789abcdef";

bool isDash(std::size_t i) noexcept {
  for (std::size_t d : kDashes) {
    if (d == i) return true;
  }
  return false;
}

}  // namespace

api::AccountId newAccountId(Random& random) {
  std::array<std::uint8_t, 16> b{};
  random.fill(b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  api::AccountId id;
  id.reserve(kAccountIdLength);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    id.push_back(kHexDigits[b[i] >> 4]);
    id.push_back(kHexDigits[b[i] & 0x0f]);
  }
  return id;
}

bool isAccountId(std::string_view text) noexcept {
  if (text.size() != kAccountIdLength) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (isDash(i)) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace chorus::core::account
