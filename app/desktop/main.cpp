// chorus: the desktop application. The composition lives in DesktopApp (chorus_desktop, shared
// with the whole-app tests); this file reads the command line and the environment.
//   chorus [--data DIR] [--server FILE] [--smoke-test]
// --server FILE points at a chorus-sim's server.json instead of WhatsApp (default: the sandbox
// server chosen in the settings, if any); --smoke-test shows the main window, prints how long
// that took and quits, without touching the keychain or the engine. CHORUS_TEST_TIMING shortens
// the engine's timers (tests); CHORUS_PASSPHRASE protects the keys with a passphrase instead of
// the keychain, without asking (tests and automation, as chorus-cli).
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>
#include <optional>
#include <string>

#include "app/desktop/desktop_app.h"
#include "app/platform/app_paths.h"
#include "core/api/version.h"
#include "ui/main_window.h"

namespace {

QString qs(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// A startup error: on stderr always, in a message box unless nobody is there to close it.
int startupError(const QString& message, bool interactive) {
  std::fprintf(stderr, "chorus: %s\n", qPrintable(message));
  if (interactive) QMessageBox::critical(nullptr, QObject::tr("Chorus"), message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  QElapsedTimer startup;
  startup.start();
  QApplication app(argc, argv);
  QApplication::setApplicationName(qs(chorus::api::kAppName));
  QApplication::setApplicationVersion(qs(chorus::api::kAppVersion));

  QCommandLineParser parser;
  parser.setApplicationDescription(QObject::tr("Run several WhatsApp numbers at once."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption dataOption(
      QStringLiteral("data"), QObject::tr("Folder that holds the accounts."), QObject::tr("DIR"));
  const QCommandLineOption serverOption(
      QStringLiteral("server"),
      QObject::tr("Connect to the chorus-sim described by this server.json instead of WhatsApp."),
      QObject::tr("FILE"));
  const QCommandLineOption smokeOption(
      QStringLiteral("smoke-test"),
      QObject::tr("Show the main window, print the time it took, and quit (for tests)."));
  parser.addOption(dataOption);
  parser.addOption(serverOption);
  parser.addOption(smokeOption);
  parser.process(app);

  const bool smoke = parser.isSet(smokeOption);
  chorus::app::desktop::DesktopOptions options;
  options.dataDir = chorus::app::dataDirectory(parser.value(dataOption));
  options.serverFile = parser.value(serverOption);
  if (const QByteArray pass = qgetenv("CHORUS_PASSPHRASE"); !pass.isEmpty()) {
    options.passphrase = pass.toStdString();
  }
  auto timing = chorus::app::timingFromEnvironment();
  if (!timing) return startupError(QString::fromStdString(timing.error().detail), !smoke);
  options.timing = *timing;

  chorus::app::desktop::DesktopApp desktop(std::move(options));
  if (auto error = desktop.prepare()) return startupError(*error, !smoke);

  if (smoke) {
    // Keychain and engine stay untouched: this only proves the GUI starts, and fast.
    desktop.window().show();
    QTimer::singleShot(0, &app, [&] {
      std::printf("chorus: main window shown in %lld ms (data folder %s, icon %s)\n",
                  static_cast<long long>(startup.elapsed()),
                  qPrintable(chorus::app::dataDirectory(parser.value(dataOption))),
                  desktop.window().windowIcon().isNull() ? "missing" : "loaded");
      std::fflush(stdout);
      QApplication::quit();
    });
    return QApplication::exec();
  }

  QObject::connect(&desktop, &chorus::app::desktop::DesktopApp::failed, &app,
                   [](const QString& message) {
                     (void)startupError(message, true);
                     QApplication::exit(1);
                   });
  desktop.showWindow();
  QTimer::singleShot(0, &desktop, [&desktop] { desktop.startEngine(); });
  return QApplication::exec();
}
