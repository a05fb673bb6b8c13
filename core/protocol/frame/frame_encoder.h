// FrameEncoder: turns payloads into wire frames (3-byte big-endian length + payload). On the
// client side the first frame is preceded by the optional "ED" routing prefix and the intro
// header, exactly once per connection (protocol notes §1.2–§1.4). Sans-I/O: it returns bytes
// for the caller to put into a WebSocket message.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/protocol/frame/intro.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::frame {

enum class Role {
  Client,  // writes the intro header; reads plain frames
  Server,  // writes plain frames; reads (and skips) the client's prefix and intro header first
};

class FrameEncoder {
 public:
  struct Options {
    Role role = Role::Client;
    std::uint8_t dictVersion = kDefaultDictVersion;  // client only
    Bytes routingInfo;  // client only: when non-empty, written as the "ED" prefix
    std::size_t maxFrameSize = kMaxFrameSize;  // lower caps allowed; higher ones are clamped
  };

  // Errc::Unsupported for an unknown dict version, Errc::TooLarge for oversized routing info.
  [[nodiscard]] static Result<FrameEncoder> create(Options options);

  // One frame; a client's first frame also carries the connection preamble.
  // Errc::TooLarge when the payload exceeds the maximum frame size (nothing is consumed then:
  // the preamble is still pending for the next successful call).
  [[nodiscard]] Result<Bytes> encode(BytesView payload);
  // The same, appending to `out` (lets a caller batch several frames into one WS message).
  [[nodiscard]] Status encodeInto(Bytes& out, BytesView payload);

  // The intro header this encoder writes (the Noise prologue); empty on the server side.
  [[nodiscard]] const Bytes& introHeader() const noexcept { return intro_; }
  [[nodiscard]] bool preambleSent() const noexcept { return preamble_.empty(); }
  [[nodiscard]] std::size_t maxFrameSize() const noexcept { return maxFrameSize_; }

 private:
  FrameEncoder(Bytes intro, Bytes preamble, std::size_t maxFrameSize);

  Bytes intro_;
  Bytes preamble_;  // ED prefix + intro header still to be written (client, before frame 1)
  std::size_t maxFrameSize_;
};

}  // namespace chorus::core::frame
