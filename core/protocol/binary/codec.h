// Encoder and decoder for WhatsApp binary nodes ("WAP binary XML") with token dictionaries
// v2 (Baileys 6.x) and v3 (current WhatsApp Web, whatsmeow). Protocol reference §4.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/protocol/binary/node.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::binary {

enum class DictVersion : std::uint8_t { V2 = 2, V3 = 3 };

// Frame-plaintext flag: the node bytes that follow are a zlib stream.
inline constexpr std::uint8_t kFlagCompressed = 0x02;
// Hard cap on inflated node size; a zlib bomb is refused once it would exceed this.
inline constexpr std::size_t kMaxInflatedSize = 16u << 20;

struct DecodeLimits {
  std::size_t maxInflatedSize = kMaxInflatedSize;
  std::size_t maxDepth = 64;  // nesting of child lists
};

// Node bytes without the flags byte.
[[nodiscard]] Result<Bytes> encode(const Node& node, DictVersion dict);
// Frame plaintext: flags byte 0x00 followed by the node bytes (what clients send).
[[nodiscard]] Result<Bytes> encodeFrame(const Node& node, DictVersion dict);

// Decodes exactly one node; trailing bytes are Errc::Malformed.
[[nodiscard]] Result<Node> decode(BytesView data, DictVersion dict, const DecodeLimits& limits = {});
// Decodes frame plaintext: the flags byte, then (zlib-inflated when flagged) node bytes.
[[nodiscard]] Result<Node> decodeFrame(BytesView data, DictVersion dict, const DecodeLimits& limits = {});

}  // namespace chorus::core::binary
