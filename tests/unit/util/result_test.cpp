#include "core/util/result.h"

#include <gtest/gtest.h>

#include <memory>

namespace chorus::core {
namespace {

Result<int> half(int v) {
  if (v % 2) return fail(Errc::InvalidArgument, "odd");
  return v / 2;
}

Result<int> quarter(int v) {
  CHORUS_TRY(h, half(v));
  CHORUS_TRY(q, half(h));
  return q;
}

Status checkPositive(int v) {
  if (v <= 0) return fail(Errc::InvalidArgument, "not positive");
  return ok();
}

Status checkBoth(int a, int b) {
  CHORUS_CHECK(checkPositive(a));
  CHORUS_CHECK(checkPositive(b));
  return ok();
}

TEST(Result, ValueAndErrorPaths) {
  auto r = half(8);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 4);
  auto e = half(3);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::InvalidArgument);
  EXPECT_EQ(e.error().detail, "odd");
  EXPECT_EQ(e.value_or(-1), -1);
  EXPECT_EQ(describe(e.error()), "invalid_argument: odd");
}

TEST(Result, TryPropagatesTheFirstError) {
  EXPECT_EQ(quarter(8).value(), 2);
  EXPECT_EQ(quarter(6).error().code, Errc::InvalidArgument);
  EXPECT_TRUE(checkBoth(1, 2).has_value());
  EXPECT_EQ(checkBoth(1, -2).error().detail, "not positive");
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  auto p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Result, EveryErrcHasAName) {
  for (int i = 0; i <= static_cast<int>(Errc::Internal); ++i)
    EXPECT_STRNE(errcName(static_cast<Errc>(i)), "unknown");
}

}  // namespace
}  // namespace chorus::core
