#include "core/signal/memory_signal_store.h"

#include <utility>

namespace chorus::core::signal {

MemorySignalStore::MemorySignalStore(IdentityKeyPair identity, std::uint32_t registrationId)
    : identity_(std::move(identity)), registrationId_(registrationId) {}

Result<MemorySignalStore> MemorySignalStore::generate(Random& random) {
  CHORUS_TRY(identity, generateIdentityKeyPair(random));
  return MemorySignalStore(std::move(identity), generateRegistrationId(random));
}

Result<IdentityKeyPair> MemorySignalStore::identityKeyPair() {
  return identity_.clone();
}
Result<std::uint32_t> MemorySignalStore::registrationId() {
  return registrationId_;
}

Result<std::optional<Bytes>> MemorySignalStore::remoteIdentity(const SignalAddress& address) {
  auto it = identities_.find(address);
  if (it == identities_.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

Status MemorySignalStore::saveRemoteIdentity(const SignalAddress& address, BytesView key) {
  identities_[address] = toBytes(key);
  return ok();
}

Status MemorySignalStore::removeRemoteIdentity(const SignalAddress& address) {
  identities_.erase(address);
  return ok();
}

Result<std::optional<PreKey>> MemorySignalStore::preKey(std::uint32_t id) {
  auto it = preKeys_.find(id);
  if (it == preKeys_.end()) return std::optional<PreKey>{};
  return std::optional<PreKey>{it->second.clone()};
}

Status MemorySignalStore::storePreKey(const PreKey& key) {
  preKeys_.insert_or_assign(key.id, key.clone());
  return ok();
}

Status MemorySignalStore::removePreKey(std::uint32_t id) {
  preKeys_.erase(id);
  return ok();
}

Result<std::optional<SignedPreKey>> MemorySignalStore::signedPreKey(std::uint32_t id) {
  auto it = signedPreKeys_.find(id);
  if (it == signedPreKeys_.end()) return std::optional<SignedPreKey>{};
  return std::optional<SignedPreKey>{it->second.clone()};
}

Status MemorySignalStore::storeSignedPreKey(const SignedPreKey& key) {
  signedPreKeys_.insert_or_assign(key.id, key.clone());
  return ok();
}

Status MemorySignalStore::removeSignedPreKey(std::uint32_t id) {
  signedPreKeys_.erase(id);
  return ok();
}

Result<std::optional<SecretBytes>> MemorySignalStore::session(const SignalAddress& address) {
  auto it = sessions_.find(address);
  if (it == sessions_.end()) return std::optional<SecretBytes>{};
  return std::optional<SecretBytes>{it->second.clone()};
}

Status MemorySignalStore::storeSession(const SignalAddress& address, BytesView record) {
  sessions_.insert_or_assign(address, SecretBytes(record));
  return ok();
}

Result<bool> MemorySignalStore::removeSession(const SignalAddress& address) {
  return sessions_.erase(address) > 0;
}

Result<std::vector<std::int32_t>> MemorySignalStore::sessionDevices(std::string_view user) {
  std::vector<std::int32_t> devices;
  for (const auto& [address, record] : sessions_) {
    if (address.user == user) devices.push_back(address.device);
  }
  return devices;
}

Result<std::size_t> MemorySignalStore::removeAllSessions(std::string_view user) {
  return std::erase_if(sessions_, [&](const auto& entry) { return entry.first.user == user; });
}

Result<std::optional<SecretBytes>> MemorySignalStore::senderKey(const SenderKeyName& name) {
  auto it = senderKeys_.find(name);
  if (it == senderKeys_.end()) return std::optional<SecretBytes>{};
  return std::optional<SecretBytes>{it->second.clone()};
}

Status MemorySignalStore::storeSenderKey(const SenderKeyName& name, BytesView record) {
  senderKeys_.insert_or_assign(name, SecretBytes(record));
  return ok();
}

}  // namespace chorus::core::signal
