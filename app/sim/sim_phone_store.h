// SimPhoneStore: the Signal state of one simulated phone (device 0 of an account), a SignalStore
// kept in sim.db so sessions survive a restart. The identity key pair is the account's phone
// identity (= the ADV account signature key, §6.3 step 5), the registration id and the signed
// prekey are the account's (SimRegistry, published in device 0 bundles since pairing existed);
// one-time prekeys, remembered identities, sessions and sender keys live in the phone_* tables
// (SimRegistry migration 4). One-time prekeys are generated here and handed out once to bundle
// fetches (takePreKey); their private halves stay until a pkmsg uses them (removePreKey).
#pragma once

#include <optional>
#include <string>

#include "app/sim/sim_prekey_store.h"
#include "core/signal/signal_store.h"
#include "core/util/random.h"

struct sqlite3;

namespace chorus::sim {

class SimRegistry;

class SimPhoneStore final : public core::signal::SignalStore {
 public:
  SimPhoneStore(SimRegistry& registry, std::string phone) : registry_(registry), phone_(std::move(phone)) {}

  // Hands out (once) the lowest unused one-time prekey, generating a batch when none is left.
  [[nodiscard]] core::Result<std::optional<OneTimePreKey>> takePreKey(core::Random& random);

  [[nodiscard]] core::Result<core::signal::IdentityKeyPair> identityKeyPair() override;
  [[nodiscard]] core::Result<std::uint32_t> registrationId() override;

  [[nodiscard]] core::Result<std::optional<core::Bytes>> remoteIdentity(
      const core::signal::SignalAddress& address) override;
  [[nodiscard]] core::Status saveRemoteIdentity(const core::signal::SignalAddress& address,
                                                core::BytesView key) override;
  [[nodiscard]] core::Status removeRemoteIdentity(const core::signal::SignalAddress& address) override;

  [[nodiscard]] core::Result<std::optional<core::signal::PreKey>> preKey(std::uint32_t id) override;
  [[nodiscard]] core::Status storePreKey(const core::signal::PreKey& key) override;
  [[nodiscard]] core::Status removePreKey(std::uint32_t id) override;

  [[nodiscard]] core::Result<std::optional<core::signal::SignedPreKey>> signedPreKey(
      std::uint32_t id) override;
  [[nodiscard]] core::Status storeSignedPreKey(const core::signal::SignedPreKey& key) override;
  [[nodiscard]] core::Status removeSignedPreKey(std::uint32_t id) override;

  [[nodiscard]] core::Result<std::optional<core::SecretBytes>> session(
      const core::signal::SignalAddress& address) override;
  [[nodiscard]] core::Status storeSession(const core::signal::SignalAddress& address,
                                          core::BytesView record) override;
  [[nodiscard]] core::Result<bool> removeSession(const core::signal::SignalAddress& address) override;
  [[nodiscard]] core::Result<std::vector<std::int32_t>> sessionDevices(std::string_view user) override;
  [[nodiscard]] core::Result<std::size_t> removeAllSessions(std::string_view user) override;

  [[nodiscard]] core::Result<std::optional<core::SecretBytes>> senderKey(
      const core::signal::SenderKeyName& name) override;
  [[nodiscard]] core::Status storeSenderKey(const core::signal::SenderKeyName& name,
                                            core::BytesView record) override;

 private:
  [[nodiscard]] sqlite3* db() const;
  [[nodiscard]] core::Result<std::optional<core::Bytes>> blobWhere(const char* sql,
                                                                    std::string_view key) const;

  SimRegistry& registry_;
  std::string phone_;
};

}  // namespace chorus::sim
