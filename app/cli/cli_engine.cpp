#include "app/cli/cli_engine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "app/platform/app_paths.h"
#include "app/platform/data_folder_lock.h"
#include "app/platform/engine.h"
#include "app/platform/passphrase_secret_store.h"
#include "app/platform/secret_store_choice.h"
#include "app/platform/server_config.h"
#include "core/api/version.h"

#ifdef Q_OS_UNIX
#include <QSocketNotifier>
#include <csignal>

#include <sys/socket.h>
#include <unistd.h>
#endif

namespace chorus::app::cli {
namespace {

using core::Errc;

constexpr char kPassphraseVariable[] = "CHORUS_PASSPHRASE";
constexpr std::string_view kNoKeychain =
    "no keychain service is available (Secret Service/KWallet); pass --passphrase-file FILE or "
    "set CHORUS_PASSPHRASE";
constexpr qint64 kMaxPassphraseFile = 64 * 1024;
// After the accounts are closed, how long the loop still turns so the connections close
// politely (close frame answered): what was written just before — read receipts, an ack — has
// then left. The driver itself drops a socket after 2 s without an answer.
constexpr int kCloseWaitMs = 2500;
constexpr int kClosePollMs = 10;

QString qs(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::filesystem::path toPath(const QString& dir) {
#ifdef Q_OS_WIN
  return std::filesystem::path(dir.toStdWString());
#else
  return std::filesystem::path(QFile::encodeName(dir).toStdString());
#endif
}

std::string errorText(const core::Error& e) {
  return e.detail.empty() ? std::string(core::errcName(e.code)) : e.detail;
}

// Logs reach stderr only with --verbose (stdout carries the command's output alone).
bool gVerbose = false;
void messageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (!gVerbose && type != QtFatalMsg) return;
  std::fputs(qUtf8Printable(qFormatLogMessage(type, context, message)), stderr);
  std::fputc('\n', stderr);
}

// An AccountTransport that cannot connect, for Offline mode: opening reports a close at once.
// Offline accounts are never started, so normally nothing asks it to open.
class OfflineTransport final : public core::account::AccountTransport {
 public:
  explicit OfflineTransport(core::account::Account& account) : account_(account) {
    timer_.setSingleShot(true);
    QObject::connect(&timer_, &QTimer::timeout, &context_, [this] { account_.onTimer(); });
  }
  void open(const std::string&) override {
    QTimer::singleShot(0, &context_, [this] { account_.onTransportClosed(); });
  }
  void send(core::Bytes) override {}
  void close() override {}
  void wakeAt(std::optional<core::TimePoint> at) override {
    timer_.stop();
    if (!at) return;
    const auto wait = *at - core::SystemClock().now();
    timer_.start(static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, 24 * 3600 * 1000)));
  }

 private:
  core::account::Account& account_;
  QObject context_;
  QTimer timer_;
};

#ifdef Q_OS_UNIX
int gSignalFds[2] = {-1, -1};
void onSignal(int) {
  const char byte = 1;
  [[maybe_unused]] const auto written = ::write(gSignalFds[0], &byte, 1);
}
#endif

// SIGINT/SIGTERM → `handler` on the event loop (the self-pipe trick with a socket pair).
class SignalWatch {
 public:
  explicit SignalWatch(std::function<void()> handler) : handler_(std::move(handler)) {
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, gSignalFds) != 0) return;
    notifier_ = std::make_unique<QSocketNotifier>(gSignalFds[1], QSocketNotifier::Read);
    QObject::connect(notifier_.get(), &QSocketNotifier::activated, notifier_.get(), [this] {
      char byte = 0;
      [[maybe_unused]] const auto got = ::read(gSignalFds[1], &byte, 1);
      handler_();
    });
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &oldInt_);
    ::sigaction(SIGTERM, &action, &oldTerm_);
#endif
  }
  ~SignalWatch() {
#ifdef Q_OS_UNIX
    if (!notifier_) return;
    ::sigaction(SIGINT, &oldInt_, nullptr);
    ::sigaction(SIGTERM, &oldTerm_, nullptr);
    notifier_.reset();
    ::close(gSignalFds[0]);
    ::close(gSignalFds[1]);
    gSignalFds[0] = gSignalFds[1] = -1;
#endif
  }
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  std::function<void()> handler_;
#ifdef Q_OS_UNIX
  std::unique_ptr<QSocketNotifier> notifier_;
  struct sigaction oldInt_ {};
  struct sigaction oldTerm_ {};
#endif
};

}  // namespace

struct CliEngine::Setup {
  QString dataDir;
  EngineOptions options;
  std::optional<std::string> passphrase;
  QEventLoop* loop = nullptr;
};

CliEngine::CliEngine(std::string_view command, CommandIo io)
    : command_(command), io_(io), setup_(std::make_unique<Setup>()) {}

CliEngine::~CliEngine() = default;

int CliEngine::run(Mode mode, Body body) {
  mode_ = mode;
  body_ = std::move(body);

  static int argc = 1;
  static char arg0[] = "chorus-cli";
  static char* argv[] = {arg0, nullptr};
  std::unique_ptr<QCoreApplication> app;
  if (QCoreApplication::instance() == nullptr) {
    app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(qs(api::kAppName));
    QCoreApplication::setApplicationVersion(qs(api::kAppVersion));
  }
  gVerbose = io_.global.verbose;
  qInstallMessageHandler(messageHandler);

  if (const int rc = setup(); rc != kExitOk) return rc;

  context_ = std::make_unique<QObject>();
  QEventLoop loop;
  setup_->loop = &loop;
  SignalWatch signals([this] {
    if (finishing_) return;
    if (interrupt_) return interrupt_();
    io_.err << "chorus-cli " << command_ << ": interrupted\n";
    finish(kExitBadInput);
  });
  QTimer::singleShot(0, context_.get(), [this] {
    chooseSecrets([this](std::unique_ptr<core::store::SecretStore> s) { open(std::move(s)); });
  });
  loop.exec();

  // Closed already (shutdown()); destroy in order, then let deferred deletions run.
  engine_.reset();
  registry_.reset();
  secrets_.reset();
  lock_.reset();
  context_.reset();
  QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
  io_.out.flush();
  return exitCode_;
}

int CliEngine::setup() {
  const auto bad = [this](std::string_view message) {
    io_.err << "chorus-cli " << command_ << ": " << message << "\n";
    return kExitBadInput;
  };
  auto server = serverConfigFromOption(qs(io_.global.serverFile));
  if (!server) return bad(errorText(server.error()));
  auto timing = timingFromEnvironment();
  if (!timing) return bad(errorText(timing.error()));

  setup_->dataDir = dataDirectory(qs(io_.global.dataDir));
  if (setup_->dataDir.isEmpty()) return bad("no data folder: pass --data DIR");
  // One process per data folder (created 0700 when missing), taken before anything in it is
  // read: the passphrase store, the accounts.
  auto lock = DataFolderLock::acquire(setup_->dataDir);
  if (!lock) return bad(errorText(lock.error()));
  lock_ = std::move(*lock);
  setup_->options.dataDir = setup_->dataDir;
  setup_->options.server = std::move(*server);
  setup_->options.timing = *timing;
  if (io_.global.verbose) {
    logger_.setSink(core::stderrSink());
    logger_.setThreshold(core::LogLevel::Debug);
    setup_->options.logger = &logger_;
  }

  if (!io_.global.passphraseFile.empty()) {
    const QString path = qs(io_.global.passphraseFile);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
      return bad("cannot read the passphrase file " + io_.global.passphraseFile);
    }
    QByteArray text = file.read(kMaxPassphraseFile);
    while (text.endsWith('\n') || text.endsWith('\r')) text.chop(1);
    if (text.isEmpty())
      return bad("the passphrase file " + io_.global.passphraseFile + " is empty");
    setup_->passphrase = text.toStdString();
    text.fill('\0');
  } else if (const QByteArray env = qgetenv(kPassphraseVariable); !env.isEmpty()) {
    setup_->passphrase = env.toStdString();
  }
  return kExitOk;
}

void CliEngine::chooseSecrets(std::function<void(std::unique_ptr<core::store::SecretStore>)> next) {
  const QString folder = setup_->dataDir + QStringLiteral("/secrets");
  if (setup_->passphrase) {
    std::string passphrase = std::move(*setup_->passphrase);
    setup_->passphrase.reset();
    auto store = PassphraseSecretStore::isInitialized(folder)
                     ? PassphraseSecretStore::unlock(folder, passphrase, random_)
                     : PassphraseSecretStore::create(folder, passphrase, random_);
    std::fill(passphrase.begin(), passphrase.end(), '\0');
    if (!store) {
      if (store.error().code == Errc::Crypto) {
        return fail("wrong passphrase for the accounts in " + setup_->dataDir.toStdString());
      }
      return fail(errorText(store.error()));
    }
    return next(std::move(*store));
  }
  if (PassphraseSecretStore::isInitialized(folder)) {
    return fail("the accounts in " + setup_->dataDir.toStdString() +
                " are protected by a passphrase; pass --passphrase-file FILE or set "
                "CHORUS_PASSPHRASE");
  }
  chooseSecretStore(random_, [this, next = std::move(next)](
                                 core::Result<std::unique_ptr<KeychainSecretStore>> store) {
    if (!store) {
      if (store.error().code == Errc::Cancelled) {
        return fail(
            "the keychain was not unlocked; unlock it, or pass --passphrase-file FILE "
            "or set CHORUS_PASSPHRASE");
      }
      if (io_.global.verbose) io_.err << "keychain: " << errorText(store.error()) << "\n";
      return fail(kNoKeychain);
    }
    next(std::move(*store));
  });
}

void CliEngine::open(std::unique_ptr<core::store::SecretStore> secrets) {
  const auto loaded = [this](core::Status status) {
    if (finishing_) return;
    if (!status) return fail(errorText(status.error()));
    body_(*this);
  };
  if (mode_ == Mode::Online) {
    engine_ = std::make_unique<Engine>(setup_->options);
    QObject::connect(engine_.get(), &Engine::event, context_.get(),
                     [this](const api::AccountEvent& event) { dispatch(event); });
    engine_->open(std::move(secrets), loaded, std::move(lock_));  // the engine holds it now
    return;
  }
  secrets_ = std::move(secrets);
  core::account::AccountOptions options{sessionConfigFor(setup_->options)};
  registry_ = std::make_unique<core::account::AccountRegistry>(
      toPath(setup_->dataDir), *secrets_, random_, clock_, std::move(options),
      [](core::account::Account& account) { return std::make_unique<OfflineTransport>(account); },
      [this](const api::AccountEvent& event) { dispatch(event); });
  registry_->load(loaded);
}

core::account::AccountRegistry& CliEngine::registry() {
  return engine_ ? engine_->registry() : *registry_;
}

core::account::Account* CliEngine::resolve(std::string_view account) {
  auto found = registry().resolve(account);
  if (!found) {
    fail(errorText(found.error()));
    return nullptr;
  }
  return *found;
}

std::string CliEngine::nameOf(std::string_view id) const {
  const auto* registry = engine_ ? &engine_->registry() : registry_.get();
  if (registry == nullptr) return {};
  for (const api::AccountSummary& s : registry->list()) {
    if (s.id == id) return s.name;
  }
  return {};
}

void CliEngine::dispatch(const api::AccountEvent& event) {
  if (listener_ && !finishing_) listener_(event);
}

void CliEngine::finish(int exitCode) {
  if (finishing_) return;
  finishing_ = true;
  exitCode_ = exitCode;
  QTimer::singleShot(0, context_.get(), [this] {
    shutdown();
    QElapsedTimer closing;
    closing.start();
    exitWhenClosed(closing);
  });
}

void CliEngine::exitWhenClosed(QElapsedTimer closing) {
  // The drivers (children of the engine) keep a closing socket until the server answers the
  // close frame; nothing else of the engine runs after shutdown().
  const auto open = [this] {
    if (!engine_) return false;
    for (const QObject* child : engine_->findChildren<QObject*>()) {
      if (child->inherits("QWebSocket")) return true;
    }
    return false;
  };
  if (open() && closing.elapsed() < kCloseWaitMs) {
    QTimer::singleShot(kClosePollMs, context_.get(), [this, closing] { exitWhenClosed(closing); });
    return;
  }
  if (setup_->loop != nullptr) setup_->loop->exit(exitCode_);
}

void CliEngine::fail(std::string_view message) {
  if (finishing_) return;
  io_.err << "chorus-cli " << command_ << ": " << message << "\n";
  finish(kExitBadInput);
}

void CliEngine::fail(const core::Error& error) {
  fail(errorText(error));
}

void CliEngine::shutdown() {
  if (engine_ && engine_->isOpen()) engine_->shutdown();
  if (registry_) registry_->closeAll();
}

void CliEngine::printJson(const QJsonObject& object) {
  io_.out << QJsonDocument(object).toJson(QJsonDocument::Compact).constData() << '\n';
  io_.out.flush();
}

void CliEngine::printLine(std::string_view line) {
  io_.out << line << '\n';
  io_.out.flush();
}

bool CliEngine::outputIsTerminal() const {
#ifdef Q_OS_UNIX
  return &io_.out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
#else
  return false;
#endif
}

void CliEngine::after(int ms, std::function<void()> fn) {
  QTimer::singleShot(ms, context_.get(), [this, fn = std::move(fn)] {
    if (!finishing_) fn();
  });
}

}  // namespace chorus::app::cli
