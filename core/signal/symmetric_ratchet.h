// Internal to core/signal: the symmetric-ratchet step of a pairwise Signal session (protocol
// §14.1), done by us directly on libsignal-protocol-c's serialized session record instead of by
// libsignal itself.
//
// Why: nearly every message is such a step — a "msg" encrypted in the current sending chain,
// or decrypted in a receiving chain we already have — and for it libsignal unpacks the whole
// record into dozens of heap objects, copies the session state, runs a dozen HMACs through
// allocating callbacks, and packs everything again. That overhead, not the cryptography, was
// most of the time of a message (docs/performance.md). Here the record is read in place
// (protobuf_wire.h), the keys are derived exactly as libsignal derives them (chain key HMAC
// seeds 0x01/0x02, HKDF-SHA256 with a zero salt and "WhisperMessageKeys", AES-256-CBC, the
// 8-byte MAC over both identities), and the record is rewritten with only the chain key — and
// for a late message its stored key — changed, so libsignal reads what it would have written.
//
// Everything else stays with libsignal: X3DH and pkmsg, a session still waiting for its first
// reply (its messages are pkmsg), DH ratchet steps (a new ratchet key), skipped counters,
// earlier session states, every failure. For those these functions return nullopt having
// changed nothing, and the caller runs libsignal on the same store. Both therefore produce
// byte-identical messages and equivalent records; tests/unit/signal/symmetric_ratchet_test.cpp
// checks exactly that against libsignal.
#pragma once

#include <optional>

#include "core/signal/signal_address.h"
#include "core/signal/signal_context_impl.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::signal::detail {

// The serialized "msg" for `plaintext` in the current sending chain, its record already
// stored; a store error; or nullopt (libsignal's case, nothing changed).
[[nodiscard]] std::optional<Result<Bytes>> encryptInChain(SignalContext::Impl& impl,
                                                          const SignalAddress& address,
                                                          BytesView plaintext);

// The plaintext of the "msg" `message` when it belongs to a receiving chain of the current
// session state at its next counter or at a counter whose key was kept, its MAC checks out and
// it decrypts; the record is stored. A store error; or nullopt (libsignal's case, including
// every failure, which libsignal then reports; nothing changed).
[[nodiscard]] std::optional<Result<Bytes>> decryptInChain(SignalContext::Impl& impl,
                                                          const SignalAddress& address,
                                                          BytesView message);

}  // namespace chorus::core::signal::detail
