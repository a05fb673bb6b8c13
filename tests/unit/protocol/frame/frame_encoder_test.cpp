#include "core/protocol/frame/frame_encoder.h"

#include <gtest/gtest.h>

#include "core/protocol/frame/intro.h"
#include "tests/unit/protocol/frame/frame_test_util.h"

namespace chorus::core::frame {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers

Bytes hex(std::string_view text) { return fromHex(text).value(); }

FrameEncoder makeEncoder(FrameEncoder::Options options) {
  auto encoder = FrameEncoder::create(std::move(options));
  EXPECT_TRUE(encoder.has_value());
  return std::move(encoder).value();
}

TEST(IntroHeader, WritesMagicAndDictVersion) {
  EXPECT_EQ(toHex(introHeader(kDictVersionV2).value()), "57410602");
  EXPECT_EQ(toHex(introHeader(kDictVersionV3).value()), "57410603");
  EXPECT_EQ(introHeader(7).error().code, Errc::Unsupported);
}

TEST(RoutingPrefix, LayoutAndLimits) {
  EXPECT_EQ(toHex(routingPrefix(hex("aabbcc")).value()), "45440001000003aabbcc");
  EXPECT_EQ(routingPrefix({}).error().code, Errc::InvalidArgument);
  const Bytes huge(kMaxFrameSize + 1, 0);
  EXPECT_EQ(routingPrefix(huge).error().code, Errc::TooLarge);
}

TEST(FrameEncoder, ClientDefaultsToDictV3AndWritesPreambleOnce) {
  FrameEncoder encoder = makeEncoder(FrameEncoder::Options{});
  EXPECT_EQ(toHex(encoder.introHeader()), "57410603");
  EXPECT_FALSE(encoder.preambleSent());
  EXPECT_EQ(toHex(encoder.encode(hex("0102")).value()), "57410603000002" "0102");
  EXPECT_TRUE(encoder.preambleSent());
  EXPECT_EQ(toHex(encoder.encode(hex("03")).value()), "00000103");
  EXPECT_EQ(toHex(encoder.encode({}).value()), "000000");
}

TEST(FrameEncoder, MatchesVectorFrame1WithDictV2) {
  FrameEncoder encoder = makeEncoder(clientOptions(kDictVersionV2));
  const Bytes clientHello =
      hex("12220a207b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13");
  EXPECT_EQ(toHex(encoder.encode(clientHello).value()),
            "5741060200002412220a207b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f7"
            "3f13");
}

TEST(FrameEncoder, RoutingInfoGoesBeforeTheIntroHeader) {
  FrameEncoder encoder = makeEncoder(clientOptions(kDictVersionV2, hex("0a0b0c0d")));
  // The Noise prologue is only the WA header, never the ED part.
  EXPECT_EQ(toHex(encoder.introHeader()), "57410602");
  EXPECT_EQ(toHex(encoder.encode(hex("ff")).value()),
            "45440001" "000004" "0a0b0c0d" "57410602" "000001ff");
  EXPECT_EQ(toHex(encoder.encode(hex("ee")).value()), "000001ee");
}

TEST(FrameEncoder, ServerWritesPlainFrames) {
  FrameEncoder encoder = makeEncoder(withRouting(serverOptions(), hex("01")));
  EXPECT_TRUE(encoder.introHeader().empty());
  EXPECT_TRUE(encoder.preambleSent());
  EXPECT_EQ(toHex(encoder.encode(hex("abcd")).value()), "000002abcd");
}

TEST(FrameEncoder, RejectsUnknownDictVersion) {
  EXPECT_EQ(FrameEncoder::create(clientOptions(4)).error().code, Errc::Unsupported);
  // Only the client writes a dict version.
  EXPECT_TRUE(FrameEncoder::create(withDict(serverOptions(), 4)).has_value());
}

TEST(FrameEncoder, TooLargeKeepsThePreamblePending) {
  FrameEncoder encoder = makeEncoder(withCap(clientOptions(kDefaultDictVersion), 4));
  EXPECT_EQ(encoder.maxFrameSize(), 4u);
  EXPECT_EQ(encoder.encode(Bytes(5, 1)).error().code, Errc::TooLarge);
  EXPECT_FALSE(encoder.preambleSent());
  EXPECT_EQ(toHex(encoder.encode(Bytes(4, 1)).value()), "57410603" "000004" "01010101");
}

TEST(FrameEncoder, ProtocolMaximumIsTwentyFourBits) {
  FrameEncoder encoder = makeEncoder(withCap(serverOptions(), kMaxFrameSize * 4));
  EXPECT_EQ(encoder.maxFrameSize(), kMaxFrameSize);
  const Bytes largest(kMaxFrameSize, 7);
  auto frame = encoder.encode(largest);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->size(), kMaxFrameSize + kLengthPrefixSize);
  EXPECT_EQ(toHex(BytesView(*frame).first(3)), "ffffff");
  const Bytes tooLarge(kMaxFrameSize + 1, 7);
  EXPECT_EQ(encoder.encode(tooLarge).error().code, Errc::TooLarge);
}

TEST(FrameEncoder, EncodeIntoBatchesFrames) {
  FrameEncoder encoder = makeEncoder(serverOptions());
  Bytes out;
  ASSERT_TRUE(encoder.encodeInto(out, hex("01")).has_value());
  ASSERT_TRUE(encoder.encodeInto(out, hex("0203")).has_value());
  EXPECT_EQ(toHex(out), "00000101" "0000020203");
}

}  // namespace
}  // namespace chorus::core::frame
