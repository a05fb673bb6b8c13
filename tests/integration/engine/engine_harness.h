// Test support for driving a whole Engine against chorus-sim (tests/integration/engine and
// tests/bench/accounts_bench):
//   * SharedSecrets / SharedSecretStore: an in-memory SecretStore (like MemorySecretStore) whose
//     contents outlive one Engine, so a second Engine on the same folder finds the data keys —
//     what the OS keychain does between two runs of the app;
//   * EventLog: every Engine event, with the questions the tests ask of them.
// chorus-sim itself runs as a SimProcess (tests/integration/support/sim_client.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/platform/engine.h"
#include "core/api/account_events.h"
#include "core/store/secret_store.h"

namespace chorus::testing {

using SharedSecrets = std::map<std::string, core::SecretBytes>;

class SharedSecretStore final : public core::store::SecretStore {
 public:
  explicit SharedSecretStore(SharedSecrets& secrets) : secrets_(secrets) {}
  void read(const std::string& name, ReadDone done) override;
  void write(const std::string& name, core::SecretBytes value, Done done) override;
  void remove(const std::string& name, Done done) override;

 private:
  SharedSecrets& secrets_;
};

// "name-hex secret-hex" lines and back: how accounts_bench hands the data keys to its
// measuring child process.
[[nodiscard]] QByteArray dumpSecrets(const SharedSecrets& secrets);
[[nodiscard]] bool loadSecrets(const QByteArray& text, SharedSecrets& out);

class EventLog {
 public:
  void add(const api::AccountEvent& event) { events_.push_back(event); }
  [[nodiscard]] const std::vector<api::AccountEvent>& events() const { return events_; }
  [[nodiscard]] std::size_t size() const { return events_.size(); }
  // The latest state reported for `id` (Disconnected when none).
  [[nodiscard]] api::ConnectionState state(const api::AccountId& id) const;
  // Whether `id` reported `state` at or after event index `from`.
  [[nodiscard]] bool reached(const api::AccountId& id, api::ConnectionState state,
                             std::size_t from = 0) const;
  // The newest QR code of `id` at or after `from`; empty when none.
  [[nodiscard]] std::string qrCode(const api::AccountId& id, std::size_t from = 0) const;
  template <class T>
  [[nodiscard]] const T* find(const api::AccountId& id, std::size_t from = 0) const {
    for (std::size_t i = from; i < events_.size(); ++i) {
      if (const T* e = std::get_if<T>(&events_[i]); e != nullptr && e->id == id) return e;
    }
    return nullptr;
  }

 private:
  std::vector<api::AccountEvent> events_;
};

// VmRSS of this process in KiB (from /proc/self/status), or -1.
[[nodiscard]] long selfRssKiB();

}  // namespace chorus::testing
