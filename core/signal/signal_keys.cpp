#include "core/signal/signal_keys.h"

#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"

namespace chorus::core::signal {

Result<IdentityKeyPair> generateIdentityKeyPair(Random& random) {
  CHORUS_TRY(pair, crypto::generateKeyPair(random));
  return IdentityKeyPair{std::move(pair.publicKey), std::move(pair.privateKey)};
}

std::uint32_t generateRegistrationId(Random& random) {
  return random.uniform(kMaxRegistrationId) + 1;
}

Result<SignedPreKey> generateSignedPreKey(const IdentityKeyPair& identity, std::uint32_t id,
                                          Random& random, std::uint64_t timestampMs) {
  if (id == 0 || id > kMaxPreKeyId) {
    return fail(Errc::InvalidArgument, "signed prekey id must be in 1..0xFFFFFF");
  }
  if (identity.privateKey.size() != kKeySize) {
    return fail(Errc::InvalidArgument, "identity private key must be 32 bytes");
  }
  CHORUS_TRY(pair, crypto::generateKeyPair(random));
  CHORUS_TRY(signalKey, toSignalKey(pair.publicKey));
  CHORUS_TRY(signature, crypto::xeddsaSign(identity.privateKey.view(), signalKey, random));
  return SignedPreKey{id, std::move(pair.publicKey), std::move(pair.privateKey),
                      std::move(signature), timestampMs};
}

Result<std::vector<PreKey>> generatePreKeys(std::uint32_t firstId, std::size_t count,
                                            Random& random) {
  if (firstId == 0 || firstId > kMaxPreKeyId) {
    return fail(Errc::InvalidArgument, "prekey id must be in 1..0xFFFFFF");
  }
  if (count > kMaxPreKeyId) return fail(Errc::InvalidArgument, "too many prekeys");
  std::vector<PreKey> keys;
  keys.reserve(count);
  std::uint32_t id = firstId;
  for (std::size_t i = 0; i < count; ++i) {
    CHORUS_TRY(pair, crypto::generateKeyPair(random));
    keys.push_back(PreKey{id, std::move(pair.publicKey), std::move(pair.privateKey)});
    id = id == kMaxPreKeyId ? 1 : id + 1;
  }
  return keys;
}

bool verifySignedPreKey(BytesView identityKey, BytesView signedPreKey, BytesView signature) {
  auto signalKey = toSignalKey(signedPreKey);
  if (!signalKey) return false;
  return crypto::xeddsaVerify(identityKey, *signalKey, signature);
}

Result<Bytes> toSignalKey(BytesView raw) {
  if (raw.size() != kKeySize) return fail(Errc::InvalidArgument, "public key must be 32 bytes");
  Bytes out;
  out.reserve(kSignalKeySize);
  out.push_back(kDjbType);
  append(out, raw);
  return out;
}

Result<Bytes> fromSignalKey(BytesView key) {
  if (key.size() != kSignalKeySize || key[0] != kDjbType) {
    return fail(Errc::Protocol, "signal public key must be 33 bytes starting with 0x05");
  }
  return Bytes(key.begin() + 1, key.end());
}

}  // namespace chorus::core::signal
