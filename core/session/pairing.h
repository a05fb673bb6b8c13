// Linking a companion (protocol §6.1, §6.3): the credentials it creates before pairing, and the
// handling of <pair-success>: check the ADV HMAC with the adv secret, check the account
// signature of the phone, sign the device identity with our identity key, and build the
// <pair-device-sign> reply. Anything malformed or forged is a typed error and nothing is
// linked; buildPairingErrorReply gives the <iq type="error"> answer for it.
#pragma once

#include <cstdint>
#include <string>

#include "core/crypto/x25519.h"
#include "core/protocol/binary/node.h"
#include "core/store/credential_store.h"
#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::session {

inline constexpr std::size_t kAdvSecretSize = 32;
inline constexpr std::uint32_t kFirstSignedPreKeyId = 1;

// Fresh, unpaired credentials (§6.1): noise key, identity key, signed prekey 1 signed over
// 05‖pub, registration id, 32-byte adv secret.
[[nodiscard]] Result<store::DeviceCredentials> generateCredentials(Random& random);

// What a verified <pair-success> yields.
struct PairingResult {
  std::string deviceJid;     // "15551234567:2@s.whatsapp.net"
  std::string lid;           // "123456789012345:2@lid"; empty when the server sent none
  std::string platform;      // the phone's platform ("android", "iphone", "smba" ...); may be empty
  std::string businessName;  // <biz name>, business accounts only
  std::uint32_t keyIndex = 0;
  Bytes accountSignatureKey;  // 32: the primary's identity key (trust it for device 0)
  // The full ADVSignedDeviceIdentity with accountSignatureKey and our deviceSignature: what a
  // companion keeps and later attaches to prekey messages as <device-identity>.
  Bytes signedDeviceIdentity;
  binary::Node reply;  // <iq type="result"><pair-device-sign><device-identity key-index>…
};

// Handles `iq` = <iq id=… [from="s.whatsapp.net"]><pair-success>…</pair-success></iq>.
// Errors (the session then must not link, and answers with buildPairingErrorReply):
//   Errc::Auth       the HMAC does not verify under the adv secret (a forged or misrouted
//                    identity: "hmac-mismatch")
//   Errc::Crypto     the account signature does not verify ("signature-mismatch")
//   Errc::Protocol   missing id, <device-identity>, <device jid>, fields or wrong sizes; a
//                    device JID that is not a companion device of a phone number; a `from`
//                    other than the server
//   Errc::Malformed  protobufs that do not parse
//   Errc::InvalidArgument  our own identity key or adv secret has the wrong size
//   Errc::Internal   signing failed
[[nodiscard]] Result<PairingResult> processPairSuccess(const binary::Node& iq,
                                                       const crypto::KeyPair& identity,
                                                       BytesView advSecret, Random& random);

// <iq to="s.whatsapp.net" type="error" id=…><error code text/></iq> for a failed pair-success:
// 401 hmac-mismatch (Auth), 401 signature-mismatch (Crypto), 500 internal-error (the rest).
[[nodiscard]] binary::Node buildPairingErrorReply(std::string id, const Error& error);

}  // namespace chorus::core::session
