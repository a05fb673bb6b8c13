// The rules for account names, which people choose and the CLI takes as arguments: trimmed,
// 1..64 characters (UTF-8 code points), no control characters; unique within a registry,
// compared without regard to ASCII case.
#pragma once

#include <string>
#include <string_view>

#include "core/util/result.h"

namespace chorus::core::account {

inline constexpr std::size_t kMaxAccountNameLength = 64;

// The name as stored: surrounding white space removed. Errc::InvalidArgument for an empty or
// over-long name, control characters or bytes that are not UTF-8.
[[nodiscard]] Result<std::string> normalizeAccountName(std::string_view name);
// Case-insensitive (ASCII) equality: "Shop" and "shop" are the same name.
[[nodiscard]] bool sameAccountName(std::string_view a, std::string_view b) noexcept;
// The name folded for sorting and comparing (ASCII lower case).
[[nodiscard]] std::string foldAccountName(std::string_view name);

}  // namespace chorus::core::account
