#include "core/util/secret_bytes.h"

#include <gtest/gtest.h>

namespace chorus::core {
namespace {

TEST(SecretBytes, HoldsCopiesAndComparesInConstantTime) {
  const Bytes raw{1, 2, 3, 4};
  SecretBytes s(raw);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(toBytes(s.view()), raw);
  SecretBytes c = s.clone();
  EXPECT_TRUE(c == s);
  c.span()[0] = 9;
  EXPECT_FALSE(c == s);
}

TEST(SecretBytes, MoveEmptiesTheSource) {
  SecretBytes a(Bytes{7, 7, 7});
  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(b.size(), 3u);
  SecretBytes c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.size(), 3u);
}

TEST(SecretBytes, WipeZeroesInPlace) {
  SecretBytes s(Bytes{0xaa, 0xbb});
  s.wipe();
  EXPECT_EQ(toBytes(s.view()), (Bytes{0, 0}));
  EXPECT_EQ(s.size(), 2u);
}

TEST(SecretBytes, ZeroSizedIsEmpty) {
  SecretBytes s(std::size_t{0});
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(s.view().empty());
}

}  // namespace
}  // namespace chorus::core
