// The canonical text form of a node (documented in docs/codec-text-form.md), used by
// `chorus-cli codec` and the conformance tests. toText/fromText round-trip every node exactly,
// including string-vs-bytes content and the wire form of JIDs.
// The redacted printer is for logs: it never shows content bytes, text or full phone numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/protocol/binary/node.h"
#include "core/util/result.h"

namespace chorus::core::binary {

enum class TextStyle : std::uint8_t {
  Indented,  // one child per line, two spaces per level (what toText(node) gives)
  Compact,   // everything on one line, no whitespace between nodes
};

[[nodiscard]] std::string toText(const Node& node);
[[nodiscard]] std::string toText(const Node& node, TextStyle style);
[[nodiscard]] Result<Node> fromText(std::string_view text);

[[nodiscard]] std::string toRedactedString(const Node& node);

}  // namespace chorus::core::binary
