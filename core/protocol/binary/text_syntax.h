// Lexical rules of the canonical text form shared by the printer (text_form.cpp) and the
// parser (text_parser.cpp). docs/codec-text-form.md is the description for people.
#pragma once

#include <string_view>

namespace chorus::core::binary::text {

// Names (tags, attribute keys) made only of these characters print without quotes.
[[nodiscard]] constexpr bool isBareNameChar(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':';
}

[[nodiscard]] constexpr bool isSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Long-form JID keywords:
//   @{pair|ad|fb|interop user="…" server="…" device=N agent=N integrator=N}
inline constexpr std::string_view kFormPair = "pair";
inline constexpr std::string_view kFormAd = "ad";
inline constexpr std::string_view kFormFb = "fb";
inline constexpr std::string_view kFormInterop = "interop";

}  // namespace chorus::core::binary::text
