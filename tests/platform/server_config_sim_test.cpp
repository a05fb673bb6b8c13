// loadServerConfig on the server.json a real chorus-sim wrote. Run by server_config_sim.sh,
// which starts the simulator and passes the file in CHORUS_SERVER_JSON.
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include "app/platform/server_config.h"

namespace chorus::app {
namespace {

TEST(ServerConfigSim, LoadsTheFileAChorusSimWrote) {
  const QString path = qEnvironmentVariable("CHORUS_SERVER_JSON");
  ASSERT_FALSE(path.isEmpty()) << "run by server_config_sim.sh";
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();

  auto config = serverConfigFromOption(path);
  ASSERT_TRUE(config) << describe(config.error());
  EXPECT_EQ(config->chatUrl.toString(), json.value(QStringLiteral("ws")).toString());
  EXPECT_EQ(config->chatUrl.scheme(), QStringLiteral("ws"));
  EXPECT_EQ(config->chatUrl.path(), QStringLiteral("/ws/chat"));
  EXPECT_EQ(config->controlUrl.toString(), json.value(QStringLiteral("control")).toString());
  EXPECT_EQ(config->mediaUrl.toString(), json.value(QStringLiteral("media")).toString());
  EXPECT_EQ(config->mediaUrl.scheme(), QStringLiteral("https"));
  ASSERT_EQ(config->rootKey.size(), 32u);
  EXPECT_EQ(QString::fromStdString(core::toHex(config->rootKey)),
            json.value(QStringLiteral("root_key")).toString());
  EXPECT_EQ(config->caPath, json.value(QStringLiteral("ca")).toString());
  EXPECT_TRUE(QFileInfo(config->caPath).isFile());
  EXPECT_NE(config->rootKey, defaultServerConfig().rootKey);
}

}  // namespace
}  // namespace chorus::app
