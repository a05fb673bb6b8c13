// The crypto provider's HMAC-SHA256 against RFC 5869 (HKDF-SHA256), through libsignal's own
// HKDF: both sides of a session share the provider, so session tests alone would not notice a
// consistently wrong MAC.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <signal/hkdf.h>

#include "core/signal/signal_context_impl.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::signal {
namespace {

Bytes hex(std::string_view text) {
  auto bytes = fromHex(text);
  EXPECT_TRUE(bytes.has_value()) << text;
  return bytes.value_or(Bytes{});
}

Bytes range(std::uint8_t first, std::size_t count) {
  Bytes out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<std::uint8_t>(first + i);
  return out;
}

class CryptoProviderTest : public ::testing::Test {
 protected:
  // HKDF as libsignal runs it for message version 3 (RFC 5869), on our provider.
  std::string hkdf(const Bytes& ikm, const Bytes& salt, const Bytes& info, std::size_t length) {
    hkdf_context* raw = nullptr;
    EXPECT_EQ(hkdf_create(&raw, 3, party.context->impl().context.get()), 0);
    detail::Ref<hkdf_context> context(raw);
    std::uint8_t* out = nullptr;
    const ssize_t n = hkdf_derive_secrets(context.get(), &out, ikm.data(), ikm.size(), salt.data(),
                                          salt.size(), info.data(), info.size(), length);
    EXPECT_EQ(n, static_cast<ssize_t>(length));
    std::string result = n > 0 ? toHex(BytesView(out, static_cast<std::size_t>(n))) : "";
    std::free(out);  // NOLINT: libsignal allocates with malloc
    return result;
  }

  test::Party party{"15550000001", 1, 1};
};

TEST_F(CryptoProviderTest, HkdfRfc5869Case1) {
  EXPECT_EQ(
      hkdf(Bytes(22, 0x0b), hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42),
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST_F(CryptoProviderTest, HkdfRfc5869Case2LongInputs) {  // 80-byte salt: an HMAC key over a block
  EXPECT_EQ(hkdf(range(0x00, 80), range(0x60, 80), range(0xb0, 80), 82),
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41"
            "c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST_F(CryptoProviderTest, HkdfRfc5869Case3EmptySaltAndInfo) {  // an empty HMAC key
  EXPECT_EQ(hkdf(Bytes(22, 0x0b), Bytes{}, Bytes{}, 42),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

}  // namespace
}  // namespace chorus::core::signal
