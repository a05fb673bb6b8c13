#include "core/signal/session_cipher.h"

#include <signal/protocol.h>
#include <signal/session_pre_key.h>

#include "core/signal/signal_context_impl.h"
#include "core/signal/symmetric_ratchet.h"

namespace chorus::core::signal {

namespace {

constexpr std::string_view kPreKeyName = "pkmsg";
constexpr std::string_view kNormalName = "msg";

Result<detail::SessionCipherPtr> makeCipher(SignalContext::Impl& impl,
                                            const signal_protocol_address& address) {
  session_cipher* raw = nullptr;
  const int rc = session_cipher_create(&raw, impl.storeContext.get(), &address, impl.context.get());
  if (rc != 0 || raw == nullptr) return Unexpected<Error>(impl.toError(rc, "cipher"));
  return detail::SessionCipherPtr(raw);
}

Status checkAddress(const SignalAddress& address) {
  if (address.user.empty()) return fail(Errc::InvalidArgument, "signal address without user");
  if (address.device < 0) return fail(Errc::InvalidArgument, "negative signal device id");
  return ok();
}

Result<Bytes> takePlaintext(signal_buffer* raw) {
  detail::BufferPtr plaintext(raw);
  return toBytes(detail::view(plaintext.get()));
}

}  // namespace

std::string_view messageTypeName(MessageType type) noexcept {
  return type == MessageType::PreKey ? kPreKeyName : kNormalName;
}

std::optional<MessageType> parseMessageType(std::string_view name) noexcept {
  if (name == kPreKeyName) return MessageType::PreKey;
  if (name == kNormalName) return MessageType::Normal;
  return std::nullopt;
}

Status SessionCipher::processBundle(const SignalAddress& address, const PreKeyBundle& bundle) {
  CHORUS_CHECK(checkAddress(address));
  if (bundle.signedPreKeySignature.size() != kSignatureSize) {
    return fail(Errc::InvalidArgument, "signed prekey signature must be 64 bytes");
  }
  if (bundle.deviceId < 0) return fail(Errc::InvalidArgument, "negative bundle device id");
  SignalContext::Impl& impl = context_.impl();
  impl.beginCall();
  signal_context* ctx = impl.context.get();
  CHORUS_TRY(identity, detail::decodePublicKey(ctx, bundle.identityKey));
  CHORUS_TRY(signedPreKey, detail::decodePublicKey(ctx, bundle.signedPreKey));
  detail::Ref<ec_public_key> oneTime;
  std::uint32_t oneTimeId = 0;
  if (bundle.preKey) {
    if (bundle.preKey->id > kMaxPreKeyId)
      return fail(Errc::InvalidArgument, "prekey id over 24 bits");
    CHORUS_TRY(key, detail::decodePublicKey(ctx, bundle.preKey->publicKey));
    oneTime = std::move(key);
    oneTimeId = bundle.preKey->id;
  }
  session_pre_key_bundle* rawBundle = nullptr;
  if (session_pre_key_bundle_create(&rawBundle, bundle.registrationId, bundle.deviceId, oneTimeId,
                                    oneTime.get(), bundle.signedPreKeyId, signedPreKey.get(),
                                    bundle.signedPreKeySignature.data(),
                                    bundle.signedPreKeySignature.size(), identity.get()) != 0) {
    return fail(Errc::Internal, "session_pre_key_bundle_create failed");
  }
  detail::Ref<session_pre_key_bundle> signalBundle(rawBundle);

  const signal_protocol_address signalAddress = detail::toSignal(address);
  session_builder* rawBuilder = nullptr;
  int rc = session_builder_create(&rawBuilder, impl.storeContext.get(), &signalAddress, ctx);
  if (rc != 0 || rawBuilder == nullptr) return Unexpected<Error>(impl.toError(rc, "builder"));
  detail::SessionBuilderPtr builder(rawBuilder);
  rc = session_builder_process_pre_key_bundle(builder.get(), signalBundle.get());
  if (rc == SG_ERR_INVALID_KEY && !impl.storeError) {
    // The only key libsignal checks here beyond decoding is the signed prekey's signature.
    return fail(Errc::Crypto, "signal bundle: bad signed prekey signature");
  }
  if (rc < 0) return Unexpected<Error>(impl.toError(rc, "bundle"));
  return ok();
}

Result<bool> SessionCipher::hasSession(const SignalAddress& address) {
  CHORUS_CHECK(checkAddress(address));
  CHORUS_TRY(record, context_.store().session(address));
  return record.has_value();
}

Status SessionCipher::deleteSession(const SignalAddress& address) {
  CHORUS_TRY(removed, context_.store().removeSession(address));
  (void)removed;
  return ok();
}

// No hasSession() first (a second store read per message): libsignal loads the record itself,
// and the bridge notes when there was none (impl.sessionMissing), which libsignal reports only
// as SG_ERR_UNKNOWN.
Result<EncryptedMessage> SessionCipher::encrypt(const SignalAddress& address, BytesView plaintext) {
  CHORUS_CHECK(checkAddress(address));
  SignalContext::Impl& impl = context_.impl();
  if (step_ == SymmetricStep::Chorus) {
    if (std::optional<Result<Bytes>> done = detail::encryptInChain(impl, address, plaintext)) {
      CHORUS_TRY(bytes, std::move(*done));
      ++chorusSteps_;
      return EncryptedMessage{MessageType::Normal, std::move(bytes)};
    }
  }
  impl.beginCall();
  const signal_protocol_address signalAddress = detail::toSignal(address);
  CHORUS_TRY(cipher, makeCipher(impl, signalAddress));
  ciphertext_message* rawMessage = nullptr;
  static constexpr std::uint8_t kEmpty = 0;
  const int rc = session_cipher_encrypt(
      cipher.get(), plaintext.empty() ? &kEmpty : plaintext.data(), plaintext.size(), &rawMessage);
  if (rc < 0 || rawMessage == nullptr) {
    detail::Ref<ciphertext_message> discard(rawMessage);
    if (impl.sessionMissing && !impl.storeError) {
      return fail(Errc::NotFound, "signal encrypt: no session");
    }
    return Unexpected<Error>(impl.toError(rc, "encrypt"));
  }
  detail::Ref<ciphertext_message> message(rawMessage);
  const int type = ciphertext_message_get_type(message.get());
  if (type != CIPHERTEXT_PREKEY_TYPE && type != CIPHERTEXT_SIGNAL_TYPE) {
    return fail(Errc::Internal, "signal encrypt: unexpected message type");
  }
  return EncryptedMessage{
      type == CIPHERTEXT_PREKEY_TYPE ? MessageType::PreKey : MessageType::Normal,
      toBytes(detail::view(ciphertext_message_get_serialized(message.get())))};
}

Result<Bytes> SessionCipher::decrypt(const SignalAddress& address, MessageType type,
                                     BytesView ciphertext) {
  CHORUS_CHECK(checkAddress(address));
  if (ciphertext.empty()) return fail(Errc::Protocol, "signal decrypt: empty message");
  SignalContext::Impl& impl = context_.impl();
  if (type == MessageType::Normal && step_ == SymmetricStep::Chorus) {
    if (std::optional<Result<Bytes>> done = detail::decryptInChain(impl, address, ciphertext)) {
      if (*done) ++chorusSteps_;
      return std::move(*done);
    }
  }
  impl.beginCall();
  signal_context* ctx = impl.context.get();
  const signal_protocol_address signalAddress = detail::toSignal(address);
  CHORUS_TRY(cipher, makeCipher(impl, signalAddress));
  signal_buffer* rawPlaintext = nullptr;
  int rc = 0;
  if (type == MessageType::PreKey) {
    pre_key_signal_message* rawMessage = nullptr;
    rc = pre_key_signal_message_deserialize(&rawMessage, ciphertext.data(), ciphertext.size(), ctx);
    if (rc < 0 || rawMessage == nullptr)
      return Unexpected<Error>(impl.parseError(rc, "decrypt pkmsg"));
    detail::Ref<pre_key_signal_message> message(rawMessage);
    rc = session_cipher_decrypt_pre_key_signal_message(cipher.get(), message.get(), nullptr,
                                                       &rawPlaintext);
  } else {
    signal_message* rawMessage = nullptr;
    rc = signal_message_deserialize(&rawMessage, ciphertext.data(), ciphertext.size(), ctx);
    if (rc < 0 || rawMessage == nullptr)
      return Unexpected<Error>(impl.parseError(rc, "decrypt msg"));
    detail::Ref<signal_message> message(rawMessage);
    rc = session_cipher_decrypt_signal_message(cipher.get(), message.get(), nullptr, &rawPlaintext);
  }
  if (rc < 0 || rawPlaintext == nullptr) {
    detail::BufferPtr discard(rawPlaintext);
    return Unexpected<Error>(impl.toError(rc, "decrypt"));
  }
  return takePlaintext(rawPlaintext);
}

Result<std::uint32_t> SessionCipher::remoteRegistrationId(const SignalAddress& address) {
  CHORUS_TRY(exists, hasSession(address));
  if (!exists) return fail(Errc::NotFound, "signal: no session");
  SignalContext::Impl& impl = context_.impl();
  impl.beginCall();
  const signal_protocol_address signalAddress = detail::toSignal(address);
  CHORUS_TRY(cipher, makeCipher(impl, signalAddress));
  std::uint32_t id = 0;
  const int rc = session_cipher_get_remote_registration_id(cipher.get(), &id);
  if (rc < 0) return Unexpected<Error>(impl.toError(rc, "registration id"));
  return id;
}

}  // namespace chorus::core::signal
