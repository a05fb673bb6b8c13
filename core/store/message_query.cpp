#include "core/store/message_query.h"

#include <algorithm>

namespace chorus::core::store {

namespace {

std::string pageQuery(std::string_view condition, std::string_view order) {
  std::string sql = "SELECT ";
  sql += rows::kMessageColumns;
  sql +=
      " FROM messages m LEFT JOIN contact_names mc ON mc.jid_key = m.sender_key WHERE m.chat_id = "
      "?1";
  sql += condition;
  sql += " ORDER BY ";
  sql += order;
  sql += " LIMIT ?2";
  return sql;
}

}  // namespace

Result<std::vector<api::MessageView>> MessageQuery::latest(std::string_view chatJid,
                                                           std::size_t limit) {
  return page(chatJid, Direction::Latest, 0, limit);
}

Result<std::vector<api::MessageView>> MessageQuery::before(std::string_view chatJid,
                                                           std::int64_t anchorLocalId,
                                                           std::size_t limit) {
  return page(chatJid, Direction::Before, anchorLocalId, limit);
}

Result<std::vector<api::MessageView>> MessageQuery::after(std::string_view chatJid,
                                                          std::int64_t anchorLocalId,
                                                          std::size_t limit) {
  return page(chatJid, Direction::After, anchorLocalId, limit);
}

Result<std::vector<api::MessageView>> MessageQuery::page(std::string_view chatJid,
                                                         Direction direction,
                                                         std::int64_t anchorLocalId,
                                                         std::size_t limit) {
  if (limit > rows::kMaxPageSize) return fail(Errc::InvalidArgument, "message page too large");
  CHORUS_TRY(chat, rows::findChat(ctx_, chatJid));
  std::vector<api::MessageView> views;
  if (!chat) {
    if (direction == Direction::Latest) return views;
    return fail(Errc::NotFound, "no such chat");
  }

  std::int64_t anchorTime = 0;
  if (direction != Direction::Latest) {
    CHORUS_TRY(anchor, ctx_.db.prepare("SELECT timestamp FROM messages WHERE id = ?1"
                                       " AND chat_id = ?2"));
    CHORUS_CHECK(anchor.bindInt(1, anchorLocalId));
    CHORUS_CHECK(anchor.bindInt(2, *chat));
    CHORUS_TRY(found, anchor.step());
    if (!found) return fail(Errc::NotFound, "the anchor is not a message of this chat");
    anchorTime = anchor.columnInt(0);
  }
  if (limit == 0) return views;

  // Row values keep (timestamp, id) one key, so SQLite walks messages_page from the anchor.
  static const std::string kLatest = pageQuery("", "m.timestamp DESC, m.id DESC");
  static const std::string kBefore =
      pageQuery(" AND (m.timestamp, m.id) < (?3, ?4)", "m.timestamp DESC, m.id DESC");
  static const std::string kAfter =
      pageQuery(" AND (m.timestamp, m.id) > (?3, ?4)", "m.timestamp, m.id");
  const std::string& sql = direction == Direction::Latest   ? kLatest
                           : direction == Direction::Before ? kBefore
                                                            : kAfter;
  CHORUS_TRY(s, ctx_.db.prepare(sql));
  CHORUS_CHECK(s.bindInt(1, *chat));
  CHORUS_CHECK(s.bindInt(2, static_cast<std::int64_t>(limit)));
  if (direction != Direction::Latest) {
    CHORUS_CHECK(s.bindInt(3, anchorTime));
    CHORUS_CHECK(s.bindInt(4, anchorLocalId));
  }
  views.reserve(limit);
  for (;;) {
    CHORUS_TRY(hasRow, s.step());
    if (!hasRow) break;
    CHORUS_TRY(view, rows::readMessage(ctx_.cipher, s, 0));
    views.push_back(std::move(view));
  }
  if (direction != Direction::After) std::reverse(views.begin(), views.end());
  return views;
}

Result<std::optional<api::MessageView>> MessageQuery::message(std::int64_t localId) {
  std::string sql = "SELECT ";
  sql += rows::kMessageColumns;
  sql += " FROM messages m LEFT JOIN contact_names mc ON mc.jid_key = m.sender_key WHERE m.id = ?1";
  CHORUS_TRY(s, ctx_.db.prepare(sql));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return std::optional<api::MessageView>();
  CHORUS_TRY(view, rows::readMessage(ctx_.cipher, s, 0));
  return std::optional<api::MessageView>(std::move(view));
}

Result<std::optional<std::string>> MessageQuery::chatOf(std::int64_t localId) {
  CHORUS_TRY(s, ctx_.db.prepare("SELECT c.jid_key, c.jid FROM messages m"
                                " JOIN chats c ON c.id = m.chat_id WHERE m.id = ?1"));
  CHORUS_CHECK(s.bindInt(1, localId));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return std::optional<std::string>();
  const std::string rowKey = rows::jidRowKey(s.columnBlob(0));
  CHORUS_TRY(jid, rows::openText(ctx_.cipher, RowId{"chats", "jid", rowKey}, s.columnBlob(1)));
  return std::optional<std::string>(std::move(jid));
}

Result<std::optional<std::int64_t>> MessageQuery::localIdOf(std::string_view chatJid,
                                                             std::string_view wireId) {
  CHORUS_CHECK(rows::checkJid(chatJid, "chat"));
  CHORUS_CHECK(rows::checkWireId(wireId));
  CHORUS_TRY(s, ctx_.db.prepare("SELECT m.id FROM messages m JOIN chats c ON c.id = m.chat_id"
                                " WHERE c.jid_key = ?1 AND m.wire_id = ?2 ORDER BY m.id LIMIT 1"));
  CHORUS_CHECK(s.bindBlob(1, ctx_.lookup.jidKey(chatJid)));
  CHORUS_CHECK(s.bindText(2, wireId));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(s.columnInt(0));
}

}  // namespace chorus::core::store
