#include "core/protocol/frame/frame_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/protocol/frame/frame_encoder.h"
#include "core/util/random.h"
#include "tests/unit/protocol/frame/frame_test_util.h"

namespace chorus::core::frame {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers

Bytes hex(std::string_view text) { return fromHex(text).value(); }

// Feeds `stream` cut at the given offsets and collects every frame; fails on any error.
std::vector<Bytes> feedSplit(FrameDecoder& decoder, BytesView stream,
                             const std::vector<std::size_t>& cuts) {
  std::vector<Bytes> frames;
  std::size_t start = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(stream.size());
  for (std::size_t end : ends) {
    auto got = decoder.feed(stream.subspan(start, end - start));
    EXPECT_TRUE(got.has_value()) << describe(got.error());
    if (!got.has_value()) return frames;
    for (auto& f : *got) frames.push_back(std::move(f));
    start = end;
  }
  return frames;
}

std::vector<Bytes> samplePayloads() {
  std::vector<Bytes> payloads;
  payloads.push_back(hex("01"));
  payloads.push_back({});  // an empty frame is legal
  payloads.push_back(Bytes(300, 0xab));
  payloads.push_back(hex("0203040506"));
  payloads.push_back(Bytes(70000, 0x5c));  // length needs all three prefix bytes
  return payloads;
}

Bytes encodeAll(FrameEncoder& encoder, const std::vector<Bytes>& payloads) {
  Bytes stream;
  for (const auto& p : payloads) EXPECT_TRUE(encoder.encodeInto(stream, p).has_value());
  return stream;
}

TEST(FrameDecoder, WholeBufferAtOnce) {
  auto encoder = FrameEncoder::create(serverOptions()).value();
  const auto payloads = samplePayloads();
  const Bytes stream = encodeAll(encoder, payloads);
  FrameDecoder decoder;
  EXPECT_EQ(feedSplit(decoder, stream, {}), payloads);
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_TRUE(decoder.preambleDone());
}

TEST(FrameDecoder, EverySingleSplitPoint) {
  auto encoder = FrameEncoder::create(serverOptions()).value();
  std::vector<Bytes> payloads{hex("01"), {}, Bytes(40, 0x11), hex("aabbcc")};
  const Bytes stream = encodeAll(encoder, payloads);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameDecoder decoder;
    EXPECT_EQ(feedSplit(decoder, stream, {cut}), payloads) << "cut at " << cut;
    EXPECT_EQ(decoder.buffered(), 0u);
  }
}

TEST(FrameDecoder, EveryPairOfSplitPoints) {
  auto encoder = FrameEncoder::create(serverOptions()).value();
  std::vector<Bytes> payloads{hex("01"), {}, Bytes(9, 0x22), hex("aabbcc")};
  const Bytes stream = encodeAll(encoder, payloads);
  for (std::size_t a = 0; a <= stream.size(); ++a) {
    for (std::size_t b = a; b <= stream.size(); ++b) {
      FrameDecoder decoder;
      ASSERT_EQ(feedSplit(decoder, stream, {a, b}), payloads) << "cuts " << a << "," << b;
    }
  }
}

TEST(FrameDecoder, ByteByByteAndRandomChunks) {
  auto encoder = FrameEncoder::create(serverOptions()).value();
  const auto payloads = samplePayloads();
  const Bytes stream = encodeAll(encoder, payloads);
  std::vector<std::size_t> everyByte;
  for (std::size_t i = 1; i < stream.size(); ++i) everyByte.push_back(i);
  FrameDecoder byteByByte;
  EXPECT_EQ(feedSplit(byteByByte, stream, everyByte), payloads);

  SeededRandom random(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t pos = 0;;) {
      pos += 1 + random.uniform(5000);
      if (pos >= stream.size()) break;
      cuts.push_back(pos);
    }
    FrameDecoder decoder;
    ASSERT_EQ(feedSplit(decoder, stream, cuts), payloads) << "round " << round;
  }
}

TEST(FrameDecoder, LargeFrameInSmallChunksAndManyFramesInOneChunk) {
  const Bytes big(1 << 20, 0x77);
  auto encoder = FrameEncoder::create(serverOptions()).value();
  std::vector<Bytes> payloads{big};
  for (int i = 0; i < 2000; ++i) payloads.push_back(Bytes(37, static_cast<std::uint8_t>(i)));
  const Bytes stream = encodeAll(encoder, payloads);
  std::vector<std::size_t> cuts;
  for (std::size_t pos = 1000; pos < stream.size(); pos += 1000) cuts.push_back(pos);
  FrameDecoder decoder;
  EXPECT_EQ(feedSplit(decoder, stream, cuts), payloads);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FrameDecoder, ServerReadsIntroHeaderAtEverySplit) {
  auto encoder = FrameEncoder::create(clientOptions(kDictVersionV2)).value();
  std::vector<Bytes> payloads{hex("0a0b"), hex("0c")};
  const Bytes stream = encodeAll(encoder, payloads);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameDecoder decoder(decoderOptions(Role::Server));
    EXPECT_EQ(feedSplit(decoder, stream, {cut}), payloads) << "cut at " << cut;
    EXPECT_EQ(decoder.dictVersion(), std::optional<std::uint8_t>(kDictVersionV2));
    EXPECT_TRUE(decoder.routingInfo().empty());
  }
}

TEST(FrameDecoder, ServerSkipsRoutingPrefixSplitAnywhere) {
  const Bytes routing = hex("0801120a0b0c");
  auto encoder =
      FrameEncoder::create(clientOptions(kDictVersionV3, routing)).value();
  std::vector<Bytes> payloads{hex("0a0b"), {}, hex("0c")};
  const Bytes stream = encodeAll(encoder, payloads);
  ASSERT_EQ(toHex(BytesView(stream).first(4)), "45440001");
  for (std::size_t a = 0; a <= stream.size(); ++a) {
    for (std::size_t b = a; b <= stream.size(); ++b) {
      FrameDecoder decoder(decoderOptions(Role::Server));
      ASSERT_EQ(feedSplit(decoder, stream, {a, b}), payloads) << "cuts " << a << "," << b;
      EXPECT_EQ(decoder.dictVersion(), std::optional<std::uint8_t>(kDictVersionV3));
      EXPECT_EQ(decoder.routingInfo(), routing);
    }
  }
}

TEST(FrameDecoder, ServerWaitsForTheWholePreamble) {
  FrameDecoder decoder(decoderOptions(Role::Server));
  EXPECT_TRUE(decoder.feed(hex("4544")).value().empty());
  EXPECT_FALSE(decoder.preambleDone());
  EXPECT_TRUE(decoder.feed(hex("0001000000")).value().empty());  // empty routing info
  EXPECT_TRUE(decoder.feed(hex("574106")).value().empty());
  EXPECT_FALSE(decoder.dictVersion().has_value());
  EXPECT_TRUE(decoder.feed(hex("03")).value().empty());
  EXPECT_TRUE(decoder.preambleDone());
  EXPECT_EQ(decoder.feed(hex("000001ff")).value(), std::vector<Bytes>{hex("ff")});
}

Errc firstError(FrameDecoder& decoder, std::initializer_list<std::string_view> chunks) {
  for (auto chunk : chunks) {
    auto got = decoder.feed(hex(chunk));
    if (!got.has_value()) return got.error().code;
  }
  ADD_FAILURE() << "no error";
  return Errc::Internal;
}

TEST(FrameDecoder, BadMagicIsAProtocolErrorAsSoonAsItArrives) {
  for (auto bad : {"58", "5742", "574107", "4545", "45440101", "45440002"}) {
    FrameDecoder decoder(decoderOptions(Role::Server));
    EXPECT_EQ(firstError(decoder, {bad}), Errc::Protocol) << bad;
  }
  // Split: the second byte of "WA" is wrong and arrives alone.
  FrameDecoder split(decoderOptions(Role::Server));
  EXPECT_EQ(firstError(split, {"57", "42"}), Errc::Protocol);
  // A bad intro after a valid routing prefix.
  FrameDecoder afterRouting(decoderOptions(Role::Server));
  EXPECT_EQ(firstError(afterRouting, {"4544000100000201", "02", "5841"}), Errc::Protocol);
}

TEST(FrameDecoder, UnknownDictVersionIsUnsupported) {
  FrameDecoder decoder(decoderOptions(Role::Server));
  EXPECT_EQ(firstError(decoder, {"57410609"}), Errc::Unsupported);
}

TEST(FrameDecoder, FrameOverTheCapFailsFromItsLengthPrefix) {
  FrameDecoder decoder(decoderOptions(Role::Client, 100));
  EXPECT_EQ(decoder.feed(hex("000064")).value().size(), 0u);  // exactly 100: fine, pending
  FrameDecoder over(decoderOptions(Role::Client, 100));
  EXPECT_TRUE(over.feed(hex("0000")).has_value());
  EXPECT_EQ(firstError(over, {"65"}), Errc::TooLarge);  // 101, no payload needed to know
  // After complete frames in the same chunk.
  FrameDecoder mixed(decoderOptions(Role::Client, 100));
  EXPECT_EQ(firstError(mixed, {"000001aa000065"}), Errc::TooLarge);
}

TEST(FrameDecoder, ProtocolMaximumLengthIsAccepted) {
  FrameDecoder decoder;  // default cap = 1<<24 - 1, the most 3 bytes can say
  EXPECT_TRUE(decoder.feed(hex("ffffff00")).has_value());
  EXPECT_EQ(decoder.buffered(), 4u);
}

TEST(FrameDecoder, RoutingInfoOverTheCapIsTooLarge) {
  FrameDecoder decoder(decoderOptions(Role::Server, 16));
  EXPECT_EQ(firstError(decoder, {"45440001", "000011"}), Errc::TooLarge);
}

TEST(FrameDecoder, ErrorsAreFinal) {
  FrameDecoder decoder(decoderOptions(Role::Server));
  EXPECT_EQ(firstError(decoder, {"00"}), Errc::Protocol);
  auto again = decoder.feed(hex("57410603000001aa"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::Protocol);
}

TEST(FrameDecoder, ClientSideHasNoPreamble) {
  FrameDecoder decoder;
  EXPECT_TRUE(decoder.preambleDone());
  EXPECT_FALSE(decoder.dictVersion().has_value());
  EXPECT_EQ(decoder.feed(hex("000002abcd")).value(), std::vector<Bytes>{hex("abcd")});
}

}  // namespace
}  // namespace chorus::core::frame
