#include "core/util/random.h"

#include <gtest/gtest.h>

#include <set>

#include "core/util/clock.h"

namespace chorus::core {
namespace {

TEST(SeededRandom, IsReproducibleAndSeedDependent) {
  SeededRandom a(42), b(42), c(43);
  const Bytes x = a.bytes(64), y = b.bytes(64), z = c.bytes(64);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  EXPECT_NE(a.bytes(64), x) << "successive draws must differ";
}

TEST(SystemRandom, ProducesDistinctValues) {
  SystemRandom r;
  std::set<Bytes> seen;
  for (int i = 0; i < 16; ++i) seen.insert(r.bytes(16));
  EXPECT_EQ(seen.size(), 16u);
  EXPECT_EQ(r.secret(32).size(), 32u);
}

TEST(Random, UniformStaysInRangeAndCoversIt) {
  SeededRandom r(7);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const auto v = r.uniform(10);
    ASSERT_LT(v, 10u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(r.uniform(0), 0u);
  for (int i = 0; i < 1000; ++i) {
    const double u = r.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Clock, FakeClockAdvancesOnlyWhenTold) {
  FakeClock clock(fromUnixSeconds(100));
  EXPECT_EQ(toUnixSeconds(clock.now()), 100);
  clock.advance(Millis(2500));
  EXPECT_EQ(clock.now().time_since_epoch(), Millis(102'500));
  SystemClock sys;
  EXPECT_GT(toUnixSeconds(sys.now()), 1'600'000'000);
}

}  // namespace
}  // namespace chorus::core
