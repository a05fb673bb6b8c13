// KeychainSecretStore: core's SecretStore port on the operating system's keychain through
// QtKeychain (Secret Service / KWallet on Linux, Keychain on macOS, Credential Manager on
// Windows), entries under the service name "Chorus" and the secret's name as key, stored as
// binary data.
//
// QtKeychain misbehaves with concurrent jobs, and its own executor starts the next job from
// inside the previous job's `finished`. So this store keeps a FIFO of requests and runs exactly
// one job at a time; when a job finishes it only records the outcome and returns, and the
// completion and the next job run from the event loop (a queued call), never from inside
// `finished`. Completions therefore never run before read/write/remove return.
//
// QtKeychain error → core::Errc (see keychainErrc):
//   EntryNotFound → NotFound; AccessDenied, AccessDeniedByUser → Cancelled;
//   NoBackendAvailable, NotImplemented → Unsupported; everything else → Io.
// remove() of a name the keychain does not hold answers NotFound (the SecretStore contract):
// backends such as libsecret report success for that, so remove reads before it deletes.
//
// Jobs have no QObject parent: each one deletes itself after `finished` (QtKeychain's
// autoDelete), because the backends keep raw pointers to a running job until it completes.
// Destroying the store completes every request still queued (or running) with
// Errc::Cancelled; a running job then finishes on its own with nobody listening. From inside
// one of its own completions, destroy it with deleteLater(), not delete.
//
// Threads: the store, its jobs and its completions live on the thread that owns the store
// (the engine thread). QtKeychain's job executor is one per process and not thread-safe, so
// every keychain store of a process belongs on that same thread.
#pragma once

#include <QObject>
#include <QString>
#include <cstddef>
#include <deque>
#include <string>

#include "core/store/secret_store.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace QKeychain {
class Job;
}

namespace chorus::app {

inline constexpr char kKeychainService[] = "Chorus";

// Maps a QKeychain::Error value (passed as int so this header does not pull in QtKeychain).
[[nodiscard]] core::Errc keychainErrc(int qkeychainError) noexcept;

class KeychainSecretStore final : public QObject, public core::store::SecretStore {
  Q_OBJECT

 public:
  explicit KeychainSecretStore(QObject* parent = nullptr,
                               QString service = QString::fromLatin1(kKeychainService));
  ~KeychainSecretStore() override;

  void read(const std::string& name, ReadDone done) override;
  void write(const std::string& name, core::SecretBytes value, Done done) override;
  void remove(const std::string& name, Done done) override;

  [[nodiscard]] const QString& service() const noexcept { return service_; }
  // Requests not yet completed, the running one included.
  [[nodiscard]] std::size_t pendingCount() const noexcept { return queue_.size(); }
  // How many jobs are running now: 0 or 1 (tests check that it never exceeds 1).
  [[nodiscard]] int runningJobs() const noexcept { return running_ ? 1 : 0; }

 private:
  enum class Kind { Read, Write, RemoveCheck, RemoveDelete };
  struct Request {
    Kind kind = Kind::Read;
    std::string name;
    core::SecretBytes value;  // Write: what to store
    ReadDone readDone;        // Read
    Done done;                // Write, RemoveCheck, RemoveDelete
  };
  // What the finished job reported, kept until the queued step picks it up.
  struct Outcome {
    int error = 0;  // QKeychain::Error
    QString errorText;
    core::SecretBytes data;
  };

  void enqueue(Request request);
  void scheduleStep();
  void step();
  void startJob(Request& request);
  void onJobFinished(QKeychain::Job* job);
  void completeFront();

  QString service_;
  std::deque<Request> queue_;
  Outcome outcome_;
  bool running_ = false;    // a job of queue_.front() is running
  bool finished_ = false;   // that job finished; outcome_ waits for the queued step
  bool scheduled_ = false;  // a queued step is pending
};

}  // namespace chorus::app
