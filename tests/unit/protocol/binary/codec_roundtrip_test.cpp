// Round trips through encode/decode for every tag type, the encoder's choices and its errors.
#include <random>

#include "codec_test_util.h"
#include "core/protocol/binary/tokens.h"

namespace chorus::core::binary {
namespace {

using testing::encodeHex;
using testing::hex;
using testing::parseText;

Jid makeJid(std::string user, std::string_view server, jid::JidForm form, std::uint16_t device = 0,
            std::uint8_t agent = 0, std::uint16_t integrator = 0) {
  Jid j;
  j.user = std::move(user);
  j.server = std::string(server);
  j.form = form;
  j.device = device;
  j.agent = agent;
  j.integrator = integrator;
  return j;
}

// Encodes, checks the bytes, decodes and expects the same node back.
void roundTrip(const Node& node, std::string_view expectedHex, DictVersion dict = DictVersion::V2) {
  auto bytes = encode(node, dict);
  ASSERT_TRUE(bytes.has_value()) << describe(bytes.error());
  if (!expectedHex.empty()) {
    EXPECT_EQ(toHex(*bytes), toHex(hex(expectedHex)));
  }
  auto back = decode(*bytes, dict);
  ASSERT_TRUE(back.has_value()) << describe(back.error());
  EXPECT_EQ(*back, node) << toText(*back);
}

TEST(CodecRoundTrip, FbAndInteropJids) {
  Node fb{
      .tag = "x", .attrs = {{"to", makeJid("100001", "msgr", jid::JidForm::FB, 5)}}, .content = {}};
  roundTrip(fb, "");
  auto fbBytes = encode(fb, DictVersion::V3);
  ASSERT_TRUE(fbBytes.has_value());
  // "to", FB_JID, user nibble-packed, device u16, server "msgr" (a v3 single-byte token).
  EXPECT_EQ(toHex(BytesView(*fbBytes).subspan(5)), "11f6ff031000010005cc");
  Node interop{
      .tag = "x", .attrs = {}, .content = makeJid("42", "interop", jid::JidForm::Interop, 2, 0, 7)};
  roundTrip(interop, "");
  auto bytes = encode(interop, DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  // tag "x" is raw; content INTEROP_JID: user "42" nibble, device 2, integrator 7, "interop" raw.
  EXPECT_EQ(toHex(*bytes), "f802fc0178f5ff014200020007fc07696e7465726f70");
}

TEST(CodecRoundTrip, AdJidDomainsAndAgent) {
  struct Case {
    const char* server;
    std::uint8_t agent;
    const char* domainHex;
  };
  for (const Case& c :
       {Case{"s.whatsapp.net", 0, "00"}, Case{"lid", 0, "01"}, Case{"hosted", 0, "80"},
        Case{"hosted.lid", 0, "81"}, Case{"s.whatsapp.net", 7, "07"}}) {
    SCOPED_TRACE(c.server);
    Node n{.tag = "x",
           .attrs = {},
           .content = makeJid("1555", c.server, jid::JidForm::AD, 3, c.agent)};
    roundTrip(n, std::string("f802fc0178f7") + c.domainHex + "03ff021555");
  }
}

TEST(CodecRoundTrip, ListsAndBinaryLengths) {
  Node many{.tag = "list",
            .attrs = {},
            .content = Children(300, Node{.tag = "item", .attrs = {}, .content = {}})};
  auto bytes = encode(many, DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(toHex(BytesView(*bytes).first(5)), "f8026ef901");  // LIST_16 of 0x012c
  roundTrip(many, "");

  Node attrs{.tag = "x", .attrs = {}, .content = {}};
  for (int i = 0; i < 200; ++i) attrs.set("k" + std::to_string(i), "v");
  bytes = encode(attrs, DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(toHex(BytesView(*bytes).first(3)), "f90191");  // 1 + 2 * 200
  roundTrip(attrs, "");

  for (std::size_t size : {std::size_t{0}, std::size_t{255}, std::size_t{256},
                           (std::size_t{1} << 20) - 1, std::size_t{1} << 20}) {
    SCOPED_TRACE(size);
    Node b{.tag = "enc", .attrs = {}, .content = Bytes(size, 0xab)};
    roundTrip(b, "");
  }
  bytes = encode(Node{.tag = "enc", .attrs = {}, .content = Bytes(std::size_t{1} << 20, 1)},
                 DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(toHex(BytesView(*bytes).subspan(3, 5)), "fe00100000");  // BINARY_32
}

TEST(CodecRoundTrip, StringRules) {
  // Even hex and nibble strings pack; lower-case hex does not; '@' in a plain string stays raw.
  roundTrip(parseText(R"(<x a="ABCD" b="0123" c="abcd" d="a@b"/>)"), "");
  auto bytes = encode(parseText(R"(<x a="ABCD" c="abcd" d="a@b"/>)"), DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(toHex(*bytes),
            "f807fc0178"
            "ef18fb02abcd"
            "ee43fc0461626364"
            "ef3dfc03614062");  // keys are tokens
  // 127 digits still pack; an empty content string is LIST_EMPTY on the wire.
  roundTrip(Node{.tag = "x", .attrs = {{"n", std::string(127, '9')}}, .content = {}}, "");
  bytes = encode(Node{.tag = "x", .attrs = {}, .content = std::string()}, DictVersion::V2);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(toHex(*bytes), "f802fc017800");
}

TEST(CodecRoundTrip, HandBuiltJidWithDeviceUsesAdForm) {
  Node n{.tag = "x",
         .attrs = {{"to", makeJid("1555", "s.whatsapp.net", jid::JidForm::Pair, 2)}},
         .content = {}};
  EXPECT_EQ(encodeHex(n, DictVersion::V2), "00f803fc01780ef70002ff021555");
}

TEST(CodecRoundTrip, EncoderRejectsWhatTheWireCannotCarry) {
  const auto err = [](const Node& n) {
    auto r = encode(n, DictVersion::V2);
    return r ? Errc::Internal : r.error().code;
  };
  EXPECT_EQ(err(Node{}), Errc::InvalidArgument);  // empty tag
  const Jid bad[] = {
      makeJid("1", "g.us", jid::JidForm::AD, 1),               // no domain byte for g.us
      makeJid("1", "s.whatsapp.net", jid::JidForm::AD, 300),   // device over one byte
      makeJid("1", "s.whatsapp.net", jid::JidForm::AD, 1, 1),  // agent 1 would read as lid
      makeJid("1", "lid", jid::JidForm::AD, 1, 5),             // agent on lid
      makeJid("1", "s.whatsapp.net", jid::JidForm::FB, 1),     // FB off msgr
      makeJid("1", "msgr", jid::JidForm::Interop, 1),          // interop off interop
      makeJid("1", "", jid::JidForm::Pair),                    // no server
  };
  for (const Jid& j : bad) {
    SCOPED_TRACE(jid::format(j));
    EXPECT_EQ(err(Node{.tag = "x", .attrs = {{"to", j}}, .content = {}}), Errc::InvalidArgument);
  }
}

TEST(CodecRoundTrip, NodeAccessors) {
  Node n = parseText(R"(<iq id="1" to=@"s.whatsapp.net"><a/><b x="1"/></iq>)");
  EXPECT_EQ(n.attrText("id"), "1");
  EXPECT_EQ(n.attrText("to"), "s.whatsapp.net");
  EXPECT_EQ(n.attrText("none"), std::nullopt);
  ASSERT_NE(n.child("b"), nullptr);
  EXPECT_EQ(n.child("b")->attrText("x"), "1");
  EXPECT_EQ(n.child("c"), nullptr);
  n.set("id", "2").set("type", "get");
  EXPECT_EQ(n.attrs.size(), 3u);
  EXPECT_EQ(n.attrText("id"), "2");
}

// Random nodes of every shape: bytes are stable through decode/encode in both dictionaries.
class RandomNodes {
 public:
  explicit RandomNodes(std::uint32_t seed) : rng_(seed) {}

  Node node(int depth) {
    Node n;
    n.tag = token();
    const int attrs = pick(4);
    for (int i = 0; i < attrs; ++i) n.set("a" + std::to_string(i), value());
    switch (pick(6)) {
      case 0: break;
      case 1:
        n.content =
            Bytes(static_cast<std::size_t>(pick(300)), static_cast<std::uint8_t>(pick(256)));
        break;
      case 2:
        n.content = token();
        break;  // tokens stay strings (raw strings would come back as bytes)
      case 3: n.content = jidValue(); break;
      default: {
        Children kids;
        const int count = depth < 3 ? pick(4) : 0;
        for (int i = 0; i < count; ++i) kids.push_back(node(depth + 1));
        n.content = std::move(kids);
      }
    }
    return n;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string token() {
    const TokenTable& t = kTokensV2;
    return std::string(pick(2) ? t.single[1 + static_cast<std::size_t>(pick(235))]
                               : t.dictionaries[static_cast<std::size_t>(pick(4))]
                                               [static_cast<std::size_t>(pick(256))]);
  }
  std::string text() {
    static constexpr std::string_view kAlphabets[] = {"0123456789-.", "0123456789ABCDEF",
                                                      "abc@:\"\\\n\x01\xff"};
    const std::string_view alphabet = kAlphabets[pick(3)];
    std::string s(static_cast<std::size_t>(pick(140)), ' ');
    for (char& c : s)
      c = alphabet[static_cast<std::size_t>(pick(static_cast<int>(alphabet.size())))];
    return s;
  }
  AttrValue value() {
    return pick(3) == 0 ? AttrValue(jidValue()) : AttrValue(pick(2) ? text() : token());
  }
  Jid jidValue() {
    switch (pick(5)) {
      case 0:
        return makeJid(std::to_string(pick(100000)), "lid", jid::JidForm::AD,
                       static_cast<std::uint16_t>(pick(256)));
      case 1: return makeJid("", "s.whatsapp.net", jid::JidForm::Pair);
      case 2:
        return makeJid(text(), "msgr", jid::JidForm::FB, static_cast<std::uint16_t>(pick(65536)));
      case 3:
        return makeJid("9", "interop", jid::JidForm::Interop, 1, 0,
                       static_cast<std::uint16_t>(pick(65536)));
      default: return makeJid(text(), "g.us", jid::JidForm::Pair);
    }
  }
  std::mt19937 rng_;
};

TEST(CodecRoundTrip, RandomNodesAreStable) {
  RandomNodes gen(1234);
  for (int i = 0; i < 300; ++i) {
    const Node n = gen.node(0);
    for (DictVersion dict : {DictVersion::V2, DictVersion::V3}) {
      auto bytes = encode(n, dict);
      ASSERT_TRUE(bytes.has_value()) << describe(bytes.error());
      auto back = decode(*bytes, dict);
      ASSERT_TRUE(back.has_value()) << describe(back.error()) << "\n" << toText(n);
      auto again = encode(*back, dict);
      ASSERT_TRUE(again.has_value());
      EXPECT_EQ(*again, *bytes) << toText(n);
    }
    auto text = fromText(toText(n));
    ASSERT_TRUE(text.has_value()) << describe(text.error()) << "\n" << toText(n);
    EXPECT_EQ(*text, n);
  }
}

}  // namespace
}  // namespace chorus::core::binary
