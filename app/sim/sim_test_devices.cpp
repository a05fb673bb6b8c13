#include "app/sim/sim_test_devices.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/sim/sim_hub.h"
#include "app/sim/sim_registry.h"
#include "app/sim/sim_sqlite.h"

namespace chorus::sim {
namespace {

using Status = QHttpServerResponder::StatusCode;

constexpr qsizetype kMaxBody = 4 * 1024 * 1024;
constexpr qsizetype kMaxTestDevicesPerCall = 10'000;
constexpr std::size_t kNoiseKeySize = 32;
constexpr std::size_t kMaxPhoneDigits = 15;

QHttpServerResponse error(Status status, const std::string& message) {
  return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), QString::fromStdString(message)}},
                             status);
}

bool digitsOnly(const std::string& s) {
  return !s.empty() && s.size() <= kMaxPhoneDigits &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

core::Result<std::size_t> provision(SimHub& hub, const QJsonArray& devices) {
  std::vector<DeviceRecord> records;
  for (const QJsonValue& value : devices) {
    const QJsonObject entry = value.toObject();
    const std::string phone = entry.value(QStringLiteral("phone")).toString().toStdString();
    auto key = core::fromHex(entry.value(QStringLiteral("noise_key")).toString().toStdString());
    if (!digitsOnly(phone) || !key || key->size() != kNoiseKeySize) {
      return core::fail(core::Errc::InvalidArgument, "each device needs phone digits and a "
                                                     "32-byte hex noise_key");
    }
    DeviceRecord record;
    record.phone = phone;
    record.device = 1;
    record.noiseKey = std::move(*key);
    record.createdAt = hub.nowSeconds();
    records.push_back(std::move(record));
  }
  sqlite3* db = hub.registry().db();
  CHORUS_CHECK(sqlExec(db, "SAVEPOINT test_devices"));  // SimQueue may hold a batch open
  for (DeviceRecord& record : records) {
    core::Status st = core::ok();
    if (!hub.registry().findAccount(record.phone)) {
      AccountRecord account;
      account.phone = record.phone;
      account.createdAt = record.createdAt;
      st = hub.registry().putAccount(std::move(account));
    }
    if (st) st = hub.registry().putDevice(std::move(record));
    if (!st) {
      // Memory may now hold rows the file lost; this route is for throwaway test data only.
      (void)sqlExec(db, "ROLLBACK TO test_devices; RELEASE test_devices");
      return core::Unexpected<core::Error>(st.error());
    }
  }
  CHORUS_CHECK(sqlExec(db, "RELEASE test_devices"));
  return records.size();
}

}  // namespace

void addTestDeviceRoutes(QHttpServer& server, SimHub& hub) {
  server.route(QStringLiteral("/test/devices"), QHttpServerRequest::Method::Post,
               [&hub](const QHttpServerRequest& request) {
                 if (request.body().size() > kMaxBody) return error(Status::BadRequest, "too large");
                 const QJsonDocument doc = QJsonDocument::fromJson(request.body());
                 const QJsonArray devices = doc.object().value(QStringLiteral("devices")).toArray();
                 if (devices.isEmpty() || devices.size() > kMaxTestDevicesPerCall) {
                   return error(Status::BadRequest, "expected {\"devices\":[{phone,noise_key}…]}");
                 }
                 auto created = provision(hub, devices);
                 if (!created) {
                   return error(created.error().code == core::Errc::InvalidArgument
                                    ? Status::BadRequest
                                    : Status::InternalServerError,
                                core::describe(created.error()));
                 }
                 hub.log().info("sim", "test devices provisioned: " + std::to_string(*created));
                 return QHttpServerResponse(
                     QJsonObject{{QStringLiteral("created"), static_cast<qint64>(*created)}},
                     Status::Created);
               });
}

}  // namespace chorus::sim
