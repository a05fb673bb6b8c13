// Shared by the tests of app/desktop: chorus-sim's path (--sim on the command line), the engine
// options of a test (fast timers, loopback simulator, no network watch) and small helpers.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include "app/platform/engine.h"
#include "tests/integration/support/sim_client.h"

namespace chorus::testing {

// The chorus-sim executable: the one built beside the test, or --sim PATH.
[[nodiscard]] QString simProgram();
void setSimProgram(QString path);

// Engine options against `sim` with the fast timers of CHORUS_TEST_TIMING's test values.
[[nodiscard]] app::EngineOptions testEngineOptions(const QString& dataDir, const SimProcess& sim);

// "15550002001" → "15550002001@s.whatsapp.net".
[[nodiscard]] inline std::string userJid(const QString& phone) {
  return phone.toStdString() + "@s.whatsapp.net";
}

}  // namespace chorus::testing
