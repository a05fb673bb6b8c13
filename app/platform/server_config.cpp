#include "app/platform/server_config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <initializer_list>

#include "core/protocol/noise/cert_chain.h"

namespace chorus::app {

using core::Errc;
using core::fail;

namespace {

constexpr qint64 kMaxConfigSize = 64 * 1024;
constexpr qsizetype kRootKeyHexSize = 64;

std::string where(const QString& origin, const char* field) {
  return origin.toStdString() + ": field \"" + field + "\"";
}

// A string field: Malformed when present with another type, or missing while required.
core::Result<QString> stringField(const QJsonObject& o, const QString& origin, const char* field,
                                  bool required) {
  const QJsonValue v = o.value(QLatin1String(field));
  if (v.isUndefined()) {
    if (required) return fail(Errc::Malformed, where(origin, field) + " is missing");
    return QString();
  }
  if (!v.isString()) return fail(Errc::Malformed, where(origin, field) + " is not a string");
  if (v.toString().isEmpty()) return fail(Errc::Malformed, where(origin, field) + " is empty");
  return v.toString();
}

core::Result<QUrl> urlField(const QJsonObject& o, const QString& origin, const char* field,
                            bool required, std::initializer_list<const char*> schemes) {
  CHORUS_TRY(text, stringField(o, origin, field, required));
  if (text.isEmpty()) return QUrl();
  const QUrl url(text, QUrl::StrictMode);
  bool schemeOk = false;
  for (const char* scheme : schemes) schemeOk = schemeOk || url.scheme() == QLatin1String(scheme);
  if (!url.isValid() || !schemeOk || url.host().isEmpty()) {
    std::string allowed;
    for (const char* scheme : schemes)
      allowed += (allowed.empty() ? "" : " or ") + std::string(scheme);
    return fail(Errc::Malformed, where(origin, field) + " is not a valid " + allowed +
                                     " URL: " + text.toStdString());
  }
  return url;
}

core::Result<core::Bytes> rootKeyField(const QJsonObject& o, const QString& origin) {
  CHORUS_TRY(text, stringField(o, origin, "root_key", true));
  bool allHex = text.size() == kRootKeyHexSize;
  for (const QChar c : text)
    allHex = allHex && QStringLiteral("0123456789abcdefABCDEF").contains(c);
  if (!allHex) {
    return fail(Errc::Malformed, where(origin, "root_key") + " must be exactly 64 hex digits (" +
                                     std::to_string(text.size()) + " characters given)");
  }
  auto key = core::fromHex(text.toStdString());
  if (!key || key->size() != core::noise::kWhatsAppRootKey.size()) {
    return fail(Errc::Malformed, where(origin, "root_key") + " is not a 32-byte key");
  }
  return std::move(key).value();
}

core::Result<QString> caField(const QJsonObject& o, const QString& origin) {
  CHORUS_TRY(text, stringField(o, origin, "ca", false));
  if (text.isEmpty()) return QString();
  const QString path = QDir(QFileInfo(origin).absolutePath()).absoluteFilePath(text);
  const QFileInfo info(path);
  if (!info.exists()) {
    return fail(Errc::NotFound, where(origin, "ca") + ": no file " + path.toStdString());
  }
  if (!info.isFile())
    return fail(Errc::Malformed, where(origin, "ca") + ": not a file: " + path.toStdString());
  return QDir::cleanPath(path);
}

}  // namespace

ServerConfig defaultServerConfig() {
  ServerConfig config;
  config.chatUrl = QUrl(QLatin1String(kWhatsAppChatUrl));
  config.rootKey.assign(core::noise::kWhatsAppRootKey.begin(), core::noise::kWhatsAppRootKey.end());
  return config;
}

core::Result<ServerConfig> parseServerConfig(const QByteArray& json, const QString& origin) {
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
  if (error.error != QJsonParseError::NoError) {
    return fail(Errc::Malformed, origin.toStdString() + ": not valid JSON (" +
                                     error.errorString().toStdString() + " at offset " +
                                     std::to_string(error.offset) + ")");
  }
  if (!doc.isObject()) return fail(Errc::Malformed, origin.toStdString() + ": not a JSON object");
  const QJsonObject o = doc.object();

  ServerConfig config;
  CHORUS_TRY(chat, urlField(o, origin, "ws", true, {"ws", "wss"}));
  CHORUS_TRY(rootKey, rootKeyField(o, origin));
  CHORUS_TRY(control, urlField(o, origin, "control", false, {"http", "https"}));
  CHORUS_TRY(media, urlField(o, origin, "media", false, {"http", "https"}));
  CHORUS_TRY(ca, caField(o, origin));
  config.chatUrl = std::move(chat);
  config.rootKey = std::move(rootKey);
  config.controlUrl = std::move(control);
  config.mediaUrl = std::move(media);
  config.caPath = std::move(ca);
  return config;
}

core::Result<ServerConfig> loadServerConfig(const QString& path) {
  const QFileInfo info(path);
  if (!info.exists())
    return fail(Errc::NotFound, "server config " + path.toStdString() + " does not exist");
  if (!info.isFile())
    return fail(Errc::Io, "server config " + path.toStdString() + " is not a file");
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return fail(Errc::Io, "cannot read server config " + path.toStdString() + ": " +
                              file.errorString().toStdString());
  }
  const QByteArray json = file.read(kMaxConfigSize + 1);
  if (json.size() > kMaxConfigSize) {
    return fail(Errc::TooLarge, "server config " + path.toStdString() + " is over 64 KiB");
  }
  return parseServerConfig(json, info.absoluteFilePath());
}

core::Result<ServerConfig> serverConfigFromOption(const QString& path) {
  if (path.isEmpty()) return defaultServerConfig();
  return loadServerConfig(path);
}

}  // namespace chorus::app
