#include "tests/desktop/desktop_test_support.h"

namespace chorus::testing {
namespace {

QString gSimProgram = QStringLiteral(CHORUS_SIM_PATH);

}  // namespace

QString simProgram() {
  return gSimProgram;
}
void setSimProgram(QString path) {
  gSimProgram = std::move(path);
}

app::EngineOptions testEngineOptions(const QString& dataDir, const SimProcess& sim) {
  app::EngineOptions options;
  options.dataDir = dataDir;
  auto server = app::loadServerConfig(sim.serverJson());
  if (server) options.server = std::move(*server);
  options.timing.reconnectBase = core::Millis{200};
  options.timing.slowRetry = core::Millis{2000};
  options.watchNetwork = false;
  return options;
}

}  // namespace chorus::testing
