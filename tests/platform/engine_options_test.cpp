// The engine's configuration: CHORUS_TEST_TIMING parsing and the SessionConfig it builds.
#include "app/platform/engine.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/protocol/noise/cert_chain.h"

namespace chorus::app {
namespace {

using core::Errc;
using core::Millis;

TEST(EngineTiming, ParsesEveryItem) {
  const auto t = parseEngineTiming(
      "reconnect_base_ms=200,slow_retry_ms=2000,keepalive_ms=500,keepalive_timeout_ms=1000,"
      "connect_timeout_ms=3000");
  ASSERT_TRUE(t.has_value()) << t.error().detail;
  EXPECT_EQ(t->reconnectBase, Millis{200});
  EXPECT_EQ(t->slowRetry, Millis{2000});
  EXPECT_EQ(t->keepaliveInterval, Millis{500});
  EXPECT_EQ(t->keepaliveTimeout, Millis{1000});
  EXPECT_EQ(t->connectTimeout, Millis{3000});
}

TEST(EngineTiming, ASubsetLeavesTheRestUnset) {
  const auto t = parseEngineTiming("keepalive_ms=750");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->keepaliveInterval, Millis{750});
  EXPECT_FALSE(t->reconnectBase);
  EXPECT_FALSE(t->slowRetry);
  EXPECT_FALSE(t->keepaliveTimeout);
  EXPECT_FALSE(t->connectTimeout);
  // Spaces around items are tolerated, nothing else.
  const auto spaced = parseEngineTiming(" reconnect_base_ms=5 , slow_retry_ms=6 ");
  ASSERT_TRUE(spaced.has_value()) << spaced.error().detail;
  EXPECT_EQ(spaced->reconnectBase, Millis{5});
  EXPECT_EQ(spaced->slowRetry, Millis{6});
}

TEST(EngineTiming, EmptyGivesNoOverrides) {
  for (const char* text : {"", "   "}) {
    const auto t = parseEngineTiming(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_FALSE(t->reconnectBase || t->slowRetry || t->keepaliveInterval ||
                 t->keepaliveTimeout || t->connectTimeout);
  }
}

TEST(EngineTiming, BadItemsAreRefusedAndNamed) {
  struct Case {
    const char* text;
    const char* named;  // must appear in the error detail
  };
  for (const Case& c : {
           Case{"reconnect_base=200", "reconnect_base=200"},        // unknown name
           Case{"reconnect_base_ms", "reconnect_base_ms"},          // no value
           Case{"reconnect_base_ms=", "reconnect_base_ms="},        // empty value
           Case{"reconnect_base_ms=0", "reconnect_base_ms=0"},      // zero
           Case{"reconnect_base_ms=-5", "reconnect_base_ms=-5"},    // negative
           Case{"reconnect_base_ms=2s", "reconnect_base_ms=2s"},    // a unit
           Case{"reconnect_base_ms=1.5", "reconnect_base_ms=1.5"},  // a fraction
           Case{"reconnect_base_ms=99999999999999999999", "99999999999999999999"},  // overflow
           Case{"reconnect_base_ms=86400001", "86400001"},          // over a day
           Case{"keepalive_ms=5,,slow_retry_ms=6", "''"},           // empty item
           Case{"keepalive_ms=5,", "''"},                           // trailing comma
           Case{"keepalive_ms=5,keepalive_ms=6", "keepalive_ms=6"}, // repeated
           Case{"keepalive_ms=5;slow_retry_ms=6", "keepalive_ms=5;slow_retry_ms=6"},
       }) {
    const auto t = parseEngineTiming(c.text);
    ASSERT_FALSE(t.has_value()) << c.text;
    EXPECT_EQ(t.error().code, Errc::InvalidArgument) << c.text;
    EXPECT_NE(t.error().detail.find(c.named), std::string::npos)
        << c.text << " -> " << t.error().detail;
    EXPECT_NE(t.error().detail.find("CHORUS_TEST_TIMING"), std::string::npos);
  }
}

TEST(EngineTiming, ReadsTheEnvironment) {
  ASSERT_EQ(::setenv("CHORUS_TEST_TIMING", "reconnect_base_ms=200", 1), 0);
  auto t = timingFromEnvironment();
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->reconnectBase, Millis{200});

  ASSERT_EQ(::setenv("CHORUS_TEST_TIMING", "bogus", 1), 0);
  EXPECT_FALSE(timingFromEnvironment().has_value());

  ASSERT_EQ(::unsetenv("CHORUS_TEST_TIMING"), 0);
  t = timingFromEnvironment();
  ASSERT_TRUE(t.has_value());
  EXPECT_FALSE(t->reconnectBase);
}

TEST(SessionConfigFor, DefaultsAreTheRealServerAndTheSessionTimings) {
  EngineOptions options;
  options.server = defaultServerConfig();
  const core::session::SessionConfig config = sessionConfigFor(options);
  const core::session::SessionConfig defaults;
  EXPECT_EQ(config.url, "wss://web.whatsapp.com/ws/chat");
  EXPECT_EQ(config.wire.trustedRootKey,
            core::Bytes(core::noise::kWhatsAppRootKey.begin(), core::noise::kWhatsAppRootKey.end()));
  EXPECT_EQ(config.reconnect.baseDelay, defaults.reconnect.baseDelay);
  EXPECT_EQ(config.reconnect.slowInterval, defaults.reconnect.slowInterval);
  EXPECT_EQ(config.keepalive.minInterval, defaults.keepalive.minInterval);
  EXPECT_EQ(config.keepalive.maxInterval, defaults.keepalive.maxInterval);
  EXPECT_EQ(config.keepalive.responseTimeout, defaults.keepalive.responseTimeout);
  EXPECT_EQ(config.connectTimeout, defaults.connectTimeout);
}

TEST(SessionConfigFor, AppliesTheServerAndTheOverrides) {
  EngineOptions options;
  options.server.chatUrl = QUrl(QStringLiteral("ws://127.0.0.1:41371/ws/chat"));
  options.server.rootKey = core::Bytes(32, 0xab);
  options.timing.reconnectBase = Millis{200};
  options.timing.slowRetry = Millis{2000};
  options.timing.keepaliveInterval = Millis{500};
  options.timing.keepaliveTimeout = Millis{1000};
  options.timing.connectTimeout = Millis{3000};
  const core::session::SessionConfig config = sessionConfigFor(options);
  EXPECT_EQ(config.url, "ws://127.0.0.1:41371/ws/chat");
  EXPECT_EQ(config.wire.trustedRootKey, core::Bytes(32, 0xab));
  EXPECT_EQ(config.reconnect.baseDelay, Millis{200});
  EXPECT_EQ(config.reconnect.slowInterval, Millis{2000});
  EXPECT_EQ(config.keepalive.minInterval, Millis{500});
  EXPECT_EQ(config.keepalive.maxInterval, Millis{500});
  EXPECT_EQ(config.keepalive.responseTimeout, Millis{1000});
  EXPECT_EQ(config.connectTimeout, Millis{3000});
  // What is not a timing or the server stays the session's.
  const core::session::SessionConfig defaults;
  EXPECT_EQ(config.reconnect.maxFastAttempts, defaults.reconnect.maxFastAttempts);
  EXPECT_EQ(config.qr.first, defaults.qr.first);
}

}  // namespace
}  // namespace chorus::app
