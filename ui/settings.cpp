#include "ui/settings.h"

namespace chorus::ui {

namespace {

const QString kStartMinimised = QStringLiteral("window/startMinimised");
const QString kPrivacyMode = QStringLiteral("privacy/maskNumbers");
const QString kSandboxServer = QStringLiteral("sandbox/server");
const QString kWindowGeometry = QStringLiteral("window/geometry");
const QString kColumnSizes = QStringLiteral("window/columns");

QString notifyKey(const api::AccountId& id) {
  return QStringLiteral("notifications/") + QString::fromStdString(id);
}

}  // namespace

Settings::Settings(QObject* parent) : QObject(parent), settings_(std::make_unique<QSettings>()) {}

Settings::Settings(const QString& iniFile, QObject* parent)
    : QObject(parent), settings_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {}

bool Settings::startMinimised() const { return settings_->value(kStartMinimised, false).toBool(); }

void Settings::setStartMinimised(bool on) {
  settings_->setValue(kStartMinimised, on);
  Q_EMIT changed();
}

bool Settings::notificationsEnabled(const api::AccountId& id) const {
  return settings_->value(notifyKey(id), true).toBool();
}

void Settings::setNotificationsEnabled(const api::AccountId& id, bool on) {
  settings_->setValue(notifyKey(id), on);
  Q_EMIT changed();
}

bool Settings::privacyMode() const { return settings_->value(kPrivacyMode, false).toBool(); }

void Settings::setPrivacyMode(bool on) {
  settings_->setValue(kPrivacyMode, on);
  Q_EMIT changed();
}

QString Settings::sandboxServer() const { return settings_->value(kSandboxServer).toString(); }

void Settings::setSandboxServer(const QString& serverJson) {
  settings_->setValue(kSandboxServer, serverJson);
  Q_EMIT changed();
}

QByteArray Settings::windowGeometry() const {
  return settings_->value(kWindowGeometry).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray& geometry) {
  settings_->setValue(kWindowGeometry, geometry);
}

QByteArray Settings::columnSizes() const { return settings_->value(kColumnSizes).toByteArray(); }

void Settings::setColumnSizes(const QByteArray& splitterState) {
  settings_->setValue(kColumnSizes, splitterState);
}

QString Settings::displayNumber(const QString& number) const {
  return privacyMode() ? maskNumber(number) : number;
}

QString maskNumber(const QString& number) {
  QString out;
  int digits = 0;
  for (QChar c : number) digits += c.isDigit() ? 1 : 0;
  int seen = 0;
  for (QChar c : number) {
    if (!c.isDigit()) {
      out += c;
      continue;
    }
    ++seen;
    out += (seen <= 4 || seen > digits - 4) ? c : QChar(0x2022);
  }
  return out;
}

}  // namespace chorus::ui
