// The ClientPayload a companion encrypts into ClientFinish (protocol §3): the registration
// payload of a device that is not linked yet (DevicePairingRegistrationData with the keys the
// phone will certify, §3.3) and the login payload of a linked one (username + device, §3.6).
// Pure functions of the credentials and the options, so they are tested byte for byte against
// the Baileys vectors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/store/credential_store.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::session {

// The WhatsApp Web version the client claims. The real server refuses versions that are too
// old (<failure reason="405">), so it is configuration, not a constant of the protocol.
struct AppVersion {
  std::uint32_t primary = 2;
  std::uint32_t secondary = 3000;
  std::uint32_t tertiary =
      1045649367;  // whatsmeow's 2.3000.1045649367 (Baileys 6.17.16: 1019707846)

  [[nodiscard]] std::string toString() const;  // "2.3000.1045649367"
  [[nodiscard]] bool operator==(const AppVersion&) const = default;
};

// DeviceProps.platformType (§3.4): how the phone labels the linked device.
enum class DevicePlatform : std::uint32_t {
  Unknown = 0,
  Chrome = 1,
  Firefox = 2,
  Ie = 3,
  Opera = 4,
  Safari = 5,
  Edge = 6,
  Desktop = 7,
};

struct ClientPayloadOptions {
  AppVersion appVersion;
  // Login only: log in passive and switch to active after <success> (whatsmeow, §8.1); Baileys
  // logs in with false. Registration always sends false.
  bool passive = true;
  std::string mcc = "000";
  std::string mnc = "000";
  std::string osVersion = "0.1";
  std::string device = "Desktop";
  std::string osBuildNumber = "0.1";
  std::string language = "en";
  std::string country = "US";
  // Shown on the phone under "Linked devices" (DeviceProps.os and platformType).
  std::string deviceOs = "Chorus";
  DevicePlatform platform = DevicePlatform::Desktop;
};

// The number and device a linked companion logs in as, from its device JID.
struct LoginIdentity {
  std::uint64_t username = 0;  // the phone number as an integer
  std::uint32_t device = 0;    // the companion's device number (>= 1)
};

// "15551234567:2@s.whatsapp.net" → {15551234567, 2}. Errc::InvalidArgument unless the JID is a
// device (>= 1) of a phone number on s.whatsapp.net.
[[nodiscard]] Result<LoginIdentity> loginIdentity(std::string_view deviceJid);

// MD5 of the ASCII version string "a.b.c" (DevicePairingRegistrationData.buildHash).
[[nodiscard]] Bytes buildHash(const AppVersion& version);
// Serialized DeviceProps {os, platformType, requireFullSync = false}.
[[nodiscard]] Bytes buildDeviceProps(const ClientPayloadOptions& options);

// The login payload (username, passive, userAgent, webInfo, connect type/reason, device,
// pull = true).
[[nodiscard]] Bytes buildLoginPayload(const LoginIdentity& identity,
                                      const ClientPayloadOptions& options);
// The registration payload (passive = false, userAgent, webInfo, connect type/reason,
// devicePairingData, pull = false). Errc::InvalidArgument when a key, the signature or the
// signed prekey id does not fit its wire field.
[[nodiscard]] Result<Bytes> buildRegistrationPayload(const store::DeviceCredentials& credentials,
                                                     const ClientPayloadOptions& options);
// Login when the credentials are paired, registration otherwise.
[[nodiscard]] Result<Bytes> buildClientPayload(const store::DeviceCredentials& credentials,
                                               const ClientPayloadOptions& options);

}  // namespace chorus::core::session
