// The person's preferences (QSettings: never secrets): start minimised to the tray, which
// numbers may notify, privacy mode (customer numbers masked on screen), and the sandbox server
// file chorus-sim wrote. Changes are saved at once and announced, so open windows follow.
// Also where the main window was and how its columns were split: remembered, not announced.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QSettings>
#include <QString>

#include <memory>

#include "core/api/account_events.h"

namespace chorus::ui {

class Settings : public QObject {
  Q_OBJECT

 public:
  // The application's settings (organisation/application names of the QApplication).
  explicit Settings(QObject* parent = nullptr);
  // Settings in a file of their own (tests).
  explicit Settings(const QString& iniFile, QObject* parent = nullptr);

  [[nodiscard]] bool startMinimised() const;
  void setStartMinimised(bool on);

  [[nodiscard]] bool notificationsEnabled(const api::AccountId& id) const;  // default on
  void setNotificationsEnabled(const api::AccountId& id, bool on);

  [[nodiscard]] bool privacyMode() const;
  void setPrivacyMode(bool on);

  [[nodiscard]] QString sandboxServer() const;  // a server.json path, or empty
  void setSandboxServer(const QString& serverJson);

  // QWidget::saveGeometry() / QSplitter::saveState() of the main window; empty until saved.
  [[nodiscard]] QByteArray windowGeometry() const;
  void setWindowGeometry(const QByteArray& geometry);
  [[nodiscard]] QByteArray columnSizes() const;
  void setColumnSizes(const QByteArray& splitterState);

  // A customer's number as the screen shows it: as given, or masked in privacy mode
  // ("+15551234567" → "+1555•••4567").
  [[nodiscard]] QString displayNumber(const QString& number) const;

 Q_SIGNALS:
  void changed();

 private:
  std::unique_ptr<QSettings> settings_;
};

// The masking rule of privacy mode: keeps a leading '+', the first 4 and the last 4 digits.
[[nodiscard]] QString maskNumber(const QString& number);

}  // namespace chorus::ui
