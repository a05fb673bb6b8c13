#include "app/platform/data_folder_lock.h"

#include <QDir>
#include <QFile>
#include <QFileDevice>
#include <QLockFile>
#include <string>

namespace chorus::app {

DataFolderLock::DataFolderLock(QString dataDir, std::unique_ptr<QLockFile> file)
    : dataDir_(std::move(dataDir)), file_(std::move(file)) {}

DataFolderLock::~DataFolderLock() {
  file_->unlock();
}

core::Result<std::unique_ptr<DataFolderLock>> DataFolderLock::acquire(const QString& dataDir) {
  const std::string dir = dataDir.toStdString();
  if (dataDir.isEmpty()) return core::fail(core::Errc::InvalidArgument, "no data folder");
  if (!QDir(dataDir).exists()) {
    if (!QDir().mkpath(dataDir))
      return core::fail(core::Errc::Io, "cannot create the data folder " + dir);
    QFile::setPermissions(dataDir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  }
  auto file = std::make_unique<QLockFile>(QDir(dataDir).filePath(QLatin1String(kFileName)));
  file->setStaleLockTime(0);  // only a dead owner makes the lock stale, never its age
  if (file->tryLock(0)) {
    return std::unique_ptr<DataFolderLock>(new DataFolderLock(dataDir, std::move(file)));
  }
  if (file->error() != QLockFile::LockFailedError) {
    return core::fail(core::Errc::Io, "cannot write the lock file " +
                                          file->fileName().toStdString() + " in the data folder");
  }
  qint64 pid = 0;
  QString host;
  QString appName;
  const bool known = file->getLockInfo(&pid, &host, &appName);
  const std::string holder =
      known ? " (pid " + std::to_string(pid) + " on " +
                  (host.isEmpty() ? std::string("this computer") : host.toStdString()) + ")"
            : std::string();
  return core::fail(core::Errc::Io, "the data folder " + dir +
                                        " is in use by another Chorus process" + holder +
                                        "; close it first");
}

}  // namespace chorus::app
