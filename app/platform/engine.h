// Engine: the account registry and one AccountDriver per account, on one thread (architecture
// §2 "One engine thread"). The GUI runs it in an EngineThread; chorus-cli on its main thread.
// Every method must be called on the engine's thread (from other threads: invokeMethod with a
// queued connection, or EngineThread::post); results come back through callbacks on that
// thread and through the `event` signal (connect with a queued connection from another thread).
//
//   Engine engine(options);
//   engine.open(secretStore, [](Status s) { ... });  // locks the data folder, loads accounts/,
//                                                    // starts the auto-connect ones
//   engine.registry().add("Shop", ...);              // then the registry's commands
//
// Timing overrides for tests (EngineOptions::timing) come from CHORUS_TEST_TIMING (see
// timingFromEnvironment) so tests can shorten backoff and keepalive without special builds.
#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "app/platform/data_folder_lock.h"
#include "app/platform/server_config.h"
#include "core/account/account_registry.h"
#include "core/api/account_events.h"
#include "core/session/session.h"
#include "core/store/secret_store.h"
#include "core/util/clock.h"
#include "core/util/logger.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::app {

// Shorter timings for tests: each field overrides the session default when set.
struct EngineTiming {
  std::optional<core::Millis> reconnectBase;     // default 5 s
  std::optional<core::Millis> slowRetry;         // default 5 min
  std::optional<core::Millis> keepaliveInterval; // default 20-30 s
  std::optional<core::Millis> keepaliveTimeout;  // default 20 s
  std::optional<core::Millis> connectTimeout;    // default 20 s
};

// Parses CHORUS_TEST_TIMING="reconnect_base_ms=200,slow_retry_ms=2000,keepalive_ms=500,
// keepalive_timeout_ms=1000,connect_timeout_ms=3000" (any subset). Errc::InvalidArgument
// naming the bad item; an empty or unset variable gives no overrides.
[[nodiscard]] core::Result<EngineTiming> timingFromEnvironment();
// The same syntax from a string (what timingFromEnvironment reads from the variable).
[[nodiscard]] core::Result<EngineTiming> parseEngineTiming(std::string_view text);

struct EngineOptions {
  QString dataDir;      // holds accounts/
  ServerConfig server;  // where to connect (defaultServerConfig() or --server FILE)
  EngineTiming timing;
  // React to QNetworkInformation reachability and to resume from sleep (off in benchmarks).
  bool watchNetwork = true;
  // Where the engine and its drivers log (categories "engine", "transport", "network");
  // nullptr: nowhere. Must outlive the engine.
  core::Logger* logger = nullptr;
};

// The SessionConfig every account of this engine uses: url and root key from the server,
// timings with the overrides applied.
[[nodiscard]] core::session::SessionConfig sessionConfigFor(const EngineOptions& options);

class Engine final : public QObject {
  Q_OBJECT

 public:
  explicit Engine(EngineOptions options, QObject* parent = nullptr);
  ~Engine() override;

  // Takes the data folder's lock (DataFolderLock, held until the engine is destroyed) and the
  // secret store (keychain or passphrase; the caller chose it), loads every account and starts
  // those that auto-connect. `done` gets the registry's load status; when the folder is in use
  // by another process it gets that Errc::Io and nothing is loaded. `lock`: the folder's lock
  // when the caller took it already (to refuse before asking for a passphrase); it must be for
  // options().dataDir.
  void open(std::unique_ptr<core::store::SecretStore> secrets,
            std::function<void(core::Status)> done, std::unique_ptr<DataFolderLock> lock = nullptr);
  [[nodiscard]] bool isOpen() const noexcept;
  // Valid after open() was called.
  [[nodiscard]] core::account::AccountRegistry& registry();
  [[nodiscard]] const EngineOptions& options() const noexcept { return options_; }
  // Stops every account (closing sockets) and closes the databases; the engine stays usable
  // only for destruction.
  void shutdown();

 Q_SIGNALS:
  // Every account event (status, QR, code, linked, logged out, problem, list changed).
  void event(const chorus::api::AccountEvent& event);

 private:
  EngineOptions options_;
  std::unique_ptr<DataFolderLock> lock_;  // released last, after the registry closed the folder
  core::SystemClock clock_;
  core::SystemRandom random_;
  std::unique_ptr<core::store::SecretStore> secrets_;
  std::unique_ptr<core::account::AccountRegistry> registry_;
  QObject* networkWatch_ = nullptr;
  QObject* resumeWatch_ = nullptr;
  bool shutDown_ = false;
};

}  // namespace chorus::app

Q_DECLARE_METATYPE(chorus::api::AccountEvent)
