#include "app/sim/sim_control.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/sim/sim_connection.h"
#include "app/sim/sim_control_phone.h"
#include "app/sim/sim_control_sessions.h"
#include "app/sim/sim_hub.h"
#include "app/sim/sim_pairing.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_test_devices.h"
#include "core/protocol/jid/jid.h"

namespace chorus::sim {
namespace {

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

constexpr qsizetype kMaxBody = 64 * 1024;

QHttpServerResponse errorResponse(Status status, const std::string& message) {
  return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), QString::fromStdString(message)}},
                             status);
}

QHttpServerResponse errorResponse(const core::Error& error) {
  switch (error.code) {
    case core::Errc::InvalidArgument: return errorResponse(Status::BadRequest, error.detail);
    case core::Errc::Auth: return errorResponse(Status::Forbidden, error.detail);
    case core::Errc::NotFound: return errorResponse(Status::NotFound, error.detail);
    case core::Errc::Unsupported: return errorResponse(Status::Conflict, error.detail);
    case core::Errc::Timeout: return errorResponse(Status::Gone, error.detail);  // expired QR ref
    default: return errorResponse(Status::InternalServerError, core::describe(error));
  }
}

// The request body as a JSON object; nullopt when it is not one.
std::optional<QJsonObject> jsonBody(const QHttpServerRequest& request) {
  if (request.body().size() > kMaxBody) return std::nullopt;
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(request.body(), &error);
  if (error.error != QJsonParseError::NoError || !document.isObject()) return std::nullopt;
  return document.object();
}

QString jidText(const std::string& user, std::string_view server, std::uint32_t device) {
  core::jid::Jid jid;
  jid.user = user;
  jid.server = std::string(server);
  jid.device = static_cast<std::uint16_t>(device);
  jid.form = device == 0 ? core::jid::JidForm::Pair : core::jid::JidForm::AD;
  return QString::fromStdString(core::jid::format(jid));
}

QJsonObject accountJson(const AccountRecord& account) {
  QJsonObject json{{QStringLiteral("phone"), QString::fromStdString(account.phone)},
                   {QStringLiteral("jid"), jidText(account.phone, core::jid::kUserServer, 0)},
                   {QStringLiteral("has_phone"), account.hasPhone()}};
  if (!account.lid.empty()) {
    json.insert(QStringLiteral("lid"), jidText(account.lid, core::jid::kLidServer, 0));
  }
  return json;
}

}  // namespace

SimControl::SimControl(SimHub& hub, QObject* parent)
    : QObject(parent), hub_(hub), server_(new QHttpServer(this)) {
  addTestDeviceRoutes(*server_, hub_);  // POST /test/devices: load tests only
  addSessionRoutes(*server_, hub_);  // unlink, bans, stream errors, faults, config, codes
  addPhoneRoutes(*server_, hub_);    // the phone sends, history sync, inbox
  server_->route(QStringLiteral("/accounts"), Method::Post,
                 [this](const QHttpServerRequest& request) {
                   const auto body = jsonBody(request);
                   if (!body || !body->value(QStringLiteral("phone")).isString()) {
                     return errorResponse(Status::BadRequest, "expected {\"phone\":\"digits\"}");
                   }
                   auto account = hub_.pairing().createAccount(
                       body->value(QStringLiteral("phone")).toString().toStdString());
                   if (!account) return errorResponse(account.error());
                   return QHttpServerResponse(accountJson(**account), Status::Created);
                 });
  server_->route(QStringLiteral("/accounts"), Method::Get, [this] {
    QJsonArray accounts;
    for (const AccountRecord* account : hub_.registry().allAccounts()) {
      accounts.append(accountJson(*account));
    }
    return QHttpServerResponse(accounts);
  });
  server_->route(
      QStringLiteral("/accounts/<arg>/scan"), Method::Post,
      [this](const QString& phone, const QHttpServerRequest& request) {
        const auto body = jsonBody(request);
        if (!body || !body->value(QStringLiteral("qr")).isString()) {
          return errorResponse(Status::BadRequest, "expected {\"qr\":\"ref,noise,identity,adv\"}");
        }
        auto outcome = hub_.pairing().scan(
            phone.toStdString(), body->value(QStringLiteral("qr")).toString().toStdString());
        if (!outcome) return errorResponse(outcome.error());
        QJsonObject json{{QStringLiteral("device"), QString::fromStdString(outcome->deviceJid)},
                         {QStringLiteral("key_index"), static_cast<qint64>(outcome->keyIndex)}};
        if (!outcome->lidJid.empty()) {
          json.insert(QStringLiteral("lid"), QString::fromStdString(outcome->lidJid));
        }
        return QHttpServerResponse(json, Status::Accepted);
      });
  server_->route(QStringLiteral("/devices"), Method::Get, [this] {
    QJsonArray devices;
    for (const DeviceRecord* device : hub_.registry().allDevices()) {
      const auto prekeys = hub_.prekeys().count(device->phone, device->device);
      const auto queued = hub_.queue().size(device->phone, device->device);
      devices.append(QJsonObject{
          {QStringLiteral("jid"), jidText(device->phone, core::jid::kUserServer, device->device)},
          {QStringLiteral("phone"), QString::fromStdString(device->phone)},
          {QStringLiteral("device"), static_cast<qint64>(device->device)},
          {QStringLiteral("key_index"), static_cast<qint64>(device->keyIndex)},
          {QStringLiteral("online"), hub_.findDevice(device->phone, device->device) != nullptr},
          {QStringLiteral("prekeys"), prekeys ? static_cast<qint64>(*prekeys) : -1},
          {QStringLiteral("queued"), queued ? static_cast<qint64>(*queued) : -1}});
    }
    return QHttpServerResponse(devices);
  });
  server_->route(QStringLiteral("/connections"), Method::Get, [this] {
    QJsonArray connections;
    for (const SimConnection* connection : hub_.connections()) {
      QJsonObject json{{QStringLiteral("id"), static_cast<qint64>(connection->id())}};
      if (connection->kind() == SimConnection::Kind::Device) {
        json.insert(QStringLiteral("kind"), QStringLiteral("device"));
        json.insert(QStringLiteral("jid"),
                    jidText(connection->phone(), core::jid::kUserServer, connection->device()));
      } else {
        json.insert(QStringLiteral("kind"), QStringLiteral("registration"));
      }
      connections.append(json);
    }
    return QHttpServerResponse(connections);
  });
}

core::Status SimControl::listen(quint16 port) {
  port_ = server_->listen(QHostAddress::LocalHost, port);
  if (port_ == 0) {
    return core::fail(core::Errc::Io,
                      "cannot listen for the control API on 127.0.0.1:" + std::to_string(port));
  }
  return core::ok();
}

QString SimControl::url() const {
  return QStringLiteral("http://127.0.0.1:%1").arg(port_);
}

}  // namespace chorus::sim
