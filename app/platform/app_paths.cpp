#include "app/platform/app_paths.h"

#include <QDir>
#include <QStandardPaths>

namespace chorus::app {

QString dataDirectory(const QString& override) {
  if (!override.isEmpty()) return QDir(override).absolutePath();
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

}  // namespace chorus::app
