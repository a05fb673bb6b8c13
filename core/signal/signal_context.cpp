#include "core/signal/signal_context.h"

#include <cctype>
#include <string>

#include "core/signal/signal_context_impl.h"

namespace chorus::core::signal {

namespace {

// libsignal reports a failed MAC or signature check only as SG_ERR_INVALID_MESSAGE, with the
// reason in a warning; the log is the one place that tells tampering from other bad input.
void onLog(int level, const char* message, std::size_t len, void* userData) {
  if (userData == nullptr || message == nullptr || level > SG_LOG_WARNING) return;
  auto* impl = static_cast<SignalContext::Impl*>(userData);
  std::string text(message, len);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text.find("mac not verified") != std::string::npos ||
      text.find("bad mac") != std::string::npos || text.find("signature") != std::string::npos) {
    impl->authFailure = true;
  }
}

}  // namespace

Result<SignalContext> SignalContext::create(SignalStore& store, Random& random) {
  auto impl = std::make_unique<Impl>(store, random);
  signal_context* rawContext = nullptr;
  if (signal_context_create(&rawContext, impl.get()) != 0 || rawContext == nullptr) {
    return fail(Errc::Internal, "signal_context_create failed");
  }
  impl->context.reset(rawContext);
  if (signal_context_set_log_function(impl->context.get(), onLog) != 0 ||
      !detail::installCryptoProvider(*impl)) {
    return fail(Errc::Internal, "libsignal crypto provider setup failed");
  }
  signal_protocol_store_context* rawStore = nullptr;
  if (signal_protocol_store_context_create(&rawStore, impl->context.get()) != 0 ||
      rawStore == nullptr) {
    return fail(Errc::Internal, "signal_protocol_store_context_create failed");
  }
  impl->storeContext.reset(rawStore);
  if (!detail::installStores(*impl)) {
    return fail(Errc::Internal, "libsignal store setup failed");
  }
  return SignalContext(std::move(impl));
}

SignalContext::SignalContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SignalContext::SignalContext(SignalContext&&) noexcept = default;
SignalContext& SignalContext::operator=(SignalContext&&) noexcept = default;
SignalContext::~SignalContext() = default;

SignalStore& SignalContext::store() noexcept {
  return impl_->store;
}

Status SignalContext::forgetIdentity(const SignalAddress& address) {
  CHORUS_CHECK(impl_->store.removeRemoteIdentity(address));
  CHORUS_TRY(removed, impl_->store.removeSession(address));
  (void)removed;
  return ok();
}

}  // namespace chorus::core::signal
