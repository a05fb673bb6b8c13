#include "core/store/account_meta_store.h"

namespace chorus::core::store {

namespace {

constexpr std::string_view kSelect =
    "SELECT name, auto_connect, masked_phone, created_at FROM account WHERE id = 1";
constexpr std::string_view kUpsert =
    "INSERT OR REPLACE INTO account (id, name, auto_connect, masked_phone, created_at)"
    " VALUES (1, ?1, ?2, ?3, ?4)";

}  // namespace

Result<AccountMeta> AccountMetaStore::load() {
  CHORUS_TRY(s, db_.prepare(kSelect));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return fail(Errc::NotFound, "the account record is missing");
  if (s.columnType(0) != ColumnType::Text || s.columnType(1) != ColumnType::Integer ||
      s.columnType(2) != ColumnType::Text || s.columnType(3) != ColumnType::Integer) {
    return fail(Errc::Storage, "the stored account record is inconsistent");
  }
  AccountMeta meta;
  meta.name = s.columnText(0);
  meta.autoConnect = s.columnInt(1) != 0;
  meta.maskedPhone = s.columnText(2);
  meta.createdAt = TimePoint(Millis(s.columnInt(3)));
  return meta;
}

Status AccountMetaStore::save(const AccountMeta& meta) {
  CHORUS_TRY(tx, db_.begin());
  CHORUS_TRY(s, db_.prepare(kUpsert));
  CHORUS_CHECK(s.bindText(1, meta.name));
  CHORUS_CHECK(s.bindInt(2, meta.autoConnect ? 1 : 0));
  CHORUS_CHECK(s.bindText(3, meta.maskedPhone));
  CHORUS_CHECK(s.bindInt(4, meta.createdAt.time_since_epoch().count()));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

}  // namespace chorus::core::store
