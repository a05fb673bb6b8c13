// MessageLookupKey: the LookupKey (lookup_key.h) of the message store, which turns JIDs into
// lookup keys so that chats, contacts and receipt devices can be found by JID through an index
// while the JIDs themselves (phone numbers) are stored only sealed. See message_schema.h for
// where the keys are used.
#pragma once

#include <string_view>
#include <utility>

#include "core/store/data_key.h"
#include "core/store/lookup_key.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::store {

class MessageLookupKey {
 public:
  [[nodiscard]] static Result<MessageLookupKey> derive(const DataKey& dataKey);

  // 32 bytes; equal JIDs give equal keys. JIDs are taken as given: callers pass them in one
  // normal form (user JIDs without a device for chats, contacts and authors).
  [[nodiscard]] Bytes jidKey(std::string_view jid) const { return key_.hash(jid); }

 private:
  explicit MessageLookupKey(LookupKey key) noexcept : key_(std::move(key)) {}
  LookupKey key_;
};

}  // namespace chorus::core::store
