#include "core/protocol/frame/frame_decoder.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace chorus::core::frame {
namespace {

constexpr std::array<std::uint8_t, 4> kRoutingMagic{'E', 'D', 0x00, 0x01};
constexpr std::array<std::uint8_t, 3> kIntroMagic{'W', 'A', kWaMagicVersion};
// Below this much consumed space, compaction is not worth a memmove.
constexpr std::size_t kCompactThreshold = 4096;

// Moves up to `want` bytes from the front of `in` to the end of `out`.
void take(BytesView& in, Bytes& out, std::size_t want) {
  const std::size_t n = std::min(want, in.size());
  out.insert(out.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
  in = in.subspan(n);
}

}  // namespace

FrameDecoder::FrameDecoder(Options options)
    : maxFrameSize_(std::min(options.maxFrameSize, kMaxFrameSize)),
      stage_(options.role == Role::Server ? Stage::Start : Stage::Frames) {}

Result<std::vector<Bytes>> FrameDecoder::feed(BytesView chunk) {
  if (error_) return Unexpected<Error>(*error_);
  std::vector<Bytes> frames;
  Status st = consumePreamble(chunk);
  if (st && stage_ == Stage::Frames && !chunk.empty()) {
    if (buffered() == 0) {
      // Nothing pending: parse straight from the caller's chunk and keep only the tail.
      buffer_.clear();
      offset_ = 0;
      st = extractFrames(chunk, frames);
      if (st) append(buffer_, chunk);
    } else {
      compact();
      append(buffer_, chunk);
      BytesView pending = BytesView(buffer_).subspan(offset_);
      st = extractFrames(pending, frames);
      offset_ = buffer_.size() - pending.size();
    }
  }
  if (!st) {
    error_ = st.error();
    return Unexpected<Error>(*error_);
  }
  return frames;
}

Status FrameDecoder::consumePreamble(BytesView& in) {
  while (stage_ != Stage::Frames && !in.empty()) {
    switch (stage_) {
      case Stage::Start:
        stage_ = in[0] == kRoutingMagic[0] ? Stage::RoutingHeader : Stage::Intro;
        break;
      case Stage::RoutingHeader:
        CHORUS_CHECK(consumeRoutingHeader(in));
        break;
      case Stage::RoutingInfo:
        take(in, routingInfo_, routingRemaining_ - routingInfo_.size());
        if (routingInfo_.size() == routingRemaining_) stage_ = Stage::Intro;
        break;
      case Stage::Intro:
        CHORUS_CHECK(consumeIntro(in));
        break;
      case Stage::Frames:
        break;
    }
  }
  return ok();
}

Status FrameDecoder::consumeRoutingHeader(BytesView& in) {
  // Check each magic byte as it arrives so garbage fails fast, however it is split.
  while (header_.size() < kRoutingPrefixHeaderSize && !in.empty()) {
    const std::size_t pos = header_.size();
    if (pos < kRoutingMagic.size() && in[0] != kRoutingMagic[pos]) {
      return fail(Errc::Protocol, "bad routing prefix magic");
    }
    take(in, header_, 1);
  }
  if (header_.size() < kRoutingPrefixHeaderSize) return ok();
  routingRemaining_ = readU24BE(header_.data() + kRoutingMagic.size());
  header_.clear();
  if (routingRemaining_ > maxFrameSize_) return fail(Errc::TooLarge, "routing info over the cap");
  routingInfo_.reserve(routingRemaining_);
  stage_ = routingRemaining_ == 0 ? Stage::Intro : Stage::RoutingInfo;
  return ok();
}

Status FrameDecoder::consumeIntro(BytesView& in) {
  while (header_.size() < kIntroHeaderSize && !in.empty()) {
    const std::size_t pos = header_.size();
    if (pos < kIntroMagic.size() && in[0] != kIntroMagic[pos]) {
      return fail(Errc::Protocol, "bad intro header magic");
    }
    take(in, header_, 1);
  }
  if (header_.size() < kIntroHeaderSize) return ok();
  const std::uint8_t version = header_.back();
  header_.clear();
  if (!isKnownDictVersion(version)) {
    return fail(Errc::Unsupported, "dictionary version " + std::to_string(version));
  }
  dictVersion_ = version;
  stage_ = Stage::Frames;
  return ok();
}

Status FrameDecoder::extractFrames(BytesView& in, std::vector<Bytes>& out) const {
  while (in.size() >= kLengthPrefixSize) {
    const std::size_t length = readU24BE(in.data());
    if (length > maxFrameSize_) {
      return fail(Errc::TooLarge, "frame of " + std::to_string(length) + " bytes");
    }
    if (in.size() - kLengthPrefixSize < length) break;
    const BytesView payload = in.subspan(kLengthPrefixSize, length);
    out.emplace_back(payload.begin(), payload.end());
    in = in.subspan(kLengthPrefixSize + length);
  }
  return ok();
}

void FrameDecoder::compact() {
  if (offset_ == 0) return;
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  } else if (offset_ >= kCompactThreshold && offset_ >= buffer_.size() - offset_) {
    // The bytes moved never exceed the bytes already consumed, so the total work stays linear.
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(offset_));
    offset_ = 0;
  }
}

}  // namespace chorus::core::frame
