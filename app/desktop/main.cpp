// chorus: the desktop application (composition root).
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

#include "app/platform/app_paths.h"
#include "core/api/version.h"
#include "ui/main_window.h"

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

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
  const QCommandLineOption smokeOption(
      QStringLiteral("smoke-test"),
      QObject::tr("Show the main window, print the time it took, and quit (for tests)."));
  parser.addOption(dataOption);
  parser.addOption(smokeOption);
  parser.process(app);

  const QString dataDir = chorus::app::dataDirectory(parser.value(dataOption));

  chorus::ui::MainWindow window;
  window.show();

  if (parser.isSet(smokeOption)) {
    QTimer::singleShot(0, &app, [&] {
      std::printf("chorus: main window shown in %lld ms (data folder %s, icon %s)\n",
                  static_cast<long long>(startup.elapsed()), qPrintable(dataDir),
                  window.windowIcon().isNull() ? "missing" : "loaded");
      std::fflush(stdout);
      QApplication::quit();
    });
  }
  return QApplication::exec();
}
