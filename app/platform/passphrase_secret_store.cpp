#include "app/platform/passphrase_secret_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>
#include <utility>

#include "core/crypto/hash.h"

namespace chorus::app {

using core::Errc;
using core::fail;

namespace {

constexpr char kParamsFile[] = "passphrase.json";
constexpr char kSecretSuffix[] = ".secret";
constexpr int kFormatVersion = 1;
constexpr char kKdfName[] = "argon2id13";
constexpr char kCheckAad[] = "chorus/passphrase-check/v1";
constexpr char kCheckText[] = "chorus passphrase check";
constexpr char kSecretAadPrefix[] = "chorus/passphrase-secret/v1:";
constexpr std::uint8_t kSecretFileVersion = 1;
constexpr qint64 kMaxFileSize = 64 * 1024;
constexpr std::size_t kMaxNameSize = 1024;
// Limits on what a (possibly hostile) passphrase.json may ask the KDF to spend.
constexpr std::uint64_t kMaxOps = 16;
constexpr std::size_t kMinMem = 8 * 1024;
constexpr std::size_t kMaxMem = std::size_t{1} << 30;

constexpr QFileDevice::Permissions kOwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kOwnerDir =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

QString paramsPath(const QString& folder) {
  return folder + QLatin1Char('/') + QLatin1String(kParamsFile);
}

std::string fileError(const char* what, const QString& path, const QString& why) {
  return std::string(what) + " " + path.toStdString() + ": " + why.toStdString();
}

// Temporary file with owner-only permissions, then an atomic rename over `path`.
core::Status writeFileAtomically(const QString& path, core::BytesView bytes) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(Errc::Io, fileError("cannot create", path, file.errorString()));
  // Applies to the temporary file before anything is written to it; rename keeps the mode.
  if (!file.setPermissions(kOwnerFile)) {
    file.cancelWriting();
    return fail(Errc::Io, fileError("cannot restrict permissions of", path, file.errorString()));
  }
  const auto size = static_cast<qint64>(bytes.size());
  if (file.write(reinterpret_cast<const char*>(bytes.data()), size) != size) {
    file.cancelWriting();
    return fail(Errc::Io, fileError("cannot write", path, file.errorString()));
  }
  if (!file.commit()) return fail(Errc::Io, fileError("cannot commit", path, file.errorString()));
  return core::ok();
}

core::Result<core::Bytes> readSmallFile(const QString& path) {
  QFile file(path);
  if (!file.exists()) return fail(Errc::NotFound, "no file " + path.toStdString());
  if (!file.open(QIODevice::ReadOnly))
    return fail(Errc::Io, fileError("cannot open", path, file.errorString()));
  if (file.size() > kMaxFileSize)
    return fail(Errc::Malformed, "oversized file " + path.toStdString());
  const QByteArray data = file.read(kMaxFileSize + 1);
  if (data.size() > kMaxFileSize)
    return fail(Errc::Malformed, "oversized file " + path.toStdString());
  return core::Bytes(data.begin(), data.end());
}

core::Status makeOwnerOnlyFolder(const QString& folder) {
  if (!QDir().mkpath(folder)) return fail(Errc::Io, "cannot create folder " + folder.toStdString());
  if (!QFile::setPermissions(folder, kOwnerDir)) {
    return fail(Errc::Io, "cannot restrict permissions of " + folder.toStdString());
  }
  return core::ok();
}

struct KdfFile {
  core::Bytes salt;
  core::crypto::Argon2Params params;
  core::Bytes check;
};

core::Result<KdfFile> parseKdfFile(const core::Bytes& bytes) {
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(
      QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())),
      &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject()) {
    return fail(Errc::Malformed, "passphrase.json is not a JSON object");
  }
  const QJsonObject o = doc.object();
  if (o.value(QLatin1String("version")).toInteger(-1) != kFormatVersion ||
      o.value(QLatin1String("kdf")).toString() != QLatin1String(kKdfName)) {
    return fail(Errc::Malformed, "passphrase.json: unknown version or kdf");
  }
  const qint64 ops = o.value(QLatin1String("ops")).toInteger(-1);
  const qint64 mem = o.value(QLatin1String("mem")).toInteger(-1);
  if (ops < 1 || static_cast<std::uint64_t>(ops) > kMaxOps || mem < static_cast<qint64>(kMinMem) ||
      static_cast<std::size_t>(mem) > kMaxMem) {
    return fail(Errc::Malformed, "passphrase.json: argon2 costs out of range");
  }
  auto salt = core::fromHex(o.value(QLatin1String("salt")).toString().toStdString());
  auto check = core::fromHex(o.value(QLatin1String("check")).toString().toStdString());
  if (!salt || salt->size() != core::crypto::kArgon2SaltSize || !check || check->empty()) {
    return fail(Errc::Malformed, "passphrase.json: bad salt or check");
  }
  KdfFile kdf;
  kdf.salt = std::move(*salt);
  kdf.params.opsLimit = static_cast<std::uint64_t>(ops);
  kdf.params.memLimitBytes = static_cast<std::size_t>(mem);
  kdf.check = std::move(*check);
  return kdf;
}

core::Bytes secretAad(const std::string& name) {
  core::Bytes aad = core::toBytes(kSecretAadPrefix);
  core::append(aad, core::asBytes(name));
  return aad;
}

core::Status checkName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameSize)
    return fail(Errc::InvalidArgument, "bad secret name");
  return core::ok();
}

}  // namespace

PassphraseSecretStore::PassphraseSecretStore(QString folder, core::SecretBytes key,
                                             core::Random& random)
    : folder_(std::move(folder)), key_(std::move(key)), random_(random) {}

bool PassphraseSecretStore::isInitialized(const QString& folder) {
  return QFileInfo::exists(paramsPath(folder));
}

core::Result<std::unique_ptr<PassphraseSecretStore>> PassphraseSecretStore::create(
    const QString& folder, std::string_view passphrase, core::Random& random,
    const core::crypto::Argon2Params& params) {
  if (passphrase.empty()) return fail(Errc::InvalidArgument, "the passphrase is empty");
  if (isInitialized(folder)) {
    return fail(Errc::InvalidArgument, "a passphrase already protects " + folder.toStdString());
  }
  const core::Bytes salt = random.bytes(core::crypto::kArgon2SaltSize);
  CHORUS_TRY(key, core::crypto::argon2id(passphrase, salt, core::crypto::kAeadKeySize, params));
  CHORUS_TRY(check, core::crypto::sealWithRandomNonce(key.view(), core::asBytes(kCheckAad),
                                                      core::asBytes(kCheckText), random));
  CHORUS_CHECK(makeOwnerOnlyFolder(folder));

  QJsonObject o;
  o.insert(QLatin1String("version"), kFormatVersion);
  o.insert(QLatin1String("kdf"), QLatin1String(kKdfName));
  o.insert(QLatin1String("salt"), QString::fromStdString(core::toHex(salt)));
  o.insert(QLatin1String("ops"), static_cast<qint64>(params.opsLimit));
  o.insert(QLatin1String("mem"), static_cast<qint64>(params.memLimitBytes));
  o.insert(QLatin1String("check"), QString::fromStdString(core::toHex(check)));
  const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
  CHORUS_CHECK(writeFileAtomically(
      paramsPath(folder), core::BytesView(reinterpret_cast<const std::uint8_t*>(json.constData()),
                                          static_cast<std::size_t>(json.size()))));
  return std::unique_ptr<PassphraseSecretStore>(
      new PassphraseSecretStore(QDir(folder).absolutePath(), std::move(key), random));
}

core::Result<std::unique_ptr<PassphraseSecretStore>> PassphraseSecretStore::unlock(
    const QString& folder, std::string_view passphrase, core::Random& random) {
  auto bytes = readSmallFile(paramsPath(folder));
  if (!bytes) {
    if (bytes.error().code == Errc::NotFound) {
      return fail(Errc::NotFound, "no passphrase is set up in " + folder.toStdString());
    }
    return core::Unexpected<core::Error>(std::move(bytes).error());
  }
  CHORUS_TRY(kdf, parseKdfFile(*bytes));
  CHORUS_TRY(key,
             core::crypto::argon2id(passphrase, kdf.salt, core::crypto::kAeadKeySize, kdf.params));
  // The AEAD decides: only the right passphrase yields a key under which "check" opens.
  auto check = core::crypto::openWithNonce(key.view(), core::asBytes(kCheckAad), kdf.check);
  if (!check) {
    if (check.error().code == Errc::Malformed)
      return fail(Errc::Malformed, "passphrase.json: truncated check");
    return fail(Errc::Crypto, "wrong passphrase");
  }
  if (core::asString(check->view()) != kCheckText)
    return fail(Errc::Malformed, "passphrase.json: unknown check");
  // Tighten the folder again in case something loosened it.
  CHORUS_CHECK(makeOwnerOnlyFolder(folder));
  return std::unique_ptr<PassphraseSecretStore>(
      new PassphraseSecretStore(QDir(folder).absolutePath(), std::move(key), random));
}

QString PassphraseSecretStore::secretPath(const std::string& name) const {
  // Hashed, so file names have a fixed length and do not show which accounts exist.
  const std::string hash = core::toHex(core::crypto::sha256(core::asBytes(name)));
  return folder_ + QLatin1Char('/') + QString::fromStdString(hash) + QLatin1String(kSecretSuffix);
}

core::Result<core::SecretBytes> PassphraseSecretStore::readSecret(const std::string& name) const {
  CHORUS_CHECK(checkName(name));
  auto bytes = readSmallFile(secretPath(name));
  if (!bytes) {
    if (bytes.error().code == Errc::NotFound)
      return fail(Errc::NotFound, "no secret named " + name);
    return core::Unexpected<core::Error>(std::move(bytes).error());
  }
  if (bytes->empty() || bytes->front() != kSecretFileVersion) {
    return fail(Errc::Malformed, "secret file of " + name + " has an unknown format");
  }
  auto opened =
      core::crypto::openWithNonce(key_.view(), secretAad(name), core::BytesView(*bytes).subspan(1));
  if (!opened) {
    if (opened.error().code == Errc::Malformed)
      return fail(Errc::Malformed, "secret file of " + name + " is truncated");
    return fail(Errc::Crypto, "secret file of " + name + " does not authenticate");
  }
  return std::move(opened).value();
}

core::Status PassphraseSecretStore::writeSecret(const std::string& name,
                                                const core::SecretBytes& value) {
  CHORUS_CHECK(checkName(name));
  CHORUS_TRY(
      box, core::crypto::sealWithRandomNonce(key_.view(), secretAad(name), value.view(), random_));
  core::Bytes file;
  file.reserve(box.size() + 1);
  file.push_back(kSecretFileVersion);
  core::append(file, box);
  return writeFileAtomically(secretPath(name), file);
}

core::Status PassphraseSecretStore::removeSecret(const std::string& name) {
  CHORUS_CHECK(checkName(name));
  QFile file(secretPath(name));
  if (!file.exists()) return fail(Errc::NotFound, "no secret named " + name);
  if (!file.remove())
    return fail(Errc::Io, fileError("cannot remove", file.fileName(), file.errorString()));
  return core::ok();
}

void PassphraseSecretStore::read(const std::string& name, ReadDone done) {
  done(readSecret(name));
}

void PassphraseSecretStore::write(const std::string& name, core::SecretBytes value, Done done) {
  done(writeSecret(name, value));
}

void PassphraseSecretStore::remove(const std::string& name, Done done) {
  done(removeSecret(name));
}

}  // namespace chorus::app
