// LookupKey: a keyed hash (HMAC-SHA256) that lets a store find rows by a contact's JID, phone
// number or group id through an index while that value itself is stored only sealed, or not at
// all. The key is derived from the account's data key with HKDF-SHA256 under a label of its
// own domain, so it is never the AEAD key itself, the hashes of one store say nothing about
// another's, and a stolen database without the keychain cannot recompute (or brute-force) a
// lookup: phone numbers are few enough (~10^12) to hash them all, but not without the key.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>

#include "core/store/data_key.h"
#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::store {

inline constexpr std::size_t kLookupKeySize = 32;

// Who uses a lookup key; each domain has its own derivation label (lookup_key.cpp).
enum class LookupDomain {
  Messages,  // chats, messages, receipts, contacts, outbox (message_schema.h)
  Signal,    // sessions, remote identities, sender keys (signal_schema.h)
};

class LookupKey {
 public:
  [[nodiscard]] static Result<LookupKey> derive(const DataKey& dataKey, LookupDomain domain);

  // 32 bytes; equal values give equal hashes. Values are taken as given: callers pass them in
  // one normal form.
  [[nodiscard]] Bytes hash(std::string_view value) const;
  [[nodiscard]] LookupDomain domain() const noexcept { return domain_; }

 private:
  LookupKey(SecretBytes key, LookupDomain domain) noexcept
      : key_(std::move(key)), domain_(domain) {}
  SecretBytes key_;
  LookupDomain domain_;
};

}  // namespace chorus::core::store
