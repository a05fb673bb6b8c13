#include "core/store/migrations.h"

#include <array>
#include <vector>

#include <gtest/gtest.h>

#include "core/store/account_schema.h"
#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store {
namespace {

using test::errorOf;
using test::TempDir;

std::unique_ptr<Database> memoryDb() {
  auto db = Database::openInMemory();
  EXPECT_TRUE(db.has_value());
  return std::move(db).value();
}

bool tableExists(Database& db, std::string_view name) {
  auto s = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  EXPECT_TRUE(s.has_value());
  EXPECT_TRUE(s->bindText(1, name).has_value());
  return s->step().value_or(false);
}

std::vector<std::int64_t> log(Database& db) {
  std::vector<std::int64_t> out;
  auto s = db.prepare("SELECT step FROM log ORDER BY rowid");
  EXPECT_TRUE(s.has_value());
  while (s->step().value_or(false)) out.push_back(s->columnInt(0));
  return out;
}

constexpr std::array kThreeSteps{
    Migration{1, "log", "CREATE TABLE log (step INTEGER); INSERT INTO log VALUES (1)"},
    Migration{2, "two", "INSERT INTO log VALUES (2)"},
    Migration{3, "three", "CREATE TABLE extra (v TEXT); INSERT INTO log VALUES (3)"},
};

TEST(Migrations, ApplyOnceInOrder) {
  auto db = memoryDb();
  ASSERT_OK(migrate(*db, std::span(kThreeSteps).first(2)));
  EXPECT_EQ(db->userVersion().value_or(-1), 2);
  ASSERT_OK(migrate(*db, kThreeSteps));
  EXPECT_EQ(db->userVersion().value_or(-1), 3);
  ASSERT_OK(migrate(*db, kThreeSteps));  // nothing left to do
  EXPECT_EQ(log(*db), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(tableExists(*db, "extra"));
}

TEST(Migrations, NewerDatabaseIsRefusedUntouched) {
  auto db = memoryDb();
  ASSERT_OK(migrate(*db, kThreeSteps));
  ASSERT_OK(db->setUserVersion(7));
  auto status = migrate(*db, kThreeSteps);
  EXPECT_EQ(errorOf(status), Errc::Unsupported);
  EXPECT_NE(status.error().detail.find("newer"), std::string::npos);
  EXPECT_EQ(db->userVersion().value_or(-1), 7);
}

TEST(Migrations, FailingStepRollsBackEntirely) {
  constexpr std::array steps{
      Migration{1, "log", "CREATE TABLE log (step INTEGER); INSERT INTO log VALUES (1)"},
      // Its first statements succeed, the last one fails: none of it may remain.
      Migration{2, "broken",
                "CREATE TABLE half (v INTEGER); INSERT INTO log VALUES (2);"
                "INSERT INTO no_such_table VALUES (1)"},
      Migration{3, "never", "INSERT INTO log VALUES (3)"},
  };
  auto db = memoryDb();
  auto status = migrate(*db, steps);
  EXPECT_EQ(errorOf(status), Errc::Storage);
  EXPECT_NE(status.error().detail.find("migration 2 (broken)"), std::string::npos)
      << status.error().detail;
  EXPECT_EQ(db->userVersion().value_or(-1), 1);
  EXPECT_FALSE(tableExists(*db, "half"));
  EXPECT_EQ(log(*db), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(db->transactionDepth(), 0);
}

Status failingApply(Database& db) {
  CHORUS_CHECK(db.exec("INSERT INTO log VALUES (99)"));
  return fail(Errc::Crypto, "re-encryption failed");
}

TEST(Migrations, FailingApplyFunctionRollsBackItsSql) {
  constexpr std::array steps{
      Migration{1, "log", "CREATE TABLE log (step INTEGER)"},
      Migration{2, "data", "CREATE TABLE more (v INTEGER)", &failingApply},
  };
  auto db = memoryDb();
  EXPECT_EQ(errorOf(migrate(*db, steps)), Errc::Crypto);
  EXPECT_EQ(db->userVersion().value_or(-1), 1);
  EXPECT_FALSE(tableExists(*db, "more"));
  EXPECT_TRUE(log(*db).empty());
}

TEST(Migrations, BadNumberingIsOurBug) {
  constexpr std::array gap{Migration{1, "a", "SELECT 1"}, Migration{3, "c", "SELECT 1"}};
  constexpr std::array zero{Migration{0, "a", "SELECT 1"}};
  auto db = memoryDb();
  EXPECT_EQ(errorOf(migrate(*db, gap)), Errc::Internal);
  EXPECT_EQ(errorOf(migrate(*db, zero)), Errc::Internal);
  EXPECT_EQ(db->userVersion().value_or(-1), 0);
}

TEST(Migrations, AccountSchemaAppliesToAFile) {
  TempDir dir;
  {
    auto db = Database::open(dir.file("chorus.db"));
    ASSERT_OK(db);
    ASSERT_OK(migrate(**db, accountMigrations()));
    EXPECT_TRUE(tableExists(**db, "credentials"));
  }
  auto db = Database::open(dir.file("chorus.db"));
  ASSERT_OK(db);
  EXPECT_EQ((*db)->userVersion().value_or(-1), latestVersion(accountMigrations()));
  ASSERT_OK(migrate(**db, accountMigrations()));
}

}  // namespace
}  // namespace chorus::core::store
