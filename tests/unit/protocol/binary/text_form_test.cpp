// The canonical text form (docs/codec-text-form.md) and the redacted printer.
#include "codec_test_util.h"

namespace chorus::core::binary {
namespace {

using testing::parseText;

Jid makeJid(std::string user, std::string server, jid::JidForm form, std::uint16_t device = 0) {
  Jid j;
  j.user = std::move(user);
  j.server = std::move(server);
  j.form = form;
  j.device = device;
  return j;
}

void expectRoundTrip(const Node& n) {
  for (TextStyle style : {TextStyle::Indented, TextStyle::Compact}) {
    const std::string text = toText(n, style);
    auto back = fromText(text);
    ASSERT_TRUE(back.has_value()) << describe(back.error()) << "\n" << text;
    EXPECT_EQ(*back, n) << text;
  }
}

TEST(TextForm, PrintsTheDocumentedSyntax) {
  Node iq = parseText(R"(<iq id="1.2-3" to=@"s.whatsapp.net" type="get" xmlns="w:p"><ping/></iq>)");
  EXPECT_EQ(
      toText(iq),
      "<iq id=\"1.2-3\" to=@\"s.whatsapp.net\" type=\"get\" xmlns=\"w:p\">\n  <ping/>\n</iq>");
  EXPECT_EQ(toText(parseText(R"(<enc v="2">x"33DEADbeef"</enc>)")),
            R"(<enc v="2">x"33deadbeef"</enc>)");
  EXPECT_EQ(toText(parseText("<list>\n</list>")), "<list></list>");
  EXPECT_EQ(toText(parseText(R"(<"a b" "k\x01"="\"\\\n\t\r\x7f Zoë">"\xff"</"a b">)")),
            R"(<"a b" "k\x01"="\"\\\n\t\r\x7f Zoë">"\xff"</"a b">)");
}

TEST(TextForm, DistinguishesWhatTheWireDistinguishes) {
  const Node none = parseText("<x/>");
  const Node empty = parseText("<x></x>");
  const Node emptyString = parseText(R"(<x>""</x>)");
  const Node emptyBytes = parseText(R"(<x>x""</x>)");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(none.content));
  ASSERT_NE(empty.children(), nullptr);
  EXPECT_TRUE(empty.children()->empty());
  ASSERT_NE(emptyString.text(), nullptr);
  ASSERT_NE(emptyBytes.bytes(), nullptr);
  const Node strAttr = parseText(R"(<x to="15551234567@s.whatsapp.net"/>)");
  const Node jidAttr = parseText(R"(<x to=@"15551234567@s.whatsapp.net"/>)");
  EXPECT_TRUE(std::holds_alternative<std::string>(*strAttr.attr("to")));
  EXPECT_TRUE(std::holds_alternative<Jid>(*jidAttr.attr("to")));
  // AD with device 0 stays AD; without the ":0" it is a JID_PAIR.
  const Node ad = parseText(R"(<x to=@"15551234567:0@s.whatsapp.net"/>)");
  const Node pair = parseText(R"(<x to=@"15551234567@s.whatsapp.net"/>)");
  EXPECT_EQ(std::get<Jid>(*ad.attr("to")).form, jid::JidForm::AD);
  EXPECT_EQ(std::get<Jid>(*pair.attr("to")).form, jid::JidForm::Pair);
  for (const Node* n : {&none, &empty, &emptyString, &emptyBytes, &strAttr, &jidAttr, &ad, &pair}) {
    expectRoundTrip(*n);
  }
}

TEST(TextForm, JidsThatTextCannotSayUseTheLongForm) {
  Jid odd = makeJid("we:ird", "b@c", jid::JidForm::Pair);
  Jid pairWithDevice = makeJid("1555", "s.whatsapp.net", jid::JidForm::Pair, 3);
  Jid interop = makeJid("7", "interop", jid::JidForm::Interop, 1);
  interop.integrator = 9;
  Node n{.tag = "x",
         .attrs = {{"a", odd}, {"b", pairWithDevice}, {"c", interop}},
         .content = makeJid("", "s.whatsapp.net", jid::JidForm::AD)};
  EXPECT_EQ(
      toText(n),
      R"(<x a=@{pair user="we:ird" server="b@c"} b=@{pair user="1555" server="s.whatsapp.net" device=3} )"
      R"(c=@{interop user="7" server="interop" device=1 integrator=9}>)"
      R"(@{ad user="" server="s.whatsapp.net"}</x>)");
  expectRoundTrip(n);
  EXPECT_EQ(
      toText(Node{.tag = "x", .attrs = {}, .content = makeJid("u", "msgr", jid::JidForm::FB, 5)}),
      R"(<x>@"u:5@msgr"</x>)");
}

TEST(TextForm, EveryByteSurvivesInStringsAndNames) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  Node n{.tag = all, .attrs = {{all, all}, {"k", std::string("\xe2\x9c\x93\xc3")}}, .content = all};
  expectRoundTrip(n);
  const std::string text = toText(n);
  EXPECT_EQ(text.find('\0'), std::string::npos);  // control bytes are escaped
}

TEST(TextForm, NestedNodesRoundTrip) {
  const Node n = parseText(R"(
    <message to=@"120363012345678901@g.us" id="ABC" t="1700000000">
      <enc v="2" type="skmsg">x"0102"</enc>
      <participants>
        <to jid=@"15551234567:2@s.whatsapp.net"><enc v="2" type="pkmsg">x""</enc></to>
        <to jid=@"123456789012345:3@lid"/>
      </participants>
      <body>"hello \"world\"\n"</body>
      <empty></empty>
    </message>)");
  ASSERT_NE(n.children(), nullptr);
  EXPECT_EQ(n.children()->size(), 4u);
  expectRoundTrip(n);
}

TEST(TextForm, RejectsBadText) {
  const char* bad[] = {
      "",
      "x",
      "<x",
      "<x/> trailing",
      "<x></y>",
      "<x a=1/>",
      "<x a/>",
      R"(<x a="1" a="2"/>)",
      R"(<x a="unterminated/>)",
      R"(<x a="\q"/>)",
      R"(<x a="\x4"/>)",
      R"(<x>x"abc"</x>)",
      R"(<x>x"zz"</x>)",
      R"(<x>"a" "b"</x>)",
      R"(<x>bare</x>)",
      R"(<x a=@"a@b@c"/>)",
      R"(<x a=@""/>)",
      R"(<x a=@{bogus user="a"}/>)",
      R"(<x a=@{pair user="a" user="b"}/>)",
      R"(<x a=@{pair colour="red"}/>)",
      R"(<x a=@{ad device=70000}/>)",
      R"(<x a=@{ad agent=256}/>)",
      R"(<x a=@{ad device=}/>)",
      R"(<x a=@{ad)",
      R"(<x><y/>"text"</x>)",
  };
  for (const char* text : bad) {
    auto n = fromText(text);
    EXPECT_FALSE(n.has_value()) << text;
    if (!n) {
      EXPECT_EQ(n.error().code, Errc::Malformed) << text;
    }
  }
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "<a>";
  EXPECT_FALSE(fromText(deep).has_value());
}

TEST(RedactedPrinter, NeverShowsContent) {
  const Node n = parseText(R"(
    <message to=@"15551234567:2@s.whatsapp.net" from=@"123456789012345@lid" id="ABC" notify="Alice Secret" phone_number="15559876543" t="1700000000">
      <body>"my secret message"</body>
      <enc v="2">x"736563726574"</enc>
      <to>@"15550001111@s.whatsapp.net"</to>
      <group jid=@"120363012345678901@g.us" server=@"s.whatsapp.net"/>
    </message>)");
  const std::string shown = toRedactedString(n);
  for (const char* secret : {"secret", "Alice", "15551234567", "123456789012345", "15550001111",
                             "15559876543", "736563", "Secret"}) {
    EXPECT_EQ(shown.find(secret), std::string::npos) << secret << " in " << shown;
  }
  EXPECT_NE(shown.find("<6 bytes>"), std::string::npos) << shown;
  EXPECT_NE(shown.find("<text, 17 bytes>"), std::string::npos) << shown;
  EXPECT_NE(shown.find("120363012345678901@g.us"), std::string::npos)
      << shown;  // groups are not personal
  EXPECT_NE(shown.find("id=\"ABC\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("t=\"1700000000\""), std::string::npos) << shown;  // timestamps stay
  EXPECT_NE(shown.find("=@s.whatsapp.net"), std::string::npos) << shown;
}

}  // namespace
}  // namespace chorus::core::binary
