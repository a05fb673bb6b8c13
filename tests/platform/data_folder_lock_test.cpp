// DataFolderLock: one process per data folder (chorus.lock), a clear refusal naming the holder,
// release on destruction, a dead owner's lock taken over, and the Engine refusing a folder in
// use. The cross-process case is tests/app/cli_lock.sh.
#include "app/platform/data_folder_lock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <optional>

#include <gtest/gtest.h>

#include "app/platform/engine.h"
#include "core/store/secret_store.h"
#include "tests/platform/event_wait.h"

#ifdef Q_OS_UNIX
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace chorus::app {
namespace {

using core::Errc;

QString lockPath(const QString& dir) {
  return QDir(dir).filePath(QLatin1String(DataFolderLock::kFileName));
}

TEST(DataFolderLock, ASecondAcquireIsRefusedWithTheHolder) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto first = DataFolderLock::acquire(tmp.path());
  ASSERT_TRUE(first.has_value()) << first.error().detail;
  EXPECT_TRUE(QFile::exists(lockPath(tmp.path())));

  auto second = DataFolderLock::acquire(tmp.path());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, Errc::Io);
  const std::string expected = "the data folder " + tmp.path().toStdString() +
                               " is in use by another Chorus process (pid " +
                               std::to_string(QCoreApplication::applicationPid()) + " on " +
                               QSysInfo::machineHostName().toStdString() + "); close it first";
  EXPECT_EQ(second.error().detail, expected);
}

TEST(DataFolderLock, ReleasedOnDestruction) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  {
    auto first = DataFolderLock::acquire(tmp.path());
    ASSERT_TRUE(first.has_value()) << first.error().detail;
  }
  EXPECT_FALSE(QFile::exists(lockPath(tmp.path())));
  auto again = DataFolderLock::acquire(tmp.path());
  ASSERT_TRUE(again.has_value()) << again.error().detail;
  EXPECT_EQ((*again)->dataDir(), tmp.path());
}

TEST(DataFolderLock, CreatesAMissingFolderPrivate) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  const QString dir = tmp.filePath(QStringLiteral("a/b"));
  auto lock = DataFolderLock::acquire(dir);
  ASSERT_TRUE(lock.has_value()) << lock.error().detail;
  EXPECT_TRUE(QFileInfo(dir).isDir());
#ifdef Q_OS_UNIX
  EXPECT_EQ(QFileInfo(dir).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                            QFileDevice::WriteGroup | QFileDevice::WriteOther),
            QFileDevice::Permissions{});
#endif
}

#ifdef Q_OS_UNIX
// A lock file whose owner is gone (a pid that has exited) is stale: taken over, whatever its age.
TEST(DataFolderLock, ADeadOwnersLockIsTakenOver) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  // A real lock file of this process, with its pid replaced by one that no longer runs.
  QByteArray content;
  {
    QLockFile probe(lockPath(tmp.path()));
    ASSERT_TRUE(probe.tryLock(0));
    QFile file(lockPath(tmp.path()));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    content = file.readAll();
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  const qsizetype newline = content.indexOf('\n');
  ASSERT_GT(newline, 0);
  content = QByteArray::number(static_cast<qint64>(child)) + content.mid(newline);
  {
    QFile file(lockPath(tmp.path()));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ASSERT_EQ(file.write(content), content.size());
  }
  QLockFile reader(lockPath(tmp.path()));
  qint64 pid = 0;
  QString host;
  QString app;
  ASSERT_TRUE(reader.getLockInfo(&pid, &host, &app));
  ASSERT_EQ(pid, child);

  auto lock = DataFolderLock::acquire(tmp.path());
  ASSERT_TRUE(lock.has_value()) << lock.error().detail;
  // Now it is ours: a second one is refused naming this process.
  auto second = DataFolderLock::acquire(tmp.path());
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().detail.find("(pid " +
                                       std::to_string(QCoreApplication::applicationPid()) + " on "),
            std::string::npos)
      << second.error().detail;
}
#endif

// Engine::open takes the lock: a second engine on the folder gets the error and loads nothing;
// once the first is gone, it opens.
TEST(DataFolderLock, EngineOpenTakesIt) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  EngineOptions options;
  options.dataDir = tmp.path();
  options.watchNetwork = false;
  const auto open = [](Engine& engine) -> core::Status {
    std::optional<core::Status> done;
    engine.open(std::make_unique<core::store::MemorySecretStore>(),
                [&done](core::Status s) { done = std::move(s); });
    if (!test::waitUntil([&done] { return done.has_value(); }))
      return core::fail(Errc::Timeout, "open did not finish");
    return std::move(*done);
  };
  auto first = std::make_unique<Engine>(options);
  const core::Status opened = open(*first);
  ASSERT_TRUE(opened.has_value()) << opened.error().detail;

  Engine second(options);
  const core::Status refused = open(second);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::Io);
  EXPECT_NE(refused.error().detail.find("is in use by another Chorus process"), std::string::npos)
      << refused.error().detail;
  EXPECT_FALSE(second.isOpen());

  // A lock the caller took for another folder is refused.
  QTemporaryDir other;
  auto foreign = DataFolderLock::acquire(other.path());
  ASSERT_TRUE(foreign.has_value());
  Engine third(options);
  std::optional<core::Status> wrong;
  third.open(
      std::make_unique<core::store::MemorySecretStore>(),
      [&wrong](core::Status s) { wrong = std::move(s); }, std::move(*foreign));
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->error().code, Errc::InvalidArgument);

  first.reset();
  Engine fourth(options);
  const core::Status reopened = open(fourth);
  EXPECT_TRUE(reopened.has_value()) << reopened.error().detail;
}

}  // namespace
}  // namespace chorus::app
