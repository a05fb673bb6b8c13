// Internal to core/signal: the state behind SignalContext that the ciphers, the crypto provider
// and the store bridge share. Its address is libsignal's user_data, so it never moves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/signal/signal_context.h"
#include "core/signal/signal_error.h"
#include "core/signal/signal_handles.h"

struct evp_cipher_ctx_st;  // OpenSSL's EVP_CIPHER_CTX

namespace chorus::core::signal {

namespace detail {
struct CipherContextFree {
  void operator()(evp_cipher_ctx_st* ctx) const;  // crypto_provider.cpp
};
}  // namespace detail

struct SignalContext::Impl {
  Impl(SignalStore& s, Random& r) : store(s), random(r) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  SignalStore& store;
  Random& random;
  // Order matters: the store context must die before the library context.
  detail::ContextPtr context;
  detail::StoreContextPtr storeContext;
  // The crypto provider's AES-256-CBC context and plaintext scratch (crypto_provider.cpp).
  std::unique_ptr<evp_cipher_ctx_st, detail::CipherContextFree> cbc;
  Bytes cbcScratch;

  // Diagnostics of the current call, reset by beginCall().
  std::optional<Error> storeError;  // the first SignalStore failure
  bool authFailure = false;         // libsignal logged a MAC/signature failure
  bool sessionMissing = false;      // libsignal asked for a session record the store has not

  void beginCall() {
    storeError.reset();
    authFailure = false;
    sessionMissing = false;
  }
  // The error for libsignal's `code`: a store failure wins over what libsignal made of it.
  [[nodiscard]] Error toError(int code, std::string_view operation) const {
    if (storeError) return *storeError;
    return detail::signalError(code, operation, authFailure);
  }
  // The error for a failed parse of peer bytes: libsignal says SG_ERR_INVAL for short input.
  [[nodiscard]] Error parseError(int code, std::string_view operation) const {
    if (code == SG_ERR_INVAL || code == 0) {
      return {Errc::Protocol, "signal " + std::string(operation) + ": malformed message"};
    }
    return toError(code, operation);
  }
  void noteStoreError(Error e) {
    if (!storeError) storeError = std::move(e);
  }
};

namespace detail {
// crypto_provider.cpp / store_bridge.cpp: install the callbacks with `impl` as user data.
[[nodiscard]] bool installCryptoProvider(SignalContext::Impl& impl);
[[nodiscard]] bool installStores(SignalContext::Impl& impl);

// The address as libsignal sees it; `address.user` must outlive the result.
[[nodiscard]] inline signal_protocol_address toSignal(const SignalAddress& address) {
  return {address.user.c_str(), address.user.size(), address.device};
}
[[nodiscard]] inline signal_protocol_sender_key_name toSignal(const SenderKeyName& name) {
  return {name.groupId.c_str(), name.groupId.size(), toSignal(name.sender)};
}
}  // namespace detail

}  // namespace chorus::core::signal

namespace chorus::core::signal::detail {
// store_bridge.cpp: raw 32-byte keys to libsignal objects and back. Null / an error when the
// key is not a valid Curve25519 key of the right size.
[[nodiscard]] Result<Ref<ec_public_key>> decodePublicKey(signal_context* context, BytesView raw);
[[nodiscard]] Result<Bytes> encodePublicKey(const ec_public_key* key);
}  // namespace chorus::core::signal::detail
