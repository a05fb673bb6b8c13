#include "app/sim/sim_control_sessions.h"

#include <QHttpServer>
#include <QJsonArray>
#include <chrono>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_control_json.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_pairing.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_stanzas.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using control::HttpStatus;
using control::jsonError;
using control::jsonObject;
using Method = QHttpServerRequest::Method;

constexpr qint64 kMaxStallMs = 600'000;
constexpr qint64 kMaxDelayMs = 60'000;
constexpr int kMaxDuplicate = 1000;
constexpr int kMinStreamCode = 100;
constexpr int kMaxStreamCode = 999;

QString deviceJid(const QString& phone, std::uint32_t device) {
  return QStringLiteral("%1:%2@s.whatsapp.net").arg(phone).arg(device);
}

// "{phone}/{n}" → the device number, or nullopt when n is not a number from 1.
std::optional<std::uint32_t> deviceNumber(const QString& text) {
  bool ok = false;
  const uint n = text.toUInt(&ok);
  if (!ok || n == 0 || n > UINT16_MAX) return std::nullopt;
  return n;
}

SimConnection* findConnection(SimHub& hub, const QString& idText) {
  bool ok = false;
  const qulonglong id = idText.toULongLong(&ok);
  if (!ok) return nullptr;
  for (SimConnection* connection : hub.connections()) {
    if (connection->id() == id) return connection;
  }
  return nullptr;
}

QJsonObject banJson(const SimBan& ban) {
  QJsonObject json{{QStringLiteral("phone"), QString::fromStdString(ban.phone)},
                   {QStringLiteral("reason"), ban.reason}};
  if (ban.code != 0) json.insert(QStringLiteral("code"), ban.code);
  if (ban.expiresAt != 0)
    json.insert(QStringLiteral("expires_at"), static_cast<qint64>(ban.expiresAt));
  return json;
}

QJsonObject configJson(const SimConfig& config) {
  return QJsonObject{{QStringLiteral("qr_first_ms"), static_cast<qint64>(config.qrFirst.count())},
                     {QStringLiteral("qr_next_ms"), static_cast<qint64>(config.qrNext.count())},
                     {QStringLiteral("min_version"), QString::fromStdString(config.minVersion)}};
}

QJsonObject faultsJson(const SimConnection& connection) {
  const SimFaults& faults = connection.faults();
  const SimFaults::Settings& s = faults.settings();
  return QJsonObject{{QStringLiteral("delay_ms"), static_cast<qint64>(s.delay.count())},
                     {QStringLiteral("duplicate"), s.duplicate},
                     {QStringLiteral("swap"), s.swap},
                     {QStringLiteral("stalled"), connection.isStalled()},
                     {QStringLiteral("waiting"), static_cast<qint64>(faults.waiting())}};
}

// The body of a faults PUT over `base`: delay_ms, duplicate and swap, each optional.
std::optional<SimFaults::Settings> faultsFrom(const QJsonObject& body, SimFaults::Settings base) {
  const qint64 delay = body.value(QStringLiteral("delay_ms")).toInteger(base.delay.count());
  const int duplicate = body.value(QStringLiteral("duplicate")).toInt(base.duplicate);
  if (delay < 0 || delay > kMaxDelayMs || duplicate < 0 || duplicate > kMaxDuplicate) {
    return std::nullopt;
  }
  base.delay = std::chrono::milliseconds(delay);
  base.duplicate = duplicate;
  base.swap = body.value(QStringLiteral("swap")).toBool(base.swap);
  return base;
}

QJsonObject nodeJson(const core::binary::Node& node) {
  QJsonObject attrs;
  for (const auto& attr : node.attrs) {
    attrs.insert(QString::fromStdString(attr.key),
                 QString::fromStdString(node.attrText(attr.key).value_or("")));
  }
  return QJsonObject{{QStringLiteral("tag"), QString::fromStdString(node.tag)},
                     {QStringLiteral("attrs"), attrs}};
}

void addDeviceRoutes(QHttpServer& server, SimHub& hub) {
  server.route(QStringLiteral("/devices/<arg>/<arg>"), Method::Delete,
               [&hub](const QString& phone, const QString& n) {
                 const auto device = deviceNumber(n);
                 if (!device) return jsonError(HttpStatus::BadRequest, "bad device number");
                 if (auto st = hub.sessions().unlink(phone.toStdString(), *device); !st) {
                   return jsonError(st.error());
                 }
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("removed"), deviceJid(phone, *device)}});
               });
  server.route(QStringLiteral("/devices/<arg>/<arg>/replace"), Method::Post,
               [&hub](const QString& phone, const QString& n) {
                 const auto device = deviceNumber(n);
                 if (!device) return jsonError(HttpStatus::BadRequest, "bad device number");
                 if (auto st = hub.sessions().takeOver(phone.toStdString(), *device); !st) {
                   return jsonError(st.error());
                 }
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("replaced"), deviceJid(phone, *device)}});
               });
  server.route(QStringLiteral("/devices/<arg>/<arg>/next-faults"), Method::Put,
               [&hub](const QString& phone, const QString& n, const QHttpServerRequest& request) {
                 const auto device = deviceNumber(n);
                 if (!device) return jsonError(HttpStatus::BadRequest, "bad device number");
                 if (!hub.registry().findDevice(phone.toStdString(), *device)) {
                   return jsonError(HttpStatus::NotFound, "no such device");
                 }
                 const auto body = jsonObject(request);
                 if (!body) return jsonError(HttpStatus::BadRequest, "expected a JSON object");
                 const auto s = faultsFrom(*body, {});
                 if (!s) {
                   return jsonError(HttpStatus::BadRequest, "delay_ms 0…60000, duplicate 0…1000");
                 }
                 hub.setNextConnectionFaults(phone.toStdString(), *device, *s);
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("device"), deviceJid(phone, *device)},
                                 {QStringLiteral("delay_ms"), static_cast<qint64>(s->delay.count())},
                                 {QStringLiteral("duplicate"), s->duplicate},
                                 {QStringLiteral("swap"), s->swap}},
                     HttpStatus::Accepted);
               });
  server.route(QStringLiteral("/devices/<arg>/<arg>/queue"), Method::Get,
               [&hub](const QString& phone, const QString& n) {
                 const auto device = deviceNumber(n);
                 if (!device) return jsonError(HttpStatus::BadRequest, "bad device number");
                 if (!hub.registry().findDevice(phone.toStdString(), *device)) {
                   return jsonError(HttpStatus::NotFound, "no such device");
                 }
                 auto pending = hub.queue().pending(phone.toStdString(), *device);
                 if (!pending) return jsonError(pending.error());
                 QJsonArray out;
                 for (const auto& node : *pending) out.append(nodeJson(node));
                 return QHttpServerResponse(out);
               });
}

void addAccountRoutes(QHttpServer& server, SimHub& hub) {
  server.route(QStringLiteral("/accounts/<arg>/ban"), Method::Post,
               [&hub](const QString& phone, const QHttpServerRequest& request) {
                 const auto body = jsonObject(request);
                 if (!body || !body->value(QStringLiteral("reason")).isDouble()) {
                   return jsonError(
                       HttpStatus::BadRequest,
                       "expected {\"reason\":402|403|406[,\"code\":101,\"expire\":s]}");
                 }
                 SimBan ban{phone.toStdString(), body->value(QStringLiteral("reason")).toInt(),
                            body->value(QStringLiteral("code")).toInt(), 0};
                 const qint64 expire = body->value(QStringLiteral("expire")).toInteger();
                 if (expire > 0) ban.expiresAt = hub.nowSeconds() + expire;
                 if (auto st = hub.sessions().ban(ban); !st) return jsonError(st.error());
                 return QHttpServerResponse(banJson(ban), HttpStatus::Created);
               });
  server.route(QStringLiteral("/accounts/<arg>/ban"), Method::Get, [&hub](const QString& phone) {
    const auto ban = hub.sessions().banOf(phone.toStdString());
    if (!ban) return jsonError(HttpStatus::NotFound, "the account is not banned");
    return QHttpServerResponse(banJson(*ban));
  });
  server.route(QStringLiteral("/accounts/<arg>/ban"), Method::Delete, [&hub](const QString& phone) {
    if (auto st = hub.sessions().lift(phone.toStdString()); !st) return jsonError(st.error());
    return QHttpServerResponse(QJsonObject{{QStringLiteral("lifted"), true}});
  });
  server.route(QStringLiteral("/accounts/<arg>/pairing-code"), Method::Post,
               [&hub](const QString& phone, const QHttpServerRequest& request) {
                 const auto body = jsonObject(request);
                 if (!body || !body->value(QStringLiteral("code")).isString()) {
                   return jsonError(HttpStatus::BadRequest, "expected {\"code\":\"ABCD-EFGH\"}");
                 }
                 auto outcome = hub.pairing().enterCode(
                     phone.toStdString(),
                     body->value(QStringLiteral("code")).toString().toStdString());
                 if (!outcome) return jsonError(outcome.error());
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("connection"), static_cast<qint64>(*outcome)}},
                     HttpStatus::Accepted);
               });
  server.route(QStringLiteral("/config"), Method::Get,
               [&hub] { return QHttpServerResponse(configJson(hub.sessions().config())); });
  server.route(QStringLiteral("/config"), Method::Put, [&hub](const QHttpServerRequest& request) {
    const auto body = jsonObject(request);
    if (!body) return jsonError(HttpStatus::BadRequest, "expected a JSON object");
    SimConfig config = hub.sessions().config();
    if (body->contains(QStringLiteral("qr_first_ms"))) {
      config.qrFirst =
          std::chrono::milliseconds(body->value(QStringLiteral("qr_first_ms")).toInteger());
    }
    if (body->contains(QStringLiteral("qr_next_ms"))) {
      config.qrNext =
          std::chrono::milliseconds(body->value(QStringLiteral("qr_next_ms")).toInteger());
    }
    if (body->contains(QStringLiteral("min_version"))) {
      config.minVersion = body->value(QStringLiteral("min_version")).toString().toStdString();
    }
    if (auto st = hub.sessions().setConfig(std::move(config)); !st) return jsonError(st.error());
    return QHttpServerResponse(configJson(hub.sessions().config()));
  });
}

void addConnectionRoutes(QHttpServer& server, SimHub& hub) {
  server.route(QStringLiteral("/connections/<arg>/stream-error"), Method::Post,
               [&hub](const QString& id, const QHttpServerRequest& request) {
                 SimConnection* connection = findConnection(hub, id);
                 if (!connection) return jsonError(HttpStatus::NotFound, "no such connection");
                 const auto body = jsonObject(request);
                 const int code = body ? body->value(QStringLiteral("code")).toInt() : 0;
                 if (code < kMinStreamCode || code > kMaxStreamCode) {
                   return jsonError(HttpStatus::BadRequest, "expected {\"code\":515|503|…}");
                 }
                 connection->endWith(stanza::streamError(code),
                                     "stream error " + std::to_string(code) + " (control API)");
                 return QHttpServerResponse(QJsonObject{{QStringLiteral("sent"), code}});
               });
  server.route(QStringLiteral("/connections/<arg>/stream-end"), Method::Post,
               [&hub](const QString& id) {
                 SimConnection* connection = findConnection(hub, id);
                 if (!connection) return jsonError(HttpStatus::NotFound, "no such connection");
                 connection->endWith(core::binary::Node{"xmlstreamend", {}, {}},
                                     "xmlstreamend (control API)");
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("sent"), QStringLiteral("xmlstreamend")}});
               });
  server.route(QStringLiteral("/connections/<arg>/abort"), Method::Post, [&hub](const QString& id) {
    SimConnection* connection = findConnection(hub, id);
    if (!connection) return jsonError(HttpStatus::NotFound, "no such connection");
    connection->abort("control API");
    return QHttpServerResponse(QJsonObject{{QStringLiteral("aborted"), true}});
  });
  server.route(
      QStringLiteral("/connections/<arg>/stall"), Method::Post,
      [&hub](const QString& id, const QHttpServerRequest& request) {
        SimConnection* connection = findConnection(hub, id);
        if (!connection) return jsonError(HttpStatus::NotFound, "no such connection");
        const auto body = jsonObject(request);
        const auto ms =
            body ? static_cast<qint64>(body->value(QStringLiteral("seconds")).toDouble() * 1000)
                 : 0;
        if (ms <= 0 || ms > kMaxStallMs) {
          return jsonError(HttpStatus::BadRequest, "expected {\"seconds\":0.001…600}");
        }
        connection->stall(std::chrono::milliseconds(ms));
        return QHttpServerResponse(QJsonObject{{QStringLiteral("stalled_ms"), ms}},
                                   HttpStatus::Accepted);
      });
  server.route(QStringLiteral("/connections/<arg>/faults"), Method::Get, [&hub](const QString& id) {
    SimConnection* connection = findConnection(hub, id);
    if (!connection) return jsonError(HttpStatus::NotFound, "no such connection");
    return QHttpServerResponse(faultsJson(*connection));
  });
  server.route(
      QStringLiteral("/connections/<arg>/faults"), Method::Put,
      [&hub](const QString& id, const QHttpServerRequest& request) {
        SimConnection* connection = findConnection(hub, id);
        if (!connection) return jsonError(HttpStatus::NotFound, "no such connection");
        const auto body = jsonObject(request);
        if (!body) return jsonError(HttpStatus::BadRequest, "expected a JSON object");
        const auto s = faultsFrom(*body, connection->faults().settings());
        if (!s) return jsonError(HttpStatus::BadRequest, "delay_ms 0…60000, duplicate 0…1000");
        connection->faults().configure(*s);
        return QHttpServerResponse(faultsJson(*connection));
      });
}

}  // namespace

void addSessionRoutes(QHttpServer& server, SimHub& hub) {
  addDeviceRoutes(server, hub);
  addAccountRoutes(server, hub);
  addConnectionRoutes(server, hub);
}

}  // namespace chorus::sim
