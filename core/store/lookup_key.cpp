#include "core/store/lookup_key.h"

#include "core/crypto/hash.h"

namespace chorus::core::store {

namespace {

// HKDF info per domain. The message label predates the split: changing it would orphan every
// stored message-store key.
constexpr std::string_view kMessagesLabel = "chorus message store lookup key v1";
constexpr std::string_view kSignalLabel = "chorus signal store lookup key v1";

std::string_view labelOf(LookupDomain domain) noexcept {
  switch (domain) {
    case LookupDomain::Messages: return kMessagesLabel;
    case LookupDomain::Signal: return kSignalLabel;
  }
  return kMessagesLabel;  // unreachable: every enumerator is handled above
}

}  // namespace

Result<LookupKey> LookupKey::derive(const DataKey& dataKey, LookupDomain domain) {
  CHORUS_TRY(key, crypto::hkdfSha256(dataKey.view(), {}, asBytes(labelOf(domain)), kLookupKeySize));
  return LookupKey(std::move(key), domain);
}

Bytes LookupKey::hash(std::string_view value) const {
  return crypto::hmacSha256(key_.view(), asBytes(value));
}

}  // namespace chorus::core::store
