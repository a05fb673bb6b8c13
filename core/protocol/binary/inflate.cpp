#include "core/protocol/binary/inflate.h"

#include <algorithm>
#include <limits>

#include <zlib.h>

namespace chorus::core::binary {
namespace {

constexpr std::size_t kMinInitialOutput = 1024;
constexpr std::size_t kInitialRatio = 4;  // typical stanza compression; grows by doubling after

// Owns the z_stream so every exit path calls inflateEnd.
class Inflater {
 public:
  Inflater() = default;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() {
    if (ready_) inflateEnd(&stream_);
  }
  bool init() {
    ready_ = inflateInit(&stream_) == Z_OK;
    return ready_;
  }
  z_stream& stream() noexcept { return stream_; }

 private:
  z_stream stream_{};
  bool ready_ = false;
};

}  // namespace

Result<Bytes> inflateCapped(BytesView zlibData, std::size_t maxSize) {
  if (zlibData.size() > std::numeric_limits<uInt>::max()) {
    return fail(Errc::TooLarge, "compressed frame too large");
  }
  Inflater inflater;
  if (!inflater.init()) return fail(Errc::Internal, "zlib init failed");
  z_stream& zs = inflater.stream();
  zs.next_in = const_cast<Bytef*>(zlibData.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(zlibData.size());

  Bytes out(std::min(maxSize, std::max(kMinInitialOutput, zlibData.size() * kInitialRatio)));
  std::size_t produced = 0;
  std::uint8_t probe = 0;  // one byte of room to learn whether output continues past the cap
  while (true) {
    const bool atCap = produced == maxSize;
    if (!atCap && produced == out.size()) out.resize(std::min(maxSize, out.size() * 2));
    const std::size_t room =
        atCap ? 1 : std::min<std::size_t>(out.size() - produced, std::numeric_limits<uInt>::max());
    zs.next_out = atCap ? &probe : out.data() + produced;
    zs.avail_out = static_cast<uInt>(room);

    const uInt inputBefore = zs.avail_in;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t wrote = room - zs.avail_out;
    if (atCap && wrote > 0) return fail(Errc::TooLarge, "inflated frame over the size limit");
    produced += wrote;
    if (rc == Z_STREAM_END) break;
    if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_STREAM_ERROR) {
      return fail(Errc::Malformed, "corrupt zlib stream");
    }
    if (rc == Z_MEM_ERROR) return fail(Errc::Internal, "zlib out of memory");
    // Z_OK or Z_BUF_ERROR: progress needs more input or more room. Without input it is truncated.
    if (zs.avail_in == 0 && zs.avail_out != 0)
      return fail(Errc::Malformed, "truncated zlib stream");
    if (wrote == 0 && zs.avail_in == inputBefore)
      return fail(Errc::Malformed, "stalled zlib stream");
  }
  if (zs.avail_in != 0) return fail(Errc::Malformed, "bytes after the zlib stream");
  out.resize(produced);
  return out;
}

}  // namespace chorus::core::binary
