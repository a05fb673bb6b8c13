// MediaStore: the simulator's content-addressed blob folder DATA/media/ (protocol notes §15.6).
// A blob is named by the lowercase hex SHA-256 of its bytes ("<id>.enc"), written atomically
// (temporary file + rename) and readable by owner only. Ids are validated before any file name
// is built from them, so no caller can reach outside the folder.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>
#include <utility>

#include "core/util/result.h"

namespace chorus::sim {

class MediaStore {
 public:
  explicit MediaStore(QString folder) : folder_(std::move(folder)) {}

  // Creates the folder (owner-only). Errc::Io when it cannot.
  [[nodiscard]] core::Status open() const;
  // Only [A-Za-z0-9_-], 1 to 128 characters.
  [[nodiscard]] static bool isValidId(QStringView id);

  // Stores `blob` and returns its id; storing the same bytes twice is a no-op. Errc::Io.
  [[nodiscard]] core::Result<QString> put(const QByteArray& blob) const;
  // Errc::NotFound for unknown (or invalid) ids, Errc::Io when the file cannot be read.
  [[nodiscard]] core::Result<QByteArray> read(QStringView id) const;
  // Errc::NotFound for unknown (or invalid) ids, Errc::Io when the file cannot be removed.
  [[nodiscard]] core::Status remove(QStringView id) const;

 private:
  [[nodiscard]] QString pathFor(QStringView id) const;

  QString folder_;
};

}  // namespace chorus::sim
