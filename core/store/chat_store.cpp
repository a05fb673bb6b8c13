#include "core/store/chat_store.h"

#include <limits>

namespace chorus::core::store {

namespace {

constexpr std::size_t kMaxNameLength = 256;
constexpr std::size_t kChatColumnCount = 9;

std::string chatQuery(bool oneChat) {
  std::string sql =
      "SELECT c.jid_key, c.jid, c.kind, c.name, c.unread_count, c.muted, c.archived,"
      " c.last_activity, cc.push_name, ";
  sql += rows::kMessageColumns;
  sql +=
      " FROM chats c LEFT JOIN contact_names cc ON cc.jid_key = c.jid_key"
      " LEFT JOIN messages m ON m.id = c.last_message_id"
      " LEFT JOIN contact_names mc ON mc.jid_key = m.sender_key";
  if (oneChat) sql += " WHERE c.jid_key = ?2";
  sql += " ORDER BY c.last_activity DESC, c.last_message_id DESC LIMIT ?1";
  return sql;
}

Result<api::ChatSummary> readChat(const ColumnCipher& cipher, const Statement& s) {
  api::ChatSummary chat;
  const std::string rowKey = rows::jidRowKey(s.columnBlob(0));
  CHORUS_TRY(jid, rows::openText(cipher, RowId{"chats", "jid", rowKey}, s.columnBlob(1)));
  chat.jid = std::move(jid);
  chat.kind = s.columnInt(2) == 1 ? api::ChatKind::Group : api::ChatKind::Direct;
  if (!s.isNull(3)) {
    CHORUS_TRY(name, rows::openText(cipher, RowId{"chats", "name", rowKey}, s.columnBlob(3)));
    chat.name = std::move(name);
  } else if (!s.isNull(8)) {
    CHORUS_TRY(
        name, rows::openText(cipher, RowId{"contact_names", "push_name", rowKey}, s.columnBlob(8)));
    chat.name = std::move(name);
  }
  chat.unreadCount = static_cast<int>(s.columnInt(4));
  chat.muted = s.columnInt(5) != 0;
  chat.archived = s.columnInt(6) != 0;
  chat.lastActivity = rows::fromMillis(s.columnInt(7));
  const int first = static_cast<int>(kChatColumnCount);
  if (!s.isNull(first)) {
    CHORUS_TRY(last, rows::readMessage(cipher, s, first));
    chat.hasLastMessage = true;
    chat.lastMessage = std::move(last);
  }
  return chat;
}

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool containsFolded(std::string_view text, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(text[i + j]) == lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

// The digits of a query that looks like a phone number ("+44 7700-900"), else empty.
std::string numberQuery(std::string_view query) {
  std::string digits;
  for (char c : query) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')') {
      return {};
    }
  }
  return digits;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<api::ChatSummary>> ChatStore::query(const Bytes* jidKey, std::size_t limit) {
  if (limit > rows::kMaxPageSize && limit != std::numeric_limits<std::size_t>::max()) {
    return fail(Errc::InvalidArgument, "chat page too large");
  }
  CHORUS_TRY(s, ctx_.db.prepare(chatQuery(jidKey != nullptr)));
  // LIMIT -1: all (search goes through every chat).
  CHORUS_CHECK(s.bindInt(
      1, limit == std::numeric_limits<std::size_t>::max() ? -1 : static_cast<std::int64_t>(limit)));
  if (jidKey) CHORUS_CHECK(s.bindBlob(2, *jidKey));
  std::vector<api::ChatSummary> chats;
  for (;;) {
    CHORUS_TRY(hasRow, s.step());
    if (!hasRow) break;
    CHORUS_TRY(chat, readChat(ctx_.cipher, s));
    chats.push_back(std::move(chat));
  }
  return chats;
}

Result<std::vector<api::ChatSummary>> ChatStore::chatList(std::size_t limit) {
  if (limit > rows::kMaxPageSize) return fail(Errc::InvalidArgument, "chat page too large");
  return query(nullptr, limit);
}

Result<std::optional<api::ChatSummary>> ChatStore::chat(std::string_view jid) {
  CHORUS_CHECK(rows::checkJid(jid, "chat"));
  const Bytes key = ctx_.lookup.jidKey(jid);
  CHORUS_TRY(found, query(&key, 1));
  if (found.empty()) return std::optional<api::ChatSummary>();
  return std::optional<api::ChatSummary>(std::move(found.front()));
}

Result<std::vector<api::ChatSummary>> ChatStore::search(std::string_view rawQuery,
                                                        std::size_t limit) {
  const std::string_view text = trim(rawQuery);
  const std::string digits = numberQuery(text);
  CHORUS_TRY(all, query(nullptr, std::numeric_limits<std::size_t>::max()));
  std::vector<api::ChatSummary> matches;
  for (auto& chat : all) {
    if (matches.size() >= limit) break;
    const std::string_view user = std::string_view(chat.jid).substr(0, chat.jid.find('@'));
    const bool byNumber = !digits.empty() && user.starts_with(digits);
    if (byNumber || containsFolded(chat.name, text)) matches.push_back(std::move(chat));
  }
  return matches;
}

Result<std::int64_t> ChatStore::totalUnread() {
  CHORUS_TRY(s, ctx_.db.prepare("SELECT coalesce(sum(unread_count), 0) FROM chats"
                                " WHERE muted = 0"));
  CHORUS_TRY(hasRow, s.step());
  return hasRow ? s.columnInt(0) : 0;
}

Result<int> ChatStore::unreadCount(std::string_view jid) {
  CHORUS_CHECK(rows::checkJid(jid, "chat"));
  CHORUS_TRY(s, ctx_.db.prepare("SELECT unread_count FROM chats WHERE jid_key = ?1"));
  CHORUS_CHECK(s.bindBlob(1, ctx_.lookup.jidKey(jid)));
  CHORUS_TRY(hasRow, s.step());
  return hasRow ? static_cast<int>(s.columnInt(0)) : 0;
}

Status ChatStore::setName(std::string_view jid, std::string_view name, TimePoint now) {
  if (name.size() > kMaxNameLength) return fail(Errc::InvalidArgument, "chat name too long");
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(chatId, rows::ensureChat(ctx_, jid, now));
  CHORUS_TRY(s, ctx_.db.prepare("UPDATE chats SET name = ?2 WHERE id = ?1"));
  CHORUS_CHECK(s.bindInt(1, chatId));
  if (name.empty()) {
    CHORUS_CHECK(s.bindNull(2));
  } else {
    const std::string rowKey = rows::jidRowKey(ctx_.lookup.jidKey(jid));
    CHORUS_TRY(sealed, ctx_.cipher.seal(RowId{"chats", "name", rowKey}, asBytes(name)));
    CHORUS_CHECK(s.bindBlob(2, sealed));
  }
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Status ChatStore::setFlag(std::string_view jid, std::string_view column, bool value,
                          TimePoint now) {
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(chatId, rows::ensureChat(ctx_, jid, now));
  // `column` is one of two names fixed in this file, never input.
  CHORUS_TRY(s, ctx_.db.prepare("UPDATE chats SET " + std::string(column) + " = ?2 WHERE id = ?1"));
  CHORUS_CHECK(s.bindInt(1, chatId));
  CHORUS_CHECK(s.bindInt(2, value ? 1 : 0));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Status ChatStore::setMuted(std::string_view jid, bool muted, TimePoint now) {
  return setFlag(jid, "muted", muted, now);
}

Status ChatStore::setArchived(std::string_view jid, bool archived, TimePoint now) {
  return setFlag(jid, "archived", archived, now);
}

}  // namespace chorus::core::store
