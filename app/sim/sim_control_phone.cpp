#include "app/sim/sim_control_phone.h"

#include <QHttpServer>
#include <QJsonArray>

#include "app/sim/sim_control_json.h"
#include "app/sim/sim_history.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_phone.h"

namespace chorus::sim {
namespace {

using control::HttpStatus;
using control::jsonError;
using control::jsonObject;
using Method = QHttpServerRequest::Method;

constexpr qsizetype kMaxConversations = 500;
constexpr qsizetype kMaxMessages = 2000;

std::string str(const QJsonObject& object, const char* key) {
  return object.value(QLatin1String(key)).toString().toStdString();
}

// The history-sync body; nullopt when it is not of the documented shape.
std::optional<HistoryInput> historyInput(const QJsonObject& body) {
  HistoryInput input;
  const QJsonArray conversations = body.value(QStringLiteral("conversations")).toArray();
  if (conversations.size() > kMaxConversations) return std::nullopt;
  for (const QJsonValue& value : conversations) {
    const QJsonObject c = value.toObject();
    HistoryConversation conversation{str(c, "id"), str(c, "name"), {}};
    if (conversation.id.empty()) return std::nullopt;
    const QJsonArray messages = c.value(QStringLiteral("messages")).toArray();
    if (messages.size() > kMaxMessages) return std::nullopt;
    for (const QJsonValue& m : messages) {
      const QJsonObject o = m.toObject();
      conversation.messages.push_back({o.value(QStringLiteral("fromMe")).toBool(), str(o, "text"),
                                       static_cast<std::int64_t>(o.value(QStringLiteral("timestamp")).toDouble())});
    }
    input.conversations.push_back(std::move(conversation));
  }
  for (const QJsonValue& value : body.value(QStringLiteral("pushnames")).toArray()) {
    const QJsonObject p = value.toObject();
    input.pushnames.push_back({str(p, "id"), str(p, "name")});
  }
  return input;
}

}  // namespace

void addPhoneRoutes(QHttpServer& server, SimHub& hub) {
  server.route(QStringLiteral("/accounts/<arg>/send"), Method::Post,
               [&hub](const QString& phone, const QHttpServerRequest& request) {
                 const auto body = jsonObject(request);
                 if (!body || !body->value(QStringLiteral("to")).isString() ||
                     !body->value(QStringLiteral("text")).isString()) {
                   return jsonError(HttpStatus::BadRequest, "expected {\"to\":\"digits\",\"text\":\"…\"}");
                 }
                 auto id = hub.phones().sendText(phone.toStdString(), str(*body, "to"), str(*body, "text"));
                 if (!id) return jsonError(id.error());
                 return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), QString::fromStdString(*id)}},
                                            HttpStatus::Accepted);
               });
  server.route(QStringLiteral("/accounts/<arg>/read"), Method::Post,
               [&hub](const QString& phone, const QHttpServerRequest& request) {
                 const auto body = jsonObject(request);
                 if (!body || !body->value(QStringLiteral("chat")).isString()) {
                   return jsonError(HttpStatus::BadRequest, "expected {\"chat\":\"<jid or digits>\"}");
                 }
                 auto ids = hub.phones().markRead(phone.toStdString(), str(*body, "chat"));
                 if (!ids) return jsonError(ids.error());
                 QJsonArray read;
                 for (const std::string& id : *ids) read.append(QString::fromStdString(id));
                 return QHttpServerResponse(QJsonObject{{QStringLiteral("read"), read}});
               });
  server.route(QStringLiteral("/accounts/<arg>/history-sync"), Method::Post,
               [&hub](const QString& phone, const QHttpServerRequest& request) {
                 const auto body = jsonObject(request);
                 const auto input = body ? historyInput(*body) : std::nullopt;
                 if (!input) return jsonError(HttpStatus::BadRequest, "expected {\"conversations\":[{\"id\",…}]}");
                 if (hub.mediaEndpoint().folder.empty()) {
                   return jsonError(HttpStatus::ServiceUnavailable, "no media host");
                 }
                 auto upload = buildHistorySync(*input, hub.mediaEndpoint().folder,
                                                hub.mediaEndpoint().hostname, hub.random());
                 if (!upload) return jsonError(upload.error());
                 auto id = hub.phones().sendToCompanions(phone.toStdString(), upload->notification);
                 if (!id) return jsonError(id.error());
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("id"), QString::fromStdString(*id)},
                                 {QStringLiteral("direct_path"), QString::fromStdString(upload->directPath)},
                                 {QStringLiteral("url"), QString::fromStdString(upload->url)}},
                     HttpStatus::Accepted);
               });
  server.route(QStringLiteral("/accounts/<arg>/app-state-key"), Method::Post,
               [&hub](const QString& phone) {
                 auto id = hub.phones().sendToCompanions(phone.toStdString(),
                                                         appStateKeyShare(hub.random(), hub.nowSeconds()));
                 if (!id) return jsonError(id.error());
                 return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), QString::fromStdString(*id)}},
                                            HttpStatus::Accepted);
               });
  server.route(QStringLiteral("/accounts/<arg>/inbox"), Method::Get, [&hub](const QString& phone) {
    QJsonArray messages;
    for (const PhoneInboxEntry& e : hub.phones().inbox(phone.toStdString())) {
      messages.append(QJsonObject{{QStringLiteral("id"), QString::fromStdString(e.id)},
                                  {QStringLiteral("from"), QString::fromStdString(e.sender)},
                                  {QStringLiteral("chat"), QString::fromStdString(e.chat)},
                                  {QStringLiteral("fromMe"), e.fromMe},
                                  {QStringLiteral("read"), e.read},
                                  {QStringLiteral("kind"), QString::fromStdString(e.kind)},
                                  {QStringLiteral("text"), QString::fromStdString(e.text)},
                                  {QStringLiteral("timestamp"), static_cast<qint64>(e.timestamp)}});
    }
    QJsonArray receipts;
    for (const PhoneReceipt& r : hub.phones().receipts(phone.toStdString())) {
      receipts.append(QJsonObject{{QStringLiteral("id"), QString::fromStdString(r.id)},
                                  {QStringLiteral("from"), QString::fromStdString(r.from)},
                                  {QStringLiteral("type"), QString::fromStdString(r.type)}});
    }
    return QHttpServerResponse(QJsonObject{{QStringLiteral("messages"), messages},
                                           {QStringLiteral("receipts"), receipts}});
  });
}

}  // namespace chorus::sim
