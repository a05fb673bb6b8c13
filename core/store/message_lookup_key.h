// MessageLookupKey: the key under which the message store turns JIDs into lookup keys
// (HMAC-SHA256), so that chats, contacts and receipt devices can be found by JID through an
// index while the JIDs themselves (phone numbers) are stored only sealed. Derived from the
// account's data key with HKDF-SHA256 under its own label, so it is never the AEAD key itself
// and a stolen database without the keychain cannot recompute (or brute-force) a lookup key.
// See message_schema.h for where the keys are used.
#pragma once

#include <string_view>

#include "core/store/data_key.h"
#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::store {

inline constexpr std::size_t kLookupKeySize = 32;

class MessageLookupKey {
 public:
  [[nodiscard]] static Result<MessageLookupKey> derive(const DataKey& dataKey);

  // 32 bytes; equal JIDs give equal keys. JIDs are taken as given: callers pass them in one
  // normal form (user JIDs without a device for chats, contacts and authors).
  [[nodiscard]] Bytes jidKey(std::string_view jid) const;

 private:
  explicit MessageLookupKey(SecretBytes key) noexcept : key_(std::move(key)) {}
  SecretBytes key_;
};

}  // namespace chorus::core::store
