// libFuzzer target: the frame reassembler (preamble + 3-byte length-prefixed frames).
// Input byte 0 picks the role (bit 0) and a small frame cap (bit 1); byte 1 seeds where the
// stream is cut into chunks. Property: feeding the stream in arbitrary chunks yields exactly the
// frames (or the same error code) as feeding it in one piece.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/protocol/frame/frame_decoder.h"

using chorus::core::Bytes;
using chorus::core::BytesView;
using chorus::core::frame::FrameDecoder;
using chorus::core::frame::Role;

namespace {

constexpr std::size_t kSmallCap = 1024;

FrameDecoder::Options optionsFor(std::uint8_t selector) {
  FrameDecoder::Options options;
  options.role = (selector & 1) != 0 ? Role::Server : Role::Client;
  if ((selector & 2) != 0) options.maxFrameSize = kSmallCap;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const FrameDecoder::Options options = optionsFor(data[0]);
  std::uint32_t cut = data[1] | 1u;
  const BytesView stream(data + 2, size - 2);

  FrameDecoder whole(options);
  auto expected = whole.feed(stream);

  FrameDecoder chunked(options);
  std::vector<Bytes> frames;
  bool failed = false;
  chorus::core::Errc code{};
  for (std::size_t pos = 0; pos < stream.size() && !failed;) {
    cut = cut * 1103515245u + 12345u;  // cheap deterministic chunk sizes, 1..64
    const std::size_t n = std::min<std::size_t>(1 + ((cut >> 16) % 64), stream.size() - pos);
    auto got = chunked.feed(stream.subspan(pos, n));
    pos += n;
    if (!got) {
      failed = true;
      code = got.error().code;
      if (chunked.feed(BytesView{}).has_value()) std::abort();  // errors are final
    } else {
      for (Bytes& f : *got) frames.push_back(std::move(f));
    }
  }

  if (expected.has_value() != !failed) std::abort();
  if (failed) {
    if (expected.error().code != code) std::abort();
  } else if (*expected != frames) {
    std::abort();
  }
  return 0;
}
