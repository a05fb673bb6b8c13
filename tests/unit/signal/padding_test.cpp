#include "core/signal/padding.h"

#include <set>

#include <gtest/gtest.h>

namespace chorus::core::signal {
namespace {

TEST(PaddingTest, PadsOneToFifteenBytesOfThePadLength) {
  SeededRandom random(7);
  const Bytes message = fromHex("0a0568656c6c6f").value();  // Message{conversation:"hello"}
  std::set<std::size_t> seen;
  for (int i = 0; i < 500; ++i) {
    Bytes padded = padMessage(message, random);
    ASSERT_GT(padded.size(), message.size());
    const std::size_t pad = padded.size() - message.size();
    ASSERT_GE(pad, 1u);
    ASSERT_LE(pad, 15u);
    EXPECT_TRUE(std::equal(message.begin(), message.end(), padded.begin()));
    for (std::size_t j = message.size(); j < padded.size(); ++j) EXPECT_EQ(padded[j], pad);
    EXPECT_EQ(unpadMessage(padded).value(), message);
    seen.insert(pad);
  }
  EXPECT_EQ(seen.size(), 15u);  // every length occurs
}

TEST(PaddingTest, ZeroNibbleBecomesFifteen) {
  struct Zero final : Random {
    void fill(std::span<std::uint8_t> out) override { std::fill(out.begin(), out.end(), 0xF0); }
  } zero;
  Bytes padded = padMessage(Bytes{0x01}, zero);
  EXPECT_EQ(padded.size(), 16u);
  EXPECT_EQ(padded.back(), 0x0F);
}

TEST(PaddingTest, UnpadsTheProtocolExample) {
  EXPECT_EQ(unpadMessage(fromHex("0a0568656c6c6f0202").value()).value(),
            fromHex("0a0568656c6c6f").value());
  EXPECT_EQ(unpadMessage(Bytes(16, 16)).value(), Bytes{});  // 16 is the most accepted
  EXPECT_EQ(unpadMessage(Bytes{0x01}).value(), Bytes{});
}

TEST(PaddingTest, UnpadRejectsBadPadding) {
  for (const Bytes& bad : {Bytes{}, Bytes{0x0a, 0x00}, Bytes{0x05, 0x05}, Bytes{0x0a, 0x01, 0x02},
                           Bytes(17, 17), Bytes{0x0a, 0x03, 0x02, 0x03}}) {
    auto r = unpadMessage(bad);
    ASSERT_FALSE(r.has_value()) << toHex(bad);
    EXPECT_EQ(r.error().code, Errc::Protocol);
  }
}

}  // namespace
}  // namespace chorus::core::signal
