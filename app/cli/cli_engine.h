// CliEngine: what every chorus-cli command that touches accounts shares. It takes the global
// options (--data, --server, --passphrase-file / CHORUS_PASSPHRASE, --verbose), picks the
// secret store (passphrase, else the keychain; never plaintext), opens the accounts, runs the
// command's body, and turns the event loop until the body calls finish(). It holds the data
// folder's lock (DataFolderLock) from setup to exit: a folder in use by another Chorus process
// is refused with one line, exit 1, before anything in it is read. SIGINT and SIGTERM
// end the loop cleanly (sockets closed, databases closed) through a socket pair.
//
//   CliEngine cli("status", io);
//   return cli.run(CliEngine::Mode::Online, [&](CliEngine& c) {
//     c.onEvent([&](const api::AccountEvent& e) { ... c.finish(kExitOk); });
//   });
//
// Modes:
//   Offline — the accounts are opened but none is started, and nothing can connect
//             (accounts add/list/rename, disconnect).
//   Online  — the app::Engine: accounts that auto-connect connect, and commands may link,
//             connect and log out (link, status, connect, logout, accounts remove).
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "app/cli/command.h"
#include "core/account/account_registry.h"
#include "core/api/account_events.h"
#include "core/util/clock.h"
#include "core/util/logger.h"
#include "core/util/random.h"

namespace chorus::app {
class DataFolderLock;
class Engine;
}  // namespace chorus::app

namespace chorus::app::cli {

class CliEngine final {
 public:
  enum class Mode { Offline, Online };
  using Body = std::function<void(CliEngine&)>;
  using Listener = std::function<void(const api::AccountEvent&)>;

  CliEngine(std::string_view command, CommandIo io);
  ~CliEngine();
  CliEngine(const CliEngine&) = delete;
  CliEngine& operator=(const CliEngine&) = delete;

  // Opens everything, runs `body` once the accounts are loaded (and, Online, started), then
  // the event loop until finish(); returns the exit code. Setup errors: one line, exit 1.
  [[nodiscard]] int run(Mode mode, Body body);

  [[nodiscard]] core::account::AccountRegistry& registry();
  [[nodiscard]] const core::Clock& clock() const noexcept { return clock_; }
  // Every account event from now on (replacing an earlier listener).
  void onEvent(Listener listener) { listener_ = std::move(listener); }
  // What SIGINT/SIGTERM do; by default: "interrupted" on stderr and exit 1.
  void onInterrupt(std::function<void()> handler) { interrupt_ = std::move(handler); }

  // ACCOUNT (id, unique id prefix or name) → the account; on failure prints why, calls
  // finish(kExitBadInput) and returns nullptr.
  [[nodiscard]] core::account::Account* resolve(std::string_view account);
  // The name of an account id ("" when unknown).
  [[nodiscard]] std::string nameOf(std::string_view id) const;

  // Ends the command: the loop stops soon after (never inside the caller), the accounts are
  // closed — Online, their connections politely (close frame answered, at most ~2.5 s), so
  // what was sent just before (receipts) has left — and run() returns `exitCode`. Only the
  // first call counts.
  void finish(int exitCode);
  // One line "chorus-cli <command>: <message>" on stderr, then finish(kExitBadInput).
  void fail(std::string_view message);
  void fail(const core::Error& error);  // its detail (or the code's name when it has none)
  void printJson(const QJsonObject& object);
  void printLine(std::string_view line);
  [[nodiscard]] std::ostream& err() { return io_.err; }
  [[nodiscard]] bool outputIsTerminal() const;
  // Runs `fn` after `ms` milliseconds on the event loop (a timeout of the command).
  void after(int ms, std::function<void()> fn);
  [[nodiscard]] bool isFinishing() const noexcept { return finishing_; }

 private:
  [[nodiscard]] int setup();
  void chooseSecrets(std::function<void(std::unique_ptr<core::store::SecretStore>)> next);
  void open(std::unique_ptr<core::store::SecretStore> secrets);
  void dispatch(const api::AccountEvent& event);
  void shutdown();
  void exitWhenClosed(QElapsedTimer closing);  // after shutdown(): the loop ends once closed

  std::string command_;
  CommandIo io_;
  Mode mode_ = Mode::Offline;
  Body body_;
  Listener listener_;
  std::function<void()> interrupt_;
  bool finishing_ = false;
  int exitCode_ = kExitOk;

  struct Setup;
  std::unique_ptr<Setup> setup_;  // data folder, server, timing (after setup())
  core::SystemClock clock_;
  core::SystemRandom random_;
  core::Logger logger_;                   // stderr, only with --verbose
  std::unique_ptr<QObject> context_;      // receiver of every connection and timer of this class
  std::unique_ptr<DataFolderLock> lock_;  // from setup(); handed to the Engine (Online)
  std::unique_ptr<Engine> engine_;        // Online
  std::unique_ptr<core::store::SecretStore> secrets_;         // Offline
  std::unique_ptr<core::account::AccountRegistry> registry_;  // Offline
};

}  // namespace chorus::app::cli
