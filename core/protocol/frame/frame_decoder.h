// FrameDecoder: reassembles frames from a byte stream whose WebSocket message boundaries mean
// nothing (one message may hold several frames, one frame may span several messages; §1.1).
// Feed it chunks as they arrive; it returns every frame it completed.
//
// On the server side the stream starts with the client's preamble: an optional "ED" routing
// prefix (skipped, its bytes kept in routingInfo()) and the intro header "WA" 0x06 <dictver>,
// whose dictionary version is reported by dictVersion(). The preamble may itself be split
// anywhere; bad magic is detected as soon as the offending byte arrives.
//
// Buffering is linear: complete frames are parsed straight from the chunk when nothing is
// pending, and the internal buffer advances an offset instead of erasing per frame, compacting
// only when the consumed part outweighs the live part.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/frame/intro.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::frame {

class FrameDecoder {
 public:
  struct Options {
    Role role = Role::Client;                  // Server: expect the client's preamble first
    std::size_t maxFrameSize = kMaxFrameSize;  // lower caps allowed; higher ones are clamped
  };

  FrameDecoder() : FrameDecoder(Options{}) {}
  explicit FrameDecoder(Options options);

  // Consumes `chunk` and returns the frames it completed, oldest first (often none).
  // Errors: Errc::Protocol for bad "ED"/"WA" magic, Errc::Unsupported for an unknown dictionary
  // version, Errc::TooLarge for a frame (or routing info) over the cap, detected from its length
  // prefix alone. An error is final: every later call returns it again.
  [[nodiscard]] Result<std::vector<Bytes>> feed(BytesView chunk);

  // Server side: the dictionary version from the intro header, once it has been read.
  [[nodiscard]] std::optional<std::uint8_t> dictVersion() const noexcept { return dictVersion_; }
  // Server side: the routing info of an "ED" prefix (empty when there was none).
  [[nodiscard]] const Bytes& routingInfo() const noexcept { return routingInfo_; }
  // True once the preamble (if any is expected) has been consumed.
  [[nodiscard]] bool preambleDone() const noexcept { return stage_ == Stage::Frames; }
  // Bytes of an incomplete frame held back for the next chunk.
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - offset_; }

 private:
  enum class Stage { Start, RoutingHeader, RoutingInfo, Intro, Frames };

  [[nodiscard]] Status consumePreamble(BytesView& in);
  [[nodiscard]] Status consumeRoutingHeader(BytesView& in);
  [[nodiscard]] Status consumeIntro(BytesView& in);
  // Pops complete frames off the front of `in` into `out`; leaves an incomplete tail in `in`.
  [[nodiscard]] Status extractFrames(BytesView& in, std::vector<Bytes>& out) const;
  void compact();

  std::size_t maxFrameSize_;
  Stage stage_;
  Bytes header_;  // partial "ED" prefix header or intro header
  std::size_t routingRemaining_ = 0;
  Bytes routingInfo_;
  std::optional<std::uint8_t> dictVersion_;
  Bytes buffer_;
  std::size_t offset_ = 0;  // start of unconsumed data in buffer_
  std::optional<Error> error_;
};

}  // namespace chorus::core::frame
