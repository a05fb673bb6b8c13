#include "core/protocol/frame/intro.h"

#include <string>

namespace chorus::core::frame {

Result<Bytes> introHeader(std::uint8_t dictVersion) {
  if (!isKnownDictVersion(dictVersion)) {
    return fail(Errc::Unsupported, "dictionary version " + std::to_string(dictVersion));
  }
  return Bytes{'W', 'A', kWaMagicVersion, dictVersion};
}

Result<Bytes> routingPrefix(BytesView routingInfo) {
  if (routingInfo.empty()) return fail(Errc::InvalidArgument, "empty routing info");
  if (routingInfo.size() > kMaxFrameSize) return fail(Errc::TooLarge, "routing info over 24 bits");
  Bytes out{'E', 'D', 0x00, 0x01};
  out.reserve(kRoutingPrefixHeaderSize + routingInfo.size());
  putU24BE(out, static_cast<std::uint32_t>(routingInfo.size()));
  append(out, routingInfo);
  return out;
}

}  // namespace chorus::core::frame
