#include "app/cli/message_json.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <chrono>

#include "app/cli/cli_json.h"
#include "core/util/logger.h"

namespace chorus::app::cli {
namespace {

constexpr std::string_view kUserServer = "@s.whatsapp.net";
constexpr std::string_view kGroupServer = "@g.us";

}  // namespace

std::string chatJidOf(std::string_view arg) {
  std::string_view digits = arg;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  const bool allDigits = !digits.empty() && digits.find_first_not_of("0123456789") == digits.npos;
  return allDigits ? std::string(digits) + std::string(kUserServer) : std::string(arg);
}

std::string groupJidOf(std::string_view arg) {
  if (arg.empty() || arg.find('@') != std::string_view::npos) return std::string(arg);
  return std::string(arg) + std::string(kGroupServer);
}

std::string maskedErrorText(const core::Error& error) {
  const QString text = qs(error.detail.empty() ? std::string(core::errcName(error.code))
                                               : error.detail);
  // "+<digits>" or "<digits>[:device]@s.whatsapp.net|@lid"; group ids ("…@g.us") are kept.
  static const QRegularExpression kNumber(
      QStringLiteral("\\+\\d{6,}|\\d{6,}(?=(:\\d+)?@(s\\.whatsapp\\.net|lid)\\b)"));
  QString masked;
  qsizetype from = 0;
  for (auto it = kNumber.globalMatch(text); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    masked += text.mid(from, m.capturedStart() - from);
    masked += QString::fromStdString(core::maskPhone(m.captured().toStdString()));
    from = m.capturedEnd();
  }
  masked += text.mid(from);
  return masked.toStdString();
}

QString kindName(api::MessageKind kind) {
  switch (kind) {
    case api::MessageKind::Text: return QStringLiteral("text");
    case api::MessageKind::Placeholder: return QStringLiteral("placeholder");
    case api::MessageKind::System: return QStringLiteral("system");
  }
  return QStringLiteral("text");
}

QString statusName(api::MessageStatus status) {
  switch (status) {
    case api::MessageStatus::Queued: return QStringLiteral("queued");
    case api::MessageStatus::Sent: return QStringLiteral("sent");
    case api::MessageStatus::Delivered: return QStringLiteral("delivered");
    case api::MessageStatus::Read: return QStringLiteral("read");
    case api::MessageStatus::Failed: return QStringLiteral("failed");
  }
  return QStringLiteral("delivered");
}

QString directionName(api::MessageDirection d) {
  return d == api::MessageDirection::Outgoing ? QStringLiteral("out") : QStringLiteral("in");
}

qint64 unixSeconds(api::MessageTime t) {
  return static_cast<qint64>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

QJsonObject messageEventJson(std::string_view chat, const api::MessageView& m) {
  return QJsonObject{
      {QStringLiteral("event"), QStringLiteral("message")},
      {QStringLiteral("chat"), qs(chat)},
      {QStringLiteral("id"), qs(m.id)},
      {QStringLiteral("from"), qs(m.senderJid)},
      {QStringLiteral("name"), qs(m.senderName)},
      {QStringLiteral("kind"), kindName(m.kind)},
      {QStringLiteral("text"), qs(m.text)},
      {QStringLiteral("t"), unixSeconds(m.timestamp)},
  };
}

QJsonObject messageJson(const api::MessageView& m) {
  QJsonObject line{
      {QStringLiteral("id"), qs(m.id)},
      {QStringLiteral("direction"), directionName(m.direction)},
      {QStringLiteral("status"), statusName(m.status)},
      {QStringLiteral("kind"), kindName(m.kind)},
      {QStringLiteral("t"), unixSeconds(m.timestamp)},
      {QStringLiteral("from"), qs(m.senderJid)},
      {QStringLiteral("name"), qs(m.senderName)},
      {QStringLiteral("text"), qs(m.text)},
  };
  if (m.status == api::MessageStatus::Failed) {
    line.insert(QStringLiteral("failure"), qs(m.failureReason));
  }
  return line;
}

QJsonObject chatJson(const api::ChatSummary& chat) {
  QJsonObject line{
      {QStringLiteral("chat"), qs(chat.jid)},
      {QStringLiteral("kind"),
       chat.kind == api::ChatKind::Group ? QStringLiteral("group") : QStringLiteral("direct")},
      {QStringLiteral("name"), qs(chat.name)},
      {QStringLiteral("unread"), chat.unreadCount},
      {QStringLiteral("last_activity"), unixSeconds(chat.lastActivity)},
  };
  if (chat.hasLastMessage) {
    const api::MessageView& m = chat.lastMessage;
    line.insert(QStringLiteral("last"),
                QJsonObject{{QStringLiteral("id"), qs(m.id)},
                            {QStringLiteral("direction"), directionName(m.direction)},
                            {QStringLiteral("status"), statusName(m.status)},
                            {QStringLiteral("kind"), kindName(m.kind)},
                            {QStringLiteral("text"), qs(m.text)}});
  }
  return line;
}

QJsonObject groupJson(const api::GroupInfo& group) {
  QJsonArray participants;
  for (const api::GroupParticipant& p : group.participants) {
    participants.append(QJsonObject{{QStringLiteral("jid"), qs(p.jid)},
                                    {QStringLiteral("admin"), p.admin},
                                    {QStringLiteral("super_admin"), p.superAdmin}});
  }
  return QJsonObject{
      {QStringLiteral("group"), qs(group.jid)},
      {QStringLiteral("subject"), qs(group.subject)},
      {QStringLiteral("creator"), qs(group.creatorJid)},
      {QStringLiteral("created"), unixSeconds(group.created)},
      {QStringLiteral("participants"), participants},
  };
}

}  // namespace chorus::app::cli
