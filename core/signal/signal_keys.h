// Signal key material at Chorus's boundary. Every public key here is a raw 32-byte Curve25519
// key, exactly as WhatsApp nodes carry them (<identity>, <skey><value>, <key><value>); the
// 0x05-prefixed 33-byte form exists only inside libsignal and is converted at this boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::signal {

inline constexpr std::size_t kKeySize = 32;        // raw Curve25519 key
inline constexpr std::size_t kSignalKeySize = 33;  // 0x05 ‖ key, inside Signal protobufs
inline constexpr std::uint8_t kDjbType = 0x05;
inline constexpr std::size_t kSignatureSize = 64;        // XEdDSA
inline constexpr std::uint32_t kMaxPreKeyId = 0xFFFFFF;  // prekey ids are 24-bit on the wire
inline constexpr std::uint32_t kMaxRegistrationId = 16380;

struct IdentityKeyPair {
  Bytes publicKey;         // 32
  SecretBytes privateKey;  // 32
  [[nodiscard]] IdentityKeyPair clone() const { return {publicKey, privateKey.clone()}; }
};

struct PreKey {
  std::uint32_t id = 0;    // 1..0xFFFFFF
  Bytes publicKey;         // 32
  SecretBytes privateKey;  // 32
  [[nodiscard]] PreKey clone() const { return {id, publicKey, privateKey.clone()}; }
};

struct SignedPreKey {
  std::uint32_t id = 0;
  Bytes publicKey;                // 32
  SecretBytes privateKey;         // 32
  Bytes signature;                // 64: XEdDSA by the identity key over 0x05 ‖ publicKey
  std::uint64_t timestampMs = 0;  // informational; the caller supplies it (core reads no clock)
  [[nodiscard]] SignedPreKey clone() const {
    return {id, publicKey, privateKey.clone(), signature, timestampMs};
  }
};

// A peer's bundle as an <iq xmlns="encrypt"> result carries it (protocol §8.3).
struct PreKeyBundle {
  struct OneTimePreKey {
    std::uint32_t id = 0;
    Bytes publicKey;  // 32
  };
  std::uint32_t registrationId = 0;
  std::int32_t deviceId = 0;
  Bytes identityKey;  // 32
  std::uint32_t signedPreKeyId = 0;
  Bytes signedPreKey;                   // 32
  Bytes signedPreKeySignature;          // 64
  std::optional<OneTimePreKey> preKey;  // absent when the server has none left
};

[[nodiscard]] Result<IdentityKeyPair> generateIdentityKeyPair(Random& random);
// 1..kMaxRegistrationId, the range libsignal and Baileys use (fits in 14 bits).
[[nodiscard]] std::uint32_t generateRegistrationId(Random& random);
[[nodiscard]] Result<SignedPreKey> generateSignedPreKey(const IdentityKeyPair& identity,
                                                        std::uint32_t id, Random& random,
                                                        std::uint64_t timestampMs = 0);
// `count` prekeys with consecutive ids from `firstId`, wrapping from 0xFFFFFF back to 1.
[[nodiscard]] Result<std::vector<PreKey>> generatePreKeys(std::uint32_t firstId, std::size_t count,
                                                          Random& random);
// True when `signature` is the identity key's XEdDSA signature over 0x05 ‖ signedPreKey.
[[nodiscard]] bool verifySignedPreKey(BytesView identityKey, BytesView signedPreKey,
                                      BytesView signature);

// 32 → 33 bytes (adds 0x05). Errc::InvalidArgument unless `raw` is 32 bytes.
[[nodiscard]] Result<Bytes> toSignalKey(BytesView raw);
// 33 → 32 bytes. Errc::Protocol unless `key` is 33 bytes starting with 0x05.
[[nodiscard]] Result<Bytes> fromSignalKey(BytesView key);

}  // namespace chorus::core::signal
