// Capped zlib inflate for compressed frame plaintext (§4.1).
#pragma once

#include <cstddef>

#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::binary {

// Inflates one zlib stream (RFC 1950). The output grows only as data actually arrives and the
// call fails with Errc::TooLarge as soon as it would pass `maxSize`, so a zlib bomb costs at
// most `maxSize` bytes and the time to produce them. Corrupt or truncated streams, and bytes
// after the end of the stream, are Errc::Malformed.
[[nodiscard]] Result<Bytes> inflateCapped(BytesView zlibData, std::size_t maxSize);

}  // namespace chorus::core::binary
