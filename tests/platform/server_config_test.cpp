#include "app/platform/server_config.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "core/protocol/noise/cert_chain.h"

namespace chorus::app {
namespace {

using core::Errc;

constexpr char kRootHex[] = "0dce5a7c2f6e4b1a9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddcc";

class ServerConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.isValid());
    QDir(tmp_.path()).mkpath(QStringLiteral("d/tls"));
    caPath_ = tmp_.path() + QStringLiteral("/d/tls/ca.pem");
    write(caPath_, "-----BEGIN CERTIFICATE-----\n");
  }
  static void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ASSERT_EQ(f.write(bytes), bytes.size());
  }
  // What chorus-sim writes: one compact line, keys sorted, then a newline.
  [[nodiscard]] QJsonObject simObject() const {
    return QJsonObject{{QStringLiteral("ca"), caPath_},
                       {QStringLiteral("control"), QStringLiteral("http://127.0.0.1:42421")},
                       {QStringLiteral("media"), QStringLiteral("https://127.0.0.1:39173")},
                       {QStringLiteral("root_key"), QLatin1String(kRootHex)},
                       {QStringLiteral("ws"), QStringLiteral("ws://127.0.0.1:41371/ws/chat")}};
  }
  QString writeConfig(const QByteArray& bytes) {
    const QString path = tmp_.path() + QStringLiteral("/d/server.json");
    write(path, bytes);
    return path;
  }
  QString writeConfig(const QJsonObject& o) {
    return writeConfig(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
  }
  QTemporaryDir tmp_;
  QString caPath_;
};

TEST_F(ServerConfigTest, DefaultIsTheRealWhatsApp) {
  const ServerConfig config = defaultServerConfig();
  EXPECT_EQ(config.chatUrl, QUrl(QStringLiteral("wss://web.whatsapp.com/ws/chat")));
  EXPECT_EQ(config.rootKey, core::Bytes(core::noise::kWhatsAppRootKey.begin(),
                                        core::noise::kWhatsAppRootKey.end()));
  EXPECT_TRUE(config.controlUrl.isEmpty());
  EXPECT_TRUE(config.mediaUrl.isEmpty());
  EXPECT_TRUE(config.caPath.isEmpty());

  auto fromEmptyOption = serverConfigFromOption(QString());
  ASSERT_TRUE(fromEmptyOption);
  EXPECT_EQ(fromEmptyOption->chatUrl, config.chatUrl);
  EXPECT_EQ(fromEmptyOption->rootKey, config.rootKey);
}

TEST_F(ServerConfigTest, LoadsWhatTheSimulatorWrites) {
  const QString path = writeConfig(simObject());
  auto config = serverConfigFromOption(path);
  ASSERT_TRUE(config) << describe(config.error());
  EXPECT_EQ(config->chatUrl, QUrl(QStringLiteral("ws://127.0.0.1:41371/ws/chat")));
  EXPECT_EQ(config->controlUrl, QUrl(QStringLiteral("http://127.0.0.1:42421")));
  EXPECT_EQ(config->mediaUrl, QUrl(QStringLiteral("https://127.0.0.1:39173")));
  EXPECT_EQ(core::toHex(config->rootKey), kRootHex);
  EXPECT_EQ(config->rootKey.size(), 32u);
  EXPECT_EQ(config->caPath, caPath_);
}

TEST_F(ServerConfigTest, RelativeCaIsTakenFromTheFilesFolderAndExtrasAreOptional) {
  QJsonObject o = simObject();
  o.insert(QStringLiteral("ca"), QStringLiteral("tls/ca.pem"));
  o.insert(QStringLiteral("future_field"), 42);
  auto config = loadServerConfig(writeConfig(o));
  ASSERT_TRUE(config) << describe(config.error());
  EXPECT_EQ(config->caPath, caPath_);

  const QJsonObject minimal{
      {QStringLiteral("ws"), QStringLiteral("wss://chat.example.org/ws/chat")},
      {QStringLiteral("root_key"), QString::fromLatin1(kRootHex).toUpper()}};
  auto small = loadServerConfig(writeConfig(minimal));
  ASSERT_TRUE(small) << describe(small.error());
  EXPECT_EQ(core::toHex(small->rootKey), kRootHex);
  EXPECT_TRUE(small->controlUrl.isEmpty());
  EXPECT_TRUE(small->mediaUrl.isEmpty());
  EXPECT_TRUE(small->caPath.isEmpty());
}

TEST_F(ServerConfigTest, FileProblemsHaveTheirOwnErrors) {
  const QString missing = tmp_.path() + QStringLiteral("/nowhere/server.json");
  auto absent = serverConfigFromOption(missing);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, Errc::NotFound);
  EXPECT_NE(absent.error().detail.find(missing.toStdString()), std::string::npos)
      << absent.error().detail;

  auto directory = loadServerConfig(tmp_.path());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, Errc::Io);

  auto huge = loadServerConfig(writeConfig(QByteArray(65 * 1024, ' ')));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, Errc::TooLarge);
}

TEST_F(ServerConfigTest, BadJsonIsMalformed) {
  for (const QByteArray& text :
       {QByteArray(""), QByteArray("{\"ws\":"), QByteArray("{'ws':1}"), QByteArray("[]"),
        QByteArray("\"ws\""), QByteArray("null"), QByteArray("{\"ws\":\"ws://h/\"} trailing")}) {
    const QString path = writeConfig(text);
    auto config = loadServerConfig(path);
    ASSERT_FALSE(config) << text.toStdString();
    EXPECT_EQ(config.error().code, Errc::Malformed) << text.toStdString();
    EXPECT_NE(config.error().detail.find(path.toStdString()), std::string::npos)
        << config.error().detail;
  }
}

TEST_F(ServerConfigTest, EveryBadFieldIsNamed) {
  struct Case {
    const char* field;
    QJsonValue value;  // Undefined: remove the field
    Errc code;
  };
  const QString directoryCa = tmp_.path() + QStringLiteral("/d/tls");
  const std::vector<Case> cases = {
      {"ws", QJsonValue(QJsonValue::Undefined), Errc::Malformed},
      {"ws", 8080, Errc::Malformed},
      {"ws", QString(), Errc::Malformed},
      {"ws", QStringLiteral("http://127.0.0.1:1/ws/chat"), Errc::Malformed},
      {"ws", QStringLiteral("ws:///ws/chat"), Errc::Malformed},
      {"ws", QStringLiteral("not a url"), Errc::Malformed},
      {"ws", QStringLiteral("ws://exa mple/ws"), Errc::Malformed},
      {"root_key", QJsonValue(QJsonValue::Undefined), Errc::Malformed},
      {"root_key", QJsonValue(QJsonValue::Null), Errc::Malformed},
      {"root_key", QString::fromLatin1(kRootHex).left(63), Errc::Malformed},
      {"root_key", QString::fromLatin1(kRootHex) + QStringLiteral("00"), Errc::Malformed},
      {"root_key", QString::fromLatin1(kRootHex).left(62) + QStringLiteral("zz"), Errc::Malformed},
      {"root_key", QString::fromLatin1(kRootHex).left(62) + QStringLiteral(" 0"), Errc::Malformed},
      {"root_key", QJsonArray(), Errc::Malformed},
      {"control", QStringLiteral("ftp://127.0.0.1:1"), Errc::Malformed},
      {"control", true, Errc::Malformed},
      {"media", QStringLiteral("ws://127.0.0.1:2"), Errc::Malformed},
      {"media", QString(), Errc::Malformed},
      {"ca", 7, Errc::Malformed},
      {"ca", QStringLiteral("/no/such/ca.pem"), Errc::NotFound},
      {"ca", directoryCa, Errc::Malformed},
  };
  for (const Case& c : cases) {
    QJsonObject o = simObject();
    if (c.value.isUndefined())
      o.remove(QLatin1String(c.field));
    else
      o.insert(QLatin1String(c.field), c.value);
    const QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
    auto config = loadServerConfig(writeConfig(text));
    ASSERT_FALSE(config) << text.toStdString();
    EXPECT_EQ(config.error().code, c.code)
        << text.toStdString() << " -> " << describe(config.error());
    EXPECT_NE(config.error().detail.find(std::string("\"") + c.field + "\""), std::string::npos)
        << describe(config.error());
  }
}

}  // namespace
}  // namespace chorus::app
