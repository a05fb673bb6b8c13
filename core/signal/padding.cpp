#include "core/signal/padding.h"

#include <algorithm>

namespace chorus::core::signal {

Bytes padMessage(BytesView message, Random& random) {
  std::uint8_t nibble = 0;
  random.fill({&nibble, 1});
  nibble &= 0x0F;
  const std::uint8_t pad = nibble == 0 ? std::uint8_t{0x0F} : nibble;
  Bytes out;
  out.reserve(message.size() + pad);
  append(out, message);
  out.insert(out.end(), pad, pad);
  return out;
}

Result<Bytes> unpadMessage(BytesView padded) {
  if (padded.empty()) return fail(Errc::Protocol, "padded message is empty");
  const std::uint8_t pad = padded.back();
  if (pad == 0 || pad > kMaxPadding || pad > padded.size()) {
    return fail(Errc::Protocol, "invalid message padding length");
  }
  const auto body = padded.size() - pad;
  if (!std::all_of(padded.begin() + static_cast<std::ptrdiff_t>(body), padded.end(),
                   [pad](std::uint8_t b) { return b == pad; })) {
    return fail(Errc::Protocol, "invalid message padding bytes");
  }
  return Bytes(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(body));
}

}  // namespace chorus::core::signal
