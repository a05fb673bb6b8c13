#include "core/account/account_name.h"

#include <cstdint>

namespace chorus::core::account {

namespace {

constexpr std::string_view kWhiteSpace = " \t\r\n\v\f";

char foldAscii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Number of code points in well-formed UTF-8 without control characters, or nothing.
bool countCodePoints(std::string_view text, std::size_t& count) noexcept {
  count = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = 0;
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7f) return false;
      length = 1;
    } else if ((lead & 0xe0) == 0xc0 && lead >= 0xc2) {
      length = 2;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
    } else if ((lead & 0xf8) == 0xf0 && lead <= 0xf4) {
      length = 4;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<std::uint8_t>(text[i + k]) & 0xc0) != 0x80) return false;
    }
    if (length == 2 && lead == 0xc2 && static_cast<std::uint8_t>(text[i + 1]) < 0xa0) {
      return false;  // C1 control characters
    }
    i += length;
    ++count;
  }
  return true;
}

}  // namespace

Result<std::string> normalizeAccountName(std::string_view name) {
  const std::size_t first = name.find_first_not_of(kWhiteSpace);
  if (first == std::string_view::npos) {
    return fail(Errc::InvalidArgument, "an account name must not be empty");
  }
  const std::size_t last = name.find_last_not_of(kWhiteSpace);
  const std::string_view trimmed = name.substr(first, last - first + 1);
  std::size_t length = 0;
  if (!countCodePoints(trimmed, length)) {
    return fail(Errc::InvalidArgument,
                "an account name must be UTF-8 text without control characters");
  }
  if (length > kMaxAccountNameLength) {
    return fail(Errc::InvalidArgument, "an account name must have at most " +
                                           std::to_string(kMaxAccountNameLength) + " characters");
  }
  return std::string(trimmed);
}

bool sameAccountName(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (foldAscii(a[i]) != foldAscii(b[i])) return false;
  }
  return true;
}

std::string foldAccountName(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = foldAscii(c);
  return out;
}

}  // namespace chorus::core::account
