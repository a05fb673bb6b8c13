#include "core/store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/unit/store/store_test_util.h"

namespace chorus::core::store {
namespace {

using test::errorOf;
using test::TempDir;

std::unique_ptr<Database> openOrDie(const std::filesystem::path& file) {
  auto db = Database::open(file);
  EXPECT_TRUE(db.has_value()) << describe(db.error());
  return db.has_value() ? std::move(db).value() : nullptr;
}

std::int64_t countRows(Database& db, std::string_view table) {
  auto s = db.prepare("SELECT count(*) FROM " + std::string(table));
  EXPECT_TRUE(s.has_value());
  auto row = s->step();
  EXPECT_TRUE(row.has_value() && *row);
  return s->columnInt(0);
}

TEST(Database, OpensWithWalAndForeignKeys) {
  TempDir dir;
  auto db = openOrDie(dir.file("chorus.db"));
  ASSERT_NE(db, nullptr);
  auto mode = db->prepare("PRAGMA journal_mode");
  ASSERT_OK(mode);
  ASSERT_TRUE(mode->step().value_or(false));
  EXPECT_EQ(mode->columnText(0), "wal");
  auto fk = db->prepare("PRAGMA foreign_keys");
  ASSERT_OK(fk);
  ASSERT_TRUE(fk->step().value_or(false));
  EXPECT_EQ(fk->columnInt(0), 1);

  ASSERT_OK(
      db->exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
               "CREATE TABLE child (p INTEGER REFERENCES parent(id))"));
  EXPECT_EQ(errorOf(db->exec("INSERT INTO child VALUES (42)")), Errc::Storage);
}

TEST(Database, TypedBindsAndReads) {
  auto opened = Database::openInMemory();
  ASSERT_OK(opened);
  Database& db = **opened;
  ASSERT_OK(db.exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n BLOB)"));
  auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
  ASSERT_OK(insert);
  const Bytes blob{0, 1, 2, 0xFF};
  ASSERT_OK(insert->bindInt(1, -1234567890123));
  ASSERT_OK(insert->bindReal(2, 2.5));
  ASSERT_OK(insert->bindText(3, std::string_view("h\0i", 3)));
  ASSERT_OK(insert->bindBlob(4, blob));
  ASSERT_OK(insert->bindNull(5));
  ASSERT_OK(insert->run());
  EXPECT_EQ(db.changes(), 1);
  EXPECT_EQ(db.lastInsertRowId(), 1);
  EXPECT_EQ(errorOf(insert->bindInt(6, 0)), Errc::InvalidArgument);

  // Reuse after reset: an empty blob stays a blob, not NULL.
  insert->reset();
  ASSERT_OK(insert->bindBlob(4, BytesView{}));
  ASSERT_OK(insert->run());

  auto select = db.prepare("SELECT i, r, s, b, n FROM t ORDER BY rowid");
  ASSERT_OK(select);
  ASSERT_TRUE(select->step().value_or(false));
  EXPECT_EQ(select->columnCount(), 5);
  EXPECT_EQ(select->columnType(0), ColumnType::Integer);
  EXPECT_EQ(select->columnInt(0), -1234567890123);
  EXPECT_EQ(select->columnReal(1), 2.5);
  EXPECT_EQ(select->columnText(2), std::string("h\0i", 3));
  EXPECT_EQ(select->columnBlob(3), blob);
  EXPECT_EQ(select->columnSecretBlob(3).view().size(), blob.size());
  EXPECT_TRUE(select->isNull(4));
  ASSERT_TRUE(select->step().value_or(false));
  EXPECT_EQ(select->columnType(3), ColumnType::Blob);
  EXPECT_TRUE(select->columnBlob(3).empty());
  EXPECT_TRUE(select->isNull(0));
  auto done = select->step();
  ASSERT_OK(done);
  EXPECT_FALSE(*done);
}

// Prepared statements are reused: a reused one starts with no bindings and no half-read rows,
// and the same SQL used twice at once gets two statements.
TEST(Database, ReusedStatementsStartClean) {
  auto opened = Database::openInMemory();
  ASSERT_OK(opened);
  Database& db = **opened;
  ASSERT_OK(db.exec("CREATE TABLE t (k INTEGER, v TEXT)"));
  for (int k = 1; k <= 3; ++k) {
    auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2)");
    ASSERT_OK(insert);
    ASSERT_OK(insert->bindInt(1, k));
    if (k != 2) ASSERT_OK(insert->bindText(2, "v" + std::to_string(k)));
    ASSERT_OK(insert->run());
  }
  auto nulls = db.prepare("SELECT count(*) FROM t WHERE v IS NULL");
  ASSERT_OK(nulls);
  ASSERT_TRUE(nulls->step().value_or(false));
  EXPECT_EQ(nulls->columnInt(0), 1) << "row 2 got no leftover binding from row 1";

  const std::string select = "SELECT k FROM t ORDER BY k";
  {
    auto first = db.prepare(select);
    ASSERT_OK(first);
    ASSERT_TRUE(first->step().value_or(false));  // left in the middle of its rows
    auto nested = db.prepare(select);            // the same SQL while the first is open
    ASSERT_OK(nested);
    ASSERT_TRUE(nested->step().value_or(false));
    EXPECT_EQ(nested->columnInt(0), 1);
    ASSERT_TRUE(first->step().value_or(false));
    EXPECT_EQ(first->columnInt(0), 2) << "the two do not share a cursor";
  }
  auto again = db.prepare(select);
  ASSERT_OK(again);
  ASSERT_TRUE(again->step().value_or(false));
  EXPECT_EQ(again->columnInt(0), 1) << "a reused statement starts from the first row";
}

TEST(Database, BadSqlIsAStorageErrorWithoutValues) {
  auto db = Database::openInMemory();
  ASSERT_OK(db);
  auto bad = (*db)->prepare("SELEC nonsense");
  EXPECT_EQ(errorOf(bad), Errc::Storage);
  EXPECT_NE(bad.error().detail.find("syntax error"), std::string::npos) << bad.error().detail;
  EXPECT_EQ(errorOf((*db)->prepare("SELECT 1; SELECT 2")), Errc::InvalidArgument);
  EXPECT_EQ(errorOf((*db)->prepare("  ")), Errc::InvalidArgument);

  ASSERT_OK((*db)->exec("CREATE TABLE u (v TEXT UNIQUE)"));
  auto insert = (*db)->prepare("INSERT INTO u VALUES (?1)");
  ASSERT_OK(insert);
  ASSERT_OK(insert->bindText(1, "very-secret-value"));
  ASSERT_OK(insert->run());
  ASSERT_OK(insert->bindText(1, "very-secret-value"));
  auto again = insert->run();
  EXPECT_EQ(errorOf(again), Errc::Storage);
  EXPECT_EQ(again.error().detail.find("very-secret-value"), std::string::npos)
      << again.error().detail;
}

TEST(Database, TransactionCommitAndRollback) {
  auto opened = Database::openInMemory();
  ASSERT_OK(opened);
  Database& db = **opened;
  ASSERT_OK(db.exec("CREATE TABLE t (v INTEGER)"));
  {
    auto tx = db.begin();
    ASSERT_OK(tx);
    ASSERT_OK(db.exec("INSERT INTO t VALUES (1)"));
    ASSERT_OK(tx->commit());
    EXPECT_EQ(errorOf(tx->commit()), Errc::Internal);  // ended once only
  }
  {
    auto tx = db.begin();
    ASSERT_OK(tx);
    ASSERT_OK(db.exec("INSERT INTO t VALUES (2)"));
    ASSERT_OK(tx->rollback());
  }
  {
    auto tx = db.begin();
    ASSERT_OK(tx);
    ASSERT_OK(db.exec("INSERT INTO t VALUES (3)"));
    // destroyed without commit: rolled back
  }
  EXPECT_EQ(db.transactionDepth(), 0);
  EXPECT_EQ(countRows(db, "t"), 1);
}

TEST(Database, NestedTransactionsAreSavepoints) {
  auto opened = Database::openInMemory();
  ASSERT_OK(opened);
  Database& db = **opened;
  ASSERT_OK(db.exec("CREATE TABLE t (v INTEGER)"));
  auto outer = db.begin();
  ASSERT_OK(outer);
  ASSERT_OK(db.exec("INSERT INTO t VALUES (1)"));
  {
    auto inner = db.begin();
    ASSERT_OK(inner);
    EXPECT_EQ(db.transactionDepth(), 2);
    ASSERT_OK(db.exec("INSERT INTO t VALUES (2)"));
    // The parent cannot end while the child is open.
    EXPECT_EQ(errorOf(outer->commit()), Errc::Internal);
    ASSERT_OK(inner->rollback());
  }
  {
    auto inner = db.begin();
    ASSERT_OK(inner);
    ASSERT_OK(db.exec("INSERT INTO t VALUES (3)"));
    ASSERT_OK(inner->commit());
  }
  EXPECT_EQ(countRows(db, "t"), 2);  // 1 and 3
  ASSERT_OK(outer->rollback());      // and the committed savepoint goes with its parent
  EXPECT_EQ(countRows(db, "t"), 0);
  EXPECT_EQ(db.transactionDepth(), 0);
}

TEST(Database, CommittedDataSurvivesReopen) {
  TempDir dir;
  {
    auto db = openOrDie(dir.file("chorus.db"));
    ASSERT_NE(db, nullptr);
    ASSERT_OK(db->exec("CREATE TABLE t (v TEXT)"));
    auto tx = db->begin();
    ASSERT_OK(tx);
    ASSERT_OK(db->exec("INSERT INTO t VALUES ('kept')"));
    ASSERT_OK(tx->commit());
    auto lost = db->begin();
    ASSERT_OK(lost);
    ASSERT_OK(db->exec("INSERT INTO t VALUES ('lost')"));
  }
  auto db = openOrDie(dir.file("chorus.db"));
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(countRows(*db, "t"), 1);
}

TEST(Database, MissingFolderIsAnIoError) {
  TempDir dir;
  auto db = Database::open(dir.file("no-such-account") / "chorus.db");
  EXPECT_EQ(errorOf(db), Errc::Io);
  EXPECT_NE(db.error().detail.find("folder does not exist"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("no-such-account")));  // no folders made
  EXPECT_EQ(errorOf(Database::open(std::filesystem::path())), Errc::InvalidArgument);
}

TEST(Database, PathThatIsAFolderIsAnIoError) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("chorus.db"));
  auto db = Database::open(dir.file("chorus.db"));
  EXPECT_EQ(errorOf(db), Errc::Io);
  EXPECT_NE(db.error().detail.find("chorus.db"), std::string::npos) << db.error().detail;
}

TEST(Database, UnwritableFolderIsAnIoError) {
  TempDir dir;
  std::filesystem::path folder = dir.path();
  if (::geteuid() == 0) {
#ifdef __linux__
    folder = "/proc/self";  // root ignores permission bits, but nobody creates files here
#else
    GTEST_SKIP() << "root ignores folder permissions";
#endif
  } else {
    std::filesystem::permissions(
        folder, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  }
  auto db = Database::open(folder / "chorus.db");
  EXPECT_EQ(errorOf(db), Errc::Io);
  EXPECT_NE(db.error().detail.find("cannot open"), std::string::npos) << db.error().detail;
}

TEST(Database, GarbageFileIsAClearErrorNotACrash) {
  TempDir dir;
  Bytes garbage(8192);
  for (std::size_t i = 0; i < garbage.size(); ++i)
    garbage[i] = static_cast<std::uint8_t>(i * 131 + 7);
  test::writeFile(dir.file("chorus.db"), garbage);
  auto db = Database::open(dir.file("chorus.db"));
  EXPECT_EQ(errorOf(db), Errc::Storage);
  EXPECT_NE(db.error().detail.find("not a database"), std::string::npos) << db.error().detail;
}

TEST(Database, CorruptPagesAfterAValidHeaderAreAnError) {
  TempDir dir;
  {
    auto db = openOrDie(dir.file("chorus.db"));
    ASSERT_NE(db, nullptr);
    ASSERT_OK(
        db->exec("PRAGMA journal_mode=DELETE; CREATE TABLE t (v BLOB);"
                 "INSERT INTO t VALUES (zeroblob(20000))"));
  }
  Bytes bytes = test::readFile(dir.file("chorus.db"));
  ASSERT_GT(bytes.size(), 4096u);
  for (std::size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
  test::writeFile(dir.file("chorus.db"), bytes);
  auto db = Database::open(dir.file("chorus.db"));
  if (db.has_value()) {
    // The header survived; the damage shows on the first real read, still as an error.
    auto s = (*db)->prepare("SELECT count(*) FROM t");
    if (s.has_value()) {
      EXPECT_EQ(errorOf(s->step()), Errc::Storage);
    } else {
      EXPECT_EQ(s.error().code, Errc::Storage);
    }
  } else {
    EXPECT_EQ(db.error().code, Errc::Storage);
  }
}

}  // namespace
}  // namespace chorus::core::store
