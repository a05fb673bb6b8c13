// SessionCipher: pairwise Signal sessions (X3DH + double ratchet, protocol §14.1) on a
// SignalContext. Builds sessions from WhatsApp prekey bundles (raw 32-byte keys), encrypts to
// pkmsg/msg and decrypts them. Plaintexts are exactly what is encrypted: callers pad with
// padMessage() before encrypt() and unpad after decrypt() (protocol §9.1).
#pragma once

#include <optional>
#include <string_view>

#include "core/signal/signal_address.h"
#include "core/signal/signal_context.h"
#include "core/signal/signal_keys.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::signal {

enum class MessageType {
  PreKey,  // "pkmsg": PreKeySignalMessage, until the peer has answered
  Normal,  // "msg": SignalMessage
};
[[nodiscard]] std::string_view messageTypeName(MessageType type) noexcept;  // "pkmsg" / "msg"
// The <enc type=…> attribute; nullopt for anything else (e.g. "skmsg", handled by GroupCipher).
[[nodiscard]] std::optional<MessageType> parseMessageType(std::string_view name) noexcept;

struct EncryptedMessage {
  MessageType type = MessageType::Normal;
  Bytes bytes;  // the <enc> content, starting with the version byte 0x33
};

// Who takes the symmetric-ratchet step of a "msg" in an established chain (symmetric_ratchet.h):
// Chorus, on libsignal's record format (the default), or libsignal itself — kept so tests can
// hold the two against each other. Everything else is libsignal's either way.
enum class SymmetricStep { Chorus, Libsignal };

class SessionCipher {
 public:
  explicit SessionCipher(SignalContext& context, SymmetricStep step = SymmetricStep::Chorus)
      : context_(context), step_(step) {}

  // X3DH as the initiator from `bundle`. InvalidArgument for keys that are not 32 bytes (64 for
  // the signature) or not on the curve; Crypto for a bad signed-prekey signature; Protocol
  // (kUntrustedIdentity) when the address is known under another identity.
  [[nodiscard]] Status processBundle(const SignalAddress& address, const PreKeyBundle& bundle);
  [[nodiscard]] Result<bool> hasSession(const SignalAddress& address);
  [[nodiscard]] Status deleteSession(const SignalAddress& address);

  // NotFound without a session.
  [[nodiscard]] Result<EncryptedMessage> encrypt(const SignalAddress& address, BytesView plaintext);
  // Errors: Crypto (bad MAC), Protocol (malformed, untrusted identity, kDuplicateMessage, too far
  // ahead), NotFound (no session for msg; unknown one-time/signed prekey for pkmsg), Storage.
  // On failure nothing is written to the store.
  [[nodiscard]] Result<Bytes> decrypt(const SignalAddress& address, MessageType type,
                                      BytesView ciphertext);

  // The peer's registration id from the current session (NotFound without a session).
  [[nodiscard]] Result<std::uint32_t> remoteRegistrationId(const SignalAddress& address);

  // How many messages this cipher encrypted or decrypted with Chorus's symmetric step (the
  // rest went through libsignal).
  [[nodiscard]] std::uint64_t chorusSteps() const noexcept { return chorusSteps_; }

 private:
  SignalContext& context_;
  SymmetricStep step_;
  std::uint64_t chorusSteps_ = 0;
};

}  // namespace chorus::core::signal
