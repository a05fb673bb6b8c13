#include "core/store/message_lookup_key.h"

namespace chorus::core::store {

Result<MessageLookupKey> MessageLookupKey::derive(const DataKey& dataKey) {
  CHORUS_TRY(key, LookupKey::derive(dataKey, LookupDomain::Messages));
  return MessageLookupKey(std::move(key));
}

}  // namespace chorus::core::store
