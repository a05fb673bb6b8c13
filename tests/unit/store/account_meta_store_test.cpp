#include "core/store/account_meta_store.h"

#include <gtest/gtest.h>

#include "core/store/account_schema.h"
#include "core/store/migrations.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store {
namespace {

using test::errorOf;
using test::TempDir;

TEST(AccountMetaStore, RoundTripAcrossReopenAndReplace) {
  TempDir dir;
  AccountMeta meta;
  meta.name = "Corner Shop";
  meta.autoConnect = false;
  meta.maskedPhone = "+44••••••123";
  meta.createdAt = fromUnixSeconds(1'700'000'000) + Millis(123);
  {
    auto db = Database::open(dir.file("chorus.db"));
    ASSERT_OK(db);
    ASSERT_OK(migrate(**db, accountMigrations()));
    AccountMetaStore store(**db);
    EXPECT_EQ(errorOf(store.load()), Errc::NotFound);
    ASSERT_OK(store.save(meta));
  }
  auto db = Database::open(dir.file("chorus.db"));
  ASSERT_OK(db);
  AccountMetaStore store(**db);
  auto loaded = store.load();
  ASSERT_OK(loaded);
  EXPECT_EQ(*loaded, meta);

  meta.name = "Back Office";
  meta.autoConnect = true;
  ASSERT_OK(store.save(meta));
  loaded = store.load();
  ASSERT_OK(loaded);
  EXPECT_EQ(*loaded, meta);
}

TEST(AccountMetaStore, SaveJoinsTheCallersTransaction) {
  auto db = Database::openInMemory();
  ASSERT_OK(db);
  ASSERT_OK(migrate(**db, accountMigrations()));
  AccountMetaStore store(**db);
  {
    auto tx = (*db)->begin();
    ASSERT_OK(tx);
    ASSERT_OK(store.save(AccountMeta{"Shop", true, "", {}}));
    ASSERT_OK(tx->rollback());
  }
  EXPECT_EQ(errorOf(store.load()), Errc::NotFound);
}

TEST(AccountMetaStore, DamagedRowIsAStorageError) {
  auto db = Database::openInMemory();
  ASSERT_OK(db);
  ASSERT_OK(migrate(**db, accountMigrations()));
  AccountMetaStore store(**db);
  ASSERT_OK(store.save(AccountMeta{"Shop", true, "", {}}));
  ASSERT_OK((*db)->exec("UPDATE account SET name = x'00ff'"));
  EXPECT_EQ(errorOf(store.load()), Errc::Storage);
}

}  // namespace
}  // namespace chorus::core::store
