// DataFolderLock: one Chorus process per data folder. Two processes on one folder (the app and
// `chorus-cli status`, say) would both log every account in, and the server keeps only the
// newer login: the other one ends "replaced". So whoever opens the accounts first holds
// <data>/chorus.lock (a QLockFile) until it ends; everyone else is refused with a sentence that
// names the holder.
//
//   auto lock = DataFolderLock::acquire(dataDir);   // creates dataDir (0700) when missing
//   if (!lock) return fail(lock.error());           // "... in use by another Chorus process ..."
//
// A lock file left by a process that died (same host, pid no longer running) is stale and taken
// over; age alone never makes it stale (setStaleLockTime(0)), so a long-running app keeps it.
// Within one process a second acquire on the same folder fails too.
#pragma once

#include <QString>
#include <memory>

#include "core/util/result.h"

class QLockFile;

namespace chorus::app {

class DataFolderLock final {
 public:
  static constexpr char kFileName[] = "chorus.lock";

  // Errc::Io either way, the detail says which: the folder is in use ("the data folder DIR is
  // in use by another Chorus process (pid N on HOST); close it first"), or the folder or its
  // lock file cannot be created.
  [[nodiscard]] static core::Result<std::unique_ptr<DataFolderLock>> acquire(
      const QString& dataDir);

  ~DataFolderLock();  // releases: removes the lock file
  DataFolderLock(const DataFolderLock&) = delete;
  DataFolderLock& operator=(const DataFolderLock&) = delete;

  // The data folder this lock holds (as given to acquire()).
  [[nodiscard]] const QString& dataDir() const noexcept { return dataDir_; }

 private:
  DataFolderLock(QString dataDir, std::unique_ptr<QLockFile> file);

  QString dataDir_;
  std::unique_ptr<QLockFile> file_;
};

}  // namespace chorus::app
