#include "app/platform/secret_store_choice.h"

#include <utility>

namespace chorus::app {

using core::Errc;

namespace {

constexpr std::size_t kProbeSize = 32;

// The probe's state, shared by the completions of its three requests.
struct Probe {
  std::unique_ptr<KeychainSecretStore> store;
  core::SecretBytes expected;
  KeychainChoiceDone done;
};

core::Error probeFailure(const core::Error& cause) {
  if (cause.code == Errc::Cancelled) {
    return core::Error{Errc::Cancelled, "keychain unlock was dismissed (" + describe(cause) + ")"};
  }
  return core::Error{Errc::Unsupported, "no usable keychain (" + describe(cause) + ")"};
}

// Reports `cause` and lets the store go. We run inside one of the store's completions, so it
// is deleted later from the event loop, not under its own feet.
void giveUp(const std::shared_ptr<Probe>& probe, const core::Error& cause) {
  probe->store.release()->deleteLater();
  auto done = std::move(probe->done);
  done(core::Unexpected<core::Error>(probeFailure(cause)));
}

// After the probe entry was written, a failure still tries to remove it before giving up.
void cleanUpAndGiveUp(const std::shared_ptr<Probe>& probe, core::Error cause) {
  probe->store->remove(kKeychainProbeName,
                       [probe, cause = std::move(cause)](core::Status) { giveUp(probe, cause); });
}

}  // namespace

void chooseSecretStore(core::Random& random, KeychainChoiceDone done, const QString& service) {
  auto probe = std::make_shared<Probe>();
  probe->store = std::make_unique<KeychainSecretStore>(nullptr, service);
  probe->expected = random.secret(kProbeSize);
  probe->done = std::move(done);

  probe->store->write(kKeychainProbeName, probe->expected.clone(), [probe](core::Status written) {
    if (!written) return giveUp(probe, written.error());
    probe->store->read(kKeychainProbeName, [probe](core::Result<core::SecretBytes> got) {
      if (!got) return cleanUpAndGiveUp(probe, got.error());
      if (!(*got == probe->expected)) {
        return cleanUpAndGiveUp(probe, core::Error{Errc::Io, "the keychain returned other bytes"});
      }
      probe->store->remove(kKeychainProbeName, [probe](core::Status removed) {
        if (!removed) return giveUp(probe, removed.error());
        auto store = std::move(probe->store);
        auto finish = std::move(probe->done);
        finish(std::move(store));
      });
    });
  });
}

}  // namespace chorus::app
