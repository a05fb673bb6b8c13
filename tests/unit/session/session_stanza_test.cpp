// Session: the nodes it leaves to its owner (StanzaEvent) and sendStanza — messages, receipts,
// acks, notifications and foreign iq results go out as events only while logged in; the
// session's own iqs, pings and pairing notifications stay inside; sendStanza sends only when
// logged in.
#include <gtest/gtest.h>

#include "core/protocol/binary/text_form.h"
#include "tests/unit/session/session_harness.h"

namespace chorus::core::session {
namespace {

using test::Harness;

binary::Node node(std::string_view text) {
  auto parsed = binary::fromText(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(binary::Node{});
}

std::vector<binary::Node> stanzas(const Harness& h) {
  std::vector<binary::Node> out;
  for (const SessionEvent& e : h.events) {
    if (auto* s = std::get_if<StanzaEvent>(&e)) out.push_back(s->node);
  }
  return out;
}

TEST(SessionStanza, ForwardsWhatItDoesNotHandleWhileLoggedIn) {
  Harness h(true);
  h.loginToReady();
  (void)h.server().takeReceived();
  h.events.clear();

  const binary::Node message =
      node(R"(<message id="m1" from=@"15550000002@s.whatsapp.net" t="1700000000" type="text"/>)");
  const binary::Node receipt = node(R"(<receipt id="r1" from=@"15550000002@s.whatsapp.net"/>)");
  const binary::Node notification = node(
      R"(<notification id="n1" from=@"s.whatsapp.net" type="encrypt"><count value="3"/></notification>)");
  const binary::Node ack = node(R"(<ack class="message" id="o1" from=@"s.whatsapp.net"/>)");
  const binary::Node foreignResult =
      node(R"(<iq type="result" id="owner.1" from=@"s.whatsapp.net"/>)");
  const binary::Node request =
      node(R"(<iq type="set" id="s1" xmlns="w:other" from=@"s.whatsapp.net"><x/></iq>)");
  for (const binary::Node& n : {message, receipt, notification, ack, foreignResult, request}) {
    h.deliver(n);
  }
  const std::vector<binary::Node> got = stanzas(h);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], message);
  EXPECT_EQ(got[1], receipt);
  EXPECT_EQ(got[2], notification);
  EXPECT_EQ(got[3], ack);
  EXPECT_EQ(got[4], foreignResult);
  EXPECT_EQ(got[5], request);
  EXPECT_TRUE(h.server().takeReceived().empty()) << "the owner acks, not the session";
  EXPECT_TRUE(h.errors().empty());
}

TEST(SessionStanza, KeepsItsOwnNodes) {
  Harness h(true);
  h.loginToReady();
  h.events.clear();
  // A server ping is answered by the session and not forwarded.
  h.deliver(node(R"(<iq type="get" id="p1" xmlns="urn:xmpp:ping" from=@"s.whatsapp.net"/>)"));
  EXPECT_TRUE(stanzas(h).empty());
  const auto sent = h.server().takeReceived();
  EXPECT_NE(test::findIq(sent, "result"), nullptr);
}

TEST(SessionStanza, NothingIsForwardedBeforeLogin) {
  Harness h(true);
  h.autoOpen = true;
  h.run(h.session().start(h.now));
  ASSERT_TRUE(h.server().established());
  h.events.clear();
  h.deliver(node(R"(<message id="m1" from=@"15550000002@s.whatsapp.net" t="1" type="text"/>)"));
  EXPECT_TRUE(stanzas(h).empty());
}

TEST(SessionStanza, SendStanzaSendsOnlyWhenLoggedIn) {
  Harness h(false);
  const binary::Node receipt = node(R"(<receipt id="r1" to=@"15550000002@s.whatsapp.net"/>)");
  h.run(h.session().sendStanza(receipt, h.now));
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Cancelled});

  Harness in(true);
  in.loginToReady();
  (void)in.server().takeReceived();
  in.events.clear();
  in.run(in.session().sendStanza(receipt, in.now));
  EXPECT_TRUE(in.errors().empty());
  const auto sent = in.server().takeReceived();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0], receipt);
}

}  // namespace
}  // namespace chorus::core::session
