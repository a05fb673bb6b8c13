#include "core/signal/signal_error.h"

#include <string>

#include <signal/signal_protocol.h>

namespace chorus::core::signal::detail {

Error signalError(int code, std::string_view operation, bool authFailure) {
  const std::string op = "signal " + std::string(operation) + ": ";
  switch (code) {
    case SG_ERR_DUPLICATE_MESSAGE: return {Errc::Protocol, std::string(kDuplicateMessage)};
    case SG_ERR_UNTRUSTED_IDENTITY: return {Errc::Protocol, std::string(kUntrustedIdentity)};
    case SG_ERR_INVALID_MAC: return {Errc::Crypto, op + "bad mac"};
    case SG_ERR_VRF_SIG_VERIF_FAILED: return {Errc::Crypto, op + "bad signature"};
    case SG_ERR_INVALID_MESSAGE:
      if (authFailure) return {Errc::Crypto, op + "bad mac or signature"};
      return {Errc::Protocol, op + "invalid message"};
    case SG_ERR_INVALID_PROTO_BUF: return {Errc::Protocol, op + "malformed message"};
    case SG_ERR_INVALID_VERSION: return {Errc::Protocol, op + "unsupported message version"};
    case SG_ERR_LEGACY_MESSAGE: return {Errc::Protocol, op + "legacy message"};
    case SG_ERR_STALE_KEY_EXCHANGE: return {Errc::Protocol, op + "stale key exchange"};
    case SG_ERR_INVALID_KEY: return {Errc::Protocol, op + "invalid key"};
    case SG_ERR_INVALID_KEY_ID: return {Errc::NotFound, op + "unknown prekey id"};
    case SG_ERR_NO_SESSION: return {Errc::NotFound, op + "no session"};
    case SG_ERR_NOMEM: return {Errc::Internal, op + "out of memory"};
    case SG_ERR_INVAL: return {Errc::InvalidArgument, op + "invalid argument"};
    default: return {Errc::Crypto, op + "libsignal error " + std::to_string(code)};
  }
}

}  // namespace chorus::core::signal::detail
