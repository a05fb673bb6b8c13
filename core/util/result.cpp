#include "core/util/result.h"

namespace chorus::core {

const char* errcName(Errc code) noexcept {
  switch (code) {
    case Errc::InvalidArgument: return "invalid_argument";
    case Errc::Protocol: return "protocol";
    case Errc::Malformed: return "malformed";
    case Errc::TooLarge: return "too_large";
    case Errc::Crypto: return "crypto";
    case Errc::Io: return "io";
    case Errc::Timeout: return "timeout";
    case Errc::Storage: return "storage";
    case Errc::Auth: return "auth";
    case Errc::Banned: return "banned";
    case Errc::Outdated: return "outdated";
    case Errc::Cancelled: return "cancelled";
    case Errc::NotFound: return "not_found";
    case Errc::Unsupported: return "unsupported";
    case Errc::Internal: return "internal";
  }
  return "unknown";
}

}  // namespace chorus::core
