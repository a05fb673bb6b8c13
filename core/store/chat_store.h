// ChatStore: the chat list of one account for the UI (architecture §2: the UI reads pages
// through core's query API, never SQL) and the per-chat settings. Chats are ordered by their
// last message (timestamp, then insert order), newest first, each with its name, unread count
// and a decrypted preview of the last message.
//
// Search. JIDs are stored only as HMAC lookup keys plus sealed values (message_schema.h), so
// SQL can neither prefix-match numbers nor names. search() therefore decrypts the chat list in
// memory and matches there: names (chat name or push name) by case-insensitive substring
// (ASCII case folding only), numbers by prefix of the JID's user part (a query of digits,
// '+', spaces, '-' and parentheses). Linear in the number of chats: about a millisecond per
// 500 chats, fine for the few thousand chats of one number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/message_types.h"
#include "core/store/message_rows.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::store {

class ChatStore {
 public:
  // All must outlive the store.
  ChatStore(Database& db, const ColumnCipher& cipher, const MessageLookupKey& lookup) noexcept
      : ctx_{db, cipher, lookup} {}

  // The `limit` most recently active chats, newest first (archived ones included: the UI
  // filters). InvalidArgument for a limit over rows::kMaxPageSize.
  [[nodiscard]] Result<std::vector<api::ChatSummary>> chatList(std::size_t limit);
  [[nodiscard]] Result<std::optional<api::ChatSummary>> chat(std::string_view jid);
  [[nodiscard]] Result<std::vector<api::ChatSummary>> search(std::string_view query,
                                                             std::size_t limit);
  // Unread messages over all chats that are not muted (for the tray).
  [[nodiscard]] Result<std::int64_t> totalUnread();
  // One chat's unread count without decrypting anything (0 for an unknown chat).
  [[nodiscard]] Result<int> unreadCount(std::string_view jid);

  // These create the chat when it does not exist yet (a group's subject can come first).
  // An empty name removes it.
  [[nodiscard]] Status setName(std::string_view jid, std::string_view name, TimePoint now);
  [[nodiscard]] Status setMuted(std::string_view jid, bool muted, TimePoint now);
  [[nodiscard]] Status setArchived(std::string_view jid, bool archived, TimePoint now);

 private:
  [[nodiscard]] Result<std::vector<api::ChatSummary>> query(const Bytes* jidKey, std::size_t limit);
  [[nodiscard]] Status setFlag(std::string_view jid, std::string_view column, bool value,
                               TimePoint now);

  rows::Context ctx_;
};

}  // namespace chorus::core::store
