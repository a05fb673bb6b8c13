// Process-level harness for the chorus-cli lifecycle tests: chorus-cli processes whose stdout is
// read as JSON lines while they run. chorus-sim runs as a SimProcess on ports chosen once
// (tests/integration/support/sim_client.h), so it can be stopped and started again at the same
// address and a running chorus-cli finds it again.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chorus::testing::lifecycle {

// The executables under test (from the command line: --cli PATH --sim PATH).
struct Programs {
  QString cli;
  QString sim;
};
[[nodiscard]] Programs& programs();

using LineMatch = std::function<bool(const QJsonObject&)>;

// One running chorus-cli.
class CliProcess {
 public:
  CliProcess() = default;
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  void start(const QStringList& args, const QProcessEnvironment& env);
  // Writes `bytes` to its standard input and closes it (end of input).
  void writeInput(const QByteArray& bytes);
  // The next line (after those already matched) for which `match` holds, within `ms`.
  [[nodiscard]] std::optional<QJsonObject> waitForLine(const LineMatch& match, int ms);
  // Lines printed so far that no waitForLine has passed yet, without consuming them.
  [[nodiscard]] std::vector<QJsonObject> pendingLines();
  // The exit code, or -1 when it did not exit within `ms` (it is killed then).
  [[nodiscard]] int waitForExit(int ms);
  void terminate();  // SIGTERM
  [[nodiscard]] const std::vector<QJsonObject>& lines();
  [[nodiscard]] QString stdoutText();
  [[nodiscard]] QString stderrText();
  // Everything it printed, for failure messages.
  [[nodiscard]] std::string transcript();

 private:
  void readAvailable();

  QProcess process_;
  QByteArray out_;
  QByteArray partial_;
  QByteArray err_;
  std::vector<QJsonObject> lines_;
  std::size_t cursor_ = 0;
};

// Matchers for JSON lines.
[[nodiscard]] LineMatch isEvent(const QString& event);
[[nodiscard]] LineMatch hasState(const QString& state, const QString& account = {});

}  // namespace chorus::testing::lifecycle
