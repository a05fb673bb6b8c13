#include "app/platform/engine.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <charconv>
#include <cstdlib>
#include <set>
#include <string>

#include "app/platform/account_driver.h"
#include "app/platform/network_watch.h"
#include "app/platform/resume_watch.h"
#include "core/signal/curve25519_backend.h"

namespace chorus::app {
namespace {

constexpr char kCategory[] = "engine";
constexpr char kTimingVariable[] = "CHORUS_TEST_TIMING";
// Bounds of a timing override: 1 ms .. 1 day.
constexpr std::int64_t kMaxTimingMs = 24LL * 3600 * 1000;

std::filesystem::path toPath(const QString& path) {
#ifdef _WIN32
  return std::filesystem::path(path.toStdWString());
#else
  return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The TLS settings of every wss:// connection: the system's CAs plus the server's own.
// Only wss:// needs it, so a plain ws:// simulator never pays for loading the system's CAs.
QSslConfiguration sslFor(const ServerConfig& server, core::Logger* logger) {
  if (server.chatUrl.scheme() != QLatin1String("wss")) return {};
  QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
  if (server.caPath.isEmpty()) return ssl;
  const QList<QSslCertificate> extra = QSslCertificate::fromPath(server.caPath, QSsl::Pem);
  if (extra.isEmpty()) {
    if (logger != nullptr)
      logger->warn(kCategory, "no certificate in " + server.caPath.toStdString() +
                                  ": trusting the system's CAs only");
    return ssl;
  }
  ssl.setCaCertificates(QSslConfiguration::systemCaCertificates() + extra);
  return ssl;
}

}  // namespace

core::Result<EngineTiming> parseEngineTiming(std::string_view text) {
  EngineTiming timing;
  if (trimSpaces(text).empty()) return timing;
  std::set<std::string, std::less<>> seen;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = trimSpaces(text.substr(start, comma - start));
    start = comma + 1;
    const auto bad = [&](const std::string& why) {
      return core::fail(core::Errc::InvalidArgument, std::string(kTimingVariable) + ": item '" +
                                                         std::string(item) + "' " + why);
    };
    const std::size_t eq = item.find('=');
    if (item.empty() || eq == std::string_view::npos) return bad("is not name=milliseconds");
    const std::string_view name = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || ms < 1 ||
        ms > kMaxTimingMs)
      return bad("needs a whole number of milliseconds from 1 to " + std::to_string(kMaxTimingMs));
    if (!seen.emplace(name).second) return bad("repeats " + std::string(name));
    const core::Millis v{ms};
    if (name == "reconnect_base_ms") timing.reconnectBase = v;
    else if (name == "slow_retry_ms") timing.slowRetry = v;
    else if (name == "keepalive_ms") timing.keepaliveInterval = v;
    else if (name == "keepalive_timeout_ms") timing.keepaliveTimeout = v;
    else if (name == "connect_timeout_ms") timing.connectTimeout = v;
    else return bad("has an unknown name (reconnect_base_ms, slow_retry_ms, keepalive_ms, "
                    "keepalive_timeout_ms, connect_timeout_ms)");
  }
  return timing;
}

core::Result<EngineTiming> timingFromEnvironment() {
  const char* value = std::getenv(kTimingVariable);
  return parseEngineTiming(value == nullptr ? std::string_view{} : std::string_view{value});
}

core::session::SessionConfig sessionConfigFor(const EngineOptions& options) {
  core::session::SessionConfig config;
  if (options.server.chatUrl.isValid() && !options.server.chatUrl.isEmpty())
    config.url = options.server.chatUrl.toString(QUrl::FullyEncoded).toStdString();
  if (!options.server.rootKey.empty()) config.wire.trustedRootKey = options.server.rootKey;
  const EngineTiming& t = options.timing;
  if (t.reconnectBase) config.reconnect.baseDelay = *t.reconnectBase;
  if (t.slowRetry) config.reconnect.slowInterval = *t.slowRetry;
  if (t.keepaliveInterval) {
    config.keepalive.minInterval = *t.keepaliveInterval;
    config.keepalive.maxInterval = *t.keepaliveInterval;
  }
  if (t.keepaliveTimeout) config.keepalive.responseTimeout = *t.keepaliveTimeout;
  if (t.connectTimeout) config.connectTimeout = *t.connectTimeout;
  return config;
}

Engine::Engine(EngineOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
  static const int registered = qRegisterMetaType<chorus::api::AccountEvent>();
  (void)registered;
}

Engine::~Engine() {
  shutdown();
  registry_.reset();  // the accounts and their drivers, before the secret store they use
}

void Engine::open(std::unique_ptr<core::store::SecretStore> secrets,
                  std::function<void(core::Status)> done, std::unique_ptr<DataFolderLock> lock) {
  if (registry_ != nullptr || shutDown_ || secrets == nullptr) {
    done(core::fail(core::Errc::InvalidArgument,
                    secrets == nullptr ? "no secret store" : "the engine was already opened"));
    return;
  }
  if (lock != nullptr && lock->dataDir() != options_.dataDir) {
    done(core::fail(core::Errc::InvalidArgument, "the lock given is for " +
                                                     lock->dataDir().toStdString() + ", not " +
                                                     options_.dataDir.toStdString()));
    return;
  }
  if (lock == nullptr) {
    auto taken = DataFolderLock::acquire(options_.dataDir);
    if (!taken) {
      if (options_.logger != nullptr) options_.logger->warn(kCategory, taken.error().detail);
      done(core::Unexpected<core::Error>(taken.error()));
      return;
    }
    lock = std::move(*taken);
  }
  lock_ = std::move(lock);
  secrets_ = std::move(secrets);
  const QSslConfiguration ssl = sslFor(options_.server, options_.logger);
  auto transports = [this, ssl](core::account::Account& account)
      -> std::unique_ptr<core::account::AccountTransport> {
    return std::make_unique<AccountDriver>(account, clock_, ssl, options_.logger, this);
  };
  auto listener = [this](const api::AccountEvent& e) { Q_EMIT event(e); };
  registry_ = std::make_unique<core::account::AccountRegistry>(
      toPath(options_.dataDir), *secrets_, random_, clock_,
      core::account::AccountOptions{sessionConfigFor(options_)}, std::move(transports),
      std::move(listener));
  if (options_.logger != nullptr) {
    options_.logger->info(kCategory, "opening " + options_.dataDir.toStdString() + " (server " +
                                         options_.server.chatUrl.host().toStdString() + ")");
    // Which Curve25519 the Signal layer runs on (libsodium when interposition works).
    const auto curve = core::signal::curve25519Backend();
    const std::string line =
        "Signal Curve25519: " + std::string(core::signal::curve25519BackendName(curve));
    if (curve == core::signal::Curve25519Backend::Mismatch) {
      options_.logger->error(kCategory, line);
    } else {
      options_.logger->info(kCategory, line);
    }
  }
  registry_->load([this, done = std::move(done)](core::Status status) {
    if (shutDown_) {
      done(core::fail(core::Errc::Cancelled, "the engine was shut down while loading"));
      return;
    }
    if (status) {
      registry_->startAll();
      if (options_.watchNetwork && networkWatch_ == nullptr) {
        auto reconnectNow = [this] {
          if (registry_ != nullptr && !shutDown_) registry_->onNetworkUp();
        };
        networkWatch_ = new NetworkWatch(reconnectNow, options_.logger, this);
        resumeWatch_ = new ResumeWatch(reconnectNow, options_.logger, this);
      }
    }
    done(std::move(status));
  });
}

bool Engine::isOpen() const noexcept {
  return registry_ != nullptr && !shutDown_;
}

core::account::AccountRegistry& Engine::registry() {
  Q_ASSERT(registry_ != nullptr);
  return *registry_;
}

void Engine::shutdown() {
  if (shutDown_) return;
  shutDown_ = true;
  delete networkWatch_;
  networkWatch_ = nullptr;
  delete resumeWatch_;
  resumeWatch_ = nullptr;
  if (registry_ != nullptr) registry_->closeAll();
  if (options_.logger != nullptr) options_.logger->info(kCategory, "shut down");
}

}  // namespace chorus::app
