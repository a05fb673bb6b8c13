#include "core/store/message_lookup_key.h"

#include "core/crypto/hash.h"

namespace chorus::core::store {

namespace {

constexpr std::string_view kLabel = "chorus message store lookup key v1";

}  // namespace

Result<MessageLookupKey> MessageLookupKey::derive(const DataKey& dataKey) {
  CHORUS_TRY(key, crypto::hkdfSha256(dataKey.view(), {}, asBytes(kLabel), kLookupKeySize));
  return MessageLookupKey(std::move(key));
}

Bytes MessageLookupKey::jidKey(std::string_view jid) const {
  return crypto::hmacSha256(key_.view(), asBytes(jid));
}

}  // namespace chorus::core::store
