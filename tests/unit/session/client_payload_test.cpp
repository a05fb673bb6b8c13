// ClientPayload against the Baileys vectors of protocol notes §2.7 (login plaintext) and §3.5
// (registration, misc.out), byte for byte.
#include "core/session/client_payload.h"

#include <gtest/gtest.h>

#include "core/signal/signal_keys.h"
#include "proto/client_payload.pb.h"
#include "tests/unit/protocol/noise/noise_vectors.h"
#include "tests/unit/session/fake_server.h"

namespace chorus::core::session {
namespace {

using test::fixedKeyPair;
using test::hex;
namespace vectors = noise::vectors;

// The options that reproduce Baileys 6.17.16's payloads.
ClientPayloadOptions baileysOptions() {
  ClientPayloadOptions options;
  options.appVersion = AppVersion{2, 3000, 1019707846};
  options.passive = false;
  options.deviceOs = "Ubuntu";
  options.platform = DevicePlatform::Chrome;
  return options;
}

// The vector's signed prekey signature (curve25519-js signs deterministically; ours would not).
Bytes vectorSignedPreKeySignature() {
  const Bytes payload = hex(vectors::kRegistrationPayload);
  proto::ClientPayload parsed;
  EXPECT_TRUE(parsed.ParseFromArray(payload.data(), static_cast<int>(payload.size())));
  return toBytes(asBytes(parsed.devicepairingdata().eskeysig()));
}

store::DeviceCredentials vectorCredentials() {
  store::DeviceCredentials creds;
  creds.noiseKey = fixedKeyPair(0x22);
  creds.identityKey = fixedKeyPair(0x77);
  creds.signedPreKey.id = 1;
  creds.signedPreKey.keyPair = fixedKeyPair(0x88);
  creds.signedPreKey.signature = vectorSignedPreKeySignature();
  creds.registrationId = 0x1234;
  creds.advSecret = SecretBytes(Bytes(32, 0xaa));
  return creds;
}

TEST(ClientPayload, LoginMatchesTheHandshakeVector) {
  const Bytes payload = buildLoginPayload(LoginIdentity{15551234567u, 2}, baileysOptions());
  EXPECT_EQ(toHex(payload), vectors::kLoginPayload);
}

TEST(ClientPayload, RegistrationMatchesTheMiscVector) {
  const store::DeviceCredentials creds = vectorCredentials();
  // The vector's signature really is the identity's signature over 05 ‖ prekey: our XEdDSA
  // verifies what curve25519-js produced.
  EXPECT_TRUE(signal::verifySignedPreKey(creds.identityKey.publicKey,
                                         creds.signedPreKey.keyPair.publicKey,
                                         creds.signedPreKey.signature));
  auto payload = buildRegistrationPayload(creds, baileysOptions());
  ASSERT_TRUE(payload.has_value()) << describe(payload.error());
  EXPECT_EQ(toHex(*payload), vectors::kRegistrationPayload);
}

TEST(ClientPayload, BuildHashAndDevicePropsMatchTheVector) {
  EXPECT_EQ(toHex(buildHash(AppVersion{2, 3000, 1019707846})), "1c24b32925da6df1b1d672b61de4f238");
  EXPECT_EQ(toHex(buildDeviceProps(baileysOptions())), "0a065562756e747518012000");
  EXPECT_EQ((AppVersion{2, 3000, 1019707846}.toString()), "2.3000.1019707846");
}

TEST(ClientPayload, RegistrationFieldLayouts) {
  store::DeviceCredentials creds = vectorCredentials();
  creds.registrationId = 0xA1B2C3D4;
  creds.signedPreKey.id = 0xABCDEF;
  ClientPayloadOptions options;
  options.appVersion = AppVersion{2, 3000, 7};
  const Bytes bytes = buildRegistrationPayload(creds, options).value();
  proto::ClientPayload parsed;
  ASSERT_TRUE(parsed.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  const auto& reg = parsed.devicepairingdata();
  EXPECT_EQ(toHex(asBytes(reg.eregid())), "a1b2c3d4");
  EXPECT_EQ(toHex(asBytes(reg.ekeytype())), "05");
  EXPECT_EQ(toHex(asBytes(reg.eskeyid())), "abcdef");
  EXPECT_EQ(toBytes(asBytes(reg.eident())), creds.identityKey.publicKey);
  EXPECT_EQ(toBytes(asBytes(reg.eskeyval())), creds.signedPreKey.keyPair.publicKey);
  EXPECT_EQ(toBytes(asBytes(reg.buildhash())), buildHash(options.appVersion));
  EXPECT_FALSE(parsed.has_username());
  EXPECT_FALSE(parsed.has_device());
  EXPECT_FALSE(parsed.passive());
  EXPECT_FALSE(parsed.pull());
  EXPECT_EQ(parsed.useragent().appversion().tertiary(), 7u);
}

TEST(ClientPayload, RegistrationRefusesKeysThatDoNotFit) {
  {
    store::DeviceCredentials creds = vectorCredentials();
    creds.identityKey.publicKey.pop_back();
    EXPECT_EQ(buildRegistrationPayload(creds, {}).error().code, Errc::InvalidArgument);
  }
  {
    store::DeviceCredentials creds = vectorCredentials();
    creds.signedPreKey.signature.resize(63);
    EXPECT_EQ(buildRegistrationPayload(creds, {}).error().code, Errc::InvalidArgument);
  }
  {
    store::DeviceCredentials creds = vectorCredentials();
    creds.signedPreKey.id = 0x1000000;
    EXPECT_EQ(buildRegistrationPayload(creds, {}).error().code, Errc::InvalidArgument);
  }
}

TEST(ClientPayload, ChoosesLoginOnceLinked) {
  store::DeviceCredentials creds = vectorCredentials();
  const Bytes registration = buildClientPayload(creds, baileysOptions()).value();
  EXPECT_EQ(toHex(registration), vectors::kRegistrationPayload);
  creds.deviceJid = "15551234567:2@s.whatsapp.net";
  const Bytes login = buildClientPayload(creds, baileysOptions()).value();
  EXPECT_EQ(toHex(login), vectors::kLoginPayload);
  creds.deviceJid = "not a jid@@";
  EXPECT_EQ(buildClientPayload(creds, baileysOptions()).error().code, Errc::InvalidArgument);
}

TEST(ClientPayload, LoginIdentityFromDeviceJid) {
  const LoginIdentity id = loginIdentity("15551234567:2@s.whatsapp.net").value();
  EXPECT_EQ(id.username, 15551234567u);
  EXPECT_EQ(id.device, 2u);
  for (const char* bad : {"15551234567@s.whatsapp.net", "15551234567:0@s.whatsapp.net", "123:2@lid",
                          "abc:2@s.whatsapp.net", "0155:2@s.whatsapp.net", "s.whatsapp.net",
                          "99999999999999999999999:1@s.whatsapp.net", ""}) {
    EXPECT_EQ(loginIdentity(bad).error().code, Errc::InvalidArgument) << bad;
  }
}

TEST(ClientPayload, DefaultLoginIsPassiveWithTheConfiguredVersion) {
  ClientPayloadOptions options;
  options.appVersion = AppVersion{2, 3001, 42};
  const Bytes bytes = buildLoginPayload(LoginIdentity{4915112345678u, 5}, options);
  proto::ClientPayload parsed;
  ASSERT_TRUE(parsed.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  EXPECT_TRUE(parsed.passive());
  EXPECT_TRUE(parsed.pull());
  EXPECT_EQ(parsed.username(), 4915112345678u);
  EXPECT_EQ(parsed.device(), 5u);
  EXPECT_EQ(parsed.useragent().platform(), proto::ClientPayload::UserAgent::WEB);
  EXPECT_EQ(parsed.useragent().appversion().secondary(), 3001u);
  EXPECT_EQ(parsed.useragent().appversion().tertiary(), 42u);
  EXPECT_EQ(parsed.webinfo().websubplatform(), proto::ClientPayload::WebInfo::WEB_BROWSER);
  EXPECT_FALSE(parsed.has_devicepairingdata());
}

}  // namespace
}  // namespace chorus::core::session
