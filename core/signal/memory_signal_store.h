// MemorySignalStore: SignalStore in memory, for tests, tools and the simulator's phones.
// The SQLite-backed store comes with the messaging layer.
#pragma once

#include <map>

#include "core/signal/signal_store.h"

namespace chorus::core::signal {

class MemorySignalStore final : public SignalStore {
 public:
  MemorySignalStore(IdentityKeyPair identity, std::uint32_t registrationId);
  // A fresh identity and registration id from `random` (no prekeys yet).
  [[nodiscard]] static Result<MemorySignalStore> generate(Random& random);

  [[nodiscard]] Result<IdentityKeyPair> identityKeyPair() override;
  [[nodiscard]] Result<std::uint32_t> registrationId() override;

  [[nodiscard]] Result<std::optional<Bytes>> remoteIdentity(const SignalAddress& address) override;
  [[nodiscard]] Status saveRemoteIdentity(const SignalAddress& address, BytesView key) override;
  [[nodiscard]] Status removeRemoteIdentity(const SignalAddress& address) override;

  [[nodiscard]] Result<std::optional<PreKey>> preKey(std::uint32_t id) override;
  [[nodiscard]] Status storePreKey(const PreKey& key) override;
  [[nodiscard]] Status removePreKey(std::uint32_t id) override;

  [[nodiscard]] Result<std::optional<SignedPreKey>> signedPreKey(std::uint32_t id) override;
  [[nodiscard]] Status storeSignedPreKey(const SignedPreKey& key) override;
  [[nodiscard]] Status removeSignedPreKey(std::uint32_t id) override;

  [[nodiscard]] Result<std::optional<SecretBytes>> session(const SignalAddress& address) override;
  [[nodiscard]] Status storeSession(const SignalAddress& address, BytesView record) override;
  [[nodiscard]] Result<bool> removeSession(const SignalAddress& address) override;
  [[nodiscard]] Result<std::vector<std::int32_t>> sessionDevices(std::string_view user) override;
  [[nodiscard]] Result<std::size_t> removeAllSessions(std::string_view user) override;

  [[nodiscard]] Result<std::optional<SecretBytes>> senderKey(const SenderKeyName& name) override;
  [[nodiscard]] Status storeSenderKey(const SenderKeyName& name, BytesView record) override;

  [[nodiscard]] std::size_t preKeyCount() const noexcept { return preKeys_.size(); }

 private:
  IdentityKeyPair identity_;
  std::uint32_t registrationId_;
  std::map<SignalAddress, Bytes> identities_;
  std::map<std::uint32_t, PreKey> preKeys_;
  std::map<std::uint32_t, SignedPreKey> signedPreKeys_;
  std::map<SignalAddress, SecretBytes> sessions_;
  std::map<SenderKeyName, SecretBytes> senderKeys_;
};

}  // namespace chorus::core::signal
