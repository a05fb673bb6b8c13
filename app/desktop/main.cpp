// chorus: the desktop application (composition root).
//   chorus [--data DIR] [--server FILE] [--smoke-test]
// --server FILE points at a chorus-sim's server.json instead of WhatsApp; --smoke-test shows the
// main window, prints how long that took and quits, without touching the keychain or the engine.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <memory>

#include "app/desktop/engine_startup.h"
#include "app/platform/app_paths.h"
#include "app/platform/engine.h"
#include "app/platform/server_config.h"
#include "core/api/version.h"
#include "core/util/logger.h"
#include "core/util/random.h"
#include "ui/main_window.h"

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

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
  const QCommandLineOption dataOption(QStringLiteral("data"),
                                      QObject::tr("Folder that holds the accounts."),
                                      QObject::tr("DIR"));
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
  const QString dataDir = chorus::app::dataDirectory(parser.value(dataOption));
  auto server = chorus::app::serverConfigFromOption(parser.value(serverOption));
  if (!server) {
    return startupError(QObject::tr("cannot use --server %1: %2")
                            .arg(parser.value(serverOption),
                                 QString::fromStdString(chorus::core::describe(server.error()))),
                        !smoke);
  }

  chorus::ui::MainWindow window;
  window.show();

  if (smoke) {
    // Keychain and engine stay untouched: this only proves the GUI starts, and fast.
    QTimer::singleShot(0, &app, [&] {
      std::printf("chorus: main window shown in %lld ms (data folder %s, icon %s)\n",
                  static_cast<long long>(startup.elapsed()), qPrintable(dataDir),
                  window.windowIcon().isNull() ? "missing" : "loaded");
      std::fflush(stdout);
      QApplication::quit();
    });
    return QApplication::exec();
  }

  auto timing = chorus::app::timingFromEnvironment();
  if (!timing) return startupError(QString::fromStdString(timing.error().detail), true);

  chorus::core::Logger logger(chorus::core::stderrSink(), chorus::core::LogLevel::Info);
  chorus::core::SystemRandom random;  // thread-safe (libsodium); used by the secret stores
  chorus::app::EngineOptions options;
  options.dataDir = dataDir;
  options.server = std::move(*server);
  options.timing = *timing;
  options.logger = &logger;

  chorus::app::desktop::EngineStartup engine(std::move(options), random, logger, &window);
  QObject::connect(&engine, &chorus::app::desktop::EngineStartup::failed, &app,
                   [&](const QString& message) {
                     (void)startupError(message, true);
                     QApplication::exit(1);
                   });
  QObject::connect(&engine, &chorus::app::desktop::EngineStartup::opened, &app,
                   [&] { logger.info("app", "engine running on " + dataDir.toStdString()); });
  QTimer::singleShot(0, &engine, [&engine] { engine.start(); });
  return QApplication::exec();
}
