// EngineStartup: brings the engine up for the desktop app. Owns the EngineThread; picks where
// the data keys live — the OS keychain when its probe works (chooseSecretStore, run on the
// engine thread, where every QtKeychain job of the process belongs), else a passphrase store
// in <data>/secrets (asked for on the GUI thread) — and opens the Engine with it. Never a
// plaintext fallback: no keychain and no passphrase means no engine (failed()). First of all it
// takes the data folder's lock (DataFolderLock): a folder in use by another Chorus process is
// refused (failed()) before any keychain or passphrase prompt. With a passphrase given up front
// (setPassphrase: CHORUS_PASSPHRASE, as chorus-cli takes it; the whole-app tests) neither the
// keychain nor a prompt is tried: the passphrase store in <data>/secrets is created or unlocked
// with it.
#pragma once

#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <string>

#include "app/platform/data_folder_lock.h"
#include "app/platform/engine_thread.h"
#include "core/store/secret_store.h"
#include "core/util/logger.h"
#include "core/util/random.h"
#include "core/util/result.h"

class QWidget;

namespace chorus::app::desktop {

class EngineStartup final : public QObject {
  Q_OBJECT

 public:
  // `random` and `logger` must outlive this object; `window` parents the dialogs (may be null).
  EngineStartup(EngineOptions options, core::Random& random, core::Logger& logger, QWidget* window,
                QObject* parent = nullptr);
  // Shuts the engine down on its thread and joins it.
  ~EngineStartup() override;

  // Use this passphrase instead of the keychain (before start()); wiped once used.
  void setPassphrase(std::string passphrase);
  // Where the dialogs go (the main window, once it exists); may be null.
  void setWindow(QWidget* window) noexcept { window_ = window; }
  void start();
  [[nodiscard]] EngineThread& engine() noexcept { return *engine_; }

 Q_SIGNALS:
  void opened();
  // Nothing more will happen: show `message` and quit.
  void failed(const QString& message);

 private:
  void chooseKeychain();
  void openWithPassphrase();
  void onNoKeychain(core::Errc code, const QString& detail);
  void openWith(std::shared_ptr<std::unique_ptr<core::store::SecretStore>> store,
                const QString& what);

  QString dataDir_;
  core::Random& random_;
  core::Logger& logger_;
  QWidget* window_;
  std::unique_ptr<EngineThread> engine_;
  std::unique_ptr<DataFolderLock> lock_;  // from start() until openWith() hands it to the Engine
  std::optional<std::string> passphrase_;
};

}  // namespace chorus::app::desktop
