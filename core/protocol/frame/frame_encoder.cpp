#include "core/protocol/frame/frame_encoder.h"

#include <algorithm>
#include <string>
#include <utility>

namespace chorus::core::frame {

FrameEncoder::FrameEncoder(Bytes intro, Bytes preamble, std::size_t maxFrameSize)
    : intro_(std::move(intro)), preamble_(std::move(preamble)), maxFrameSize_(maxFrameSize) {}

Result<FrameEncoder> FrameEncoder::create(Options options) {
  const std::size_t cap = std::min(options.maxFrameSize, kMaxFrameSize);
  if (options.role == Role::Server) return FrameEncoder({}, {}, cap);

  CHORUS_TRY(intro, frame::introHeader(options.dictVersion));
  Bytes preamble;
  if (!options.routingInfo.empty()) {
    CHORUS_TRY(prefix, routingPrefix(options.routingInfo));
    preamble = std::move(prefix);
  }
  append(preamble, intro);
  return FrameEncoder(std::move(intro), std::move(preamble), cap);
}

Result<Bytes> FrameEncoder::encode(BytesView payload) {
  Bytes out;
  CHORUS_CHECK(encodeInto(out, payload));
  return out;
}

Status FrameEncoder::encodeInto(Bytes& out, BytesView payload) {
  if (payload.size() > maxFrameSize_) {
    return fail(Errc::TooLarge, "frame of " + std::to_string(payload.size()) + " bytes");
  }
  out.reserve(out.size() + preamble_.size() + kLengthPrefixSize + payload.size());
  if (!preamble_.empty()) {
    append(out, preamble_);
    preamble_.clear();
    preamble_.shrink_to_fit();
  }
  putU24BE(out, static_cast<std::uint32_t>(payload.size()));
  append(out, payload);
  return ok();
}

}  // namespace chorus::core::frame
