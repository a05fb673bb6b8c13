#include "core/store/contact_store.h"

namespace chorus::core::store {

namespace {

constexpr std::size_t kMaxPushNameLength = 256;

}  // namespace

Status ContactStore::setPushName(std::string_view jid, std::string_view name, TimePoint now) {
  CHORUS_CHECK(rows::checkJid(jid, "contact"));
  if (name.size() > kMaxPushNameLength) return fail(Errc::InvalidArgument, "push name too long");
  CHORUS_TRY(current, pushName(jid));
  if (current && *current == name) return ok();

  const Bytes key = ctx_.lookup.jidKey(jid);
  const std::string rowKey = rows::jidRowKey(key);
  CHORUS_TRY(sealedJid, ctx_.cipher.seal(RowId{"contact_names", "jid", rowKey}, asBytes(jid)));
  CHORUS_TRY(sealedName,
             ctx_.cipher.seal(RowId{"contact_names", "push_name", rowKey}, asBytes(name)));
  CHORUS_TRY(tx, ctx_.db.begin());
  CHORUS_TRY(s, ctx_.db.prepare("INSERT OR REPLACE INTO contact_names (jid_key, jid, push_name,"
                                " updated_at) VALUES (?1, ?2, ?3, ?4)"));
  CHORUS_CHECK(s.bindBlob(1, key));
  CHORUS_CHECK(s.bindBlob(2, sealedJid));
  CHORUS_CHECK(s.bindBlob(3, sealedName));
  CHORUS_CHECK(s.bindInt(4, rows::toMillis(now)));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Result<std::optional<std::string>> ContactStore::pushName(std::string_view jid) {
  CHORUS_CHECK(rows::checkJid(jid, "contact"));
  const Bytes key = ctx_.lookup.jidKey(jid);
  CHORUS_TRY(s, ctx_.db.prepare("SELECT push_name FROM contact_names WHERE jid_key = ?1"));
  CHORUS_CHECK(s.bindBlob(1, key));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return std::optional<std::string>();
  CHORUS_TRY(name,
             rows::openText(ctx_.cipher, RowId{"contact_names", "push_name", rows::jidRowKey(key)},
                            s.columnBlob(0)));
  return std::optional<std::string>(std::move(name));
}

}  // namespace chorus::core::store
