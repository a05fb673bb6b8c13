// Internal to core/signal: RAII ownership of libsignal-protocol-c objects. Reference-counted
// types (keys, records, messages, bundles) are released with signal_type_unref; the rest
// with their own free functions. Buffers are wiped before they are freed: most of them hold
// key material or plaintext.
#pragma once

#include <memory>

#include <signal/group_cipher.h>
#include <signal/group_session_builder.h>
#include <signal/session_builder.h>
#include <signal/session_cipher.h>
#include <signal/signal_protocol.h>

#include "core/util/bytes.h"

namespace chorus::core::signal::detail {

struct Unref {
  void operator()(void* object) const {
    // Every refcounted libsignal type starts with a signal_type_base (what SIGNAL_UNREF does).
    signal_type_unref(static_cast<signal_type_base*>(object));
  }
};
template <class T>
using Ref = std::unique_ptr<T, Unref>;

struct BufferFree {
  void operator()(signal_buffer* buffer) const { signal_buffer_bzero_free(buffer); }
};
struct IntListFree {
  void operator()(signal_int_list* list) const { signal_int_list_free(list); }
};
struct ContextFree {
  void operator()(signal_context* context) const { signal_context_destroy(context); }
};
struct StoreContextFree {
  void operator()(signal_protocol_store_context* store) const {
    signal_protocol_store_context_destroy(store);
  }
};
struct SessionBuilderFree {
  void operator()(session_builder* builder) const { session_builder_free(builder); }
};
struct SessionCipherFree {
  void operator()(session_cipher* cipher) const { session_cipher_free(cipher); }
};
struct GroupBuilderFree {
  void operator()(group_session_builder* builder) const { group_session_builder_free(builder); }
};
struct GroupCipherFree {
  void operator()(group_cipher* cipher) const { group_cipher_free(cipher); }
};

using BufferPtr = std::unique_ptr<signal_buffer, BufferFree>;
using IntListPtr = std::unique_ptr<signal_int_list, IntListFree>;
using ContextPtr = std::unique_ptr<signal_context, ContextFree>;
using StoreContextPtr = std::unique_ptr<signal_protocol_store_context, StoreContextFree>;
using SessionBuilderPtr = std::unique_ptr<session_builder, SessionBuilderFree>;
using SessionCipherPtr = std::unique_ptr<session_cipher, SessionCipherFree>;
using GroupBuilderPtr = std::unique_ptr<group_session_builder, GroupBuilderFree>;
using GroupCipherPtr = std::unique_ptr<group_cipher, GroupCipherFree>;

// A signal_buffer with a copy of `data`; null when allocation fails.
[[nodiscard]] inline BufferPtr makeBuffer(BytesView data) {
  static constexpr std::uint8_t kEmpty = 0;
  return BufferPtr(signal_buffer_create(data.empty() ? &kEmpty : data.data(), data.size()));
}
[[nodiscard]] inline BytesView view(const signal_buffer* buffer) {
  if (buffer == nullptr) return {};
  // signal_buffer_data takes a non-const pointer but does not modify the buffer.
  auto* mutableBuffer = const_cast<signal_buffer*>(buffer);
  return {signal_buffer_data(mutableBuffer), signal_buffer_len(mutableBuffer)};
}

}  // namespace chorus::core::signal::detail
