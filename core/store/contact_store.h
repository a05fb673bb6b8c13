// ContactStore: what the account knows of people — today their push names (the `notify`
// attribute of their messages), sealed and found by the HMAC of the user JID like every JID
// in the message store (message_schema.h). Chat lists and message views show these names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/store/message_rows.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::store {

class ContactStore {
 public:
  // All must outlive the store.
  ContactStore(Database& db, const ColumnCipher& cipher, const MessageLookupKey& lookup) noexcept
      : ctx_{db, cipher, lookup} {}

  // `jid` is the user JID (no device). Replaces the stored name; an unchanged name is not
  // rewritten.
  [[nodiscard]] Status setPushName(std::string_view jid, std::string_view name, TimePoint now);
  [[nodiscard]] Result<std::optional<std::string>> pushName(std::string_view jid);

 private:
  rows::Context ctx_;
};

}  // namespace chorus::core::store
