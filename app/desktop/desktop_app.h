// DesktopApp: the composition root of `chorus` (architecture §1 app/desktop), without main() so
// tests build the very same app in-process. It builds the Settings, the engine (EngineStartup:
// keychain, passphrase or prompt), the EngineBackend, the MainWindow and the TrayController,
// and wires what the window and the tray ask for: link a number (LinkDialog), add one (a name,
// then the link dialog once the new number is listed), settings, show, quit.
//
//   DesktopApp app(options);
//   if (auto error = app.prepare()) ...;  // server file: --server, else the sandbox setting
//   app.showWindow();                      // or stays in the tray when starting minimised
//   app.startEngine();                     // failed(message) when nothing more will happen
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/platform/engine.h"
#include "core/api/account_events.h"
#include "core/util/logger.h"
#include "core/util/random.h"

namespace chorus::ui {
class LinkDialog;
class MainWindow;
class Settings;
class TrayController;
}  // namespace chorus::ui

namespace chorus::app::desktop {

class EngineBackend;
class EngineStartup;

struct DesktopOptions {
  QString dataDir;                        // holds accounts/ and secrets/
  QString serverFile;                     // --server; empty: the sandbox setting, else WhatsApp
  EngineTiming timing;                    // CHORUS_TEST_TIMING
  std::optional<std::string> passphrase;  // CHORUS_PASSPHRASE: no keychain, no prompt
  QString settingsFile;                   // tests: an ini file of their own; empty: the app's
  core::Logger* logger = nullptr;         // nullptr: warnings and errors on stderr
  bool watchNetwork = true;
};

class DesktopApp final : public QObject {
  Q_OBJECT

 public:
  explicit DesktopApp(DesktopOptions options, QObject* parent = nullptr);
  // The windows first, then the engine thread (joined), then the backend.
  ~DesktopApp() override;

  // Reads the server file; an error text for the person when it cannot be used.
  [[nodiscard]] std::optional<QString> prepare();
  // Shows the main window, unless the settings say to start minimised and a tray exists.
  void showWindow();
  // Opens the data folder (lock, keys) and starts the numbers; engineOpened or failed.
  void startEngine();

  // The "add a number" flow after the name was given: the link dialog opens for the new
  // number as soon as the engine lists it.
  void addNumber(const QString& name);
  // Opens (or raises) the link dialog of `id`.
  void openLinkDialog(const api::AccountId& id);

  [[nodiscard]] ui::MainWindow& window() { return *window_; }
  [[nodiscard]] ui::TrayController& tray() { return *tray_; }
  [[nodiscard]] ui::Settings& settings() { return *settings_; }
  [[nodiscard]] EngineBackend& backend() { return *backend_; }
  // The open link dialog, or nullptr.
  [[nodiscard]] ui::LinkDialog* linkDialog() const;

 Q_SIGNALS:
  void engineOpened();
  // The engine cannot run (folder in use, no passphrase, damaged data): show it and quit.
  void failed(const QString& message);
  void linkDialogOpened(chorus::ui::LinkDialog* dialog);

 private:
  void askForNewNumber();
  void onAccountsLoaded(const std::vector<api::AccountSummary>& accounts);
  void showFromTray();

  DesktopOptions options_;
  core::Logger ownLogger_;
  core::SystemRandom random_;  // thread-safe (libsodium): used by the secret stores
  EngineOptions engineOptions_;
  std::unique_ptr<ui::Settings> settings_;
  std::unique_ptr<EngineStartup> startup_;
  std::unique_ptr<EngineBackend> backend_;
  std::unique_ptr<ui::MainWindow> window_;
  std::unique_ptr<ui::TrayController> tray_;
  QPointer<ui::LinkDialog> linkDialog_;
  QString pendingName_;  // a number being added: its link dialog opens once it is listed
  std::vector<api::AccountSummary> accounts_;
};

}  // namespace chorus::app::desktop
