// libFuzzer target: the binary node decoder (frame plaintext: flags byte, optional zlib, node).
// Input byte 0 picks the dictionary (bit 0: v2/v3); the rest is frame plaintext.
// Properties: decoding never crashes or leaks; a decoded node that re-encodes decodes again, and
// that second tree encodes to the same bytes (encode∘decode is a projection onto canonical
// bytes). Exact tree equality is too strong for non-canonical input: e.g. an empty packed
// string as content decodes as "" but "" is written as LIST_EMPTY, which reads back as an empty
// child list (Baileys behaves the same).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/protocol/binary/codec.h"

using chorus::core::BytesView;
using chorus::core::binary::DictVersion;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const DictVersion dict = (data[0] & 1) != 0 ? DictVersion::V3 : DictVersion::V2;
  const BytesView input(data + 1, size - 1);

  auto node = chorus::core::binary::decodeFrame(input, dict);
  if (!node) return 0;
  auto encoded = chorus::core::binary::encode(*node, dict);
  if (!encoded) return 0;  // e.g. non-canonical input the encoder refuses to write
  auto again = chorus::core::binary::decode(*encoded, dict);
  if (!again) std::abort();
  auto reencoded = chorus::core::binary::encode(*again, dict);
  if (!reencoded || *reencoded != *encoded) std::abort();
  return 0;
}
