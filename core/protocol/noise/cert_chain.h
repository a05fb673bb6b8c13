// The server certificate chain carried (encrypted) in ServerHello.payload (protocol notes §2.5):
// root key → intermediate (issuerSerial 0) → leaf whose key is the server's static Noise key.
// verifyCertChain performs whatsmeow's seven checks with a pluggable root key; createCertChain
// builds a chain for the local test server.
#pragma once

#include <array>
#include <cstdint>

#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::noise {

// WhatsApp's production root public key (whatsmeow WACertPubKey).
inline constexpr std::array<std::uint8_t, 32> kWhatsAppRootKey{
    0x14, 0x23, 0x75, 0x57, 0x4d, 0x0a, 0x58, 0x71, 0x66, 0xaa, 0xe7, 0x1e, 0xbe, 0x51, 0x64, 0x37,
    0xc4, 0xa2, 0x8b, 0x73, 0xe3, 0x69, 0x5c, 0x6c, 0xe1, 0xf7, 0xf9, 0x54, 0x5d, 0xa8, 0xee, 0x6b};
// The issuer serial an intermediate must name: the root's.
inline constexpr std::uint32_t kRootIssuerSerial = 0;

struct CertChainParams {
  BytesView rootPrivateKey;          // 32 bytes; signs the intermediate
  BytesView intermediatePrivateKey;  // 32 bytes; its public key is certified, it signs the leaf
  std::uint32_t intermediateSerial = 1;
  std::uint32_t leafSerial = 2;
  BytesView leafKey;  // 32-byte server static public key
  std::uint64_t notBefore = 0;  // Unix seconds, both certificates
  std::uint64_t notAfter = 0;
};

// A serialized CertChain. Errc::InvalidArgument for wrong key sizes.
[[nodiscard]] Result<Bytes> createCertChain(const CertChainParams& params, Random& random);

// Verifies a serialized CertChain against `trustedRootKey` (32 bytes) and the server static key
// the handshake decrypted, at time `now`:
//   1. both certificates have details and a 64-byte signature      (else Errc::Protocol)
//   2. the root signed the intermediate's details                  (else Errc::Crypto)
//   3. intermediate issuerSerial is 0 and its key is 32 bytes      (else Errc::Protocol)
//   4. the intermediate key signed the leaf's details              (else Errc::Crypto)
//   5. notBefore <= now <= notAfter for both                       (else Errc::Crypto)
//   6. leaf issuerSerial == intermediate serial                    (else Errc::Protocol)
//   7. leaf key == serverStaticKey, compared in constant time      (else Errc::Crypto)
// Unparsable protobufs give Errc::Malformed; a root key that is not 32 bytes InvalidArgument.
[[nodiscard]] Status verifyCertChain(BytesView chain, BytesView serverStaticKey,
                                     BytesView trustedRootKey, TimePoint now);

}  // namespace chorus::core::noise
