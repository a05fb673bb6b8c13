// The system tray (architecture §3, alerts): an icon with the state of all numbers and the
// total unread count, a menu listing every number with its state, and notifications — when a
// number has not recovered within 60 s, and at once when it is logged out, replaced, banned or
// outdated, naming the number and what to do. Works without a system tray too: notifications
// are then only announced by `notified` (the window can show them), and closing the window
// should quit rather than hide (`isTrayAvailable`).
#pragma once

#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QString>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "core/api/account_events.h"
#include "ui/backend.h"
#include "ui/dialogs/tray_icon.h"
#include "ui/session_list_model.h"
#include "ui/settings.h"

class QMenu;
class QSystemTrayIcon;
class QTimer;

namespace chorus::ui {

class SettingsDialog;

class TrayController : public QObject {
  Q_OBJECT

 public:
  struct Notification {
    QString title;
    QString body;
    api::AccountId account;
  };

  static constexpr std::chrono::milliseconds kRecoveryDelay{60'000};

  TrayController(Backend& backend, SessionListModel& sessions, Settings& settings,
                 QObject* parent = nullptr);
  ~TrayController() override;

  // Tests: the clock of the status wording, and the wait before "still reconnecting".
  void setClock(std::function<api::TimePoint()> now);
  void setRecoveryDelay(std::chrono::milliseconds delay);

  [[nodiscard]] QIcon currentIcon() const { return icon_; }
  [[nodiscard]] TrayState currentState() const { return state_; }
  [[nodiscard]] QString toolTip() const { return toolTip_; }
  [[nodiscard]] QMenu* menu();
  // False when the desktop has no system tray: then the window must stay the way back in.
  [[nodiscard]] bool isTrayAvailable() const;

 public Q_SLOTS:
  // The settings dialog, one at a time (from the menu, or the window's own menu).
  void openSettings();

 Q_SIGNALS:
  void notified(const chorus::ui::TrayController::Notification& n);  // every notification
  void showWindowRequested();
  void quitRequested();
  void accountActivated(const chorus::api::AccountId& id);  // a number chosen in the menu

 private:
  void onStateChanged(const api::AccountId& id, api::ConnectionState previous,
                      const api::ConnectionStatus& now);
  void onRecoveryTimeout(const api::AccountId& id);
  void cancelRecoveryWatch(const api::AccountId& id);
  void notify(const api::AccountId& id, const QString& title, const QString& body);
  void refresh();
  void rebuildMenu();
  [[nodiscard]] QString nameOf(const api::AccountId& id) const;
  [[nodiscard]] std::vector<api::AccountSummary> accounts() const;

  SessionListModel& sessions_;
  Settings& settings_;
  std::function<api::TimePoint()> now_;
  std::chrono::milliseconds recoveryDelay_ = kRecoveryDelay;
  std::map<api::AccountId, QTimer*> recoveryWatch_;  // numbers down, not yet notified
  std::set<api::AccountId> notifiedDown_;  // "still reconnecting" sent; quiet until Ready again
  api::AccountId lastNotified_;

  TrayState state_ = TrayState::Idle;
  long long unread_ = -1;
  QIcon icon_;
  QString toolTip_;
  std::unique_ptr<QMenu> menu_;
  QSystemTrayIcon* tray_ = nullptr;  // null without a system tray
  QPointer<SettingsDialog> settingsDialog_;
};

}  // namespace chorus::ui
