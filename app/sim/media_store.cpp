#include "app/sim/media_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;

constexpr qsizetype kMaxIdLength = 128;
constexpr auto kBlobSuffix = ".enc";

bool isIdChar(QChar c) {
  const char16_t u = c.unicode();
  return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
         u == u'_' || u == u'-';
}

}  // namespace

core::Status MediaStore::open() const {
  if (!QDir().mkpath(folder_) ||
      !QFile::setPermissions(
          folder_, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
    return fail(Errc::Io, "cannot create " + folder_.toStdString());
  }
  return core::ok();
}

bool MediaStore::isValidId(QStringView id) {
  if (id.isEmpty() || id.size() > kMaxIdLength) return false;
  for (const QChar c : id) {
    if (!isIdChar(c)) return false;
  }
  return true;
}

QString MediaStore::pathFor(QStringView id) const {
  return folder_ + u'/' + id.toString() + QLatin1String(kBlobSuffix);
}

core::Result<QString> MediaStore::put(const QByteArray& blob) const {
  const QString id =
      QString::fromLatin1(QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toHex());
  const QString path = pathFor(id);
  if (QFile::exists(path)) return id;  // content-addressed: the same bytes are already there
  QSaveFile out(path);
  if (!out.open(QIODevice::WriteOnly) ||
      !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
      out.write(blob) != blob.size() || !out.commit()) {
    return fail(Errc::Io, "cannot write " + path.toStdString());
  }
  return id;
}

core::Result<QByteArray> MediaStore::read(QStringView id) const {
  if (!isValidId(id)) return fail(Errc::NotFound, "invalid media id");
  QFile file(pathFor(id));
  if (!file.exists()) return fail(Errc::NotFound, "unknown media id");
  if (!file.open(QIODevice::ReadOnly)) return fail(Errc::Io, "cannot read a media blob");
  return file.readAll();
}

core::Status MediaStore::remove(QStringView id) const {
  if (!isValidId(id)) return fail(Errc::NotFound, "invalid media id");
  QFile file(pathFor(id));
  if (!file.exists()) return fail(Errc::NotFound, "unknown media id");
  if (!file.remove()) return fail(Errc::Io, "cannot remove a media blob");
  return core::ok();
}

}  // namespace chorus::sim
