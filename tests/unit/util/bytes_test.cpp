#include "core/util/bytes.h"

#include <gtest/gtest.h>

namespace chorus::core {
namespace {

TEST(Hex, RoundTripsAndAcceptsBothCases) {
  const Bytes data{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(toHex(data), "0001abff");
  EXPECT_EQ(fromHex("0001ABff").value(), data);
  EXPECT_EQ(fromHex("00 01\nab ff").value(), data);
  EXPECT_TRUE(fromHex("").value().empty());
}

TEST(Hex, RejectsBadInput) {
  EXPECT_EQ(fromHex("abc").error().code, Errc::Malformed);
  EXPECT_EQ(fromHex("zz").error().code, Errc::Malformed);
}

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(toBase64(asBytes(plain)), encoded);
    EXPECT_EQ(asString(fromBase64(encoded).value()), plain);
  }
}

TEST(Base64, UrlAlphabetAndMissingPadding) {
  const Bytes data{0xfb, 0xff, 0xbf};
  EXPECT_EQ(toBase64(data), "+/+/");
  EXPECT_EQ(toBase64Url(data), "-_-_");
  EXPECT_EQ(fromBase64Url("-_-_").value(), data);
  EXPECT_EQ(toBase64Url(asBytes("f")), "Zg");
  EXPECT_EQ(toBase64Url(asBytes("f"), true), "Zg==");
  EXPECT_EQ(asString(fromBase64("Zg").value()), "f");
}

TEST(Base64, RejectsBadInput) {
  EXPECT_EQ(fromBase64("Z").error().code, Errc::Malformed);
  EXPECT_EQ(fromBase64("Zm9v!").error().code, Errc::Malformed);
  EXPECT_EQ(fromBase64Url("+/").error().code, Errc::Malformed);
}

TEST(Bytes, ConstantTimeEqualAndBigEndian) {
  EXPECT_TRUE(constantTimeEqual(Bytes{1, 2}, Bytes{1, 2}));
  EXPECT_FALSE(constantTimeEqual(Bytes{1, 2}, Bytes{1, 3}));
  EXPECT_FALSE(constantTimeEqual(Bytes{1, 2}, Bytes{1}));
  Bytes out;
  putU24BE(out, 0x123456);
  putU32BE(out, 0xdeadbeef);
  putU16BE(out, 0xabcd);
  EXPECT_EQ(toHex(out), "123456deadbeefabcd");
  EXPECT_EQ(readU24BE(out.data()), 0x123456u);
  EXPECT_EQ(readU32BE(out.data() + 3), 0xdeadbeefu);
  EXPECT_EQ(concat({Bytes{1}, Bytes{}, Bytes{2, 3}}), (Bytes{1, 2, 3}));
}

}  // namespace
}  // namespace chorus::core
