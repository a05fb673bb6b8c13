#include "app/desktop/desktop_app.h"

#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <algorithm>

#include "app/desktop/engine_backend.h"
#include "app/desktop/engine_startup.h"
#include "app/platform/server_config.h"
#include "ui/conversions.h"
#include "ui/dialogs/link_dialog.h"
#include "ui/dialogs/tray_controller.h"
#include "ui/main_window.h"
#include "ui/settings.h"
#include "ui/window/number_panel.h"

namespace chorus::app::desktop {

using ui::qs;

DesktopApp::DesktopApp(DesktopOptions options, QObject* parent)
    : QObject(parent),
      options_(std::move(options)),
      ownLogger_(core::stderrSink(), core::LogLevel::Warn) {
  settings_ = options_.settingsFile.isEmpty()
                  ? std::make_unique<ui::Settings>()
                  : std::make_unique<ui::Settings>(options_.settingsFile);
}

DesktopApp::~DesktopApp() {
  delete linkDialog_.data();
  tray_.reset();
  window_.reset();
  startup_.reset();  // joins the engine thread: nothing reaches the backend afterwards
  backend_.reset();
}

std::optional<QString> DesktopApp::prepare() {
  // --server wins; else the sandbox the person chose in the settings; else WhatsApp.
  const QString serverFile =
      options_.serverFile.isEmpty() ? settings_->sandboxServer() : options_.serverFile;
  auto server = serverConfigFromOption(serverFile);
  if (!server && options_.serverFile.isEmpty()) {
    // Never WhatsApp instead: the sandbox numbers' credentials would be refused there (401)
    // and forgotten.
    return tr("The sandbox server chosen in the settings cannot be used: %1. Start that "
              "chorus-sim again, or start Chorus with --server FILE.")
        .arg(qs(core::describe(server.error())));
  }
  if (!server) {
    return tr("Chorus cannot use the server file %1: %2")
        .arg(serverFile, qs(core::describe(server.error())));
  }
  core::Logger& logger = options_.logger != nullptr ? *options_.logger : ownLogger_;
  engineOptions_.dataDir = options_.dataDir;
  engineOptions_.server = std::move(*server);
  engineOptions_.timing = options_.timing;
  engineOptions_.watchNetwork = options_.watchNetwork;
  engineOptions_.logger = &logger;

  startup_ = std::make_unique<EngineStartup>(engineOptions_, random_, logger, nullptr);
  if (options_.passphrase) startup_->setPassphrase(std::move(*options_.passphrase));
  options_.passphrase.reset();
  backend_ = std::make_unique<EngineBackend>(startup_->engine());
  window_ = std::make_unique<ui::MainWindow>(*backend_, *settings_);
  startup_->setWindow(window_.get());
  tray_ = std::make_unique<ui::TrayController>(*backend_, window_->sessions(), *settings_);

  connect(startup_.get(), &EngineStartup::opened, this, [this] {
    backend_->refreshAccounts();
    Q_EMIT engineOpened();
  });
  connect(startup_.get(), &EngineStartup::failed, this, &DesktopApp::failed);
  connect(backend_.get(), &ui::Backend::accountsLoaded, this, &DesktopApp::onAccountsLoaded);
  connect(backend_.get(), &ui::Backend::commandFailed, this,
          [this](const api::AccountId&, const QString& what, const QString&) {
            if (what == QLatin1String("add")) pendingName_.clear();
          });

  connect(window_.get(), &ui::MainWindow::linkRequested, this, &DesktopApp::openLinkDialog);
  connect(window_.get(), &ui::MainWindow::addNumberRequested, this, &DesktopApp::askForNewNumber);
  connect(window_.get(), &ui::MainWindow::settingsRequested, tray_.get(),
          &ui::TrayController::openSettings);
  connect(tray_.get(), &ui::TrayController::showWindowRequested, this, &DesktopApp::showFromTray);
  connect(tray_.get(), &ui::TrayController::accountActivated, this,
          [this](const api::AccountId& id) {
            showFromTray();
            if (window_->numberPanel() != nullptr) window_->numberPanel()->selectAccount(id);
          });
  connect(tray_.get(), &ui::TrayController::quitRequested, this, [] { QApplication::quit(); });
  connect(qApp, &QCoreApplication::aboutToQuit, window_.get(), &ui::MainWindow::rememberLayout);

  // With a tray, closing the window leaves Chorus running there; without one, it quits.
  const bool tray = tray_->isTrayAvailable();
  window_->setKeepRunningInTray(tray);
  QApplication::setQuitOnLastWindowClosed(!tray);
  return std::nullopt;
}

ui::LinkDialog* DesktopApp::linkDialog() const {
  return linkDialog_.data();
}

void DesktopApp::showWindow() {
  if (settings_->startMinimised() && tray_->isTrayAvailable()) return;
  window_->show();
}

void DesktopApp::startEngine() {
  startup_->start();
}

void DesktopApp::showFromTray() {
  window_->showNormal();
  window_->raise();
  window_->activateWindow();
}

void DesktopApp::askForNewNumber() {
  bool ok = false;
  const QString name =
      QInputDialog::getText(window_.get(), tr("Add a number"),
                            tr("A name for the new number (for example Shop or Support):"),
                            QLineEdit::Normal, QString(), &ok)
          .trimmed();
  if (ok && !name.isEmpty()) addNumber(name);
}

void DesktopApp::addNumber(const QString& name) {
  pendingName_ = name;
  backend_->addAccount(name);
}

void DesktopApp::onAccountsLoaded(const std::vector<api::AccountSummary>& accounts) {
  if (!pendingName_.isEmpty()) {
    for (const api::AccountSummary& a : accounts) {
      const bool isNew = std::none_of(accounts_.begin(), accounts_.end(),
                                      [&](const api::AccountSummary& k) { return k.id == a.id; });
      if (isNew && qs(a.name).compare(pendingName_, Qt::CaseInsensitive) == 0) {
        pendingName_.clear();
        accounts_ = accounts;
        openLinkDialog(a.id);
        return;
      }
    }
  }
  accounts_ = accounts;
}

void DesktopApp::openLinkDialog(const api::AccountId& id) {
  if (linkDialog_ != nullptr) {
    if (linkDialog_->property("accountId").toString() == qs(id)) {
      linkDialog_->raise();
      linkDialog_->activateWindow();
      return;
    }
    linkDialog_->close();
  }
  const auto it = std::find_if(accounts_.begin(), accounts_.end(),
                               [&](const api::AccountSummary& a) { return a.id == id; });
  const QString name = it == accounts_.end() ? QString() : qs(it->name);
  if (!window_->isVisible()) showFromTray();
  auto* dialog = new ui::LinkDialog(*backend_, id, name, window_.get());
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setProperty("accountId", qs(id));
  linkDialog_ = dialog;
  dialog->show();
  Q_EMIT linkDialogOpened(dialog);
}

}  // namespace chorus::app::desktop
