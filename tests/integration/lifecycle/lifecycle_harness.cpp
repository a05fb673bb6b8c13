#include "tests/integration/lifecycle/lifecycle_harness.h"

#include <QJsonDocument>

#include "tests/integration/support/sim_client.h"

namespace chorus::testing::lifecycle {
namespace {

constexpr int kStartMs = 10'000;

}  // namespace

Programs& programs() {
  static Programs p;
  return p;
}

CliProcess::~CliProcess() {
  if (process_.state() == QProcess::NotRunning) return;
  process_.kill();
  process_.waitForFinished(kStartMs);
}

void CliProcess::start(const QStringList& args, const QProcessEnvironment& env) {
  process_.setProcessEnvironment(env);
  process_.start(programs().cli, args);
  process_.waitForStarted(kStartMs);
}

void CliProcess::writeInput(const QByteArray& bytes) {
  process_.write(bytes);
  process_.closeWriteChannel();
}

void CliProcess::readAvailable() {
  const QByteArray chunk = process_.readAllStandardOutput();
  out_ += chunk;
  partial_ += chunk;
  err_ += process_.readAllStandardError();
  qsizetype newline = 0;
  while ((newline = partial_.indexOf('\n')) >= 0) {
    const QByteArray line = partial_.left(newline);
    partial_.remove(0, newline + 1);
    const QJsonDocument json = QJsonDocument::fromJson(line);
    if (json.isObject()) lines_.push_back(json.object());
  }
}

std::optional<QJsonObject> CliProcess::waitForLine(const LineMatch& match, int ms) {
  std::optional<QJsonObject> found;
  (void)waitUntil(
      [&] {
        readAvailable();
        for (; cursor_ < lines_.size(); ++cursor_) {
          if (match(lines_[cursor_])) {
            found = lines_[cursor_++];
            return true;
          }
        }
        return process_.state() == QProcess::NotRunning && !process_.bytesAvailable();
      },
      ms);
  return found;
}

std::vector<QJsonObject> CliProcess::pendingLines() {
  readAvailable();
  return {lines_.begin() + static_cast<std::ptrdiff_t>(cursor_), lines_.end()};
}

int CliProcess::waitForExit(int ms) {
  const bool exited = waitUntil(
      [this] {
        readAvailable();
        return process_.state() == QProcess::NotRunning;
      },
      ms);
  readAvailable();
  if (!exited) {
    process_.kill();
    process_.waitForFinished(kStartMs);
    readAvailable();
    return -1;
  }
  if (process_.exitStatus() != QProcess::NormalExit) return -2;
  return process_.exitCode();
}

void CliProcess::terminate() {
  process_.terminate();
}

const std::vector<QJsonObject>& CliProcess::lines() {
  readAvailable();
  return lines_;
}

QString CliProcess::stdoutText() {
  readAvailable();
  return QString::fromUtf8(out_);
}

QString CliProcess::stderrText() {
  readAvailable();
  return QString::fromUtf8(err_);
}

std::string CliProcess::transcript() {
  readAvailable();
  return "stdout:\n" + out_.toStdString() + "stderr:\n" + err_.toStdString();
}

LineMatch isEvent(const QString& event) {
  return [event](const QJsonObject& line) {
    return line.value(QStringLiteral("event")).toString() == event;
  };
}

LineMatch hasState(const QString& state, const QString& account) {
  return [state, account](const QJsonObject& line) {
    return line.value(QStringLiteral("state")).toString() == state &&
           (account.isEmpty() || line.value(QStringLiteral("account")).toString() == account);
  };
}

}  // namespace chorus::testing::lifecycle
