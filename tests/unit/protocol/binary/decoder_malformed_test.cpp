// Hostile input: every malformed byte string is an error (Malformed or TooLarge), never a
// crash, undefined behaviour or an allocation sized by an unchecked length field.
#include "codec_test_util.h"

namespace chorus::core::binary {
namespace {

using testing::decodeError;
using testing::hex;

struct BadInput {
  const char* why;
  const char* nodeHex;  // node bytes, no flags byte
};

TEST(DecoderMalformed, EveryBadInputIsMalformed) {
  const BadInput cases[] = {
      {"empty input", ""},
      {"list size truncated", "f8"},
      {"LIST_16 size truncated", "f900"},
      {"tag missing", "f801"},
      {"node is an empty list", "00"},
      {"node header is not a list", "50"},
      {"empty tag", "f80100"},
      {"unused tag 240 as tag", "f801f0"},
      {"unused tag 244 as value", "f80350 04 f4"},
      {"JID as tag", "f801fa0003"},
      {"JID as attribute key", "f80350fa000304"},
      {"list tag as attribute value", "f80350 04 f801"},
      {"attribute value missing", "f80350 04"},
      {"attribute count exceeds input", "f8ff50 0404"},
      {"LIST_16 attribute count exceeds input", "f9ffff50 0404"},
      {"child count exceeds input", "f80250 f8ff f80150"},
      {"child truncated", "f80250 f802 f80150"},
      {"trailing bytes", "f80150 00"},
      {"dictionary index missing", "f801ec"},
      {"nibble 12", "f80250 ff01c0"},
      {"nibble 14 in the low half", "f80250 ff011e"},
      {"nibble terminator in the middle", "f80250 ff02f111"},
      {"nibble terminator as kept character", "f80250 ff81f1"},
      {"odd packed string without bytes", "f80250 ff80"},
      {"packed bytes truncated", "f80250 ff0512"},
      {"packed length missing", "f80250 fb"},
      {"BINARY_8 truncated", "f80250 fc0501"},
      {"BINARY_8 length missing", "f80250 fc"},
      {"BINARY_20 truncated", "f80250 fd0001"},
      {"BINARY_20 length beyond input", "f80250 fd0fffff00"},
      {"BINARY_32 huge length", "f80250 feffffffff00"},
      {"BINARY_32 length truncated", "f80250 feffff"},
      {"raw attribute string beyond input", "f80350 04 fe7fffffff"},
      {"JID_PAIR truncated", "f80250 fa"},
      {"JID_PAIR without server", "f80250 fa0000"},
      {"JID_PAIR with a JID as user", "f80250 fafa000303"},
      {"AD_JID truncated", "f80250 f700"},
      {"AD_JID without user", "f80250 f70001"},
      {"AD_JID with a JID as user", "f80250 f70001fa0003"},
      {"FB_JID device truncated", "f80250 f6ff0112"},
      {"FB_JID on another server", "f80250 f6ff0112000103"},
      {"INTEROP_JID integrator truncated", "f80250 f5ff0112000100"},
      {"INTEROP_JID on another server", "f80250 f5ff01120001000203"},
      {"duplicate attribute", "f80550 0431 0431"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.why);
    for (DictVersion dict : {DictVersion::V2, DictVersion::V3}) {
      EXPECT_EQ(decodeError(c.nodeHex, dict), Errc::Malformed);
    }
  }
}

TEST(DecoderMalformed, EveryTruncationOfAValidNodeFails) {
  const Bytes full =
      hex("f80a1e08ff831b2a3f0efa00030431195ff802f80150f8040e0ff70103ff88123456789012345ffc0533dead"
          "beef");
  ASSERT_TRUE(decode(full, DictVersion::V2).has_value());
  for (std::size_t n = 0; n < full.size(); ++n) {
    SCOPED_TRACE(n);
    auto node = decode(BytesView(full).first(n), DictVersion::V2);
    ASSERT_FALSE(node.has_value());
    EXPECT_EQ(node.error().code, Errc::Malformed);
  }
}

TEST(DecoderMalformed, NestingDepthIsLimited) {
  // <n><n>…<n/>…</n></n>: each level is "f802 50 f801", the innermost "f801 50".
  const auto nested = [](std::size_t levels) {
    std::string h;
    for (std::size_t i = 0; i < levels; ++i) h += "f80250f801";
    return h + "f80150";
  };
  EXPECT_TRUE(decode(hex(nested(64)), DictVersion::V2).has_value());
  EXPECT_EQ(decodeError(nested(65)), Errc::TooLarge);
  EXPECT_EQ(decodeError(nested(5000)), Errc::TooLarge);
  DecodeLimits shallow;
  shallow.maxDepth = 2;
  EXPECT_TRUE(decode(hex(nested(2)), DictVersion::V2, shallow).has_value());
  EXPECT_EQ(decodeError(nested(3), DictVersion::V2, shallow), Errc::TooLarge);
}

TEST(DecoderMalformed, RandomBytesNeverCrash) {
  // Mutations of a valid node: each result is either a node or an error.
  const Bytes base = hex("f80a1e08ff831b2a3f0efa00030431195ff801f80150");
  std::uint32_t state = 7;
  const auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 16;
  };
  for (int i = 0; i < 20000; ++i) {
    Bytes b = base;
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) b[next() % b.size()] = static_cast<std::uint8_t>(next());
    b.resize(next() % (b.size() + 1));
    auto node = decode(b, DictVersion::V3);
    if (!node) {
      EXPECT_TRUE(node.error().code == Errc::Malformed || node.error().code == Errc::TooLarge);
    }
  }
}

TEST(DecoderMalformed, FrameErrors) {
  EXPECT_EQ(decodeFrame({}, DictVersion::V2).error().code, Errc::Malformed);
  EXPECT_EQ(decodeFrame(hex("00"), DictVersion::V2).error().code, Errc::Malformed);
  // Unknown flag bits are ignored; 0x02 means zlib.
  EXPECT_TRUE(decodeFrame(hex("80f80102"), DictVersion::V2).has_value());
  EXPECT_EQ(decodeFrame(hex("02f80102"), DictVersion::V2).error().code, Errc::Malformed);
}

}  // namespace
}  // namespace chorus::core::binary
