// Protocol reference vectors (§4.1, §4.6) and further Baileys 6.17.16 encodings: each must
// decode to the expected node and that node must re-encode to exactly the same bytes.
#include <vector>

#include "codec_test_util.h"

namespace chorus::core::binary {
namespace {

using testing::encodeHex;
using testing::hex;
using testing::parseText;

struct Vector {
  const char* text;
  const char* frameHex;  // flags byte 00 + node bytes
};

void checkVectors(const std::vector<Vector>& vectors, DictVersion dict) {
  for (const Vector& v : vectors) {
    SCOPED_TRACE(v.text);
    const Node expected = parseText(v.text);
    auto decoded = decodeFrame(hex(v.frameHex), dict);
    ASSERT_TRUE(decoded.has_value()) << describe(decoded.error());
    EXPECT_EQ(toText(*decoded, TextStyle::Compact), toText(expected, TextStyle::Compact));
    EXPECT_EQ(*decoded, expected);
    EXPECT_EQ(encodeHex(*decoded, dict), toHex(hex(v.frameHex)));
  }
}

// §4.6 table 1 (dict v2).
TEST(CodecVectors, ReferenceV2) {
  checkVectors(
      {
          {R"(<iq id="1.2-3" to=@"s.whatsapp.net" type="get" xmlns="w:p"><ping/></iq>)",
           "00 f80a 1e 08 ff831b2a3f 0e fa0003 04 31 19 5f f801 f801 50"},
          {R"(<ack class="receipt" id="3EB0ABCDEF0123456789" to=@"15551234567:2@s.whatsapp.net"/>)",
           "00f8071c110708fb0a3eb0abcdef01234567890ef70002ff8615551234567f"},
          {R"(<to jid=@"123456789012345:3@lid"/>)", "00f8030e0ff70103ff88123456789012345f"},
          {R"(<message from=@"120363012345678901@g.us" participant=@"15551234567:0@s.whatsapp.net" id="abc"/>)",
           "00f8070b06faff091203630123456789011305f70000ff8615551234567f08fc03616263"},
          {R"(<enc v="2" type="pkmsg">x"33deadbeef"</enc>)", "00f8061636330460fc0533deadbeef"},
          {R"(<iq type="set" xmlns="md"><remove-companion-device jid=@"15551234567:2@s.whatsapp.net" reason="user_initiated"/></iq>)",
           "00f8061e043e19fc026d64f801f805fc1772656d6f76652d636f6d70616e696f6e2d6465766963650ff7000"
           "2"
           "ff8615551234567fec07fc0e757365725f696e69746961746564"},
      },
      DictVersion::V2);
}

// The AD_JID with device 0 keeps its form: it must not come back as a JID_PAIR.
TEST(CodecVectors, AdJidWithDeviceZeroKeepsItsForm) {
  auto node = decodeFrame(hex("00f8030e0ff70000ff8615551234567f"), DictVersion::V2);
  ASSERT_TRUE(node.has_value());
  const auto& j = std::get<Jid>(*node->attr("jid"));
  EXPECT_EQ(j.form, jid::JidForm::AD);
  EXPECT_EQ(j.device, 0);
  EXPECT_EQ(node->attrText("jid"), "15551234567:0@s.whatsapp.net");
}

// §4.6 table 2: the same stanzas in v2 and v3.
const std::vector<const char*> kStanzas = {
    R"(<xmlstreamend/>)",
    R"(<stream:error code="515"/>)",
    R"(<stream:error code="401"><conflict type="device_removed"/></stream:error>)",
    R"(<stream:error><conflict type="replaced"/></stream:error>)",
    R"(<failure reason="401"/>)",
    R"(<ib from=@"s.whatsapp.net"><offline count="0"/></ib>)",
    R"(<iq id="1.2-3" to=@"s.whatsapp.net" type="get" xmlns="w:p"><ping/></iq>)",
    R"(<iq from=@"s.whatsapp.net" type="result" id="9"><count value="0"/></iq>)",
    R"(<ack class="message" id="3EB0ABCDEF0123456789AB" from=@"15550000002@s.whatsapp.net" t="1700000000"/>)",
};

TEST(CodecVectors, StanzasV2) {
  const char* hexes[] = {
      "00f80102",
      "00f8037779ff82515f",
      "00f8047779a1f801f803d304fc0e6465766963655f72656d6f766564",
      "00f80277f801f803d304d8",
      "00f803fc076661696c757265ec07a1",
      "00f804fc02696206fa0003f801f80312394f",
      "00f80a1e08ff831b2a3f0efa00030431195ff801f80150",
      "00f8081e06fa0003041408ecd0f801f80339214f",
      "00f8091c110b08fb0b3eb0abcdef0123456789ab06faff8615550000002f031dff051700000000",
  };
  std::vector<Vector> vectors;
  for (std::size_t i = 0; i < kStanzas.size(); ++i) vectors.push_back({kStanzas[i], hexes[i]});
  checkVectors(vectors, DictVersion::V2);
}

TEST(CodecVectors, StanzasV3) {
  const char* hexes[] = {
      "00f80102",
      "00f8039d70ff82515f",
      "00f8049d708df801f803ec0e04fc0e6465766963655f72656d6f766564",
      "00f8029df801f803ec0e04ec11",
      "00f803ee3cec2e8d",
      "00f804fc02696206fa0003f801f80312412d",
      "00f80a1908ff831b2a3f11fa000304291657f801f80156",
      "00f8081906fa0003041408ed05f801f803416c2d",
      "00f8091b151308fb0b3eb0abcdef0123456789ab06faff8615550000002f031aff051700000000",
  };
  std::vector<Vector> vectors;
  for (std::size_t i = 0; i < kStanzas.size(); ++i) vectors.push_back({kStanzas[i], hexes[i]});
  checkVectors(vectors, DictVersion::V3);
}

// More Baileys 6.17.16 encodings (dict v2) covering the remaining tag types.
TEST(CodecVectors, MoreBaileysEncodings) {
  const std::string body300(300, 'y');
  const std::string raw128(128, '1');
  const std::string bodyText = R"(<body>")" + body300 + R"("</body>)";
  const std::string rawText = R"(<x n=")" + raw128 + R"("/>)";
  const std::string rawHex = "00f803fc0178fc016efc80" + toHex(asBytes(raw128));
  checkVectors(
      {
          {R"(<message from=@"123456789012345:7@lid" to=@"123456789012345@lid"/>)",
           "00f8050b06f70107ff88123456789012345f0efaff88123456789012345ffc036c6964"},
          // Double-byte tokens from all four dictionaries (keys and values).
          {R"(<iq a="voip_settings" b="voip" c="media.fadb3-2.fna.whatsapp.net" d="media.faqp2-3.fna.whatsapp.net"/>)",
           "00f8091eef18ec05ef70edc8ee43ee01ef3defff"},
          // Odd hex, empty value (LIST_EMPTY), every nibble character.
          {R"(<x id="ABC" e="" n="0123456789-."/>)",
           "00f807fc017808fb82abcfeeb500fc016eff060123456789ab"},
          // 128 digits: too long to pack, so raw.
          {rawText.c_str(), rawHex.c_str()},
          {R"(<jid>@"15551234567@s.whatsapp.net"</jid>)", "00f8020ffaff8615551234567f03"},
          {R"(<list></list>)", "00f8026e00"},
          {R"(<x name="Zoë ✓">x"00ff"</x>)", "00f804fc017859fc085a6fc3ab20e29c93fc0200ff"},
          {R"(<receipt to=@"status@broadcast" g=@"g.us" n=@"120363@newsletter"/>)",
           "00f807070efa0a09fc0167fa0013fc016efaff03120363fc0a6e6577736c6574746572"},
      },
      DictVersion::V2);
  // A 300-character string content is written as BINARY_20 and decodes as bytes (§4.5).
  const Node body = parseText(bodyText);
  const std::string bodyHex = "00f802ef98fd00012c" + toHex(asBytes(body300));
  EXPECT_EQ(encodeHex(body, DictVersion::V2), bodyHex);
  auto decoded = decodeFrame(hex(bodyHex), DictVersion::V2);
  ASSERT_TRUE(decoded.has_value());
  ASSERT_NE(decoded->bytes(), nullptr);
  EXPECT_EQ(*decoded->bytes(), toBytes(body300));
}

// §4.1: a compressed frame (flags 0x02, zlib stream).
TEST(CodecVectors, CompressedFrame) {
  auto node = decodeFrame(hex("02 789cfbc12ec7318d4584ed1703330013e602d7"), DictVersion::V2);
  ASSERT_TRUE(node.has_value()) << describe(node.error());
  EXPECT_EQ(*node, parseText(R"(<iq id="7" type="result" from=@"s.whatsapp.net"/>)"));
}

}  // namespace
}  // namespace chorus::core::binary
