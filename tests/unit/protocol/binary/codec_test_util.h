// Small helpers shared by the binary codec tests.
#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/util/bytes.h"

namespace chorus::core::binary::testing {

// Hex (spaces allowed) to bytes; the test fails on bad hex.
inline Bytes hex(std::string_view text) {
  auto bytes = fromHex(text);
  EXPECT_TRUE(bytes.has_value()) << text;
  return bytes.value_or(Bytes{});
}

// A node from its canonical text form; the test fails on bad text.
inline Node parseText(std::string_view text) {
  auto node = fromText(text);
  EXPECT_TRUE(node.has_value()) << text << ": " << (node ? "" : describe(node.error()));
  return node.value_or(Node{});
}

inline std::string encodeHex(const Node& node, DictVersion dict) {
  auto bytes = encodeFrame(node, dict);
  if (!bytes) return "error: " + describe(bytes.error());
  return toHex(*bytes);
}

inline Errc decodeError(std::string_view nodeHex, DictVersion dict = DictVersion::V2,
                        const DecodeLimits& limits = {}) {
  auto node = decode(hex(nodeHex), dict, limits);
  EXPECT_FALSE(node.has_value()) << nodeHex << " decoded as " << toText(node.value_or(Node{}));
  return node ? Errc::Internal : node.error().code;
}

}  // namespace chorus::core::binary::testing
