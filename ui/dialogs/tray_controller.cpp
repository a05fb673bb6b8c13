#include "ui/dialogs/tray_controller.h"

#include <QAction>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QTimer>
#include <variant>

#include "ui/conversions.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/status_text.h"

namespace chorus::ui {

namespace {

constexpr int kMessageMilliseconds = 15'000;
constexpr int kDotSize = 16;

// A number that is down and may come back by itself (not stopped, not terminal).
bool isRecovering(const api::ConnectionStatus& s) {
  switch (s.state) {
    case api::ConnectionState::Connecting:
    case api::ConnectionState::Reconnecting: return true;
    case api::ConnectionState::Disconnected: return s.nextRetryAt.has_value();
    default: return false;
  }
}

QIcon stateDot(TrayState state) {
  QPixmap dot(kDotSize, kDotSize);
  dot.fill(Qt::transparent);
  QPainter p(&dot);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(Qt::NoPen);
  p.setBrush(trayColour(state));
  p.drawEllipse(QRectF(3, 3, kDotSize - 6, kDotSize - 6));
  return QIcon(dot);
}

}  // namespace

// The backend is not needed yet: everything shown comes through the session model.
TrayController::TrayController(Backend& /*backend*/, SessionListModel& sessions, Settings& settings,
                               QObject* parent)
    : QObject(parent),
      sessions_(sessions),
      settings_(settings),
      now_(systemNow),
      menu_(std::make_unique<QMenu>()) {
  menu_->setObjectName(QStringLiteral("trayMenu"));
  connect(menu_.get(), &QMenu::aboutToShow, this, &TrayController::rebuildMenu);

  if (QSystemTrayIcon::isSystemTrayAvailable()) {
    tray_ = new QSystemTrayIcon(this);
    tray_->setContextMenu(menu_.get());
    connect(tray_, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
              if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
                Q_EMIT showWindowRequested();
              }
            });
    connect(tray_, &QSystemTrayIcon::messageClicked, this, [this] {
      Q_EMIT showWindowRequested();
      if (!lastNotified_.empty()) Q_EMIT accountActivated(lastNotified_);
    });
  }

  connect(&sessions_, &SessionListModel::stateChanged, this, &TrayController::onStateChanged);
  connect(&sessions_, &SessionListModel::totalUnreadChanged, this, &TrayController::refresh);
  connect(&sessions_, &QAbstractItemModel::dataChanged, this, &TrayController::refresh);
  connect(&sessions_, &QAbstractItemModel::rowsInserted, this, &TrayController::refresh);
  connect(&sessions_, &QAbstractItemModel::rowsRemoved, this, &TrayController::refresh);
  connect(&sessions_, &QAbstractItemModel::rowsMoved, this, &TrayController::refresh);
  connect(&sessions_, &QAbstractItemModel::modelReset, this, &TrayController::refresh);
  connect(&sessions_, &QAbstractItemModel::rowsRemoved, this, [this] {
    // A removed number stops being watched.
    for (auto it = recoveryWatch_.begin(); it != recoveryWatch_.end();) {
      if (sessions_.rowOf(it->first) >= 0) {
        ++it;
        continue;
      }
      it->second->deleteLater();
      it = recoveryWatch_.erase(it);
    }
  });
  refresh();
  if (tray_) tray_->show();
}

TrayController::~TrayController() {
  if (tray_) tray_->setContextMenu(nullptr);
}

void TrayController::setClock(std::function<api::TimePoint()> now) {
  now_ = now ? std::move(now) : std::function<api::TimePoint()>(systemNow);
  refresh();
}

void TrayController::setRecoveryDelay(std::chrono::milliseconds delay) {
  recoveryDelay_ = delay;
}

QMenu* TrayController::menu() {
  rebuildMenu();
  return menu_.get();
}

bool TrayController::isTrayAvailable() const {
  return tray_ != nullptr;
}

void TrayController::openSettings() {
  if (!settingsDialog_) {
    settingsDialog_ = new SettingsDialog(settings_, sessions_);
    settingsDialog_->setAttribute(Qt::WA_DeleteOnClose);
  }
  settingsDialog_->show();
  settingsDialog_->raise();
  settingsDialog_->activateWindow();
}

std::vector<api::AccountSummary> TrayController::accounts() const {
  std::vector<api::AccountSummary> out;
  out.reserve(static_cast<std::size_t>(sessions_.rowCount()));
  for (int row = 0; row < sessions_.rowCount(); ++row) out.push_back(*sessions_.account(row));
  return out;
}

QString TrayController::nameOf(const api::AccountId& id) const {
  const api::AccountSummary* a = sessions_.account(sessions_.rowOf(id));
  return a ? qs(a->name) : QString();
}

void TrayController::onStateChanged(const api::AccountId& id, api::ConnectionState previous,
                                    const api::ConnectionStatus& now) {
  const QString name = nameOf(id);
  if (now.state == api::ConnectionState::Ready) {
    cancelRecoveryWatch(id);
    notifiedDown_.erase(id);
    return;
  }
  if (api::needsAction(now.state)) {
    cancelRecoveryWatch(id);
    notify(id, tr("%1: %2").arg(name, statusText(now, now_())), actionText(now));
    return;
  }
  // Leaving Ready (or a first connection failing): give it the recovery delay to come back.
  const bool down =
      previous == api::ConnectionState::Ready || now.state == api::ConnectionState::Reconnecting;
  if (!down || !isRecovering(now)) {
    if (!isRecovering(now)) cancelRecoveryWatch(id);  // stopped by the person, or unlinked
    return;
  }
  if (recoveryWatch_.count(id) != 0 || notifiedDown_.count(id) != 0) return;
  auto* timer = new QTimer(this);
  timer->setSingleShot(true);
  timer->setInterval(recoveryDelay_);
  connect(timer, &QTimer::timeout, this, [this, id] { onRecoveryTimeout(id); });
  recoveryWatch_.emplace(id, timer);
  timer->start();
}

void TrayController::onRecoveryTimeout(const api::AccountId& id) {
  cancelRecoveryWatch(id);
  const api::AccountSummary* a = sessions_.account(sessions_.rowOf(id));
  if (!a || !isRecovering(a->status)) return;
  notifiedDown_.insert(id);
  QString body = statusText(a->status, now_());
  const QString action = actionText(a->status);
  if (!action.isEmpty()) body += QStringLiteral(". ") + action;
  notify(id, tr("%1 is still reconnecting").arg(qs(a->name)), body);
}

void TrayController::cancelRecoveryWatch(const api::AccountId& id) {
  const auto it = recoveryWatch_.find(id);
  if (it == recoveryWatch_.end()) return;
  it->second->stop();
  it->second->deleteLater();
  recoveryWatch_.erase(it);
}

void TrayController::notify(const api::AccountId& id, const QString& title, const QString& body) {
  if (!settings_.notificationsEnabled(id)) return;
  lastNotified_ = id;
  if (tray_) {
    const auto* a = sessions_.account(sessions_.rowOf(id));
    const bool critical = a && api::needsAction(a->status.state);
    tray_->showMessage(title, body, critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning,
                       kMessageMilliseconds);
  }
  Q_EMIT notified(Notification{title, body, id});
}

void TrayController::refresh() {
  const std::vector<api::AccountSummary> all = accounts();
  const TrayState state = aggregateState(all);
  const long long unread = sessions_.totalUnread();
  if (state != state_ || unread != unread_ || icon_.isNull()) {
    state_ = state;
    unread_ = unread;
    icon_ = trayIcon(state, unread);
    if (tray_) tray_->setIcon(icon_);
  }

  int ready = 0;
  int working = 0;
  int needAction = 0;
  for (const api::AccountSummary& a : all) {
    switch (trayStateOf(a)) {
      case TrayState::AllReady: ++ready; break;
      case TrayState::Working: ++working; break;
      case TrayState::NeedsAction: ++needAction; break;
      case TrayState::Idle: break;
    }
  }
  const int total = static_cast<int>(all.size());
  // Plurals spelled out: no translation is loaded to turn "%n number(s)" into words.
  QStringList lines;
  if (total == 0) {
    lines << tr("Chorus — no numbers yet");
  } else if (ready == total) {
    lines << (total == 1 ? tr("Chorus — the number is connected")
                         : tr("Chorus — all %1 numbers connected").arg(total));
  } else {
    lines << (total == 1 ? tr("Chorus — %1 of 1 number connected").arg(ready)
                         : tr("Chorus — %1 of %2 numbers connected").arg(ready).arg(total));
  }
  if (working > 0) lines << tr("%1 reconnecting").arg(working);
  if (needAction > 0) {
    lines << (needAction == 1 ? tr("1 needs action") : tr("%1 need action").arg(needAction));
  }
  if (unread > 0) {
    lines << (unread == 1 ? tr("1 unread message") : tr("%1 unread messages").arg(unread));
  }
  toolTip_ = lines.join(u'\n');
  if (tray_) tray_->setToolTip(toolTip_);
  if (menu_->isVisible()) rebuildMenu();
}

void TrayController::rebuildMenu() {
  menu_->clear();
  const api::TimePoint now = now_();
  for (int row = 0; row < sessions_.rowCount(); ++row) {
    const api::AccountSummary& a = *sessions_.account(row);
    const QString state = a.problem.empty() ? statusText(a.status, now) : qs(a.problem);
    QAction* action =
        menu_->addAction(stateDot(trayStateOf(a)), tr("%1 — %2").arg(qs(a.name), state));
    action->setData(qs(a.id));
    const api::AccountId id = a.id;
    connect(action, &QAction::triggered, this, [this, id] { Q_EMIT accountActivated(id); });
  }
  if (sessions_.rowCount() > 0) menu_->addSeparator();
  connect(menu_->addAction(tr("Show Chorus")), &QAction::triggered, this,
          &TrayController::showWindowRequested);
  connect(menu_->addAction(tr("Settings…")), &QAction::triggered, this,
          &TrayController::openSettings);
  menu_->addSeparator();
  connect(menu_->addAction(tr("Quit")), &QAction::triggered, this, &TrayController::quitRequested);
}

}  // namespace chorus::ui
