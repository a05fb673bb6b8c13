#include "app/platform/keychain_secret_store.h"

#include <QByteArray>
#include <cstdint>
#include <utility>

#include <qt6keychain/keychain.h>

namespace chorus::app {

using core::Errc;

core::Errc keychainErrc(int qkeychainError) noexcept {
  if (qkeychainError < QKeychain::NoError || qkeychainError > QKeychain::OtherError)
    return Errc::Io;
  switch (static_cast<QKeychain::Error>(qkeychainError)) {
    case QKeychain::EntryNotFound: return Errc::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser: return Errc::Cancelled;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: return Errc::Unsupported;
    case QKeychain::NoError:  // not an error; callers never map it
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError: break;
  }
  return Errc::Io;
}

namespace {

core::Error keychainError(int code, const QString& text, const std::string& name) {
  // QtKeychain's texts describe the backend failure (D-Bus, libsecret); they never contain
  // the secret. The name is an account id path, not a secret either.
  std::string detail = "keychain entry " + name;
  if (!text.isEmpty()) detail += ": " + text.toStdString();
  return core::Error{keychainErrc(code), std::move(detail)};
}

}  // namespace

KeychainSecretStore::KeychainSecretStore(QObject* parent, QString service)
    : QObject(parent), service_(std::move(service)) {}

KeychainSecretStore::~KeychainSecretStore() {
  // Every request gets its completion exactly once, also when the store goes away first.
  std::deque<Request> pending = std::move(queue_);
  queue_.clear();
  for (Request& request : pending) {
    const core::Error error{Errc::Cancelled,
                            "keychain store closed before " + request.name + " was handled"};
    if (request.readDone) {
      request.readDone(core::Unexpected<core::Error>(error));
    } else if (request.done) {
      request.done(core::Unexpected<core::Error>(error));
    }
  }
}

void KeychainSecretStore::read(const std::string& name, ReadDone done) {
  Request request;
  request.kind = Kind::Read;
  request.name = name;
  request.readDone = std::move(done);
  enqueue(std::move(request));
}

void KeychainSecretStore::write(const std::string& name, core::SecretBytes value, Done done) {
  Request request;
  request.kind = Kind::Write;
  request.name = name;
  request.value = std::move(value);
  request.done = std::move(done);
  enqueue(std::move(request));
}

void KeychainSecretStore::remove(const std::string& name, Done done) {
  Request request;
  request.kind = Kind::RemoveCheck;
  request.name = name;
  request.done = std::move(done);
  enqueue(std::move(request));
}

void KeychainSecretStore::enqueue(Request request) {
  queue_.push_back(std::move(request));
  if (!running_ && !finished_) scheduleStep();
}

void KeychainSecretStore::scheduleStep() {
  if (scheduled_) return;
  scheduled_ = true;
  QMetaObject::invokeMethod(
      this, [this] { step(); }, Qt::QueuedConnection);
}

// Runs from the event loop only: either completes the request whose job finished, or starts
// the job of the request at the front.
void KeychainSecretStore::step() {
  scheduled_ = false;
  if (finished_) {
    completeFront();
    return;
  }
  if (running_ || queue_.empty()) return;
  startJob(queue_.front());
}

void KeychainSecretStore::startJob(Request& request) {
  const QString key = QString::fromStdString(request.name);
  QKeychain::Job* job = nullptr;
  switch (request.kind) {
    case Kind::Read:
    case Kind::RemoveCheck: job = new QKeychain::ReadPasswordJob(service_); break;
    case Kind::Write: {
      auto* write = new QKeychain::WritePasswordJob(service_);
      // QtKeychain and the backend keep copies of the bytes that we cannot wipe; ours is only
      // this temporary, which the job shares.
      write->setBinaryData(QByteArray(reinterpret_cast<const char*>(request.value.data()),
                                      static_cast<qsizetype>(request.value.size())));
      job = write;
      break;
    }
    case Kind::RemoveDelete: job = new QKeychain::DeletePasswordJob(service_); break;
  }
  job->setKey(key);
  job->setAutoDelete(true);         // the job owns itself; see the header
  job->setInsecureFallback(false);  // never a plaintext QSettings fallback
  connect(job, &QKeychain::Job::finished, this, &KeychainSecretStore::onJobFinished);
  running_ = true;
  job->start();
}

// Inside QtKeychain's `finished`: record the outcome and return. Nothing is started or
// completed from here (style.md: never start a keychain job from another job's finished).
void KeychainSecretStore::onJobFinished(QKeychain::Job* job) {
  if (!running_ || queue_.empty()) return;
  running_ = false;
  finished_ = true;
  outcome_ = Outcome{};
  outcome_.error = static_cast<int>(job->error());
  if (job->error() != QKeychain::NoError) {
    outcome_.errorText = job->errorString();
  } else if (queue_.front().kind == Kind::Read) {
    const QByteArray data = static_cast<QKeychain::ReadPasswordJob*>(job)->binaryData();
    outcome_.data =
        core::SecretBytes(core::BytesView(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                          static_cast<std::size_t>(data.size())));
  }
  scheduleStep();
}

void KeychainSecretStore::completeFront() {
  finished_ = false;
  Outcome outcome = std::move(outcome_);
  outcome_ = Outcome{};
  Request& front = queue_.front();

  if (front.kind == Kind::RemoveCheck && outcome.error == QKeychain::NoError) {
    // The entry exists: now delete it, as the next job, from the next queued step.
    front.kind = Kind::RemoveDelete;
    scheduleStep();
    return;
  }

  Request request = std::move(front);
  queue_.pop_front();
  // Schedule the next request before handing control to the caller's completion, which may
  // queue more requests (deduplicated by scheduleStep) or deleteLater() this store.
  if (!queue_.empty()) scheduleStep();

  if (request.kind == Kind::Read) {
    if (outcome.error != QKeychain::NoError) {
      request.readDone(core::Unexpected<core::Error>(
          keychainError(outcome.error, outcome.errorText, request.name)));
    } else {
      request.readDone(std::move(outcome.data));
    }
    return;
  }
  if (outcome.error != QKeychain::NoError) {
    request.done(core::Unexpected<core::Error>(
        keychainError(outcome.error, outcome.errorText, request.name)));
  } else {
    request.done(core::ok());
  }
}

}  // namespace chorus::app
