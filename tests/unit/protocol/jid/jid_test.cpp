#include "core/protocol/jid/jid.h"

#include <gtest/gtest.h>

namespace chorus::core::jid {
namespace {

Jid parsed(std::string_view text) {
  auto j = parse(text);
  EXPECT_TRUE(j.has_value()) << text << ": " << (j ? "" : describe(j.error()));
  return j.value_or(Jid{});
}

TEST(Jid, ParsesUsersDevicesAndServers) {
  Jid user = parsed("15551234567@s.whatsapp.net");
  EXPECT_EQ(user.user, "15551234567");
  EXPECT_EQ(user.server, kUserServer);
  EXPECT_EQ(user.device, 0);
  EXPECT_EQ(user.form, JidForm::Pair);
  EXPECT_TRUE(user.isUser());

  Jid device = parsed("15551234567:2@s.whatsapp.net");
  EXPECT_EQ(device.user, "15551234567");
  EXPECT_EQ(device.device, 2);
  EXPECT_EQ(device.form, JidForm::AD);
  EXPECT_TRUE(sameAddress(device.toNonDevice(), user));

  Jid deviceZero = parsed("15551234567:0@s.whatsapp.net");
  EXPECT_EQ(deviceZero.form, JidForm::AD);
  EXPECT_TRUE(sameAddress(deviceZero, user));  // same address, different wire form
  EXPECT_NE(deviceZero, user);

  Jid lid = parsed("123456789012345:3@lid");
  EXPECT_EQ(lid.server, kLidServer);
  EXPECT_EQ(lid.device, 3);
  EXPECT_TRUE(lid.isUser());

  Jid agent = parsed("15551234567.7:2@s.whatsapp.net");
  EXPECT_EQ(agent.user, "15551234567");
  EXPECT_EQ(agent.agent, 7);
  EXPECT_EQ(agent.device, 2);

  for (const char* text : {"s.whatsapp.net", "@s.whatsapp.net"}) {
    Jid server = parsed(text);
    EXPECT_TRUE(server.isServer());
    EXPECT_EQ(server.server, kUserServer);
    EXPECT_EQ(server.form, JidForm::Pair);
  }
  EXPECT_TRUE(parsed("120363012345678901@g.us").isGroup());
  EXPECT_TRUE(parsed("15551234567-1600000000@g.us").isGroup());
  EXPECT_TRUE(parsed("@g.us").isGroup());
  EXPECT_TRUE(parsed("status@broadcast").isStatusBroadcast());
  EXPECT_TRUE(parsed("12345@broadcast").isBroadcast());
  EXPECT_FALSE(parsed("12345@broadcast").isStatusBroadcast());
  EXPECT_TRUE(parsed("120363999@newsletter").isNewsletter());

  Jid fb = parsed("100001:5@msgr");
  EXPECT_EQ(fb.form, JidForm::FB);
  EXPECT_EQ(fb.device, 5);
  Jid interop = parsed("42:300@interop");
  EXPECT_EQ(interop.form, JidForm::Interop);
  EXPECT_EQ(interop.device, 300);
}

TEST(Jid, FormatsCanonically) {
  const char* canonical[] = {
      "15551234567@s.whatsapp.net",
      "15551234567:2@s.whatsapp.net",
      "15551234567:0@s.whatsapp.net",
      "123456789012345:3@lid",
      "15551234567.7:2@s.whatsapp.net",
      "s.whatsapp.net",
      "120363012345678901@g.us",
      "status@broadcast",
      "120363999@newsletter",
      "100001:5@msgr",
      "g.us",
      "1.2:0@hosted",
  };
  for (const char* text : canonical) {
    EXPECT_EQ(format(parsed(text)), text);
    EXPECT_EQ(parsed(format(parsed(text))), parsed(text));
  }
  EXPECT_EQ(format(parsed("@s.whatsapp.net")), "s.whatsapp.net");
  // An agent without a device still gets the AD form, and prints ":0".
  EXPECT_EQ(format(parsed("1555.9@s.whatsapp.net")), "1555.9:0@s.whatsapp.net");
}

TEST(Jid, RejectsMalformedText) {
  const char* bad[] = {
      "",
      "a@b@c",
      "15551234567@",
      "15551234567:@s.whatsapp.net",
      ":2@s.whatsapp.net",
      "1555:x@s.whatsapp.net",
      "1555:-1@s.whatsapp.net",
      "1555:1:2@s.whatsapp.net",
      "1555:256@s.whatsapp.net",
      "1555:70000@msgr",
      "1555.256:1@s.whatsapp.net",
      "1555.3:1@msgr",
      "15 55@s.whatsapp.net",
      "1555@s.whats app.net",
      "a\n@g.us",
      "s.whatsapp.net:1",
  };
  for (const char* text : bad) {
    auto j = parse(text);
    EXPECT_FALSE(j.has_value()) << text;
    if (!j) {
      EXPECT_EQ(j.error().code, Errc::Malformed) << text;
    }
  }
}

TEST(Jid, DottedUsersWithoutNumericTailStayUsers) {
  Jid j = parsed("first.last@broadcast");
  EXPECT_EQ(j.user, "first.last");
  EXPECT_EQ(j.agent, 0);
  EXPECT_EQ(j.form, JidForm::Pair);
}

}  // namespace
}  // namespace chorus::core::jid
