// SignalStore: the durable state of one account's Signal protocol, one small interface for
// everything libsignal asks for. SessionCipher/GroupCipher call it synchronously, only from
// inside their own calls, on the caller's thread; so a durable implementation can wrap one
// decrypt (its session/prekey writes) and the caller's message insert in one transaction it
// opens around the call, and roll both back together (architecture §2, "Storage in core").
//
// Keys cross this interface raw (32 bytes); session and sender-key records are opaque,
// libsignal-local serialisations that contain key material (hence SecretBytes). Every method
// may fail with Errc::Storage; the ciphers abort the operation and report that error.
// Trust decisions are not the store's: it only remembers identities (see SignalContext).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/signal/signal_address.h"
#include "core/signal/signal_keys.h"
#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::signal {

class SignalStore {
 public:
  virtual ~SignalStore() = default;

  // Our own identity and registration id (created once at linking).
  [[nodiscard]] virtual Result<IdentityKeyPair> identityKeyPair() = 0;
  [[nodiscard]] virtual Result<std::uint32_t> registrationId() = 0;

  // Remote identity keys (raw 32 bytes), remembered on first use.
  [[nodiscard]] virtual Result<std::optional<Bytes>> remoteIdentity(
      const SignalAddress& address) = 0;
  [[nodiscard]] virtual Status saveRemoteIdentity(const SignalAddress& address, BytesView key) = 0;
  [[nodiscard]] virtual Status removeRemoteIdentity(const SignalAddress& address) = 0;

  // One-time prekeys; a prekey is removed once a pkmsg has used it.
  [[nodiscard]] virtual Result<std::optional<PreKey>> preKey(std::uint32_t id) = 0;
  [[nodiscard]] virtual Status storePreKey(const PreKey& key) = 0;
  [[nodiscard]] virtual Status removePreKey(std::uint32_t id) = 0;

  [[nodiscard]] virtual Result<std::optional<SignedPreKey>> signedPreKey(std::uint32_t id) = 0;
  [[nodiscard]] virtual Status storeSignedPreKey(const SignedPreKey& key) = 0;
  [[nodiscard]] virtual Status removeSignedPreKey(std::uint32_t id) = 0;

  // Session records per device address.
  [[nodiscard]] virtual Result<std::optional<SecretBytes>> session(
      const SignalAddress& address) = 0;
  [[nodiscard]] virtual Status storeSession(const SignalAddress& address, BytesView record) = 0;
  // True when a session was removed.
  [[nodiscard]] virtual Result<bool> removeSession(const SignalAddress& address) = 0;
  // Devices of `user` that have a session (any order).
  [[nodiscard]] virtual Result<std::vector<std::int32_t>> sessionDevices(std::string_view user) = 0;
  // Removes every device session of `user`; returns how many.
  [[nodiscard]] virtual Result<std::size_t> removeAllSessions(std::string_view user) = 0;

  // Sender-key records per (group, sender device).
  [[nodiscard]] virtual Result<std::optional<SecretBytes>> senderKey(const SenderKeyName& name) = 0;
  [[nodiscard]] virtual Status storeSenderKey(const SenderKeyName& name, BytesView record) = 0;
};

}  // namespace chorus::core::signal
