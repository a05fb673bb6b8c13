// Helpers shared by the crypto known-answer tests: vectors are written as hex, as their sources
// print them.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::crypto::test {

// Hex from a test vector; a typo in the vector fails the test rather than crashing it.
inline Bytes hex(std::string_view text) {
  auto bytes = fromHex(text);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in test vector: " << text;
  return bytes.has_value() ? std::move(bytes).value() : Bytes{};
}

inline std::string hexOf(const SecretBytes& secret) {
  return toHex(secret.view());
}

inline Bytes repeat(std::uint8_t value, std::size_t count) {
  return Bytes(count, value);
}

template <class T>
Errc errorOf(const Result<T>& result) {
  EXPECT_FALSE(result.has_value());
  return result.has_value() ? Errc::Internal : result.error().code;
}

}  // namespace chorus::core::crypto::test
