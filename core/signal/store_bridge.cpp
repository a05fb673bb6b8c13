// SignalStore bridged into libsignal's five store callback tables. Keys cross as raw 32 bytes
// (converted from and to libsignal's 0x05-prefixed serialisation here); prekey records are
// rebuilt from the stored key pairs on load; session and sender-key records pass through.
// A store failure is remembered in the context (reported by the cipher call) and turned into
// SG_ERR_UNKNOWN for libsignal, which then aborts the operation without writing.
#include <algorithm>
#include <optional>
#include <string>

#include <signal/curve.h>
#include <signal/session_pre_key.h>

#include "core/signal/signal_context_impl.h"

namespace chorus::core::signal::detail {

namespace {

using Impl = SignalContext::Impl;

Impl& implOf(void* userData) {
  return *static_cast<Impl*>(userData);
}

SignalAddress fromSignal(const signal_protocol_address* address) {
  return {std::string(address->name, address->name_len), address->device_id};
}
SenderKeyName fromSignal(const signal_protocol_sender_key_name* name) {
  return {std::string(name->group_id, name->group_id_len), fromSignal(&name->sender)};
}

// Runs `body` (returning an int for libsignal); store errors become SG_ERR_UNKNOWN, exceptions
// never cross into C.
template <class F>
int guarded(void* userData, F&& body) {
  try {
    return body(implOf(userData));
  } catch (...) {
    implOf(userData).noteStoreError({Errc::Internal, "signal store: exception"});
    return SG_ERR_UNKNOWN;
  }
}

int storeFailed(Impl& impl, Error e) {
  impl.noteStoreError(std::move(e));
  return SG_ERR_UNKNOWN;
}

int toOutput(signal_buffer** output, BytesView data) {
  BufferPtr buffer = makeBuffer(data);
  if (!buffer) return SG_ERR_NOMEM;
  *output = buffer.release();
  return 0;
}

// The answer to a store write or removal: 0, or the store error as SG_ERR_UNKNOWN.
template <class T>
int doneOrFailed(Impl& impl, Result<T> result) {
  return result ? 0 : storeFailed(impl, std::move(result).error());
}

// The answer to contains_*: 1 when found. A store error is remembered and answers 0, since
// libsignal treats any non-zero as "yes".
template <class T>
int containsAnswer(Impl& impl, Result<std::optional<T>> found) {
  if (!found) {
    impl.noteStoreError(std::move(found).error());
    return 0;
  }
  return found->has_value() ? 1 : 0;
}

// The answer to load_session / load_sender_key: 1 with the record copied out, 0 when none.
int loadAnswer(Impl& impl, Result<std::optional<SecretBytes>> found, signal_buffer** record) {
  if (!found) return storeFailed(impl, std::move(found).error());
  if (!found->has_value()) return 0;
  const int rc = toOutput(record, (*found)->view());
  return rc < 0 ? rc : 1;
}

Result<Ref<ec_key_pair>> makeKeyPair(signal_context* context, BytesView pub, BytesView priv) {
  CHORUS_TRY(publicKey, decodePublicKey(context, pub));
  if (priv.size() != kKeySize) return fail(Errc::Storage, "stored private key is not 32 bytes");
  ec_private_key* rawPrivate = nullptr;
  if (curve_decode_private_point(&rawPrivate, priv.data(), priv.size(), context) != 0) {
    return fail(Errc::Storage, "stored private key rejected");
  }
  Ref<ec_private_key> privateKey(rawPrivate);
  ec_key_pair* rawPair = nullptr;
  if (ec_key_pair_create(&rawPair, publicKey.get(), privateKey.get()) != 0) {
    return fail(Errc::Internal, "ec_key_pair_create failed");
  }
  return Ref<ec_key_pair>(rawPair);
}

struct RawPair {
  Bytes publicKey;
  SecretBytes privateKey;
};
Result<RawPair> splitKeyPair(const ec_key_pair* pair) {
  if (pair == nullptr) return fail(Errc::Protocol, "record without key pair");
  CHORUS_TRY(pub, encodePublicKey(ec_key_pair_get_public(pair)));
  signal_buffer* rawPrivate = nullptr;
  if (ec_private_key_serialize(&rawPrivate, ec_key_pair_get_private(pair)) != 0) {
    return fail(Errc::Internal, "ec_private_key_serialize failed");
  }
  BufferPtr privateBuffer(rawPrivate);
  if (view(privateBuffer.get()).size() != kKeySize) {
    return fail(Errc::Protocol, "private key is not 32 bytes");
  }
  return RawPair{std::move(pub), SecretBytes(view(privateBuffer.get()))};
}

// ---- sessions -------------------------------------------------------------------------------

int loadSession(signal_buffer** record, signal_buffer**, const signal_protocol_address* address,
                void* userData) {
  return guarded(userData, [&](Impl& impl) {
    const int rc = loadAnswer(impl, impl.store.session(fromSignal(address)), record);
    if (rc == 0) impl.sessionMissing = true;
    return rc;
  });
}

int subDeviceSessions(signal_int_list** sessions, const char* name, std::size_t nameLen,
                      void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto devices = impl.store.sessionDevices(std::string_view(name, nameLen));
    if (!devices) return storeFailed(impl, std::move(devices).error());
    IntListPtr list(signal_int_list_alloc());
    if (!list) return SG_ERR_NOMEM;
    int count = 0;
    for (std::int32_t device : *devices) {
      if (device == 1) continue;  // libsignal's "sub devices" exclude the default device id
      if (signal_int_list_push_back(list.get(), device) != 0) return SG_ERR_NOMEM;
      ++count;
    }
    *sessions = list.release();
    return count;
  });
}

int storeSession(const signal_protocol_address* address, std::uint8_t* record, std::size_t len,
                 std::uint8_t*, std::size_t, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    return doneOrFailed(impl, impl.store.storeSession(fromSignal(address), BytesView(record, len)));
  });
}

int containsSession(const signal_protocol_address* address, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    return containsAnswer(impl, impl.store.session(fromSignal(address)));
  });
}

int deleteSession(const signal_protocol_address* address, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto removed = impl.store.removeSession(fromSignal(address));
    if (!removed) return storeFailed(impl, std::move(removed).error());
    return *removed ? 1 : 0;
  });
}

int deleteAllSessions(const char* name, std::size_t nameLen, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto removed = impl.store.removeAllSessions(std::string_view(name, nameLen));
    if (!removed) return storeFailed(impl, std::move(removed).error());
    return static_cast<int>(std::min<std::size_t>(*removed, 0x7FFFFFFF));
  });
}

// ---- prekeys --------------------------------------------------------------------------------

int loadPreKey(signal_buffer** record, std::uint32_t id, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto found = impl.store.preKey(id);
    if (!found) return storeFailed(impl, std::move(found).error());
    if (!found->has_value()) return SG_ERR_INVALID_KEY_ID;
    auto pair = makeKeyPair(impl.context.get(), (*found)->publicKey, (*found)->privateKey.view());
    if (!pair) return storeFailed(impl, std::move(pair).error());
    session_pre_key* rawKey = nullptr;
    if (session_pre_key_create(&rawKey, id, pair->get()) != 0) return SG_ERR_NOMEM;
    Ref<session_pre_key> key(rawKey);
    signal_buffer* rawBuffer = nullptr;
    if (session_pre_key_serialize(&rawBuffer, key.get()) != 0) return SG_ERR_NOMEM;
    *record = rawBuffer;
    return 0;
  });
}

int storePreKey(std::uint32_t id, std::uint8_t* record, std::size_t len, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    session_pre_key* rawKey = nullptr;
    if (session_pre_key_deserialize(&rawKey, record, len, impl.context.get()) != 0) {
      return SG_ERR_INVALID_PROTO_BUF;
    }
    Ref<session_pre_key> key(rawKey);
    auto raw = splitKeyPair(session_pre_key_get_key_pair(key.get()));
    if (!raw) return storeFailed(impl, std::move(raw).error());
    return doneOrFailed(impl, impl.store.storePreKey(PreKey{id, std::move(raw->publicKey),
                                                            std::move(raw->privateKey)}));
  });
}

int containsPreKey(std::uint32_t id, void* userData) {
  return guarded(userData, [&](Impl& impl) { return containsAnswer(impl, impl.store.preKey(id)); });
}

int removePreKey(std::uint32_t id, void* userData) {
  return guarded(userData,
                 [&](Impl& impl) { return doneOrFailed(impl, impl.store.removePreKey(id)); });
}

// ---- signed prekeys -------------------------------------------------------------------------

int loadSignedPreKey(signal_buffer** record, std::uint32_t id, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto found = impl.store.signedPreKey(id);
    if (!found) return storeFailed(impl, std::move(found).error());
    if (!found->has_value()) return SG_ERR_INVALID_KEY_ID;
    const SignedPreKey& spk = **found;
    auto pair = makeKeyPair(impl.context.get(), spk.publicKey, spk.privateKey.view());
    if (!pair) return storeFailed(impl, std::move(pair).error());
    session_signed_pre_key* rawKey = nullptr;
    if (session_signed_pre_key_create(&rawKey, id, spk.timestampMs, pair->get(),
                                      spk.signature.data(), spk.signature.size()) != 0) {
      return SG_ERR_NOMEM;
    }
    Ref<session_signed_pre_key> key(rawKey);
    signal_buffer* rawBuffer = nullptr;
    if (session_signed_pre_key_serialize(&rawBuffer, key.get()) != 0) return SG_ERR_NOMEM;
    *record = rawBuffer;
    return 0;
  });
}

int storeSignedPreKey(std::uint32_t id, std::uint8_t* record, std::size_t len, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    session_signed_pre_key* rawKey = nullptr;
    if (session_signed_pre_key_deserialize(&rawKey, record, len, impl.context.get()) != 0) {
      return SG_ERR_INVALID_PROTO_BUF;
    }
    Ref<session_signed_pre_key> key(rawKey);
    auto raw = splitKeyPair(session_signed_pre_key_get_key_pair(key.get()));
    if (!raw) return storeFailed(impl, std::move(raw).error());
    const std::uint8_t* signature = session_signed_pre_key_get_signature(key.get());
    Bytes sig(signature, signature + session_signed_pre_key_get_signature_len(key.get()));
    return doneOrFailed(
        impl, impl.store.storeSignedPreKey(
                  SignedPreKey{id, std::move(raw->publicKey), std::move(raw->privateKey),
                               std::move(sig), session_signed_pre_key_get_timestamp(key.get())}));
  });
}

int containsSignedPreKey(std::uint32_t id, void* userData) {
  return guarded(userData,
                 [&](Impl& impl) { return containsAnswer(impl, impl.store.signedPreKey(id)); });
}

int removeSignedPreKey(std::uint32_t id, void* userData) {
  return guarded(userData,
                 [&](Impl& impl) { return doneOrFailed(impl, impl.store.removeSignedPreKey(id)); });
}

// ---- identities -----------------------------------------------------------------------------

int identityKeyPair(signal_buffer** publicData, signal_buffer** privateData, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto identity = impl.store.identityKeyPair();
    if (!identity) return storeFailed(impl, std::move(identity).error());
    auto signalKey = toSignalKey(identity->publicKey);
    if (!signalKey || identity->privateKey.size() != kKeySize) {
      return storeFailed(impl, {Errc::Storage, "stored identity key pair is malformed"});
    }
    BufferPtr pub = makeBuffer(*signalKey);
    BufferPtr priv = makeBuffer(identity->privateKey.view());
    if (!pub || !priv) return SG_ERR_NOMEM;
    *publicData = pub.release();
    *privateData = priv.release();
    return 0;
  });
}

int localRegistrationId(void* userData, std::uint32_t* registrationId) {
  return guarded(userData, [&](Impl& impl) {
    auto id = impl.store.registrationId();
    if (!id) return storeFailed(impl, std::move(id).error());
    *registrationId = *id;
    return 0;
  });
}

int saveIdentity(const signal_protocol_address* address, std::uint8_t* keyData, std::size_t keyLen,
                 void* userData) {
  return guarded(userData, [&](Impl& impl) {
    const SignalAddress peer = fromSignal(address);
    if (keyData == nullptr) return doneOrFailed(impl, impl.store.removeRemoteIdentity(peer));
    auto raw = fromSignalKey(BytesView(keyData, keyLen));
    if (!raw) return SG_ERR_INVALID_KEY;
    return doneOrFailed(impl, impl.store.saveRemoteIdentity(peer, *raw));
  });
}

// Trust on first use: unknown identities are trusted, known ones only when unchanged.
int isTrustedIdentity(const signal_protocol_address* address, std::uint8_t* keyData,
                      std::size_t keyLen, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    auto raw = fromSignalKey(BytesView(keyData, keyLen));
    if (!raw) return 0;
    auto known = impl.store.remoteIdentity(fromSignal(address));
    if (!known) return storeFailed(impl, std::move(known).error());
    if (!known->has_value()) return 1;
    return constantTimeEqual(**known, *raw) ? 1 : 0;
  });
}

// ---- sender keys ----------------------------------------------------------------------------

int storeSenderKey(const signal_protocol_sender_key_name* name, std::uint8_t* record,
                   std::size_t len, std::uint8_t*, std::size_t, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    return doneOrFailed(impl, impl.store.storeSenderKey(fromSignal(name), BytesView(record, len)));
  });
}

int loadSenderKey(signal_buffer** record, signal_buffer**,
                  const signal_protocol_sender_key_name* name, void* userData) {
  return guarded(userData, [&](Impl& impl) {
    return loadAnswer(impl, impl.store.senderKey(fromSignal(name)), record);
  });
}

void destroyNothing(void*) {}  // the SignalStore is borrowed, not owned

}  // namespace

Result<Ref<ec_public_key>> decodePublicKey(signal_context* context, BytesView raw) {
  CHORUS_TRY(signalKey, toSignalKey(raw));
  ec_public_key* key = nullptr;
  if (curve_decode_point(&key, signalKey.data(), signalKey.size(), context) != 0 ||
      key == nullptr) {
    return fail(Errc::InvalidArgument, "not a Curve25519 public key");
  }
  return Ref<ec_public_key>(key);
}

Result<Bytes> encodePublicKey(const ec_public_key* key) {
  signal_buffer* raw = nullptr;
  if (key == nullptr || ec_public_key_serialize(&raw, key) != 0) {
    return fail(Errc::Internal, "ec_public_key_serialize failed");
  }
  BufferPtr buffer(raw);
  return fromSignalKey(view(buffer.get()));
}

bool installStores(SignalContext::Impl& impl) {
  signal_protocol_store_context* store = impl.storeContext.get();
  void* userData = &impl;

  const signal_protocol_session_store sessions{.load_session_func = loadSession,
                                               .get_sub_device_sessions_func = subDeviceSessions,
                                               .store_session_func = storeSession,
                                               .contains_session_func = containsSession,
                                               .delete_session_func = deleteSession,
                                               .delete_all_sessions_func = deleteAllSessions,
                                               .destroy_func = destroyNothing,
                                               .user_data = userData};
  const signal_protocol_pre_key_store preKeys{.load_pre_key = loadPreKey,
                                              .store_pre_key = storePreKey,
                                              .contains_pre_key = containsPreKey,
                                              .remove_pre_key = removePreKey,
                                              .destroy_func = destroyNothing,
                                              .user_data = userData};
  const signal_protocol_signed_pre_key_store signedPreKeys{
      .load_signed_pre_key = loadSignedPreKey,
      .store_signed_pre_key = storeSignedPreKey,
      .contains_signed_pre_key = containsSignedPreKey,
      .remove_signed_pre_key = removeSignedPreKey,
      .destroy_func = destroyNothing,
      .user_data = userData};
  const signal_protocol_identity_key_store identities{
      .get_identity_key_pair = identityKeyPair,
      .get_local_registration_id = localRegistrationId,
      .save_identity = saveIdentity,
      .is_trusted_identity = isTrustedIdentity,
      .destroy_func = destroyNothing,
      .user_data = userData};
  const signal_protocol_sender_key_store senderKeys{.store_sender_key = storeSenderKey,
                                                    .load_sender_key = loadSenderKey,
                                                    .destroy_func = destroyNothing,
                                                    .user_data = userData};

  return signal_protocol_store_context_set_session_store(store, &sessions) == 0 &&
         signal_protocol_store_context_set_pre_key_store(store, &preKeys) == 0 &&
         signal_protocol_store_context_set_signed_pre_key_store(store, &signedPreKeys) == 0 &&
         signal_protocol_store_context_set_identity_key_store(store, &identities) == 0 &&
         signal_protocol_store_context_set_sender_key_store(store, &senderKeys) == 0;
}

}  // namespace chorus::core::signal::detail
