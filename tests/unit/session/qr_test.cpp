#include "core/session/qr.h"

#include <chrono>

#include <gtest/gtest.h>

#include "tests/unit/session/fake_server.h"

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;
using test::fixedKeyPair;

TEST(Qr, StringMatchesBaileysFormat) {
  const std::string qr = qrString("2@ref-from-server", fixedKeyPair(0x22).publicKey,
                                  fixedKeyPair(0x77).publicKey, Bytes(32, 0xaa));
  EXPECT_EQ(qr,
            "2@ref-from-server,D6poTtKIZ7l/Smot7l34zpdOdrcBjj8iocTPJnhXDyA=,"
            "HPV5q6RaELodHvBtkfyiqp7QoRUFFWUxVUBdCxjLmmc=,"
            "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=");
}

TEST(Qr, RefsComeInOrderAsBytesOrText) {
  binary::Node iq = test::pairDevice("1", {"2@aaa", "2@bbb"});
  std::get<binary::Children>(std::get<binary::Children>(iq.content)[0].content)
      .push_back(binary::Node{"ref", {}, std::string("2@ccc")});
  const auto refs = parsePairDeviceRefs(iq);
  ASSERT_TRUE(refs.has_value());
  EXPECT_EQ(*refs, (std::vector<std::string>{"2@aaa", "2@bbb", "2@ccc"}));
}

TEST(Qr, HostileRefsAreProtocolErrors) {
  binary::Node noChild;
  noChild.tag = "iq";
  EXPECT_EQ(parsePairDeviceRefs(noChild).error().code, Errc::Protocol);
  EXPECT_EQ(parsePairDeviceRefs(test::pairDevice("1", {})).error().code, Errc::Protocol);
  EXPECT_EQ(parsePairDeviceRefs(test::pairDevice("1", {""})).error().code, Errc::Protocol);
  EXPECT_EQ(parsePairDeviceRefs(test::pairDevice("1", {"a,b"})).error().code, Errc::Protocol);
  EXPECT_EQ(parsePairDeviceRefs(test::pairDevice("1", {"a b"})).error().code, Errc::Protocol);
  EXPECT_EQ(parsePairDeviceRefs(test::pairDevice("1", {std::string(kMaxQrRefSize + 1, 'x')}))
                .error()
                .code,
            Errc::Protocol);
  EXPECT_EQ(
      parsePairDeviceRefs(test::pairDevice("1", std::vector<std::string>(kMaxQrRefs + 1, "2@r")))
          .error()
          .code,
      Errc::Protocol);
  binary::Node emptyRef = test::pairDevice("1", {"2@a"});
  std::get<binary::Children>(std::get<binary::Children>(emptyRef.content)[0].content)[0].content =
      std::monostate{};
  EXPECT_EQ(parsePairDeviceRefs(emptyRef).error().code, Errc::Protocol);
}

TEST(QrRotation, FirstSixtySecondsThenTwentyEachThenTimeout) {
  const TimePoint start = fromUnixSeconds(1'000);
  QrRotation rotation({"a", "b", "c"}, start);
  ASSERT_TRUE(rotation.current().has_value());
  EXPECT_EQ(*rotation.current(), (QrCode{"a", start + 60s, 0, 3}));
  EXPECT_EQ(rotation.nextDeadline(), start + 60s);
  EXPECT_EQ(rotation.onTimer(start + 59'999ms), QrStep::None);
  EXPECT_EQ(rotation.onTimer(start + 60s), QrStep::Rotated);
  EXPECT_EQ(*rotation.current(), (QrCode{"b", start + 80s, 1, 3}));
  EXPECT_EQ(rotation.onTimer(start + 80s), QrStep::Rotated);
  EXPECT_EQ(*rotation.current(), (QrCode{"c", start + 100s, 2, 3}));
  EXPECT_EQ(rotation.onTimer(start + 100s), QrStep::TimedOut);
  EXPECT_TRUE(rotation.isTimedOut());
  EXPECT_FALSE(rotation.current().has_value());
  EXPECT_FALSE(rotation.nextDeadline().has_value());
  EXPECT_EQ(rotation.onTimer(start + 200s), QrStep::None);
}

TEST(QrRotation, ALateTimerSkipsExpiredCodesAndKeepsTheSchedule) {
  const TimePoint start = fromUnixSeconds(1'000);
  QrRotation rotation({"a", "b", "c", "d"}, start, QrTiming{10s, 5s});
  EXPECT_EQ(rotation.onTimer(start + 16s), QrStep::Rotated);  // b expired at 15 s too
  EXPECT_EQ(*rotation.current(), (QrCode{"c", start + 20s, 2, 4}));
  EXPECT_EQ(rotation.onTimer(start + 1h), QrStep::TimedOut);
}

TEST(QrRotation, NoCodesIsAlreadyTimedOut) {
  QrRotation rotation({}, fromUnixSeconds(0));
  EXPECT_TRUE(rotation.isTimedOut());
  EXPECT_FALSE(rotation.nextDeadline().has_value());
}

}  // namespace
}  // namespace chorus::core::session
