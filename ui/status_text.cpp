#include "ui/status_text.h"

#include <QDateTime>
#include <QTimeZone>

#include <chrono>

namespace chorus::ui {

namespace {

using api::ConnectionState;

QString clockTime(api::TimePoint t, bool localTime) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  QDateTime when = QDateTime::fromMSecsSinceEpoch(ms.count(), QTimeZone::utc());
  if (localTime) when = when.toLocalTime();
  return when.toString(QStringLiteral("HH:mm"));
}

// Whole seconds until `t`, never below 0 (rounded up: "in 1 s" until it is due).
long long secondsUntil(api::TimePoint t, api::TimePoint now) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - now).count();
  return ms <= 0 ? 0 : (ms + 999) / 1000;
}

QString inWords(long long seconds) {
  if (seconds < 60) return QObject::tr("%n s", nullptr, static_cast<int>(seconds));
  const long long minutes = (seconds + 59) / 60;
  return QObject::tr("%n min", nullptr, static_cast<int>(minutes));
}

}  // namespace

Severity severityOf(ConnectionState state) noexcept {
  switch (state) {
    case ConnectionState::Ready: return Severity::Fine;
    case ConnectionState::Connecting:
    case ConnectionState::Pairing:
    case ConnectionState::Reconnecting: return Severity::Working;
    case ConnectionState::Unlinked:
    case ConnectionState::Disconnected: return Severity::Stopped;
    case ConnectionState::LoggedOut:
    case ConnectionState::Replaced:
    case ConnectionState::Banned:
    case ConnectionState::Outdated: return Severity::NeedsAction;
  }
  return Severity::Stopped;
}

QString statusText(const api::ConnectionStatus& status, api::TimePoint now, bool localTime) {
  switch (status.state) {
    case ConnectionState::Ready: return QObject::tr("Connected");
    case ConnectionState::Connecting: return QObject::tr("Connecting…");
    case ConnectionState::Pairing: return QObject::tr("Waiting for the phone to link");
    case ConnectionState::Unlinked: return QObject::tr("Not linked yet: link it with your phone");
    case ConnectionState::Reconnecting: {
      QString text = QObject::tr("Reconnecting, attempt %1").arg(status.attempt);
      if (status.nextRetryAt) {
        text += QObject::tr(", next try in %1").arg(inWords(secondsUntil(*status.nextRetryAt, now)));
      }
      return text;
    }
    case ConnectionState::Disconnected:
      if (status.nextRetryAt) {
        return QObject::tr("Disconnected, trying again in %1")
            .arg(inWords(secondsUntil(*status.nextRetryAt, now)));
      }
      return QObject::tr("Disconnected");
    case ConnectionState::LoggedOut: return QObject::tr("Logged out from the phone: link again");
    case ConnectionState::Replaced: return QObject::tr("Another device took over");
    case ConnectionState::Banned:
      if (status.bannedUntil) {
        return QObject::tr("Restricted until %1").arg(clockTime(*status.bannedUntil, localTime));
      }
      return QObject::tr("Banned by WhatsApp");
    case ConnectionState::Outdated: return QObject::tr("Chorus must be updated");
  }
  return {};
}

QString actionText(const api::ConnectionStatus& status) {
  switch (status.state) {
    case ConnectionState::LoggedOut:
      return QObject::tr("This computer was removed from the number's linked devices. Link it "
                         "again: WhatsApp on the phone → Linked devices → Link a device.");
    case ConnectionState::Replaced:
      return QObject::tr("The number is open in another Chorus or on another computer as this "
                         "device. Close it there, then reconnect here.");
    case ConnectionState::Banned:
      return status.bannedUntil
                 ? QObject::tr("WhatsApp restricted this number for a while. Chorus tries again "
                               "when the restriction ends; open WhatsApp on the phone for details.")
                 : QObject::tr("WhatsApp banned this number. Open WhatsApp on the phone to "
                               "request a review.");
    case ConnectionState::Outdated:
      return QObject::tr("WhatsApp no longer accepts this version of Chorus. Install the update.");
    case ConnectionState::Reconnecting:
    case ConnectionState::Disconnected:
      return QObject::tr("Check this computer's internet connection. Chorus keeps trying.");
    default: return {};
  }
}

}  // namespace chorus::ui
