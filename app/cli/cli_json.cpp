#include "app/cli/cli_json.h"

#include <QDateTime>
#include <QString>

namespace chorus::app::cli {

QString qs(std::string_view text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QJsonValue isoTime(api::TimePoint t) {
  if (t == api::TimePoint{}) return QJsonValue(QJsonValue::Null);
  return QDateTime::fromMSecsSinceEpoch(t.time_since_epoch().count(), Qt::UTC)
      .toString(Qt::ISODateWithMs);
}

QJsonValue isoTime(const std::optional<api::TimePoint>& t) {
  return t ? isoTime(*t) : QJsonValue(QJsonValue::Null);
}

QJsonObject statusJson(std::string_view name, std::string_view id,
                       const api::ConnectionStatus& status) {
  return QJsonObject{
      {QStringLiteral("account"), qs(name)},
      {QStringLiteral("id"), qs(id)},
      {QStringLiteral("state"), qs(api::stateName(status.state))},
      {QStringLiteral("reason"), qs(status.reason)},
      {QStringLiteral("code"), status.reasonCode},
      {QStringLiteral("since"), isoTime(status.since)},
      {QStringLiteral("next_retry"), isoTime(status.nextRetryAt)},
      {QStringLiteral("attempt"), status.attempt},
      {QStringLiteral("banned_until"), isoTime(status.bannedUntil)},
  };
}

QJsonObject summaryJson(const api::AccountSummary& summary) {
  return QJsonObject{
      {QStringLiteral("id"), qs(summary.id)},
      {QStringLiteral("name"), qs(summary.name)},
      {QStringLiteral("phone"), summary.maskedPhone.empty() ? QJsonValue(QJsonValue::Null)
                                                            : QJsonValue(qs(summary.maskedPhone))},
      {QStringLiteral("state"), qs(api::stateName(summary.status.state))},
      {QStringLiteral("reason"), qs(summary.status.reason)},
      {QStringLiteral("since"), isoTime(summary.status.since)},
      {QStringLiteral("auto_connect"), summary.autoConnect},
      {QStringLiteral("problem"),
       summary.problem.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qs(summary.problem))},
  };
}

}  // namespace chorus::app::cli
