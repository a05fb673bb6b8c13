// Errors of the Signal layer. Decisions branch on Errc; the two cases callers must tell apart
// within Errc::Protocol have named details and predicates:
//   Errc::Crypto    bad MAC (pkmsg/msg) or bad signature (skmsg, signed prekey)
//   Errc::Protocol  untrusted identity, invalid/malformed message, duplicate (replayed) message,
//                   a message too far in the future
//   Errc::NotFound  no session / no sender key / unknown one-time or signed prekey
//   Errc::Storage   the SignalStore failed (its own error is passed through)
#pragma once

#include <string_view>

#include "core/util/result.h"

namespace chorus::core::signal {

inline constexpr std::string_view kDuplicateMessage = "signal: duplicate message";
inline constexpr std::string_view kUntrustedIdentity = "signal: untrusted identity";

[[nodiscard]] inline bool isDuplicateMessage(const Error& e) {
  return e.code == Errc::Protocol && e.detail == kDuplicateMessage;
}
[[nodiscard]] inline bool isUntrustedIdentity(const Error& e) {
  return e.code == Errc::Protocol && e.detail == kUntrustedIdentity;
}

namespace detail {
// Maps a libsignal SG_ERR_* code. `authFailure` says libsignal reported a MAC or signature
// failure during the call (it returns the generic SG_ERR_INVALID_MESSAGE for those).
[[nodiscard]] Error signalError(int code, std::string_view operation, bool authFailure);
}  // namespace detail

}  // namespace chorus::core::signal
