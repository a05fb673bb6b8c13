#include "core/signal/group_cipher.h"

#include <signal/protocol.h>
#include <signal/sender_key_record.h>

#include "core/signal/signal_context_impl.h"

namespace chorus::core::signal {

namespace {

Status checkName(const SenderKeyName& name) {
  if (name.groupId.empty()) return fail(Errc::InvalidArgument, "sender key name without group");
  if (name.sender.user.empty() || name.sender.device < 0) {
    return fail(Errc::InvalidArgument, "sender key name with an invalid sender");
  }
  return ok();
}

Result<detail::GroupBuilderPtr> makeBuilder(SignalContext::Impl& impl) {
  group_session_builder* raw = nullptr;
  const int rc = group_session_builder_create(&raw, impl.storeContext.get(), impl.context.get());
  if (rc != 0 || raw == nullptr) return Unexpected<Error>(impl.toError(rc, "group builder"));
  return detail::GroupBuilderPtr(raw);
}

Result<detail::GroupCipherPtr> makeCipher(SignalContext::Impl& impl,
                                          const signal_protocol_sender_key_name& name) {
  group_cipher* raw = nullptr;
  const int rc = group_cipher_create(&raw, impl.storeContext.get(), &name, impl.context.get());
  if (rc != 0 || raw == nullptr) return Unexpected<Error>(impl.toError(rc, "group cipher"));
  return detail::GroupCipherPtr(raw);
}

Status checkKeyId(SignalContext::Impl& impl, BytesView recordBytes, std::uint32_t keyId) {
  sender_key_record* rawRecord = nullptr;
  if (sender_key_record_deserialize(&rawRecord, recordBytes.data(), recordBytes.size(),
                                    impl.context.get()) != 0 ||
      rawRecord == nullptr) {
    return fail(Errc::Storage, "signal: stored sender key record is corrupt");
  }
  detail::Ref<sender_key_record> record(rawRecord);
  sender_key_state* state = nullptr;  // borrowed from the record
  if (sender_key_record_get_sender_key_state_by_id(record.get(), &state, keyId) < 0) {
    return fail(Errc::NotFound, "signal group decrypt: unknown sender key id");
  }
  return ok();
}

}  // namespace

Result<Bytes> GroupCipher::createDistributionMessage(const SenderKeyName& name) {
  CHORUS_CHECK(checkName(name));
  SignalContext::Impl& impl = context_.impl();
  impl.beginCall();
  CHORUS_TRY(builder, makeBuilder(impl));
  const signal_protocol_sender_key_name signalName = detail::toSignal(name);
  sender_key_distribution_message* raw = nullptr;
  const int rc = group_session_builder_create_session(builder.get(), &raw, &signalName);
  if (rc < 0 || raw == nullptr) return Unexpected<Error>(impl.toError(rc, "create skdm"));
  detail::Ref<sender_key_distribution_message> message(raw);
  return toBytes(detail::view(ciphertext_message_get_serialized(
      reinterpret_cast<const ciphertext_message*>(message.get()))));
}

Status GroupCipher::processDistributionMessage(const SenderKeyName& name, BytesView skdm) {
  CHORUS_CHECK(checkName(name));
  if (skdm.empty()) return fail(Errc::Protocol, "signal skdm: empty");
  SignalContext::Impl& impl = context_.impl();
  impl.beginCall();
  sender_key_distribution_message* raw = nullptr;
  int rc = sender_key_distribution_message_deserialize(&raw, skdm.data(), skdm.size(),
                                                       impl.context.get());
  if (rc < 0 || raw == nullptr) return Unexpected<Error>(impl.parseError(rc, "parse skdm"));
  detail::Ref<sender_key_distribution_message> message(raw);
  CHORUS_TRY(builder, makeBuilder(impl));
  const signal_protocol_sender_key_name signalName = detail::toSignal(name);
  rc = group_session_builder_process_session(builder.get(), &signalName, message.get());
  if (rc < 0) return Unexpected<Error>(impl.toError(rc, "process skdm"));
  return ok();
}

Result<bool> GroupCipher::hasSenderKey(const SenderKeyName& name) {
  CHORUS_CHECK(checkName(name));
  CHORUS_TRY(record, context_.store().senderKey(name));
  return record.has_value();
}

Result<Bytes> GroupCipher::encrypt(const SenderKeyName& name, BytesView plaintext) {
  CHORUS_TRY(exists, hasSenderKey(name));
  if (!exists) return fail(Errc::NotFound, "signal group encrypt: no sender key");
  SignalContext::Impl& impl = context_.impl();
  impl.beginCall();
  const signal_protocol_sender_key_name signalName = detail::toSignal(name);
  CHORUS_TRY(cipher, makeCipher(impl, signalName));
  static constexpr std::uint8_t kEmpty = 0;
  ciphertext_message* raw = nullptr;
  const int rc = group_cipher_encrypt(cipher.get(), plaintext.empty() ? &kEmpty : plaintext.data(),
                                      plaintext.size(), &raw);
  if (rc < 0 || raw == nullptr) return Unexpected<Error>(impl.toError(rc, "group encrypt"));
  detail::Ref<ciphertext_message> message(raw);
  return toBytes(detail::view(ciphertext_message_get_serialized(message.get())));
}

Result<Bytes> GroupCipher::decrypt(const SenderKeyName& name, BytesView skmsg) {
  CHORUS_CHECK(checkName(name));
  CHORUS_TRY(record, context_.store().senderKey(name));
  if (!record) return fail(Errc::NotFound, "signal group decrypt: no sender key");
  if (skmsg.empty()) return fail(Errc::Protocol, "signal skmsg: empty");
  SignalContext::Impl& impl = context_.impl();
  impl.beginCall();
  sender_key_message* rawMessage = nullptr;
  int rc =
      sender_key_message_deserialize(&rawMessage, skmsg.data(), skmsg.size(), impl.context.get());
  if (rc < 0 || rawMessage == nullptr) {
    return Unexpected<Error>(impl.parseError(rc, "parse skmsg"));
  }
  detail::Ref<sender_key_message> message(rawMessage);
  // libsignal reports a key id it has no state for as a generic invalid message; look first,
  // so that "we never got this sender's current key" is NotFound (a retry can fix it).
  CHORUS_CHECK(checkKeyId(impl, record->view(), sender_key_message_get_key_id(message.get())));
  const signal_protocol_sender_key_name signalName = detail::toSignal(name);
  CHORUS_TRY(cipher, makeCipher(impl, signalName));
  signal_buffer* rawPlaintext = nullptr;
  rc = group_cipher_decrypt(cipher.get(), message.get(), nullptr, &rawPlaintext);
  detail::BufferPtr plaintext(rawPlaintext);
  if (rc < 0 || !plaintext) return Unexpected<Error>(impl.toError(rc, "group decrypt"));
  return toBytes(detail::view(plaintext.get()));
}

}  // namespace chorus::core::signal
