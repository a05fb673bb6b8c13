#include "core/protocol/noise/transport_cipher.h"

#include <gtest/gtest.h>

#include "tests/unit/protocol/noise/noise_test_util.h"

namespace chorus::core::noise {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers

TransportCipher clientSide() {
  return TransportCipher::create(hex(vectors::kClientWriteKey), hex(vectors::kServerWriteKey))
      .value();
}
TransportCipher serverSide() {
  return TransportCipher::create(hex(vectors::kServerWriteKey), hex(vectors::kClientWriteKey))
      .value();
}

TEST(TransportCipher, ProducesVectorFrames) {
  TransportCipher server = serverSide();
  TransportCipher client = clientSide();
  EXPECT_EQ(toHex(server.encrypt(hex(vectors::kSuccessNode)).value()),
            toHex(framePayload(vectors::kFrame4)));
  EXPECT_EQ(toHex(client.decrypt(framePayload(vectors::kFrame4)).value()), vectors::kSuccessNode);
  EXPECT_EQ(toHex(client.encrypt(hex(vectors::kPingNode)).value()),
            toHex(framePayload(vectors::kFrame5)));
  EXPECT_EQ(toHex(server.decrypt(framePayload(vectors::kFrame5)).value()), vectors::kPingNode);
}

TEST(TransportCipher, DirectionsHaveIndependentCounters) {
  TransportCipher client = clientSide();
  TransportCipher server = serverSide();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.encrypt(hex("01")).has_value());
  EXPECT_EQ(client.writeCounter(), 3u);
  EXPECT_EQ(client.readCounter(), 0u);
  // The server's first frame still uses counter 0, whatever the client has sent.
  EXPECT_EQ(toHex(client.decrypt(server.encrypt(hex(vectors::kSuccessNode)).value()).value()),
            vectors::kSuccessNode);
}

TEST(TransportCipher, RoundTripsLargeFramesInOrder) {
  TransportCipher client = clientSide();
  TransportCipher server = serverSide();
  for (int i = 0; i < 20; ++i) {
    const Bytes plain(65536, static_cast<std::uint8_t>(i));
    auto sealed = client.encrypt(plain);
    ASSERT_TRUE(sealed.has_value());
    EXPECT_EQ(sealed->size(), plain.size() + 16);
    EXPECT_EQ(server.decrypt(*sealed).value(), plain);
  }
}

TEST(TransportCipher, TamperedFrameFailsAndConsumesItsCounter) {
  TransportCipher client = clientSide();
  TransportCipher server = serverSide();
  Bytes first = client.encrypt(hex("0a0b0c")).value();
  const Bytes second = client.encrypt(hex("0d0e0f")).value();
  first[first.size() - 1] ^= 0x80;
  EXPECT_EQ(errorOf(server.decrypt(first)), Errc::Crypto);
  EXPECT_EQ(server.readCounter(), 1u);
  // Like whatsmeow: a dropped frame keeps both sides in step.
  EXPECT_EQ(toHex(server.decrypt(second).value()), "0d0e0f");
}

TEST(TransportCipher, ReplayAndReorderFail) {
  TransportCipher client = clientSide();
  const Bytes first = client.encrypt(hex("01")).value();
  const Bytes second = client.encrypt(hex("02")).value();

  TransportCipher reordered = serverSide();
  EXPECT_EQ(errorOf(reordered.decrypt(second)), Errc::Crypto);

  TransportCipher replayed = serverSide();
  ASSERT_TRUE(replayed.decrypt(first).has_value());
  EXPECT_EQ(errorOf(replayed.decrypt(first)), Errc::Crypto);
}

TEST(TransportCipher, ShortCiphertextIsMalformed) {
  TransportCipher server = serverSide();
  EXPECT_EQ(errorOf(server.decrypt(Bytes(15, 0))), Errc::Malformed);
  EXPECT_EQ(errorOf(server.decrypt({})), Errc::Malformed);
}

TEST(TransportCipher, EmptyPlaintextIsJustATag) {
  TransportCipher client = clientSide();
  TransportCipher server = serverSide();
  const Bytes sealed = client.encrypt({}).value();
  EXPECT_EQ(sealed.size(), 16u);
  EXPECT_TRUE(server.decrypt(sealed).value().empty());
}

TEST(TransportCipher, WrongKeySizesAreRejected) {
  EXPECT_EQ(errorOf(TransportCipher::create(Bytes(31, 1), Bytes(32, 2))), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(TransportCipher::create(Bytes(32, 1), Bytes(33, 2))), Errc::InvalidArgument);
}

TEST(TransportCipher, CountersNeverWrap) {
  const std::uint64_t last = 0xffffffffu;
  auto writer = TransportCipher::create(Bytes(32, 1), Bytes(32, 2), last, 0).value();
  auto reader = TransportCipher::create(Bytes(32, 2), Bytes(32, 1), 0, last).value();
  const Bytes sealed = writer.encrypt(hex("42")).value();
  EXPECT_EQ(toHex(reader.decrypt(sealed).value()), "42");
  EXPECT_EQ(errorOf(writer.encrypt(hex("43"))), Errc::Crypto);
  EXPECT_EQ(errorOf(reader.decrypt(sealed)), Errc::Crypto);
}

}  // namespace
}  // namespace chorus::core::noise
