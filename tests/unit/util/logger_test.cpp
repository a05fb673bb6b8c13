#include "core/util/logger.h"

#include <gtest/gtest.h>

#include <vector>

namespace chorus::core {
namespace {

TEST(Logger, FiltersByThresholdAndCarriesCategory) {
  std::vector<std::string> lines;
  Logger log([&](const LogRecord& r) {
    lines.push_back(std::string(logLevelName(r.level)) + " " + std::string(r.category) + " " +
                    std::string(r.message));
  }, LogLevel::Info);
  log.debug("noise", "hidden");
  log.info("noise", "handshake done");
  log.error("frame", "too large");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "info noise handshake done");
  EXPECT_EQ(lines[1], "error frame too large");
  log.setThreshold(LogLevel::Off);
  log.error("frame", "dropped");
  EXPECT_EQ(lines.size(), 2u);
}

TEST(Logger, NullLoggerIsDisabled) {
  EXPECT_FALSE(Logger::null().enabled(LogLevel::Error));
  Logger::null().error("x", "nothing happens");
}

TEST(Logger, ParsesLevels) {
  LogLevel l = LogLevel::Info;
  EXPECT_TRUE(parseLogLevel("debug", l));
  EXPECT_EQ(l, LogLevel::Debug);
  EXPECT_FALSE(parseLogLevel("loud", l));
}

TEST(Mask, PhoneNumbersKeepOnlyPrefixAndLastDigits) {
  EXPECT_EQ(maskPhone("+441234567123"), "+44••••••123");
  EXPECT_EQ(maskPhone("441234567123"), "+44••••••123");
  EXPECT_EQ(maskPhone("123"), "+••••••");
  EXPECT_EQ(maskPhone(""), "+••••••");
}

TEST(Mask, JidsMaskPersonalAddressesOnly) {
  EXPECT_EQ(maskJid("441234567123:2@s.whatsapp.net"), "+44••••••123:2@s.whatsapp.net");
  EXPECT_EQ(maskJid("123456789012345@lid"), "+12••••••345@lid");
  EXPECT_EQ(maskJid("120363012345678901@g.us"), "120363012345678901@g.us");
  EXPECT_EQ(maskJid("status@broadcast"), "status@broadcast");
  EXPECT_EQ(maskJid("s.whatsapp.net"), "s.whatsapp.net");
  EXPECT_EQ(maskJid("@s.whatsapp.net"), "@s.whatsapp.net");
  EXPECT_EQ(maskBytes(32), "<32 bytes>");
}

}  // namespace
}  // namespace chorus::core
