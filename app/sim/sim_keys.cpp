#include "app/sim/sim_keys.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <string>

#include "core/protocol/noise/cert_chain.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;
using core::Result;

constexpr int kKeysFileVersion = 1;
constexpr auto kKeysFileName = "/keys.json";
// Certificate validity: from 2023-11-14 to 2100-01-01, so no test ever meets an expired chain.
constexpr std::uint64_t kCertNotBefore = 1'700'000'000;
constexpr std::uint64_t kCertNotAfter = 4'102'444'800;
constexpr std::uint32_t kIntermediateSerial = 1;
constexpr std::uint32_t kLeafSerial = 2;

Result<core::crypto::KeyPair> keyFromJson(const QJsonObject& obj, const char* name) {
  const QString hex = obj.value(QLatin1String(name)).toString();
  auto raw = core::fromHex(hex.toStdString());
  if (!raw || raw->size() != core::crypto::kCurveKeySize) {
    return fail(Errc::Malformed, std::string("keys.json: bad or missing key ") + name);
  }
  const core::SecretBytes secret(*raw);
  CHORUS_TRY(derived, core::crypto::keyPairFromPrivate(secret.view()));
  std::fill(raw->begin(), raw->end(), std::uint8_t{0});
  return derived;
}

QString privateHex(const core::crypto::KeyPair& pair) {
  return QString::fromStdString(core::toHex(pair.privateKey.view()));
}

}  // namespace

Result<SimKeys> SimKeys::loadOrCreate(const QString& dataDir, core::Random& random) {
  const QString path = dataDir + QLatin1String(kKeysFileName);
  SimKeys keys;
  QFile file(path);
  if (file.exists()) {
    if (!file.open(QIODevice::ReadOnly)) return fail(Errc::Io, "cannot read keys.json");
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    const QJsonObject obj = doc.object();
    if (!doc.isObject() || obj.value(QStringLiteral("version")).toInt() != kKeysFileVersion) {
      return fail(Errc::Malformed, "keys.json: not a version 1 key file");
    }
    CHORUS_TRY(root, keyFromJson(obj, "root"));
    CHORUS_TRY(intermediate, keyFromJson(obj, "intermediate"));
    CHORUS_TRY(serverStatic, keyFromJson(obj, "static"));
    keys.root_ = std::move(root);
    keys.intermediate_ = std::move(intermediate);
    keys.static_ = std::move(serverStatic);
  } else {
    CHORUS_TRY(root, core::crypto::generateKeyPair(random));
    CHORUS_TRY(intermediate, core::crypto::generateKeyPair(random));
    CHORUS_TRY(serverStatic, core::crypto::generateKeyPair(random));
    keys.root_ = std::move(root);
    keys.intermediate_ = std::move(intermediate);
    keys.static_ = std::move(serverStatic);

    QJsonObject obj;
    obj.insert(QStringLiteral("version"), kKeysFileVersion);
    obj.insert(QStringLiteral("root"), privateHex(keys.root_));
    obj.insert(QStringLiteral("intermediate"), privateHex(keys.intermediate_));
    obj.insert(QStringLiteral("static"), privateHex(keys.static_));
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) ||
        !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        out.write(QJsonDocument(obj).toJson()) < 0 || !out.commit()) {
      return fail(Errc::Io, "cannot write keys.json");
    }
  }

  core::noise::CertChainParams params;
  params.rootPrivateKey = keys.root_.privateKey.view();
  params.intermediatePrivateKey = keys.intermediate_.privateKey.view();
  params.intermediateSerial = kIntermediateSerial;
  params.leafSerial = kLeafSerial;
  params.leafKey = keys.static_.publicKey;
  params.notBefore = kCertNotBefore;
  params.notAfter = kCertNotAfter;
  CHORUS_TRY(chain, core::noise::createCertChain(params, random));
  keys.certChain_ = std::move(chain);
  return keys;
}

}  // namespace chorus::sim
