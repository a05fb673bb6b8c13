// MessageQuery: pages of one chat's messages for the UI, decrypted, oldest first within a
// page. Messages are ordered by (timestamp, local id) — the server time, then the insert
// order — so equal timestamps page stably and every message appears in exactly one page. A
// page is anchored on a message's local id (api::MessageView::localId), which never changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/message_types.h"
#include "core/store/message_rows.h"
#include "core/util/result.h"

namespace chorus::core::store {

class MessageQuery {
 public:
  // All must outlive the query.
  MessageQuery(Database& db, const ColumnCipher& cipher, const MessageLookupKey& lookup) noexcept
      : ctx_{db, cipher, lookup} {}

  // The newest `limit` messages; empty for an unknown chat. InvalidArgument for a limit over
  // rows::kMaxPageSize; NotFound when the anchor is not a message of this chat.
  [[nodiscard]] Result<std::vector<api::MessageView>> latest(std::string_view chatJid,
                                                             std::size_t limit);
  // Up to `limit` messages just older / newer than the anchor (the anchor excluded).
  [[nodiscard]] Result<std::vector<api::MessageView>> before(std::string_view chatJid,
                                                             std::int64_t anchorLocalId,
                                                             std::size_t limit);
  [[nodiscard]] Result<std::vector<api::MessageView>> after(std::string_view chatJid,
                                                            std::int64_t anchorLocalId,
                                                            std::size_t limit);
  [[nodiscard]] Result<std::optional<api::MessageView>> message(std::int64_t localId);
  // The chat JID of a stored message; nullopt for an unknown local id.
  [[nodiscard]] Result<std::optional<std::string>> chatOf(std::int64_t localId);
  // The local id of the message with this wire id in the chat (the first stored, should two
  // senders of a group have used one id); nullopt when there is none.
  [[nodiscard]] Result<std::optional<std::int64_t>> localIdOf(std::string_view chatJid,
                                                               std::string_view wireId);

 private:
  enum class Direction { Latest, Before, After };
  [[nodiscard]] Result<std::vector<api::MessageView>> page(std::string_view chatJid,
                                                           Direction direction,
                                                           std::int64_t anchorLocalId,
                                                           std::size_t limit);

  rows::Context ctx_;
};

}  // namespace chorus::core::store
