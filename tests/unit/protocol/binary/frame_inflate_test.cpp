// Compressed frames: inflate within the cap, refuse zlib bombs and broken streams.
#include <zlib.h>

#include "codec_test_util.h"
#include "core/protocol/binary/inflate.h"

namespace chorus::core::binary {
namespace {

using testing::hex;

// A zlib stream of `mebibytes` MiB of zeros, built from one compressed block repeated: after a
// full flush deflate starts afresh, so every further MiB compresses to the same bytes. This
// makes a 1 GiB bomb (about 1 MB of zlib) in milliseconds.
Bytes zeroBomb(std::size_t mebibytes) {
  const Bytes chunk(std::size_t{1} << 20, 0);
  z_stream zs{};
  EXPECT_EQ(deflateInit(&zs, Z_BEST_COMPRESSION), Z_OK);
  const auto compressChunk = [&] {
    Bytes out(compressBound(static_cast<uLong>(chunk.size())) + 64);
    zs.next_in = const_cast<Bytef*>(chunk.data());
    zs.avail_in = static_cast<uInt>(chunk.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FULL_FLUSH), Z_OK);
    out.resize(out.size() - zs.avail_out);
    return out;
  };
  Bytes out = compressChunk();  // zlib header + the first MiB
  const Bytes again = compressChunk();
  deflateEnd(&zs);
  for (std::size_t i = 1; i < mebibytes; ++i) out.insert(out.end(), again.begin(), again.end());
  out.push_back(0x03);  // final empty fixed-Huffman block
  out.push_back(0x00);
  const uLong chunkAdler =
      adler32(adler32(0, nullptr, 0), chunk.data(), static_cast<uInt>(chunk.size()));
  uLong adler = adler32(0, nullptr, 0);
  for (std::size_t i = 0; i < mebibytes; ++i)
    adler = adler32_combine(adler, chunkAdler, static_cast<z_off_t>(chunk.size()));
  putU32BE(out, static_cast<std::uint32_t>(adler));
  return out;
}

Bytes compressedFrame(BytesView node) {
  uLongf size = compressBound(static_cast<uLong>(node.size()));
  Bytes out(1 + size);
  out[0] = kFlagCompressed;
  EXPECT_EQ(compress(out.data() + 1, &size, node.data(), static_cast<uLong>(node.size())), Z_OK);
  out.resize(1 + size);
  return out;
}

TEST(FrameInflate, DecodesACompressedNode) {
  const Node node{.tag = "enc", .attrs = {}, .content = Bytes(100000, 0x42)};
  auto bytes = encode(node, DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  auto back = decodeFrame(compressedFrame(*bytes), DictVersion::V2);
  ASSERT_TRUE(back.has_value()) << describe(back.error());
  EXPECT_EQ(*back, node);
}

TEST(FrameInflate, RejectsAZlibBomb) {
  // The construction is a valid zlib stream: a small one inflates completely.
  auto small = inflateCapped(zeroBomb(4), std::size_t{4} << 20);
  ASSERT_TRUE(small.has_value()) << describe(small.error());
  EXPECT_EQ(*small, Bytes(std::size_t{4} << 20, 0));
  // ~1 MB of zlib that inflates to 1 GiB: refused once 16 MiB have come out.
  const Bytes bomb = zeroBomb(1024);
  ASSERT_GT(bomb.size(), 900'000u);
  Bytes frame{kFlagCompressed};
  frame.insert(frame.end(), bomb.begin(), bomb.end());
  auto node = decodeFrame(frame, DictVersion::V2);
  ASSERT_FALSE(node.has_value());
  EXPECT_EQ(node.error().code, Errc::TooLarge);
}

TEST(FrameInflate, CapIsExact) {
  const Bytes data(5000, 7);
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  Bytes z(size);
  ASSERT_EQ(compress(z.data(), &size, data.data(), static_cast<uLong>(data.size())), Z_OK);
  z.resize(size);
  auto exact = inflateCapped(z, 5000);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(*exact, data);
  auto over = inflateCapped(z, 4999);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, Errc::TooLarge);
  EXPECT_EQ(inflateCapped(z, 0).error().code, Errc::TooLarge);
}

TEST(FrameInflate, BrokenStreamsAreMalformed) {
  const Bytes data(5000, 7);
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  Bytes z(size);
  ASSERT_EQ(compress(z.data(), &size, data.data(), static_cast<uLong>(data.size())), Z_OK);
  z.resize(size);
  for (std::size_t n = 0; n < z.size(); ++n) {  // every truncation
    auto r = inflateCapped(BytesView(z).first(n), kMaxInflatedSize);
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_EQ(r.error().code, Errc::Malformed) << n;
  }
  Bytes trailing = z;
  trailing.push_back(0);
  EXPECT_EQ(inflateCapped(trailing, kMaxInflatedSize).error().code, Errc::Malformed);
  Bytes corrupt = z;
  corrupt[0] ^= 0xff;  // bad zlib header
  EXPECT_EQ(inflateCapped(corrupt, kMaxInflatedSize).error().code, Errc::Malformed);
  EXPECT_EQ(inflateCapped(hex("789c"), kMaxInflatedSize).error().code, Errc::Malformed);
}

}  // namespace
}  // namespace chorus::core::binary
