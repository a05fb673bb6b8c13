// Account ids: the folder names under accounts/ — random UUIDs (version 4, lower-case hex), so
// they say nothing about the number and never collide across machines.
#pragma once

#include <string_view>

#include "core/api/account_events.h"
#include "core/util/random.h"

namespace chorus::core::account {

inline constexpr std::size_t kAccountIdLength = 36;  // 8-4-4-4-12

// A fresh UUID v4 ("0f8e4d2c-1b3a-4c5d-9e6f-7a8b9c0d1e2f").
[[nodiscard]] api::AccountId newAccountId(Random& random);
// True for the canonical lower-case form newAccountId makes (any version nibble).
[[nodiscard]] bool isAccountId(std::string_view text) noexcept;

}  // namespace chorus::core::account
